/**
 * When a receiver whose own restart (a power cut) cut an item fell silent, as far as the
 * controller knows: its first disconnection after it started the item, up to the restart's report.
 * Only when the restart's words are its last (nothing sounded after: not played again, or stopped
 * before it did); null otherwise, or with no disconnection on record (the controller was dark too).
 * Its report comes when it is back, maybe hours later: that is not when the hamlet fell silent (an
 * outsider's as-run log had a dark receiver "playing" until its power came back). The period
 * report's share played bounds a cut play by the same first disconnection (firstOfflineSql, in reports/rollups.ts).
 */
import type { Db } from '../db/database.js';
import { cutByRestart, type ReceiverStages } from './stage-columns.js';

/**
 * SQL for a receiver's first disconnection after `from`, up to `to` (the three are SQL
 * expressions): the one definition, read per row here and per broadcast by the rollups.
 */
export const firstOfflineSql = (receiver: string, from: string, to: string) =>
  `(SELECT MIN(e.at) FROM receiver_events e WHERE e.receiver_id = ${receiver} AND e.state = 'offline' AND e.at > ${from} AND e.at <= ${to})`;

type Stages = Pick<ReceiverStages, 'receiver_id' | 'started_at' | 'finished_at' | 'failed_at' | 'restarted_at'>;

export class SilentFrom {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = db.prepare<[string, string, string], { at: string | null }>(
      `SELECT ${firstOfflineSql('?', '?', '?')} AS at`,
    );
  }

  of(s: Stages): string | null {
    if (!s.started_at || !s.restarted_at || !cutByRestart(s)) return null;
    return this.stmt.get(s.receiver_id, s.started_at, s.restarted_at)?.at ?? null;
  }
}
