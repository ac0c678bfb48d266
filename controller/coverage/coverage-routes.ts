/** Coverage over HTTP: who received, downloaded, started and finished a broadcast, and proof checks of the stored acks. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { protectedErrors, uuidParams } from '../http/schemas.js';
import type { CoverageService } from './coverage-service.js';
import { proofReportSchema } from '../proof/proof-routes.js';

export const coverageRoutes =
  (coverage: CoverageService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/coverage/verify',
      {
        config: { permission: 'audit:read' },
        schema: {
          tags: ['coverage'],
          summary:
            "Check the whole proof on this box: both logs (acks, audit), receivers' signatures, the signed heads, the key histories and the append-only triggers; names every problem found",
          response: { 200: proofReportSchema, ...protectedErrors },
        },
      },
      async () => coverage.verifyAll(),
    );

    app.get(
      '/api/broadcasts/:id/verify',
      {
        config: { permission: 'audit:read' },
        schema: {
          tags: ['coverage'],
          summary:
            'Check every stored ack of a broadcast against the signature its receiver made: names any altered or unsigned one',
          params: uuidParams,
          response: {
            200: z.object({
              broadcast_id: z.string(),
              checked: z.number(),
              bad: z.array(
                z.object({ receiver_id: z.string(), command_id: z.string(), stage: z.string(), problem: z.string() }),
              ),
            }),
            ...protectedErrors,
          },
        },
      },
      async (req) => coverage.verify(req.params.id),
    );

    app.get(
      '/api/coverage/now',
      {
        config: { permission: 'coverage:read' },
        schema: {
          tags: ['coverage'],
          summary:
            "What is playing now in each hamlet, by its receivers' acks (started, no end reported, within the play window): ad-hoc and urgent broadcasts too, not only the programme",
          response: {
            200: z.object({
              at: z.string(),
              hamlets: z.array(
                z.object({
                  hamlet_id: z.string(),
                  name: z.string(),
                  playing: z.array(
                    z.object({
                      broadcast_id: z.string(),
                      title: z.string().nullable(),
                      priority: z.enum(['normal', 'priority', 'emergency']),
                      drill: z.boolean(),
                      live: z.boolean(),
                      receivers_playing: z.number(),
                      receivers_targeted: z.number(),
                    }),
                  ),
                }),
              ),
            }),
            ...protectedErrors,
          },
        },
      },
      async () => coverage.nowPlaying(),
    );

    app.get(
      '/api/broadcasts/:id/coverage',
      {
        config: { permission: 'coverage:read' },
        schema: {
          tags: ['coverage'],
          summary:
            'Which receivers, in which hamlets, received, downloaded, started and finished a broadcast; which failed and why; which never answered',
          params: uuidParams,
          response: { 200: z.record(z.string(), z.unknown()), ...protectedErrors },
        },
      },
      async (req) => coverage.ofBroadcast(req.params.id),
    );
  };
