import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/auth.js';
import { errorSchema, idParams, protectedErrors, uuidParams } from '../http/schemas.js';
import { REMOTE_OPS } from '../protocol/messages.js';
import type { RemoteOps } from './remote-ops.js';
import { HEALTH_RULES, type HealthService } from './health-service.js';

const alertSchema = z.object({
  id: z.string(),
  receiver_id: z.string(),
  rule: z.enum(HEALTH_RULES),
  state: z.enum(['open', 'acknowledged', 'resolved']),
  detail: z.string().nullable(),
  opened_at: z.string(),
  acknowledged_at: z.string().nullable(),
  acknowledged_by: z.string().nullable(),
  resolved_at: z.string().nullable(),
});
const tags = ['receivers'];

export const healthRoutes =
  (health: HealthService, ops: RemoteOps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/receivers/:id/ops',
      {
        config: { permission: 'receivers:write' },
        schema: {
          tags,
          summary:
            'A remote operation, answered by the receiver: set_volume {volume_pct}, test_tone {seconds}, restart, sync_clock, fetch_logs {lines}',
          params: idParams,
          body: z.object({
            op: z.enum(REMOTE_OPS),
            args: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()])).default({}),
          }),
          response: {
            200: z.object({
              status: z.enum(['ok', 'error']),
              data: z.record(z.string(), z.unknown()).nullable(),
              error: z.string().nullable(),
              at: z.string(),
              /** A test tone in the hamlet's quiet hours was played at this volume (0: silently), not refused. */
              quiet_volume_pct: z.number().int().nullable(),
            }),
            422: errorSchema,
            504: errorSchema,
            ...protectedErrors,
          },
        },
      },
      async (req) => {
        const reply = await ops.run(req.params.id, req.body.op, req.body.args, actorOf(req));
        return {
          status: reply.status,
          data: reply.data,
          error: reply.error,
          at: reply.at,
          quiet_volume_pct: reply.quiet_volume_pct,
        };
      },
    );

    app.get(
      '/api/health/alerts',
      {
        config: { permission: 'receivers:read' },
        schema: {
          tags,
          summary: 'Receiver health alerts (offline, amplifier fault, temperature, storage, clock drift)',
          querystring: z.object({ state: z.enum(['open', 'acknowledged', 'resolved']).optional() }),
          response: { 200: z.array(alertSchema), ...protectedErrors },
        },
      },
      async (req) => health.list(req.query.state),
    );

    app.post(
      '/api/health/alerts/:id/acknowledge',
      {
        config: { permission: 'receivers:write' },
        schema: {
          tags,
          summary: 'Acknowledge an alert (someone is on it); it resolves by itself when the receiver recovers',
          params: uuidParams,
          response: { 200: alertSchema, ...protectedErrors },
        },
      },
      async (req) => health.acknowledge(req.params.id, actorOf(req)),
    );

    app.get(
      '/api/receivers/:id/telemetry',
      {
        config: { permission: 'receivers:read' },
        schema: {
          tags,
          summary: 'Recent telemetry samples of a receiver, newest first',
          params: idParams,
          response: { 200: z.array(z.object({ at: z.string(), data: z.unknown() })), ...protectedErrors },
        },
      },
      async (req) => health.samples(req.params.id),
    );
  };
