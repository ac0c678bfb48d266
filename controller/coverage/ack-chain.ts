/**
 * Tamper evidence for proof of play: every stored ack is chained to the one stored before it by
 * hash, and carries its receiver's own signature. The chain's head is signed often and copied off
 * the box (controller/proof/); controller/proof/verify-proof.ts checks all of it.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';

export const GENESIS = '0'.repeat(64);

export interface ChainLink {
  chain_seq: number;
  prev_hash: string;
  hash: string;
}

type StoredAckFields = {
  receiver_id: string;
  command_id: string;
  stage: string;
  seq: number;
  broadcast_id: string | null;
  at: string;
  reason: string | null;
  detail: string | null;
  sig?: string | null;
  prev?: string | null;
  evidence?: string | null;
  received_at: string;
};

/**
 * A stored ack's hash in the chain; `prev` (the receiver's own chain) and `evidence` are covered
 * when the ack has them, so a row stored without them hashes as it always did.
 */
export function ackHash(chain_seq: number, a: StoredAckFields, prev_hash: string): string {
  const fields: unknown[] = [
    chain_seq,
    a.receiver_id,
    a.command_id,
    a.stage,
    a.seq,
    a.broadcast_id,
    a.at,
    a.received_at,
    a.reason,
    a.detail,
    a.sig ?? null,
  ];
  if (a.prev != null) fields.push(a.prev);
  // Tagged: a bare string here could be taken for a `prev` by someone rewriting rows.
  if (a.evidence != null) fields.push({ evidence: a.evidence });
  fields.push(prev_hash);
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** Keeps the chain's tip in memory; `next` gives the link for an ack about to be stored. */
export class AckChain {
  private tip: { seq: number; hash: string };

  constructor(private readonly db: Db) {
    const last = db
      .prepare<[], { chain_seq: number; hash: string }>(
        'SELECT chain_seq, hash FROM acks ORDER BY chain_seq DESC LIMIT 1',
      )
      .get();
    this.tip = last ? { seq: last.chain_seq, hash: last.hash } : { seq: 0, hash: GENESIS };
  }

  next(a: StoredAckFields): ChainLink {
    const chain_seq = this.tip.seq + 1;
    return { chain_seq, prev_hash: this.tip.hash, hash: ackHash(chain_seq, a, this.tip.hash) };
  }

  /** The chain's tip as stored: what a signed head covers. */
  get head(): { chain_seq: number; hash: string } {
    return { chain_seq: this.tip.seq, hash: this.tip.hash };
  }

  /** After a failed transaction: the tip is what the database holds. */
  reload(): void {
    const last = this.db
      .prepare<[], { chain_seq: number; hash: string }>(
        'SELECT chain_seq, hash FROM acks ORDER BY chain_seq DESC LIMIT 1',
      )
      .get();
    this.tip = last ? { seq: last.chain_seq, hash: last.hash } : { seq: 0, hash: GENESIS };
  }

  /** Called when the ack with this link was really stored (not a duplicate). */
  advance(link: ChainLink): void {
    this.tip = { seq: link.chain_seq, hash: link.hash };
  }
}
