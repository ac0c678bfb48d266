import type {} from '@fastify/multipart';
import { uploadError } from '../http/errors.js';
import type {} from '@fastify/static';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/auth.js';
import { refuseWhileUploading, saveUploadedFile } from '../http/upload-refusal.js';
import { AppError } from '../http/errors.js';
import { errorSchema, fileAnswer, protectedErrors, sentFileHeaders, uuidParams } from '../http/schemas.js';
import { MEDIA_ORIGINS } from './media-read-model.js';
import type { MediaLinks } from './media-links.js';
import type { MediaService } from './media-service.js';
import { mediaShown as shown } from './media-warning.js';

/** A media item as every answer shows it (the library, a joined playlist). */
export const mediaSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    status: z.enum(['processing', 'ready', 'failed']),
    progress_pct: z.number(),
    error_code: z.string().nullable(),
    loudness_lufs: z
      .number()
      .nullable()
      .optional()
      .describe(
        "Integrated loudness of the stored MP3 as ffmpeg's ebur128 measures it, LUFS (media.loudness_lufs is the target)",
      ),
    true_peak_dbtp: z
      .number()
      .nullable()
      .optional()
      .describe('True peak of the stored MP3, dBTP: never above media.true_peak_db'),
    warning: z
      .object({ code: z.string(), message: z.string(), message_en: z.string() })
      .nullable()
      .optional()
      .describe('Why a ready item is not at the broadcast loudness (too quiet, silent): play it only after a listen'),
    sha256: z.string().nullable(),
    size_bytes: z.number().nullable(),
    duration_ms: z.number().nullable(),
    source_format: z.string().nullable(),
    created_by: z.string(),
    created_at: z.string(),
    origin: z
      .enum(MEDIA_ORIGINS)
      .describe('upload: put there by a person; speech, playlist, drill, cap: made by the controller'),
    file_name: z.string().nullable().optional().describe('The name of the file it was uploaded from'),
    bulletin_id: z.string().nullable().optional().describe('The approved bulletin this audio is, when it is one'),
    bulletin_title: z
      .string()
      .nullable()
      .optional()
      .describe("That bulletin's title: the name people know this audio by"),
  })
  .meta({
    examples: [
      {
        id: '0b6f3a52-8c1e-4d5a-9f2b-7c1d2e3f4a5b',
        title: 'Thông báo lịch tiêm phòng',
        status: 'ready',
        progress_pct: 100,
        error_code: null,
        sha256: '9f2c5e0a7b1d4c3e8f6a2b9d0c7e5f1a3b8d6c4e2f0a9b7c5d3e1f8a6b4c2d0e',
        size_bytes: 1523712,
        duration_ms: 95000,
        source_format: 'wav',
        created_by: 'can-bo-van-hoa',
        created_at: '2026-03-02T01:15:00.000Z',
        origin: 'upload',
      },
    ],
  });
const tags = ['media'];

/** What a multipart form adds around the file (boundaries, headers, the title field). */
const MULTIPART_SLACK_BYTES = 64 * 1024;

/** A multipart body the parser cannot read is the client's error (400), not ours; limits keep their 413. */
export const mediaRoutes =
  (service: MediaService, maxUploadMb: number, links: MediaLinks): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/media',
      {
        config: { permission: 'media:write' },
        schema: {
          tags,
          summary:
            'Upload audio (multipart field "file", optional field "title" before it). Answers 202; poll GET /api/media/{id} until status is ready.',
          documentedBody: {
            'multipart/form-data': z.object({
              title: z.string().max(1000).optional().describe('Before the file; default: the file name'),
              file: z.string().meta({ format: 'binary' }).describe('The audio: MP3, WAV, M4A, OGG, FLAC…'),
            }),
          },
          response: { 202: mediaSchema, 413: errorSchema, 415: errorSchema, 422: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => {
        if (!req.isMultipart()) throw new AppError(415, 'upload_missing_file');
        // Said before the body is read when its declared length is already over the limit (plus the
        // form's own bytes): on a 4G link, 300 MB sent only to be refused is a long wait. The
        // connection closes, so nothing more of the body is taken in, but gently, so that the client
        // reads the 413 rather than a reset.
        if (Number(req.headers['content-length']) > maxUploadMb * 1024 * 1024 + MULTIPART_SLACK_BYTES) {
          refuseWhileUploading(req, reply);
          throw new AppError(413, 'upload_too_large', { max_mb: maxUploadMb });
        }
        let file;
        try {
          file = await req.file({
            limits: { fileSize: maxUploadMb * 1024 * 1024, files: 1, fields: 5, fieldSize: 1000 },
          });
        } catch (err) {
          throw uploadError(err);
        }
        if (!file) throw new AppError(400, 'upload_missing_file');
        const path = service.newIncomingPath();
        let saved: boolean;
        try {
          saved = await saveUploadedFile(file.file, path);
        } catch (err) {
          throw uploadError(err);
        }
        if (!saved) {
          refuseWhileUploading(req, reply);
          throw new AppError(413, 'upload_too_large', { max_mb: maxUploadMb });
        }
        const titleField = file.fields.title;
        const title =
          titleField && 'value' in titleField && typeof titleField.value === 'string' && titleField.value.trim()
            ? titleField.value.trim()
            : file.filename || 'audio';
        const media = await service.accept(path, title, actorOf(req), {
          file_name: file.filename ? file.filename.normalize('NFC') : null,
        });
        return reply.status(202).send(shown(media, req.headers['accept-language']));
      },
    );

    app.get(
      '/api/media',
      {
        config: { permission: 'media:read' },
        schema: {
          tags,
          summary:
            'List media, newest first: the library (uploads and approved bulletins) or everything, with what the controller made',
          querystring: z.object({
            scope: z.enum(['library', 'all']).default('all'),
            limit: z.coerce.number().int().min(1).max(1000).default(200),
          }),
          response: { 200: z.array(mediaSchema), ...protectedErrors },
        },
      },
      async (req) =>
        service.list(req.query.limit, req.query.scope).map((m) => shown(m, req.headers['accept-language'])),
    );

    app.get(
      '/api/media/:id',
      {
        config: { permission: 'media:read' },
        schema: {
          tags,
          summary: 'One media item, with its processing progress',
          params: uuidParams,
          response: { 200: mediaSchema, ...protectedErrors },
        },
      },
      async (req) => shown(service.get(req.params.id), req.headers['accept-language']),
    );

    app.get(
      '/api/media/:id/audio',
      {
        config: { permission: 'media:read', receivers: true },
        schema: {
          tags,
          summary:
            'The broadcast-ready MP3, for enrolled receivers (HTTP Basic: receiver id and secret) and staff. Supports Range and ETag.',
          params: uuidParams,
          documentedHeaders: {
            200: {
              ...sentFileHeaders(false),
              'X-Content-SHA256': 'The SHA-256 of the MP3 (hex), as play commands name it',
            },
            206: { ...sentFileHeaders(true), 'X-Content-SHA256': 'The SHA-256 of the whole MP3 (hex)' },
          },
          response: {
            200: fileAnswer('The MP3', ['audio/mpeg']),
            206: fileAnswer('The requested range of the MP3', ['audio/mpeg']),
            409: errorSchema,
            ...protectedErrors,
          },
        },
      },
      async (req, reply) => {
        const media = service.get(req.params.id);
        if (media.status !== 'ready')
          throw new AppError(409, 'media_not_ready', { id: media.id, progress_pct: media.progress_pct });
        reply.header('X-Content-SHA256', media.sha256!);
        reply.header('Cache-Control', 'private, max-age=31536000, immutable');
        return reply.sendFile(service.fileName(media.id), service.mediaDir);
      },
    );

    // For players without an account: the links an exported playlist (.m3u8) carries (media-links.ts).
    app.get(
      '/public/media/:expires/:signature/:file',
      {
        config: { permission: 'public' },
        schema: {
          tags,
          summary:
            "A media item's MP3 through the signed, expiring link an exported playlist carries (no account; Range supported)",
          params: z.object({
            expires: z.coerce.number().int().positive(),
            signature: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
            file: z.string().regex(/^[0-9a-f-]{36}\.mp3$/),
          }),
          documentedHeaders: { 200: sentFileHeaders(false), 206: sentFileHeaders(true) },
          response: {
            200: fileAnswer('The MP3', ['audio/mpeg']),
            206: fileAnswer('The requested range of the MP3', ['audio/mpeg']),
            403: errorSchema,
            409: errorSchema,
          },
        },
      },
      async (req, reply) => {
        const id = req.params.file.slice(0, 36);
        // The signature is checked before the id is looked up: a forged link learns nothing of the library.
        const check = links.check(id, req.params.expires, req.params.signature);
        if (check !== 'valid')
          throw new AppError(403, check === 'expired' ? 'media_link_expired' : 'media_link_forged');
        const media = service.get(id);
        if (media.status !== 'ready')
          throw new AppError(409, 'media_not_ready', { id: media.id, progress_pct: media.progress_pct });
        reply.header('Cache-Control', 'private, max-age=3600');
        return reply.type('audio/mpeg').sendFile(service.fileName(media.id), service.mediaDir);
      },
    );
  };
