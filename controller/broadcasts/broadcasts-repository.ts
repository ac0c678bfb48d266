import { STAGE_COLUMNS } from '../coverage/stage-columns.js';
import { hamletStopsOf, stopAllsBetween, type HamletStop } from '../coverage/stop-alls.js';
import type { Db } from '../db/database.js';
import {
  BROADCAST_TITLE,
  type Broadcast,
  type BroadcastsReadModel,
  type BroadcastTarget,
} from './broadcasts-read-model.js';

export type { Broadcast, BroadcastTarget } from './broadcasts-read-model.js';

export class BroadcastsRepository implements BroadcastsReadModel {
  private readonly insertTargetStmt;

  constructor(private readonly db: Db) {
    this.insertTargetStmt = db.prepare(
      'INSERT INTO broadcast_targets (broadcast_id, receiver_id, hamlet_id) VALUES (@broadcast_id, @receiver_id, @hamlet_id)',
    );
  }

  insert(b: Broadcast): void {
    this.db
      .prepare(
        `INSERT INTO broadcasts (id, media_id, live_id, priority, volume_pct, target_json, source, created_by, created_at, play_at, expires_at, drill, repeat_count, stopped_at, confirmed_by, occurrence_id, category)
         VALUES (@id, @media_id, @live_id, @priority, @volume_pct, @target_json, @source, @created_by, @created_at, @play_at, @expires_at, @drill, @repeat_count, @stopped_at, @confirmed_by, @occurrence_id, @category)`,
      )
      .run({ ...b, occurrence_id: b.occurrence_id ?? null, category: b.category ?? null });
  }

  /** The receivers a broadcast is meant for; call inside a transaction (thousands of rows, one commit). */
  insertTargets(targets: BroadcastTarget[]): void {
    for (const t of targets) this.insertTargetStmt.run(t);
  }

  /** Broadcasts stored without their target rows (a controller stopped between the two commits): rebuilt at start. */
  withoutTargets(): Pick<Broadcast, 'id' | 'target_json'>[] {
    return this.db
      .prepare<[], Pick<Broadcast, 'id' | 'target_json'>>(
        'SELECT b.id, b.target_json FROM broadcasts b WHERE NOT EXISTS (SELECT 1 FROM broadcast_targets t WHERE t.broadcast_id = b.id) ORDER BY b.created_at',
      )
      .all();
  }

  setCategory(id: string, category: string): void {
    this.db.prepare('UPDATE broadcasts SET category = ? WHERE id = ?').run(category, id);
  }

  get(id: string): Broadcast | undefined {
    return this.db.prepare<[string], Broadcast>('SELECT * FROM broadcasts WHERE id = ?').get(id);
  }

  list(limit: number): Broadcast[] {
    return this.db
      .prepare<[number], Broadcast>(
        `SELECT b.*, ${BROADCAST_TITLE} AS title
       FROM broadcasts b LEFT JOIN media m ON m.id = b.media_id ORDER BY b.created_at DESC LIMIT ?`,
      )
      .all(limit);
  }

  /** Marks a broadcast cancelled; false when it already was (a cancel is never sent twice). */
  markCancelled(id: string, at: string): boolean {
    return (
      this.db.prepare('UPDATE broadcasts SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL').run(at, id)
        .changes > 0
    );
  }

  /** The stops of its hamlets that silence it (stop-alls.ts). */
  hamletStops(b: Broadcast): { hamlets: HamletStop[]; all_at: string | null } {
    const targets = this.targetsOf(b.id);
    // Receivers that ended it on their own (finished, failed or refused it, not for a stop): a stop
    // silenced nothing there, whenever their end was stored (an ack can come late).
    const ended = new Set(
      this.db
        .prepare<[string], { receiver_id: string }>(
          `SELECT DISTINCT receiver_id FROM acks WHERE broadcast_id = ?
           AND stage IN ('finished', 'failed', 'rejected') AND (reason IS NULL OR reason != 'stopped')`,
        )
        .all(b.id)
        .map((r) => r.receiver_id),
    );
    const endedBy = (hamletId: string) =>
      targets.filter((t) => t.hamlet_id === hamletId).every((t) => ended.has(t.receiver_id));
    const hamlets = [...new Set(targets.map((t) => t.hamlet_id))];
    return hamletStopsOf(stopAllsBetween(this.db, b.created_at, b.expires_at), b, hamlets, endedBy);
  }

  markStopped(id: string, at: string): void {
    this.db.prepare('UPDATE broadcasts SET stopped_at = ? WHERE id = ? AND stopped_at IS NULL').run(at, id);
  }

  /**
   * Ordinary (not emergency) broadcasts that may be sounding at `now`: started, not stopped, and
   * either a live stream or within their window or their length (repeats included).
   */
  mayBeSounding(now: string): { id: string; live_id: string | null }[] {
    return this.db
      .prepare<[string, string, string, string], { id: string; live_id: string | null }>(
        `
      SELECT b.id, b.live_id FROM broadcasts b LEFT JOIN media m ON m.id = b.media_id
      WHERE b.priority != 'emergency' AND b.stopped_at IS NULL AND b.created_at > ?
        AND coalesce(b.play_at, b.created_at) <= ?
        AND (b.live_id IS NOT NULL OR b.expires_at > ?
             OR strftime('%Y-%m-%dT%H:%M:%fZ', coalesce(b.play_at, b.created_at), '+' || (coalesce(m.duration_ms, 0) * b.repeat_count / 1000.0) || ' seconds') > ?)`,
      )
      .all(new Date(Date.parse(now) - 2 * 86_400_000).toISOString(), now, now, now);
  }

  /**
   * The hamlets where a broadcast may still sound: those with a targeted receiver that has no
   * final outcome yet (finished, failed, or a refusal that ends delivery, as STAGE_COLUMNS reads
   * acks). A hamlet whose receivers all ended is done there, whatever its window says.
   */
  unendedHamletsOf(broadcastId: string): string[] {
    return this.db
      .prepare<[string], { hamlet_id: string }>(
        `SELECT DISTINCT s.hamlet_id FROM (
           SELECT t.hamlet_id, ${STAGE_COLUMNS}
           FROM broadcast_targets t
           LEFT JOIN acks a ON a.broadcast_id = t.broadcast_id AND a.receiver_id = t.receiver_id
           WHERE t.broadcast_id = ?
           GROUP BY t.receiver_id, t.hamlet_id) s
         WHERE s.finished_at IS NULL AND s.failed_at IS NULL AND s.rejected_at IS NULL`,
      )
      .all(broadcastId)
      .map((r) => r.hamlet_id);
  }

  targetsOf(broadcastId: string): BroadcastTarget[] {
    return this.db
      .prepare<[string], BroadcastTarget>('SELECT * FROM broadcast_targets WHERE broadcast_id = ?')
      .all(broadcastId);
  }
}
