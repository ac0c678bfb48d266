import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { protectedErrors, textAnswer } from '../http/schemas.js';
import type { Registry } from 'prom-client';

export interface HealthSource {
  health(): {
    mqtt_connected: boolean;
    /** When the controller lost its broker (UTC), while it is down. */
    mqtt_down_since: string | null;
    broker: 'embedded' | 'external';
    connected_clients: number | null;
    acks: Record<string, number>;
    malformed_status: number;
    storage: { disk_full_since: string | null; writes_waiting: number };
  };
}

const tags = ['system'];

export const systemRoutes =
  (source: HealthSource, version: string, metrics: Registry): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/metrics',
      {
        config: { permission: 'system:read' },
        schema: {
          tags,
          summary: 'Prometheus metrics (scrape with a bearer token that has system:read)',
          response: {
            200: textAnswer(
              'Prometheus text exposition format',
              ['text/plain'],
              '# TYPE tt_receivers_online gauge\ntt_receivers_online 6\n',
            ),
          },
        },
      },
      async (_req, reply) => reply.type(metrics.contentType).send(await metrics.metrics()),
    );

    app.get(
      '/api/system/health',
      {
        config: { permission: 'public' },
        schema: {
          tags,
          summary: 'Liveness for monitors: reveals nothing but whether the controller and its broker link are up',
          response: { 200: z.object({ ok: z.boolean(), mqtt_connected: z.boolean() }) },
        },
      },
      async () => {
        const h = source.health();
        return { ok: h.mqtt_connected, mqtt_connected: h.mqtt_connected };
      },
    );

    app.get(
      '/api/system/status',
      {
        config: { permission: 'system:read' },
        schema: {
          tags,
          summary: 'Controller status for staff: broker, ack ingest counters, version',
          response: { 200: z.record(z.string(), z.unknown()), ...protectedErrors },
        },
      },
      async () => ({ version, ...source.health() }),
    );
  };
