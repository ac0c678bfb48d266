/**
 * The period report's JSON as the API documents it (GET /api/reports/period). Loose objects: the
 * fields named here are described (what a reader most often mistakes: on air, heard, only sent,
 * stopped), any other the report carries passes as it is. The same figures go to the province
 * (UPWARD.md).
 */
import { z } from 'zod';
import { rowOf } from '../http/schemas.js';
import { NOT_REACHED_REASONS } from './period-report.js';

const count = (what: string) => z.number().int().describe(what);

const minutes = {
  broadcasts: count('Broadcasts at least one receiver played, or sent, to the end'),
  minutes: z.number().describe('Minutes on air: minutes_heard + minutes_sent_only (tenths)'),
  minutes_heard: z
    .number()
    .describe('Minutes of broadcasts a receiver played to the end on its own loudspeaker somewhere (tenths)'),
  minutes_sent_only: z
    .number()
    .describe(
      "Minutes of broadcasts only sent on (a bridge's RTP group, stream mount or FM transmitter) and heard nowhere: never counted as heard (tenths)",
    ),
};
const byKey = z.record(z.string(), rowOf(minutes));

/** Why a hamlet did not hear a broadcast: how many broadcasts, by reason. */
const notReached = rowOf({
  sent: count('Its receivers only sent it on (a bridge): nobody confirmed it was heard'),
  no_receiver: count('The hamlet has no enrolled receiver'),
  offline: count('None of its receivers answered'),
  stopped: count(
    'Its receivers were stopped by a person (ack reason stopped) or cut off by an emergency (preempted): not a fault',
  ),
  failed: count('Its receivers answered but did not play it through, for another reason (a fault)'),
  waiting: count('Still within its window: it may yet play'),
});

export const periodReportSchema = rowOf({
  period: rowOf({ from: z.string(), to: z.string(), timezone: z.string(), label: z.string() }),
  generated_at: z.string(),
  totals: rowOf({
    ...minutes,
    not_aired: count('Issued, not stopped, its window over, and played through by no receiver'),
    under_way: count('Not played through yet, not stopped, and still within its window'),
    stopped: count('Stopped or cancelled by a person (stopped_at) before any receiver played it through'),
    drills: count('Drills: never counted'),
    receivers_targeted: count('Receiver plays given'),
    receivers_finished: count('Receiver plays heard: played to the end on their own loudspeakers'),
    receivers_sent: count('Receiver plays only sent on (a bridge): not confirmed heard'),
    households_reached_per_broadcast: count('Households reached (heard) per broadcast on air, on average'),
    households_total: count('Households of the commune'),
  }),
  by_category: byKey,
  by_priority: byKey,
  by_source: byKey,
  weeks: z.array(rowOf({ week: z.string(), status: z.string(), missing: z.array(z.string()) })),
  hamlets: z.array(
    rowOf({
      hamlet_id: z.string(),
      broadcasts: count('Broadcasts addressed to it'),
      reached: count('Broadcasts heard there: a receiver of it played to the end on its loudspeaker'),
      not_reached: notReached,
      share_played: z.number().nullable().describe('The average share of each broadcast its receivers played (%)'),
    }),
  ),
  receivers: z.array(rowOf({ receiver_id: z.string(), uptime_pct: z.number().nullable() })),
  urgent: z.array(
    rowOf({
      broadcast_id: z.string(),
      hamlets_not_reached: z.array(
        rowOf({
          hamlet_id: z.string(),
          name: z.string(),
          reason: z.enum(NOT_REACHED_REASONS).describe('As in not_reached'),
        }),
      ),
    }),
  ),
  integrity: rowOf({ ok: z.boolean().nullable() }),
});
