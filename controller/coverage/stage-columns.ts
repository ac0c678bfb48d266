/**
 * The SQL columns of each receiver's first time at each stage of a broadcast, from the acks
 * table aliased "a": the one definition coverage, rollups and reports read acks through.
 * `finished_at`: it ended normally; `heard_at`: it ended normally on a loudspeaker of the
 * receiver's own (an ack without `evidence`, or 'played'), the only finish that counts as heard.
 * A receiver that only sent it on (a bridge: evidence 'sent') has `finished_at` and no `heard_at`.
 * `detail`: the free text of its final ack (finished, else failed).
 */
import { sqlList } from '../db/database.js';
import { CUT_BY_RESTART, RETRIED_REJECTIONS } from '../protocol/messages.js';

/** Refusals that are no answer (a forged copy, a receiver's memory): delivery goes on, so they are not final. */
const retried = sqlList(RETRIED_REJECTIONS);

/**
 * An ack of the broadcast's play, not of its stop: a stop is acked `received` or `rejected` with the
 * broadcast's id too, and a receiver that took the stop but never the play (a re-enrolled one
 * refuses the old play, and no fresh copy of a stopped broadcast is made) read "received, holding
 * it" (session 38). The few stops of broadcasts are read once per query, through their own index
 * (migration 17), not per ack.
 */
const PLAY_ACK = `a.command_id NOT IN (SELECT id FROM commands INDEXED BY commands_broadcast_stops WHERE type = 'stop' AND broadcast_id IS NOT NULL)`;

export const STAGE_COLUMNS = `
  MIN(CASE WHEN a.stage = 'received' AND ${PLAY_ACK} THEN a.at END) AS received_at,
  MIN(CASE WHEN a.stage = 'downloaded' THEN a.at END) AS downloaded_at,
  MIN(CASE WHEN a.stage = 'started'    THEN a.at END) AS started_at,
  MIN(CASE WHEN a.stage = 'finished'   THEN a.at END) AS finished_at,
  MIN(CASE WHEN a.stage = 'finished' AND COALESCE(a.evidence, 'played') = 'played' THEN a.at END) AS heard_at,
  MIN(CASE WHEN a.stage = 'failed'     THEN a.at END) AS failed_at,
  MIN(CASE WHEN a.stage = 'rejected' AND a.reason NOT IN ${retried} AND ${PLAY_ACK} THEN a.at END) AS rejected_at,
  MAX(CASE WHEN a.stage = 'failed' OR (a.stage = 'rejected' AND a.reason NOT IN ${retried} AND ${PLAY_ACK}) THEN a.reason END) AS reason,
  MAX(CASE WHEN a.stage = 'rejected' AND a.reason IN ${retried} AND ${PLAY_ACK} THEN a.reason END) AS retried_reason,
  MAX(CASE WHEN a.stage IN ('interrupted', 'failed') AND a.reason IN ('player_error', 'stopped')
        AND a.detail LIKE '${CUT_BY_RESTART}%' THEN a.at END) AS restarted_at,
  COALESCE(MAX(CASE WHEN a.stage = 'finished' THEN a.detail END), MAX(CASE WHEN a.stage = 'failed' THEN a.detail END)) AS detail`;

/** When a receiver first reached each stage of a broadcast (these columns), and why it failed. */
export interface ReceiverStages {
  receiver_id: string;
  hamlet_id: string;
  name: string | null;
  /** Whether it is connected now (online, offline, unknown): an unanswered receiver that is offline is said so. */
  presence?: string | null;
  received_at: string | null;
  downloaded_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  /** Finished on its own loudspeaker (not only sent on, as a bridge does): see STAGE_COLUMNS. */
  heard_at: string | null;
  failed_at: string | null;
  rejected_at: string | null;
  reason: string | null;
  /** A refusal that does not end delivery (RETRIED_REJECTIONS): the command is being sent again. */
  retried_reason: string | null;
  /**
   * When the receiver last said its own restart (a power cut, a crash) cut the item off mid-play
   * (`interrupted` to play it again, or `failed`; reason `player_error`, or `stopped` when a stop came
   * while it was down and its window ended meanwhile; detail CUT_BY_RESTART):
   * what it played before that was not heard whole.
   */
  restarted_at?: string | null;
  /**
   * The free text of its final ack (finished, else failed): a bridge says there what it could
   * confirm ("rtp: sent to 2 addresses", "stream: fetched by 1 device"), a receiver why it failed.
   */
  detail?: string | null;
}

/**
 * Whether the receiver's restart (a power cut) has the last word on the item: it said the restart
 * cut the item off, and nothing after (it did not play it again, or was stopped before it did).
 * The one reading of it: coverage and the as-run log carry it as `cut_by_restart`, and their
 * words (console, exports) and `silent_from` read that, not each a comparison of their own.
 */
export function cutByRestart(s: Pick<ReceiverStages, 'restarted_at' | 'finished_at' | 'failed_at'>): boolean {
  return !!s.restarted_at && s.restarted_at === (s.finished_at ?? s.failed_at);
}

/**
 * A broadcast's play window from broadcasts "b" and its media "m": the pause between repeats is
 * read from its play command (signed as sent), the broadcasts table does not keep it.
 */
export const PLAY_WINDOW_COLUMNS = `
  b.expires_at, m.duration_ms, b.repeat_count,
  (SELECT json_extract(c.payload, '$.repeat_interval_s') FROM commands c
   WHERE c.broadcast_id = b.id AND c.type = 'play' LIMIT 1) AS repeat_interval_s`;

/** What bounds a broadcast's playing: the latest a receiver may start it, and how long it sounds. */
export interface PlayWindow {
  expires_at: string;
  /** The audio's length; null for a live stream (it lasts as long as its source). */
  duration_ms: number | null;
  repeat_count: number;
  /** The pause between repeats, as its play command said it. */
  repeat_interval_s?: number | null;
}
