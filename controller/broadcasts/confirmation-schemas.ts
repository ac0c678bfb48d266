import { z } from 'zod';
import type { PendingConfirmation } from './send-desk.js';
import type { ConfirmationOutcome } from './confirmation-outcomes.js';

export const confirmationSchema = z.object({
  status: z.literal('confirmation_required'),
  confirmation: z.object({
    id: z.string(),
    summary: z.string().describe('Vietnamese: what will be sent, to how many receivers in how many hamlets'),
    summary_en: z.string(),
    requires_second_person: z.boolean(),
    expires_at: z.string(),
    confirm_url: z.string(),
    where: z.object({
      hamlets: z.array(
        z.object({
          hamlet_id: z.string(),
          name: z.string(),
          receivers: z.number(),
          offline: z
            .array(z.string())
            .describe('Receivers not connected now (by name): they play it if they come back in time'),
          never_connected: z.array(z.string()).describe('Enrolled receivers never heard from (by name)'),
          not_enrolled: z
            .array(z.string())
            .describe('Registered receivers not enrolled yet (by name): they cannot play it'),
        }),
      ),
      without_receivers: z
        .array(z.string())
        .describe('Hamlets asked for that have no receiver: nothing will sound there'),
      broker_down_since: z
        .string()
        .nullable()
        .optional()
        .describe(
          'Set when the controller had no MQTT broker as this was asked for (since then): no receiver gets it until the link is back, when it goes out if not expired; receivers are "connected" by their last known state',
        ),
    }),
    similar: z
      .object({
        waiting: z.array(z.string()).describe('Confirmations of the same announcement still waiting (their ids)'),
        sent_at: z.string().nullable().describe('When the same announcement was last sent, within 15 minutes'),
      })
      .describe('The same audio, level and hamlets asked for already: say so before it is sent twice'),
    /** The audio to listen to before confirming (a file or synthesized text); null for a live microphone. */
    listen_url: z.string().nullable(),
  }),
});

export const confirmationView = (p: PendingConfirmation) => ({
  status: 'confirmation_required' as const,
  confirmation: {
    id: p.id,
    summary: p.summary,
    summary_en: p.summary_en,
    requires_second_person: p.requires_second_person,
    expires_at: p.expires_at,
    confirm_url: `/api/broadcasts/confirmations/${p.id}/confirm`,
    where: p.where,
    similar: p.similar,
    listen_url: 'media_id' in p.request && p.request.media_id ? `/api/media/${p.request.media_id}/audio` : null,
  },
});

/** One confirmation waiting on the urgent desk: what it is, who asked, where it came from. */
export const waitingSchema = confirmationSchema.shape.confirmation.extend({
  priority: z.string(),
  source: z.string().describe('manual, bulletin, correction, schedule or cap'),
  requested_by: z.string(),
  requested_by_name: z.string().describe('Who asked, by name'),
  yours: z.boolean().describe('Asked by you (any of your sessions or tokens: one person)'),
  you_may_confirm: z
    .boolean()
    .describe('false when it needs a second person and you asked for it: another leader must confirm it'),
  cap_key: z.string().nullable().describe('For a CAP alert: sender|identifier (see GET /api/cap/alerts)'),
  schedule_id: z.string().nullable(),
  hamlet_ids: z.array(z.string()).describe('Where it will sound'),
  whole_commune: z.boolean().describe('Asked for the whole commune (every hamlet with receivers)'),
  drill: z.boolean().describe('A drill (said as one everywhere it plays)'),
  cap: z
    .object({ sender: z.string(), headline: z.string().nullable() })
    .nullable()
    .describe('For a CAP alert: who sent it and what it says'),
  title: z
    .string()
    .nullable()
    .describe("The audio's title (for spoken text, its opening words): what will be said, to read before confirming"),
});

/** `callerKey`: the reader (safety-gate.ts's person key), so that each desk is told which requests are its own. */
export const waitingView = (
  p: PendingConfirmation,
  callerKey: string,
  nameOf: (username: string) => string = (u) => u,
  titleOf: (mediaId: string) => string | null = () => null,
) => ({
  ...confirmationView(p).confirmation,
  priority: p.request.priority,
  source: p.context.source,
  requested_by: p.requested_by,
  requested_by_name: nameOf(p.requested_by),
  yours: p.requester_key === callerKey,
  you_may_confirm: !(p.requires_second_person && p.requester_key === callerKey),
  cap_key: p.context.cap_key ?? null,
  schedule_id: p.context.schedule_id ?? null,
  hamlet_ids: p.hamlet_ids,
  whole_commune: p.request.target.all === true,
  drill: Boolean(p.request.drill),
  cap: p.context.cap ?? null,
  title: 'media_id' in p.request && p.request.media_id ? titleOf(p.request.media_id) : null,
});

/** Where one confirmation stands, for the desk that asked for it (GET /api/broadcasts/confirmations/:id). */
export const confirmationStateSchema = z.object({
  id: z.string(),
  state: z
    .enum(['waiting', 'confirming', 'confirmed', 'withdrawn', 'lapsed', 'dropped'])
    .describe(
      'waiting; confirming (confirmed, being carried out); or what became of it: confirmed, withdrawn, lapsed; dropped: it still waited when the controller stopped, and nothing was sent (at: the restart)',
    ),
  expires_at: z.string().nullable().describe('While it waits: when it lapses'),
  at: z.string().nullable().describe('When it was confirmed, withdrawn or lapsed (null while it waits)'),
  by: z.string().nullable().describe('Who confirmed or withdrew it'),
  by_name: z.string().nullable().describe('The same, by name'),
  by_you: z.boolean().describe('Confirmed or withdrawn by you (the reader; any of your sessions or tokens)'),
  broadcast_id: z.string().nullable().describe('Confirmed: the broadcast sent'),
  schedule_id: z.string().nullable().describe('Confirmed: the schedule switched on'),
});

export const confirmationStateView = (
  id: string,
  waiting: PendingConfirmation | undefined,
  outcome: ConfirmationOutcome | undefined,
  callerKey: string,
  nameOf: (username: string) => string = (u) => u,
): z.infer<typeof confirmationStateSchema> | undefined => {
  const none = { at: null, by: null, by_name: null, by_you: false, broadcast_id: null, schedule_id: null };
  if (waiting) return { id, state: 'waiting', expires_at: waiting.expires_at, ...none };
  if (!outcome) return undefined;
  const by = 'by' in outcome ? outcome.by : null;
  return {
    id,
    state: outcome.outcome,
    expires_at: null,
    at: outcome.at,
    by,
    by_name: by === null ? null : nameOf(by),
    by_you: 'by_key' in outcome && outcome.by_key === callerKey,
    broadcast_id: outcome.outcome === 'confirmed' ? outcome.broadcast_id : null,
    schedule_id: outcome.outcome === 'confirmed' ? outcome.schedule_id : null,
  };
};
