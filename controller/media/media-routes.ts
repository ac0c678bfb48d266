import type {} from '@fastify/multipart';
import { uploadError } from '../http/errors.js';
import type {} from '@fastify/static';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/auth.js';
import { AppError } from '../http/errors.js';
import { errorSchema, protectedErrors, uuidParams } from '../http/schemas.js';
import type { Media } from './media-repository.js';
import { MEDIA_ORIGINS } from './media-read-model.js';
import type { MediaService } from './media-service.js';

const mediaSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['processing', 'ready', 'failed']),
  progress_pct: z.number(),
  error_code: z.string().nullable(),
  sha256: z.string().nullable(),
  size_bytes: z.number().nullable(),
  duration_ms: z.number().nullable(),
  source_format: z.string().nullable(),
  created_by: z.string(),
  created_at: z.string(),
  origin: z.enum(MEDIA_ORIGINS).describe('upload: put there by a person; speech, playlist, drill, cap: made by the controller'),
  bulletin_id: z.string().nullable().optional().describe('The approved bulletin this audio is, when it is one'),
  bulletin_title: z.string().nullable().optional().describe('That bulletin\'s title: the name people know this audio by'),
});
const tags = ['media'];

/** A multipart body the parser cannot read is the client's error (400), not ours; limits keep their 413. */
export const mediaRoutes = (service: MediaService, maxUploadMb: number): FastifyPluginAsyncZod => async (app) => {
  app.post('/api/media', {
    config: { permission: 'media:write' },
    schema: {
      tags,
      summary: 'Upload audio (multipart field "file", optional field "title" before it). Answers 202; poll GET /api/media/{id} until status is ready.',
      consumes: ['multipart/form-data'],
      response: { 202: mediaSchema, 413: errorSchema, 415: errorSchema, 422: errorSchema, ...protectedErrors },
    },
  }, async (req, reply) => {
    if (!req.isMultipart()) throw new AppError(415, 'upload_missing_file');
    let file;
    try {
      file = await req.file({ limits: { fileSize: maxUploadMb * 1024 * 1024, files: 1, fields: 5, fieldSize: 1000 } });
    } catch (err) {
      throw uploadError(err);
    }
    if (!file) throw new AppError(400, 'upload_missing_file');
    const path = service.newIncomingPath();
    try {
      await pipeline(file.file, createWriteStream(path, { mode: 0o600 }));
    } catch (err) {
      await rm(path, { force: true });
      throw uploadError(err);
    }
    if (file.file.truncated) {
      await rm(path, { force: true });
      throw new AppError(413, 'upload_too_large', { max_mb: maxUploadMb });
    }
    const titleField = file.fields.title;
    const title = titleField && 'value' in titleField && typeof titleField.value === 'string' && titleField.value.trim()
      ? titleField.value.trim()
      : file.filename || 'audio';
    const media = await service.accept(path, title, actorOf(req));
    return reply.status(202).send(media);
  });

  app.get('/api/media', {
    config: { permission: 'media:read' },
    schema: {
      tags, summary: 'List media, newest first: the library (uploads and approved bulletins) or everything, with what the controller made',
      querystring: z.object({ scope: z.enum(['library', 'all']).default('all'), limit: z.coerce.number().int().min(1).max(1000).default(200) }),
      response: { 200: z.array(mediaSchema), ...protectedErrors },
    },
  }, async (req) => service.list(req.query.limit, req.query.scope));

  app.get('/api/media/:id', { config: { permission: 'media:read' }, schema: { tags, summary: 'One media item, with its processing progress', params: uuidParams, response: { 200: mediaSchema, ...protectedErrors } } },
    async (req) => service.get(req.params.id) satisfies Media);

  app.get('/api/media/:id/audio', {
    config: { permission: 'media:read', receivers: true },
    schema: {
      tags,
      summary: 'The broadcast-ready MP3, for enrolled receivers (HTTP Basic: receiver id and secret) and staff. Supports Range and ETag.',
      params: uuidParams,
      response: { 409: errorSchema, ...protectedErrors },
    },
  }, async (req, reply) => {
    const media = service.get(req.params.id);
    if (media.status !== 'ready') throw new AppError(409, 'media_not_ready', { id: media.id, progress_pct: media.progress_pct });
    reply.header('X-Content-SHA256', media.sha256!);
    reply.header('Cache-Control', 'private, max-age=31536000, immutable');
    return reply.sendFile(service.fileName(media.id), service.mediaDir);
  });
};
