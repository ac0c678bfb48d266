import { rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/auth.js';
import { refuseWhileUploading, saveUploadedFile } from '../http/upload-refusal.js';
import { AppError, uploadError } from '../http/errors.js';
import {
  errorSchema,
  fileAnswer,
  objectSchema,
  protectedErrors,
  rowOf,
  rowSchema,
  sentFileHeaders,
  uuidParams,
} from '../http/schemas.js';
import { idSchema } from '../protocol/messages.js';
import type { RolloutsService } from './rollouts-service.js';

const tags = ['receivers'];
const updateSchema = rowOf({ id: z.string(), version: z.string(), sha256: z.string(), size_bytes: z.number() });
const rolloutSchema = rowOf({
  id: z.string(),
  update_id: z.string(),
  status: z.enum(['running', 'completed', 'stopped']),
  version: z.string(),
  receivers: z.array(objectSchema),
});

export const rolloutsRoutes =
  (service: RolloutsService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/agent-updates',
      {
        config: { permission: 'receivers:write' },
        schema: {
          tags,
          summary:
            'Upload an agent update package (multipart: field "version", then "file"); receivers check it against its sha256 in the signed command',
          documentedBody: {
            'multipart/form-data': z.object({
              version: z
                .string()
                .regex(/^[0-9A-Za-z.+-]{1,40}$/)
                .describe('Before the file'),
              notes: z.string().max(1000).optional(),
              file: z.string().meta({ format: 'binary' }).describe('The package, at most 200 MB'),
            }),
          },
          response: {
            201: updateSchema,
            409: errorSchema,
            413: errorSchema,
            415: errorSchema,
            422: errorSchema,
            ...protectedErrors,
          },
        },
      },
      async (req, reply) => {
        if (!req.isMultipart()) throw new AppError(415, 'upload_missing_file');
        let version = '';
        let notes: string | null = null;
        let path: string | undefined;
        try {
          for await (const part of req.parts({
            limits: { fileSize: 200 * 1024 * 1024, files: 1, fields: 5, fieldSize: 2000 },
          })) {
            if (part.type === 'field') {
              if (part.fieldname === 'version') version = String(part.value).trim();
              if (part.fieldname === 'notes') notes = String(part.value).slice(0, 1000);
              continue;
            }
            if (!/^[0-9A-Za-z.+-]{1,40}$/.test(version)) {
              // Said before the package is read, and so that the client reads it (upload-refusal.ts).
              refuseWhileUploading(req, reply);
              throw new AppError(422, 'update_needs_version', { field: 'version' });
            }
            path = join(service.dir, `${randomUUID()}.upload`);
            if (!(await saveUploadedFile(part.file, path))) {
              refuseWhileUploading(req, reply);
              throw new AppError(413, 'upload_too_large', { max_mb: 200 });
            }
            const update = await service.addPackage(path, version, notes, actorOf(req));
            path = undefined;
            return reply.status(201).send(update);
          }
        } catch (err) {
          if (path) await rm(path, { force: true });
          throw uploadError(err);
        }
        throw new AppError(415, 'upload_missing_file');
      },
    );
    app.get(
      '/api/agent-updates',
      {
        config: { permission: 'receivers:read' },
        schema: { tags, summary: 'Agent update packages', response: { 200: z.array(updateSchema) } },
      },
      async () => service.updates(),
    );
    app.get(
      '/api/agent-updates/:id/package',
      {
        config: { permission: 'receivers:write', receivers: true },
        schema: {
          tags,
          summary: 'The package, for enrolled receivers (HTTP Basic) during a rollout',
          params: uuidParams,
          documentedHeaders: {
            200: {
              ...sentFileHeaders(false),
              'X-Content-SHA256': "The package's SHA-256 (hex), as the signed command names it",
            },
          },
          response: { 200: fileAnswer('The package', ['application/octet-stream']) },
        },
      },
      async (req, reply) => {
        const u = service.update(req.params.id);
        return reply
          .header('x-content-sha256', u.sha256)
          .type('application/octet-stream')
          .sendFile(`${u.id}.pkg`, service.dir);
      },
    );
    app.post(
      '/api/agent-updates/:id/rollouts',
      {
        config: { permission: 'receivers:write' },
        schema: {
          tags,
          summary:
            'Roll an update out in stages: by hamlet or a share of the fleet, a batch at a time; it stops and rolls back a receiver that does not come back healthy',
          params: uuidParams,
          body: z.object({
            hamlet_ids: z.array(idSchema).max(1000).optional(),
            percent: z.number().min(1).max(100).optional(),
            batch_size: z.number().int().min(1).max(10_000).default(1),
            health_wait_s: z.number().int().min(5).max(86_400).default(600),
          }),
          response: { 201: rowSchema.describe('The rollout'), 409: errorSchema, 422: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => reply.status(201).send(service.start(req.params.id, req.body, actorOf(req))),
    );
    app.get(
      '/api/rollouts/:id',
      {
        config: { permission: 'receivers:read' },
        schema: {
          tags,
          summary: 'A rollout, receiver by receiver',
          params: uuidParams,
          response: { 200: rolloutSchema },
        },
      },
      async (req) => service.rollout(req.params.id),
    );
    app.post(
      '/api/rollouts/:id/stop',
      {
        config: { permission: 'receivers:write' },
        schema: {
          tags,
          summary: 'Stop a rollout (receivers already updated keep the new version)',
          params: uuidParams,
          body: z.object({ reason: z.string().min(1).max(500) }),
          response: { 200: rolloutSchema },
        },
      },
      async (req) => {
        service.stop(req.params.id, req.body.reason, actorOf(req));
        return service.rollout(req.params.id);
      },
    );
  };
