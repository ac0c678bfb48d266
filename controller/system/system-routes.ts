import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { toCsv } from '../http/csv.js';
import { z } from 'zod';
import type { AuditRepository } from '../audit/audit-repository.js';
import { protectedErrors } from '../http/schemas.js';
import type { Registry } from 'prom-client';

export interface HealthSource {
  health(): { mqtt_connected: boolean; broker: 'embedded' | 'external'; connected_clients: number | null; acks: Record<string, number>; malformed_status: number;
    storage: { disk_full_since: string | null; writes_waiting: number } };
}

const tags = ['system'];

export const systemRoutes = (source: HealthSource, audit: AuditRepository, version: string, metrics: Registry): FastifyPluginAsyncZod => async (app) => {
  app.get('/metrics', {
    config: { permission: 'system:read' },
    schema: { tags, summary: 'Prometheus metrics (scrape with a bearer token that has system:read)' },
  }, async (_req, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));

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

  app.get('/api/audit/export', {
    config: { permission: 'audit:read' },
    schema: {
      tags, summary: 'The whole audit log as a file (CSV or JSON lines), with its chain; X-Audit-Head carries the last hash',
      querystring: z.object({ format: z.enum(['csv', 'jsonl']).default('jsonl') }),
    },
  }, async (req, reply) => {
    const rows = audit.all();
    const head = rows.at(-1)?.hash ?? '';
    reply.header('X-Audit-Head', head);
    const stamp = new Date().toISOString().slice(0, 10);
    if (req.query.format === 'jsonl') {
      reply.header('Content-Disposition', `attachment; filename="audit-${stamp}.jsonl"`).type('application/x-ndjson; charset=utf-8');
      return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
    }
    const columns = ['id', 'at', 'actor', 'action', 'subject', 'detail', 'source_ip', 'prev_hash', 'hash'] as const;
    reply.header('Content-Disposition', `attachment; filename="audit-${stamp}.csv"`).type('text/csv; charset=utf-8');
    return toCsv(columns, rows as unknown as Record<string, unknown>[]);
  });

  app.get('/api/audit/verify', {
    config: { permission: 'audit:read' },
    schema: { tags, summary: 'Checks the audit log hash chain; names the first altered or missing row', response: { 200: z.record(z.string(), z.unknown()), ...protectedErrors } },
  }, async () => audit.verifyChain());
};
