import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditRepository } from '../audit/audit-repository.js';
import { protectedErrors } from '../http/schemas.js';

export interface HealthSource {
  health(): { mqtt_connected: boolean; broker: 'embedded' | 'external'; connected_clients: number | null; acks: Record<string, number>; malformed_status: number };
}

const tags = ['system'];

export const systemRoutes = (source: HealthSource, audit: AuditRepository, version: string): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/system/health', {
    config: { permission: 'public' },
    schema: { tags, summary: 'Liveness for monitors: reveals nothing but whether the controller and its broker link are up', response: { 200: z.object({ ok: z.boolean(), mqtt_connected: z.boolean() }) } },
  }, async () => {
    const h = source.health();
    return { ok: h.mqtt_connected, mqtt_connected: h.mqtt_connected };
  });

  app.get('/api/system/status', {
    config: { permission: 'system:read' },
    schema: { tags, summary: 'Controller status for staff: broker, ack ingest counters, version', response: { 200: z.record(z.string(), z.unknown()), ...protectedErrors } },
  }, async () => ({ version, ...source.health() }));

  app.get('/api/audit', {
    config: { permission: 'audit:read' },
    schema: {
      tags, summary: 'The audit log, newest first',
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), before_id: z.coerce.number().int().optional() }),
      response: { 200: z.array(z.record(z.string(), z.unknown())), ...protectedErrors },
    },
  }, async (req) => audit.list(req.query.limit, req.query.before_id));

  app.get('/api/audit/verify', {
    config: { permission: 'audit:read' },
    schema: { tags, summary: 'Checks the audit log hash chain; names the first altered or missing row', response: { 200: z.record(z.string(), z.unknown()), ...protectedErrors } },
  }, async () => audit.verifyChain());
};
