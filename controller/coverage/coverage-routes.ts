/** Coverage over HTTP: who received, downloaded, started and finished a broadcast, and proof checks of the stored acks. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { protectedErrors, uuidParams } from '../http/schemas.js';
import type { CoverageService, StoreCheckView } from './coverage-service.js';
import { proofReportSchema } from '../proof/proof-routes.js';
import type { ProofReport } from '../proof/verify-proof.js';

/**
 * The last check of the whole acknowledgement store (the reports' one, at most an hour old, made
 * again after anyone else wrote the database): a broadcast's coverage says when it found records
 * altered, so that nobody reads "heard" off a forged row without a warning (outsider, session 19).
 */
export interface StoreCheckSource {
  /** Checks again if the last check is stale; resolves when done (it can take a minute on a big store). */
  fresh(): Promise<void>;
  /** Whether someone wrote the database from outside the controller since the last check. */
  writtenSinceCheck(): boolean;
  latest(): StoreCheckView | null;
  /** The whole store checked now (or the check under way joined), kept as the latest. */
  checkNow(): Promise<ProofReport>;
}

/** How long a coverage request waits for a check under way before answering with the last one. */
const CHECK_WAIT_MS = 2_000;

export const coverageRoutes =
  (coverage: CoverageService, storeCheck?: StoreCheckSource): FastifyPluginAsyncZod =>
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
      // Through the store check's one home when there is one: what it finds is what coverage then states.
      async () => (storeCheck ? storeCheck.checkNow() : coverage.verifyAll()),
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
            "What is playing now in each hamlet, by its receivers' acks (started, no end reported, within the play window): ad-hoc and urgent broadcasts too, not only the programme; a stopped one while a receiver playing it has not taken the stop (`receivers_stop_unconfirmed`); an emergency (or an item that resumes) while a receiver that went silent mid-play may play it again when its power comes back (`receivers_may_replay`, until `expires_at`)",
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
                      receivers_playing_offline: z.number(),
                      receivers_stop_unconfirmed: z.number(),
                      stop_sent_at: z.string().nullable(),
                      receivers_may_replay: z.number(),
                      expires_at: z.string(),
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
      async (req) => {
        const report = coverage.ofBroadcast(req.params.id);
        if (!storeCheck) return report;
        // A check when the last is an hour old runs in the background. One after an outside write
        // (the database edited with another tool) is waited for, never more than a moment: the
        // urgent desk reads this during an emergency.
        // No check yet (the first after a start is under way): waited for the same moment.
        const outsideWrite = storeCheck.writtenSinceCheck() || storeCheck.latest() === null;
        const checking = storeCheck.fresh().catch(() => {});
        if (outsideWrite) await Promise.race([checking, new Promise((r) => setTimeout(r, CHECK_WAIT_MS).unref())]);
        return { ...report, integrity: coverage.integrityOf(req.params.id, storeCheck.latest()) };
      },
    );
  };
