/**
 * Reading the confirmations over HTTP: what waits for a person's confirmation (the urgent desk's
 * waiting list), and where one stands (the desk that asked follows it until the controller says
 * what became of it). Confirming and withdrawing are in broadcasts-routes.ts.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { callerOf } from '../http/auth.js';
import { protectedErrors, uuidParams } from '../http/schemas.js';
import { DomainError } from '../shared/domain-error.js';
import type { BroadcastsService } from './broadcasts-service.js';
import { confirmationStateSchema, confirmationStateView, waitingSchema, waitingView } from './confirmation-schemas.js';
import type { SendDesk } from './send-desk.js';
import { similarRequests } from './similar-requests.js';

export interface ConfirmationRoutesDeps {
  broadcasts: BroadcastsService;
  sendDesk: SendDesk;
  /** A person's name as people know them (who asked, who confirmed or withdrew). */
  nameOf: (username: string) => string;
  /** An audio's title (spoken text: its opening words), for the waiting list to say what will be said. */
  titleOf?: (mediaId: string) => string | null;
  /** The controller's clock: what "just sent" is measured against. */
  clock: Clock;
}

const tags = ['broadcasts'];

export const confirmationRoutes =
  ({ broadcasts, sendDesk, nameOf, titleOf, clock }: ConfirmationRoutesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/broadcasts/confirmations',
      {
        config: { permission: 'broadcasts:read' },
        schema: {
          tags,
          summary:
            "What waits for a person's confirmation now (emergencies, whole-commune items, CAP alerts from senders not trusted), soonest to lapse first",
          response: { 200: z.array(waitingSchema), ...protectedErrors },
        },
      },
      async (req) => {
        const callerKey = callerOf(req).key;
        const waiting = sendDesk.pendingList();
        const recent = broadcasts.list(50);
        const now = clock.now();
        // Read now, not when each was asked: a twin confirmed since is "just sent" (a reviewer's case).
        const similarNow = (p: (typeof waiting)[number]) =>
          similarRequests(
            p,
            waiting.filter((o) => o.id !== p.id),
            recent,
            (x) => sendDesk.hamletsOf(x),
            now,
          );
        return waiting.map((p) => ({ ...waitingView(p, callerKey, nameOf, titleOf), similar: similarNow(p) }));
      },
    );

    app.get(
      '/api/broadcasts/confirmations/:id',
      {
        config: { permission: 'broadcasts:read' },
        schema: {
          tags,
          summary:
            'Where one confirmation stands: waiting, confirming, or what became of it (confirmed with the broadcast sent, withdrawn, lapsed, dropped; after a controller restart read back from the audit log); 404 for an id never asked',
          params: uuidParams,
          response: { 200: confirmationStateSchema, ...protectedErrors },
        },
      },
      async (req) => {
        const id = req.params.id.toLowerCase(); // ids are made lower-case; a UUID may be written either way
        const waiting = sendDesk.pendingConfirmation(id);
        const state = confirmationStateView(id, waiting, sendDesk.outcomeOf(id), callerOf(req).key, nameOf);
        if (!state) throw new DomainError('not_found', 'confirmation_unknown');
        return state;
      },
    );
  };
