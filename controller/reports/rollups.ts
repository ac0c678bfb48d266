/**
 * Rollups: per broadcast and hamlet, how many receivers were targeted, reached (started or
 * finished), finished (heard: on their own loudspeakers), only sent it on (a bridge: not confirmed
 * heard), were cut off (stopped by a person or by an emergency: no fault of theirs), and the share
 * of the broadcast they played (heard, never only sent). Computed from the acks with
 * one indexed query per broadcast; kept once the broadcast has settled (an hour after it
 * expired), and dropped again when an ack for it arrives late (store and forward).
 */
import type { Db } from '../db/database.js';
import { STAGE_COLUMNS } from '../coverage/stage-columns.js';
import { firstOfflineSql } from '../coverage/silent-from.js';

export interface Rollup {
  broadcast_id: string;
  hamlet_id: string;
  targeted: number;
  reached: number;
  /** Played to the end on their own loudspeakers: heard. */
  finished: number;
  /** Ended normally but only sent on (evidence 'sent'): not confirmed heard, not in `finished` nor `played`. */
  sent: number;
  played: number;
  /** Receivers that acknowledged it at all (received, refused, played or failed). */
  answered: number;
  /**
   * Failed because a person stopped it (reason 'stopped') or an emergency cut it off ('preempted'),
   * and never finished it: not a fault (a player error, even after a restart, is one).
   */
  cut_off: number;
  /** Receivers whose play has ended either way (finished, failed, refused): nothing more will come from them. */
  ended: number;
}

/** The ack reasons that say a receiver was cut off, not that it failed. */
const CUT_OFF_REASONS = "('stopped', 'preempted')";

/** After this long past expiry, no receiver will start it: its figures only change by a late ack. */
const SETTLE_MS = 3_600_000;

export class Rollups {
  private readonly computeStmt;
  private readonly storedStmt;
  private readonly insertStmt;
  private readonly dropStmt;

  constructor(private readonly db: Db) {
    this.computeStmt = db.prepare<{ id: string; length_ms: number }, Rollup>(
      `SELECT @id AS broadcast_id, t.hamlet_id, COUNT(*) AS targeted,
              SUM(s.started_at IS NOT NULL OR s.finished_at IS NOT NULL) AS reached,
              SUM(s.heard_at IS NOT NULL) AS finished,
              SUM(s.finished_at IS NOT NULL AND s.heard_at IS NULL) AS sent,
              -- A refusal that delivery goes on from (a copy older than the receiver's memory) is no answer.
              SUM(s.received_at IS NOT NULL OR s.started_at IS NOT NULL OR s.finished_at IS NOT NULL
                  OR s.failed_at IS NOT NULL OR s.rejected_at IS NOT NULL) AS answered,
              SUM(s.finished_at IS NULL AND s.failed_at IS NOT NULL AND IFNULL(s.reason, '') IN ${CUT_OFF_REASONS}) AS cut_off,
              SUM(s.finished_at IS NOT NULL OR s.failed_at IS NOT NULL OR s.rejected_at IS NOT NULL) AS ended,
              -- A failure's time counts as played only when a person or an emergency cut the play
              -- off (the receiver said so at once). Any other failure is not known to have sounded
              -- at all: its ack may come minutes later (a bridge's restart), or from a group that
              -- only sent it on, and a share claimed on that would be a guess. So too a play its
              -- own restart cut (a power cut) before the stop came: it fell silent with the power,
              -- not when it took the stop on coming back (an outsider read a whole emergency
              -- "played" after an hour's outage). The cut is no later than the receiver's first
              -- disconnection after it started; with none on record (the controller was dark
              -- too), nothing is claimed.
              SUM(CASE WHEN s.heard_at IS NOT NULL THEN 1.0
                       WHEN s.finished_at IS NOT NULL THEN 0.0
                       WHEN s.started_at IS NOT NULL AND s.failed_at IS NOT NULL AND @length_ms > 0
                         AND IFNULL(s.reason, '') IN ${CUT_OFF_REASONS}
                         THEN MIN(1.0, MAX(0.0, (julianday(CASE WHEN s.restarted_at IS NULL THEN s.failed_at ELSE
                           COALESCE(${firstOfflineSql('s.receiver_id', 's.started_at', 's.restarted_at')}, s.started_at)
                           END) - julianday(s.started_at)) * 86400000.0 / @length_ms))
                       ELSE 0.0 END) AS played
       FROM broadcast_targets t
       LEFT JOIN (SELECT a.receiver_id, ${STAGE_COLUMNS}
                  FROM acks a WHERE a.broadcast_id = @id GROUP BY a.receiver_id) s
         ON s.receiver_id = t.receiver_id
       WHERE t.broadcast_id = @id
       GROUP BY t.hamlet_id`,
    );
    this.storedStmt = db.prepare<[string], Rollup>(
      'SELECT broadcast_id, hamlet_id, targeted, reached, finished, sent, played, answered, cut_off, ended FROM broadcast_rollups WHERE broadcast_id = ?',
    );
    this.insertStmt = db.prepare(
      'INSERT OR REPLACE INTO broadcast_rollups (broadcast_id, hamlet_id, targeted, reached, finished, sent, played, answered, cut_off, ended, computed_at) VALUES (@broadcast_id, @hamlet_id, @targeted, @reached, @finished, @sent, @played, @answered, @cut_off, @ended, @computed_at)',
    );
    this.dropStmt = db.prepare('DELETE FROM broadcast_rollups WHERE broadcast_id = ?');
  }

  /** A broadcast's rollup: stored when settled, computed (and stored if settled) otherwise. */
  of(b: { id: string; expires_at: string; length_ms: number }, now: Date): Rollup[] {
    const stored = this.storedStmt.all(b.id);
    if (stored.length > 0) return stored;
    const rows = this.computeStmt.all({ id: b.id, length_ms: b.length_ms });
    if (Date.parse(b.expires_at) + SETTLE_MS < now.getTime()) {
      const at = now.toISOString();
      this.db.transaction(() => rows.forEach((r) => this.insertStmt.run({ ...r, computed_at: at })))();
    }
    return rows;
  }

  /** Acks arrived for these broadcasts: their stored figures are stale. */
  invalidate(broadcastIds: Iterable<string>): void {
    for (const id of broadcastIds) this.dropStmt.run(id);
  }

  /** Rolls up settled broadcasts that have none yet, a batch at a time (a background job). */
  rollUpSettled(now: Date, limit = 50): number {
    const cutoff = new Date(now.getTime() - SETTLE_MS).toISOString();
    const todo = this.db
      .prepare<[string, number], { id: string; expires_at: string; length_ms: number }>(
        `SELECT b.id, b.expires_at, COALESCE(m.duration_ms, 0) * b.repeat_count AS length_ms FROM broadcasts b LEFT JOIN media m ON m.id = b.media_id
       WHERE b.expires_at < ? AND NOT EXISTS (SELECT 1 FROM broadcast_rollups r WHERE r.broadcast_id = b.id) ORDER BY b.created_at DESC LIMIT ?`,
      )
      .all(cutoff, limit);
    for (const b of todo) this.of(b, now);
    return todo.length;
  }
}
