import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/auth.js';
import { AppError } from '../http/errors.js';
import { errorSchema, fileAnswer, protectedErrors, uuidParams } from '../http/schemas.js';
import type { LiveService } from './live-service.js';

const sessionSchema = z.object({
  id: z.string(),
  title: z.string(),
  source: z.enum(['voice', 'relay']),
  source_url: z.string().nullable(),
  status: z.enum(['waiting', 'live', 'ended']),
  started_by: z.string(),
  started_at: z.string(),
  ended_at: z.string().nullable(),
  listeners: z.number(),
});
const tags = ['live'];
const AUDIO_TYPES = ['audio/webm', 'audio/ogg', 'audio/mpeg', 'audio/wav', 'application/octet-stream'];
/** The raw audio body, as the document shows it: the route reads the stream itself. */
const audioBody = (what: string) =>
  Object.fromEntries(AUDIO_TYPES.map((type) => [type, z.string().meta({ format: 'binary' }).describe(what)]));

export const liveRoutes =
  (live: LiveService): FastifyPluginAsyncZod =>
  async (app) => {
    // The microphone's audio arrives as a stream: hand it on as it comes, never buffered whole.
    app.addContentTypeParser(AUDIO_TYPES, (_req, payload, done) => done(null, payload));

    app.post(
      '/api/live',
      {
        config: { permission: 'broadcast:normal' },
        schema: {
          tags,
          summary:
            'Open a live session: a voice (then POST its audio to /audio) or a relayed stream (source_url); broadcast it with live_id',
          body: z.object({
            title: z.string().min(1).max(200),
            source_url: z.url().optional().describe('The provincial station, or any http(s) audio stream'),
          }),
          response: { 201: sessionSchema, 422: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => reply.status(201).send(live.start(req.body, actorOf(req))),
    );

    app.get(
      '/api/live',
      {
        config: { permission: 'broadcasts:read' },
        schema: { tags, summary: 'Live sessions', response: { 200: z.array(sessionSchema), ...protectedErrors } },
      },
      async () => live.list(),
    );

    app.post(
      '/api/live/:id/audio',
      {
        config: { permission: 'broadcast:normal' },
        schema: {
          tags,
          summary:
            "The speaker's audio, streamed as it is recorded (audio/webm, audio/ogg, audio/mpeg); the session ends cleanly when this request ends",
          params: uuidParams,
          documentedBody: audioBody('The recording as it is made, sent as one streamed upload (chunked)'),
          response: { 204: z.null(), 409: errorSchema, ...protectedErrors },
        },
        bodyLimit: 512 * 1024 * 1024,
      },
      async (req, reply) => {
        if (!req.body || typeof (req.body as Readable).pipe !== 'function')
          throw new AppError(415, 'upload_missing_file');
        await live.ingest(req.params.id, req.body as Readable);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/live/:id/chunks/:seq',
      {
        config: { permission: 'broadcast:normal' },
        schema: {
          tags,
          summary:
            "The speaker's audio in numbered pieces (MediaRecorder slices, from 0), for browsers that cannot stream one upload; end with /finish",
          params: z.object({ id: z.uuid(), seq: z.coerce.number().int().min(0).max(1_000_000) }),
          documentedBody: audioBody('One piece of the recording, at most 2 MB, in the order of seq'),
          response: { 204: z.null(), 409: errorSchema, ...protectedErrors },
        },
        bodyLimit: 2 * 1024 * 1024,
      },
      async (req, reply) => {
        if (!req.body || typeof (req.body as Readable).pipe !== 'function')
          throw new AppError(415, 'upload_missing_file');
        const parts: Buffer[] = [];
        for await (const part of req.body as Readable) parts.push(part as Buffer);
        live.appendChunk(req.params.id, req.params.seq, Buffer.concat(parts));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/live/:id/finish',
      {
        config: { permission: 'broadcast:normal' },
        schema: {
          tags,
          summary: 'The speaker finished (after the last piece): the stream ends cleanly',
          params: uuidParams,
          response: { 200: sessionSchema, ...protectedErrors },
        },
      },
      async (req) => live.finish(req.params.id, actorOf(req)),
    );

    app.get(
      '/api/live/:id/stream',
      {
        config: { permission: 'media:read', receivers: true },
        schema: {
          tags,
          summary: 'The live MP3 stream, for enrolled receivers (HTTP Basic) and staff',
          params: uuidParams,
          response: {
            200: fileAnswer('The stream, as long as the session lasts', ['audio/mpeg']),
            409: errorSchema,
            ...protectedErrors,
          },
        },
      },
      async (req, reply) => {
        const session = live.get(req.params.id);
        if (session.status === 'ended') throw new AppError(409, 'live_ended', { id: session.id });
        reply.hijack();
        live.attach(req.params.id, reply.raw);
      },
    );

    app.post(
      '/api/live/:id/stop',
      {
        config: { permission: 'broadcast:normal' },
        schema: {
          tags,
          summary: 'End a live session: receivers finish cleanly',
          params: uuidParams,
          response: { 200: sessionSchema, ...protectedErrors },
        },
      },
      async (req) => live.stop(req.params.id, actorOf(req)),
    );
  };
