/**
 * The as-run log, computed from the stored proof: every broadcast of a period, receiver by
 * receiver (what was scheduled and what each receiver actually did), every occurrence that was
 * missed, and the gaps in receivers' ack numbers.
 */
import { actorNameSql } from '../accounts/actor-names.js';
import { SilentFrom } from '../coverage/silent-from.js';
import type { Db } from '../db/database.js';
import { cutByRestart, PLAY_WINDOW_COLUMNS, STAGE_COLUMNS, type ReceiverStages } from '../coverage/stage-columns.js';
import { outcomeOf } from '../coverage/outcome.js';
import { StopConfirmations, stopAllsBetween, stoppedFor, withStop } from '../coverage/stop-alls.js';
import type { AckEvidence } from '../protocol/messages.js';
import type { Period } from './report-period.js';

export interface AsRunRow {
  broadcast_id: string;
  occurrence_id: string | null;
  schedule: string | null;
  source: string;
  priority: string;
  drill: boolean;
  category: string | null;
  operator: string;
  confirmed_by: string | null;
  scheduled_start: string | null;
  issued_at: string;
  hamlet_id: string;
  receiver_id: string;
  /** Names as people know them (the as-run log people read): what was broadcast, where. */
  title: string | null;
  hamlet: string;
  receiver: string;
  /** The operator's and the confirmer's display names, when they are people with accounts. */
  operator_name: string | null;
  confirmed_by_name: string | null;
  received_at: string | null;
  started_at: string | null;
  ended_at: string | null;
  /** 'sent': only sent on, not confirmed heard (a bridge); 'unfinished': started, no end reported. */
  outcome: string;
  reason: string | null;
  /** Without a final word (waiting, unanswered, holding or playing it), and a person's stop went out to it that it has not taken: when the stop was sent. */
  stop_sent_at: string | null;
  /** The free text of its final ack: what a bridge could confirm, or why it failed. */
  detail: string | null;
  /** When it said its own restart (a power cut) cut the item off mid-play; what followed is its outcome. */
  restarted_at: string | null;
  /** Its restart's words are its last: nothing sounded after it (stage-columns.ts, cutByRestart). */
  cut_by_restart: boolean;
  /**
   * When its restart's words are its last (nothing sounded after it: not played again, or stopped
   * before it did): when it fell silent, as far as the controller knows, its first disconnection
   * after it started; null otherwise, or with none on record. `ended_at` is when it said so, on
   * its return (an outsider's as-run log had a dark receiver "playing" until its power came back).
   */
  silent_from: string | null;
  /** For a finished play, what its ack vouched for: 'played' (a loudspeaker) or 'sent' (only sent on); else null. */
  evidence: AckEvidence | null;
}

/** A receiver's stages of one broadcast (the coverage's columns), with the broadcast's facts. */
interface PairRow extends Omit<ReceiverStages, 'name' | 'detail'> {
  name: string;
  detail: string | null;
  broadcast_id: string;
  occurrence_id: string | null;
  schedule_name: string | null;
  schedule_owner: string | null;
  source: string;
  priority: string;
  drill: number;
  category: string | null;
  created_by: string;
  confirmed_by: string | null;
  created_at: string;
  play_at: string | null;
  stopped_at: string | null;
  scheduled_start: string | null;
  expires_at: string;
  duration_ms: number | null;
  repeat_count: number;
  repeat_interval_s: number | null;
  hamlet_id: string;
  hamlet_name: string | null;
  operator_name: string | null;
  confirmer_name: string | null;
  title: string | null;
}

/** A scheduled occurrence that never went out. */
export interface MissedOccurrence {
  occurrence_id: string;
  schedule: string;
  scheduled_start: string;
  reason: string | null;
}

/** Acks a receiver numbered but that are not stored here: `missing` of them, `from_seq` to `to_seq`. */
export interface AckGap {
  receiver_id: string;
  from_seq: number;
  to_seq: number;
  missing: number;
}

function pairs(db: Db, from: string, to: string): PairRow[] {
  return db
    .prepare<[string, string], PairRow>(
      `SELECT b.id AS broadcast_id, b.occurrence_id, s.name AS schedule_name, s.created_by AS schedule_owner, b.source, b.priority, b.drill, b.category,
              b.created_by, b.confirmed_by, b.created_at, b.play_at, b.stopped_at, o.starts_at AS scheduled_start, ${PLAY_WINDOW_COLUMNS},
              t.hamlet_id, t.receiver_id, r.name, r.status AS presence, h.name AS hamlet_name,
              COALESCE((SELECT bu.title FROM bulletins bu WHERE bu.media_id = b.media_id LIMIT 1), m.title) AS title, ${actorNameSql('COALESCE(s.created_by, b.created_by)')} AS operator_name, ${actorNameSql('b.confirmed_by')} AS confirmer_name, ${STAGE_COLUMNS}
       FROM broadcasts b
       JOIN broadcast_targets t ON t.broadcast_id = b.id
       JOIN receivers r ON r.id = t.receiver_id
       LEFT JOIN hamlets h ON h.id = t.hamlet_id
       LEFT JOIN media m ON m.id = b.media_id
       LEFT JOIN occurrences o ON o.id = b.occurrence_id
       LEFT JOIN schedules s ON s.id = o.schedule_id
       LEFT JOIN acks a ON a.broadcast_id = b.id AND a.receiver_id = t.receiver_id
       WHERE COALESCE(b.play_at, b.created_at) >= ? AND COALESCE(b.play_at, b.created_at) < ?
       GROUP BY b.id, t.receiver_id
       ORDER BY COALESCE(b.play_at, b.created_at), h.rowid, t.receiver_id`,
    )
    .all(from, to);
}

/** Every broadcast of the period up to `now`, receiver by receiver, and every occurrence that was missed. */
export function asRunLog(
  db: Db,
  period: Period,
  now: Date,
): { period: Period; rows: AsRunRow[]; missed: MissedOccurrence[] } {
  // What was to play after now has not played: it is not in the log yet.
  const until = new Date(Math.min(Date.parse(period.to), now.getTime())).toISOString();
  // A person's stop ends the wait of those not yet answered, as coverage says it (stop-alls.ts).
  const stops = stopAllsBetween(db, period.from, now.toISOString());
  const confirmations = new StopConfirmations(db);
  const silentFrom = new SilentFrom(db);
  const rows = pairs(db, period.from, until).map((row): AsRunRow => {
    const {
      outcome,
      stages: p,
      stop_sent_at,
    } = withStop(outcomeOf(row, row, now), row, stoppedFor(stops, row, row.hamlet_id), () =>
      confirmations.took(row.receiver_id, { ...row, id: row.broadcast_id }, row.hamlet_id, stops),
    );
    return {
      broadcast_id: p.broadcast_id,
      occurrence_id: p.occurrence_id,
      schedule: p.schedule_name,
      source: p.source,
      priority: p.priority,
      drill: p.drill === 1,
      category: p.category,
      operator: p.schedule_owner ?? p.created_by,
      confirmed_by: p.confirmed_by,
      scheduled_start: p.scheduled_start ?? p.play_at,
      issued_at: p.created_at,
      hamlet_id: p.hamlet_id,
      receiver_id: p.receiver_id,
      title: p.title,
      hamlet: p.hamlet_name ?? p.hamlet_id,
      receiver: p.name,
      operator_name: p.operator_name,
      confirmed_by_name: p.confirmer_name,
      received_at: p.received_at,
      started_at: p.started_at,
      ended_at: p.finished_at ?? p.failed_at,
      // As coverage says it: a receiver that started and never said it ended is unfinished once its
      // play window is over, or once it is not connected and the item would have ended.
      outcome,
      reason: p.reason,
      stop_sent_at,
      detail: p.detail,
      restarted_at: p.restarted_at ?? null,
      cut_by_restart: cutByRestart(p),
      silent_from: silentFrom.of(p),
      evidence: p.heard_at ? 'played' : p.finished_at ? 'sent' : null,
    };
  });
  const missed = db
    .prepare<[string, string], MissedOccurrence>(
      `SELECT o.id AS occurrence_id, s.name AS schedule, o.starts_at AS scheduled_start, o.reason FROM occurrences o JOIN schedules s ON s.id = o.schedule_id
       WHERE o.status = 'missed' AND o.starts_at >= ? AND o.starts_at < ? ORDER BY o.starts_at`,
    )
    .all(period.from, period.to);
  return { period, rows, missed };
}

/**
 * Gaps in receivers' ack numbers (each receiver numbers its acks 0, 1, 2, …): acks made but not
 * stored here. A receiver re-sends unreceipted acks by itself; a gap that stays is an ack lost.
 */
export function ackGaps(db: Db): AckGap[] {
  return db
    .prepare<[], AckGap>(
      `SELECT receiver_id, prev + 1 AS from_seq, seq - 1 AS to_seq, seq - prev - 1 AS missing
       FROM (SELECT receiver_id, seq, LAG(seq, 1, -1) OVER (PARTITION BY receiver_id ORDER BY seq) AS prev FROM (SELECT DISTINCT receiver_id, seq FROM acks))
       WHERE seq - prev > 1 ORDER BY receiver_id, from_seq`,
    )
    .all();
}
