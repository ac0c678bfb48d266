import type { Db } from '../db/database.js';
import type { Ack } from '../protocol/messages.js';
import type { AckChain } from './ack-chain.js';

import { PLAY_WINDOW_COLUMNS, STAGE_COLUMNS, type PlayWindow, type ReceiverStages } from './stage-columns.js';
import type { KeyHistory } from '../proof/key-history.js';
import { ackFromRow, type StoredAckRow } from '../proof/stored-ack.js';

export { STAGE_COLUMNS, type PlayWindow, type ReceiverStages };

export class AcksRepository {
  private readonly insertStmt;
  private readonly stagesStmt;
  private readonly windowStmt;

  constructor(
    private readonly db: Db,
    private readonly chain: AckChain,
    private readonly keys: KeyHistory,
  ) {
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO acks (receiver_id, command_id, stage, seq, broadcast_id, at, received_at, reason, detail, evidence, sig, prev, chain_seq, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.stagesStmt = db.prepare<[string], ReceiverStages>(
      `SELECT t.receiver_id, t.hamlet_id, r.name, r.status AS presence, ${STAGE_COLUMNS}
       FROM broadcast_targets t
       LEFT JOIN receivers r ON r.id = t.receiver_id
       LEFT JOIN acks a ON a.broadcast_id = t.broadcast_id AND a.receiver_id = t.receiver_id
       WHERE t.broadcast_id = ?
       GROUP BY t.receiver_id, t.hamlet_id
       ORDER BY (SELECT rowid FROM hamlets h WHERE h.id = t.hamlet_id), t.receiver_id`,
    );
    this.windowStmt = db.prepare<[string], PlayWindow>(
      `SELECT ${PLAY_WINDOW_COLUMNS} FROM broadcasts b LEFT JOIN media m ON m.id = b.media_id WHERE b.id = ?`,
    );
  }

  /** Stores a batch in one transaction; returns, ack by ack, whether it was new (a redelivery makes no row). */
  insertBatch(acks: Ack[], receivedAt: string): boolean[] {
    const inserted: boolean[] = [];
    const run = this.db.transaction(() => {
      for (const a of acks) {
        const link = this.chain.next({ ...a, received_at: receivedAt });
        const changes = this.insertStmt.run(
          a.receiver_id,
          a.command_id,
          a.stage,
          a.seq,
          a.broadcast_id,
          a.at,
          receivedAt,
          a.reason,
          a.detail,
          // Kept exactly as signed: absent stays NULL (it means 'played'), so the signature still verifies.
          a.evidence ?? null,
          a.sig ?? null,
          a.prev ?? null,
          link.chain_seq,
          link.prev_hash,
          link.hash,
        ).changes;
        if (changes > 0) this.chain.advance(link);
        inserted.push(changes > 0);
      }
    });
    try {
      run();
    } catch (err) {
      this.chain.reload();
      throw err;
    }
    return inserted;
  }

  stagesOf(broadcastId: string): ReceiverStages[] {
    return this.stagesStmt.all(broadcastId);
  }

  /** How long a broadcast may be playing: coverage tells "playing" from "unfinished" by it. */
  playWindowOf(broadcastId: string): PlayWindow | undefined {
    return this.windowStmt.get(broadcastId);
  }

  /**
   * Checks every stored ack of a broadcast against its receiver's key, off the ingest path.
   * Names each ack whose signature is missing or does not match what is stored.
   */
  verifyBroadcast(
    broadcastId: string,
    verify: (ack: Record<string, unknown>, publicKeyPem: string) => boolean,
  ): { checked: number; bad: { receiver_id: string; command_id: string; stage: string; problem: string }[] } {
    const rows = this.db
      .prepare<[string], StoredAckRow>('SELECT a.* FROM acks a WHERE a.broadcast_id = ?')
      .all(broadcastId);
    const bad: { receiver_id: string; command_id: string; stage: string; problem: string }[] = [];
    for (const row of rows) {
      const receiverKeys = this.keys.receiverPems(row.receiver_id);
      const problem = !row.sig
        ? 'unsigned'
        : receiverKeys.length === 0
          ? 'receiver has no key'
          : receiverKeys.some((k) => verify(ackFromRow(row), k))
            ? null
            : 'signature does not match';
      if (problem) bad.push({ receiver_id: row.receiver_id, command_id: row.command_id, stage: row.stage, problem });
    }
    return { checked: rows.length, bad };
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM acks').get()!.n;
  }
}
