import type {} from '@fastify/static';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, callerOf } from '../http/auth.js';
import { confirmationSchema, confirmationView } from '../broadcasts/confirmation-schemas.js';
import { errorSchema, fileAnswer, protectedErrors, sentFileHeaders, uuidParams } from '../http/schemas.js';
import type { MediaService } from '../media/media-service.js';
import { idSchema, prioritySchema } from '../protocol/messages.js';
import { BULLETIN_STATUSES, CATEGORIES } from './bulletins-repository.js';
import { publicationNoteSchema, type PublicationAfter } from './publication-note.js';
import type { BulletinsService } from './bulletins-service.js';

const bulletinSchema = z.object({
  id: z.string(),
  title: z.string(),
  category: z.enum(CATEGORIES),
  text: z.string().nullable(),
  recorded_media_id: z.string().nullable(),
  voice: z.string().nullable(),
  engine: z.string().nullable(),
  speed: z.number(),
  chime: z.number(),
  repeat: z.number(),
  status: z.enum(BULLETIN_STATUSES),
  reject_reason: z.string().nullable(),
  media_id: z.string().nullable(),
  created_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  submitted_at: z.string().nullable(),
  decided_by: z.string().nullable(),
  decided_at: z.string().nullable(),
  last_broadcast_id: z.string().nullable(),
  public: z.number().nullable(),
});
const input = z.object({
  title: z.string().min(1).max(200),
  category: z
    .enum(CATEGORIES)
    .describe(
      'party_state_policy, law, commune_notice, security_order, disaster_prevention, health, agriculture, good_deeds, holidays, mass_organisations, other',
    ),
  text: z.string().max(20_000).nullable().optional(),
  recorded_media_id: z
    .uuid()
    .nullable()
    .optional()
    .describe('A recording (e.g. in an ethnic-minority language) used in place of synthesis'),
  voice: z.string().max(80).nullable().optional(),
  engine: z.string().max(20).nullable().optional(),
  speed: z.number().min(0.5).max(2).optional(),
  chime: z.boolean().optional(),
  repeat: z.number().int().min(0).max(3).optional().describe('How many times to repeat after "xin nhắc lại"'),
  public: z
    .boolean()
    .nullable()
    .optional()
    .describe('Publish on the feed, public page and webhooks once broadcast; default yes, drills never'),
});
const tags = ['bulletins'];

export const bulletinsRoutes =
  (service: BulletinsService, media: MediaService, publicationAfter?: PublicationAfter): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/bulletins',
      {
        config: { permission: 'bulletins:read' },
        schema: {
          tags,
          summary: 'Bulletins, newest first',
          querystring: z.object({
            status: z.enum(BULLETIN_STATUSES).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: z.array(bulletinSchema), ...protectedErrors },
        },
      },
      async (req) => service.list(req.query.status, req.query.limit),
    );

    app.post(
      '/api/bulletins',
      {
        config: { permission: 'bulletins:write' },
        schema: {
          tags,
          summary: 'Write a bulletin (a draft)',
          body: input,
          response: { 201: bulletinSchema, 413: errorSchema, 422: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => reply.status(201).send(service.create(req.body, actorOf(req))),
    );

    app.get(
      '/api/bulletins/:id',
      {
        config: { permission: 'bulletins:read' },
        schema: {
          tags,
          summary: 'One bulletin',
          params: uuidParams,
          response: { 200: bulletinSchema, ...protectedErrors },
        },
      },
      async (req) => service.get(req.params.id),
    );

    app.patch(
      '/api/bulletins/:id',
      {
        config: { permission: 'bulletins:write' },
        schema: {
          tags,
          summary: 'Edit a draft or rejected bulletin (it becomes a draft again)',
          params: uuidParams,
          body: input.partial(),
          response: { 200: bulletinSchema, 409: errorSchema, 422: errorSchema, ...protectedErrors },
        },
      },
      async (req) => service.update(req.params.id, req.body, actorOf(req)),
    );

    app.post(
      '/api/bulletins/:id/submit',
      {
        config: { permission: 'bulletins:write' },
        schema: {
          tags,
          summary: 'Submit for approval',
          params: uuidParams,
          response: { 200: bulletinSchema, 409: errorSchema, ...protectedErrors },
        },
      },
      async (req) => service.submit(req.params.id, actorOf(req)),
    );

    app.post(
      '/api/bulletins/:id/approve',
      {
        config: { permission: 'bulletins:approve' },
        schema: {
          tags,
          summary: 'Approve (phê duyệt): fixes the audio that will be broadcast',
          params: uuidParams,
          response: { 200: bulletinSchema, 409: errorSchema, 502: errorSchema, ...protectedErrors },
        },
      },
      async (req) => service.approve(req.params.id, actorOf(req)),
    );

    app.post(
      '/api/bulletins/:id/reject',
      {
        config: { permission: 'bulletins:approve' },
        schema: {
          tags,
          summary: 'Reject with a reason',
          params: uuidParams,
          body: z.object({ reason: z.string().min(1).max(1000) }),
          response: { 200: bulletinSchema, 409: errorSchema, ...protectedErrors },
        },
      },
      async (req) => service.reject(req.params.id, req.body.reason, actorOf(req)),
    );

    app.get(
      '/api/bulletins/:id/audio',
      {
        config: { permission: 'bulletins:read' },
        schema: {
          tags,
          summary: 'Hear the bulletin as it will be broadcast, at any state (MP3; Range supported)',
          params: uuidParams,
          documentedHeaders: { 200: sentFileHeaders(false), 206: sentFileHeaders(true) },
          response: {
            200: fileAnswer('The MP3', ['audio/mpeg']),
            206: fileAnswer('The requested range of the MP3', ['audio/mpeg']),
            502: errorSchema,
            ...protectedErrors,
          },
        },
      },
      async (req, reply) => {
        const audio = await service.audio(req.params.id, actorOf(req));
        return reply.type('audio/mpeg').sendFile(media.fileName(audio.id), media.mediaDir);
      },
    );

    app.post(
      '/api/bulletins/:id/broadcast',
      {
        config: { permission: 'broadcast:normal' },
        schema: {
          tags,
          summary: 'Broadcast an approved bulletin',
          params: uuidParams,
          body: z.object({
            target: z.object({
              all: z.boolean().optional(),
              hamlet_ids: z.array(idSchema).max(1000).optional(),
              receiver_ids: z.array(idSchema).max(10_000).optional(),
            }),
            priority: prioritySchema.default('normal'),
            volume_pct: z.number().int().min(0).max(100).optional(),
            expires_in_s: z.number().int().min(10).optional(),
            drill: z.boolean().optional(),
          }),
          response: {
            201: z.object({
              broadcast_id: z.string(),
              targeted_receivers: z.number(),
              publication: publicationNoteSchema.optional(),
            }),
            202: confirmationSchema,
            409: errorSchema,
            422: errorSchema,
            ...protectedErrors,
          },
        },
      },
      async (req, reply) => {
        const result = await service.broadcast(req.params.id, req.body, callerOf(req));
        if (result.kind === 'confirm') return reply.status(202).send(confirmationView(result.pending));
        const publication = publicationAfter?.(service.get(req.params.id), result.broadcast_id);
        return reply.status(201).send({
          broadcast_id: result.broadcast_id,
          targeted_receivers: result.targeted,
          ...(publication ? { publication } : {}),
        });
      },
    );
  };
