import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/auth.js';
import { errorSchema, idParams, protectedErrors } from '../http/schemas.js';
import { idSchema } from '../protocol/messages.js';
import type { ReceiverPresence } from './receiver-presence.js';
import type { Receiver } from './receivers-repository.js';
import type { ReceiversService } from './receivers-service.js';

const receiverSchema = z.object({
  id: z.string(),
  hamlet_id: z.string(),
  name: z.string(),
  enrolled: z.boolean(),
  enrolled_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  status: z.enum(['online', 'offline', 'unknown']),
  status_at: z.string().nullable(),
  agent_version: z.string().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  telemetry: z.record(z.string(), z.unknown()).nullable(),
  created_at: z.string(),
});
const enrolmentSchema = z.object({
  receiver: receiverSchema,
  agent_config: z
    .record(z.string(), z.unknown())
    .describe("Save as the agent's config file (mode 0600). Shown only once: it holds the receiver's secret."),
});
const tags = ['receivers'];

export const receiversRoutes =
  (service: ReceiversService, presence: ReceiverPresence): FastifyPluginAsyncZod =>
  async (app) => {
    const view = (r: Receiver) => ({
      id: r.id,
      hamlet_id: r.hamlet_id,
      name: r.name,
      enrolled: r.secret_hash !== null,
      enrolled_at: r.enrolled_at,
      revoked_at: r.revoked_at,
      status: r.status,
      status_at: r.status_at,
      agent_version: r.agent_version,
      lat: r.lat,
      lon: r.lon,
      telemetry: (presence.latestTelemetry(r.id) as Record<string, unknown> | undefined) ?? null,
      created_at: r.created_at,
    });

    app.get(
      '/api/receivers',
      {
        config: { permission: 'receivers:read' },
        schema: {
          tags,
          summary: 'List receivers (cụm loa)',
          querystring: z.object({ hamlet_id: idSchema.optional() }),
          response: { 200: z.array(receiverSchema), ...protectedErrors },
        },
      },
      async (req) => service.list(req.query.hamlet_id).map(view),
    );

    app.post(
      '/api/receivers',
      {
        config: { permission: 'receivers:write' },
        schema: {
          tags,
          summary: 'Register and enrol a receiver: returns its credentials and agent config, once',
          body: z.object({ id: idSchema, hamlet_id: idSchema, name: z.string().min(1).max(120) }),
          response: { 201: enrolmentSchema, 409: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        service.create(req.body, actor);
        const { receiver, agent_config } = service.enrol(req.body.id, actor);
        return reply.status(201).send({ receiver: view(receiver), agent_config });
      },
    );

    app.get(
      '/api/receivers/:id',
      {
        config: { permission: 'receivers:read' },
        schema: {
          tags,
          summary: 'One receiver',
          params: idParams,
          response: { 200: receiverSchema, ...protectedErrors },
        },
      },
      async (req) => view(service.get(req.params.id)),
    );

    app.get(
      '/api/receivers/:id/history',
      {
        config: { permission: 'receivers:read' },
        schema: {
          tags,
          summary: 'Availability over a period (default: the last 7 days): state changes and the share of time online',
          params: idParams,
          querystring: z.object({
            from: z.iso.datetime({ offset: true }).optional(),
            to: z.iso.datetime({ offset: true }).optional(),
          }),
          response: {
            200: z.object({
              receiver_id: z.string(),
              from: z.string(),
              to: z.string(),
              uptime_pct: z.number(),
              events: z.array(z.object({ at: z.string(), state: z.string(), session: z.number() })),
            }),
            ...protectedErrors,
          },
        },
      },
      async (req) => {
        service.get(req.params.id);
        return presence.history(
          req.params.id,
          req.query.from ? new Date(req.query.from) : undefined,
          req.query.to ? new Date(req.query.to) : undefined,
        );
      },
    );

    app.patch(
      '/api/receivers/:id',
      {
        config: { permission: 'receivers:write' },
        schema: {
          tags,
          summary: 'Rename a receiver, move it to another hamlet, or place it on the map',
          params: idParams,
          body: z.object({
            name: z.string().min(1).max(120).optional(),
            hamlet_id: idSchema.optional(),
            lat: z.number().min(-90).max(90).nullable().optional(),
            lon: z.number().min(-180).max(180).nullable().optional(),
          }),
          response: { 200: receiverSchema, ...protectedErrors },
        },
      },
      async (req) => view(service.update(req.params.id, req.body, actorOf(req))),
    );

    app.post(
      '/api/receivers/:id/enrol',
      {
        config: { permission: 'receivers:write' },
        schema: {
          tags,
          summary: 'Enrol a registered receiver, or rotate its credentials (the old secret stops working)',
          params: idParams,
          response: { 200: enrolmentSchema, ...protectedErrors },
        },
      },
      async (req) => {
        const { receiver, agent_config } = service.enrol(req.params.id, actorOf(req));
        return { receiver: view(receiver), agent_config };
      },
    );

    app.delete(
      '/api/receivers/:id',
      {
        config: { permission: 'receivers:write' },
        schema: {
          tags,
          summary: 'Revoke a receiver: its credentials stop working and it is disconnected',
          params: idParams,
          response: { 204: z.null(), 409: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => {
        service.remove(req.params.id, actorOf(req));
        return reply.status(204).send(null);
      },
    );
  };
