/** Coverage over HTTP: who received, downloaded, started and finished a broadcast, and proof checks of the stored acks. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { protectedErrors, uuidParams } from '../http/schemas.js';
import type { CoverageService } from './coverage-service.js';

export const coverageRoutes = (coverage: CoverageService): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/coverage/verify', {
    config: { permission: 'audit:read' },
    schema: {
      tags: ['coverage'], summary: 'Check every stored ack: the hash chain, each receiver\'s signature and the controller\'s signed head; names what was altered, deleted or forged',
      response: { 200: z.object({ ok: z.boolean(), checked: z.number(), signed_head: z.number().nullable(), problems: z.array(z.record(z.string(), z.unknown())) }), ...protectedErrors },
    },
  }, async () => coverage.verifyAll());

  app.get('/api/broadcasts/:id/verify', {
    config: { permission: 'audit:read' },
    schema: {
      tags: ['coverage'], summary: 'Check every stored ack of a broadcast against the signature its receiver made: names any altered or unsigned one',
      params: uuidParams, response: { 200: z.object({ broadcast_id: z.string(), checked: z.number(), bad: z.array(z.object({ receiver_id: z.string(), command_id: z.string(), stage: z.string(), problem: z.string() })) }), ...protectedErrors },
    },
  }, async (req) => coverage.verify(req.params.id));

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
