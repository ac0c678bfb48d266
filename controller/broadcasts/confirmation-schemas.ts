import { z } from 'zod';
import type { PendingConfirmation } from './send-desk.js';

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
    }),
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
    listen_url: 'media_id' in p.request && p.request.media_id ? `/api/media/${p.request.media_id}/audio` : null,
  },
});

/** One confirmation waiting on the urgent desk: what it is, who asked, where it came from. */
export const waitingSchema = confirmationSchema.shape.confirmation.extend({
  priority: z.string(),
  source: z.string().describe('manual, bulletin, correction, schedule or cap'),
  requested_by: z.string(),
  requested_by_name: z.string().describe('Who asked, by name'),
  cap_key: z.string().nullable().describe('For a CAP alert: sender|identifier (see GET /api/cap/alerts)'),
  schedule_id: z.string().nullable(),
  hamlet_ids: z.array(z.string()).describe('Where it will sound'),
  cap: z
    .object({ sender: z.string(), headline: z.string().nullable() })
    .nullable()
    .describe('For a CAP alert: who sent it and what it says'),
  title: z
    .string()
    .nullable()
    .describe("The audio's title (for spoken text, its opening words): what will be said, to read before confirming"),
});

export const waitingView = (
  p: PendingConfirmation,
  nameOf: (username: string) => string = (u) => u,
  titleOf: (mediaId: string) => string | null = () => null,
) => ({
  ...confirmationView(p).confirmation,
  priority: p.request.priority,
  source: p.context.source,
  requested_by: p.requested_by,
  requested_by_name: nameOf(p.requested_by),
  cap_key: p.context.cap_key ?? null,
  schedule_id: p.context.schedule_id ?? null,
  hamlet_ids: p.hamlet_ids,
  cap: p.context.cap ?? null,
  title: 'media_id' in p.request && p.request.media_id ? titleOf(p.request.media_id) : null,
});
