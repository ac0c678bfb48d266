import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountsService } from '../accounts/accounts-service.js';
import { actorOf, requirePermission } from '../http/auth.js';
import { errorSchema, protectedErrors, uuidParams } from '../http/schemas.js';
import { idSchema, prioritySchema } from '../protocol/messages.js';
import type { CoverageService } from '../coverage/coverage-service.js';
import type { BroadcastsService } from './broadcasts-service.js';

const broadcastSchema = z.object({
  id: z.string(),
  media_id: z.string(),
  priority: prioritySchema,
  volume_pct: z.number(),
  target: z.unknown(),
  source: z.string(),
  created_by: z.string(),
  created_at: z.string(),
  play_at: z.string().nullable(),
  expires_at: z.string(),
});
const createBody = z.object({
  media_id: z.uuid(),
  target: z.object({
    all: z.boolean().optional().describe('The whole commune'),
    hamlet_ids: z.array(idSchema).max(1000).optional(),
    receiver_ids: z.array(idSchema).max(10_000).optional(),
  }),
  priority: prioritySchema.default('normal').describe('Circular 39/2020: normal, priority or emergency'),
  volume_pct: z.number().int().min(0).max(100).default(80),
  expires_in_s: z.number().int().min(10).optional().describe('A receiver that gets the command later than this never plays it'),
  play_at: z.iso.datetime({ offset: true }).nullable().optional().describe('Synchronised start; omitted plays as soon as the audio is verified'),
});
const tags = ['broadcasts'];

export const broadcastsRoutes = (service: BroadcastsService, coverage: CoverageService, accounts: AccountsService): FastifyPluginAsyncZod => async (app) => {
  const view = (b: ReturnType<BroadcastsService['get']>) => {
    const { target_json, ...rest } = b;
    return { ...rest, target: JSON.parse(target_json) };
  };

  app.post('/api/broadcasts', {
    config: { permission: 'broadcast:normal' },
    schema: {
      tags, summary: 'Broadcast now: to the whole commune, some hamlets or some receivers',
      body: createBody,
      response: { 201: broadcastSchema.extend({ targeted_receivers: z.number() }), 409: errorSchema, 422: errorSchema, ...protectedErrors },
    },
  }, async (req, reply) => {
    // Circular 39/2020 levels: the route needs "normal"; higher levels need their own permission.
    if (req.body.priority !== 'normal') requirePermission(req, `broadcast:${req.body.priority}`);
    if (req.body.priority === 'emergency') accounts.requireForEmergency(req.principal!);
    const body = { ...req.body, play_at: req.body.play_at ? new Date(req.body.play_at).toISOString() : null };
    const { broadcast, targets } = await service.create(body, actorOf(req));
    return reply.status(201).send({ ...view(broadcast), targeted_receivers: targets.length });
  });

  app.get('/api/broadcasts', {
    config: { permission: 'broadcasts:read' },
    schema: { tags, summary: 'Recent broadcasts, newest first', querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }), response: { 200: z.array(broadcastSchema), ...protectedErrors } },
  }, async (req) => service.list(req.query.limit).map(view));

  app.get('/api/broadcasts/:id', {
    config: { permission: 'broadcasts:read' },
    schema: {
      tags, summary: 'One broadcast with its commands',
      params: uuidParams,
      response: { 200: broadcastSchema.extend({ commands: z.array(z.object({ id: z.string(), topic: z.string(), created_at: z.string(), published_at: z.string().nullable() })) }), ...protectedErrors },
    },
  }, async (req) => ({
    ...view(service.get(req.params.id)),
    commands: service.commands(req.params.id).map((c) => ({ id: c.id, topic: c.topic, created_at: c.created_at, published_at: c.published_at })),
  }));

  app.get('/api/broadcasts/:id/coverage', {
    config: { permission: 'coverage:read' },
    schema: {
      tags: ['coverage'],
      summary: 'Which receivers, in which hamlets, received, downloaded, started and finished a broadcast; which failed and why; which never answered',
      params: uuidParams,
      response: { 200: z.record(z.string(), z.unknown()), ...protectedErrors },
    },
  }, async (req) => coverage.ofBroadcast(req.params.id));
};
