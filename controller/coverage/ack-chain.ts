/**
 * Tamper evidence for proof of play: every stored ack is chained to the one stored before it by
 * hash, each carries its receiver's own signature, and the controller signs the chain's head from
 * time to time — a hash chain alone would not reveal a deleted tail. `verify` names every ack that
 * was altered, deleted or forged, and a tail cut after the last signed head.
 */
import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { Ack } from '../protocol/messages.js';
import { verifyAck, type CommandSigner } from '../protocol/signing.js';

export const GENESIS = '0'.repeat(64);

export interface ChainLink {
  chain_seq: number;
  prev_hash: string;
  hash: string;
}

type StoredAckFields = Pick<Ack, 'receiver_id' | 'command_id' | 'stage' | 'seq' | 'broadcast_id' | 'at' | 'reason' | 'detail'> & { sig?: string | null; received_at: string };

export function ackHash(chain_seq: number, a: StoredAckFields, prev_hash: string): string {
  return createHash('sha256')
    .update(JSON.stringify([chain_seq, a.receiver_id, a.command_id, a.stage, a.seq, a.broadcast_id, a.at, a.received_at, a.reason, a.detail, a.sig ?? null, prev_hash]))
    .digest('hex');
}

/** Keeps the chain's tip in memory; `next` gives the link for an ack about to be stored. */
export class AckChain {
  private tip: { seq: number; hash: string };

  constructor(private readonly db: Db, private readonly signer: CommandSigner) {
    const last = db.prepare<[], { chain_seq: number; hash: string }>('SELECT chain_seq, hash FROM acks ORDER BY chain_seq DESC LIMIT 1').get();
    this.tip = last ? { seq: last.chain_seq, hash: last.hash } : { seq: 0, hash: GENESIS };
  }

  next(a: StoredAckFields): ChainLink {
    const chain_seq = this.tip.seq + 1;
    return { chain_seq, prev_hash: this.tip.hash, hash: ackHash(chain_seq, a, this.tip.hash) };
  }

  /** After a failed transaction: the tip is what the database holds. */
  reload(): void {
    const last = this.db.prepare<[], { chain_seq: number; hash: string }>('SELECT chain_seq, hash FROM acks ORDER BY chain_seq DESC LIMIT 1').get();
    this.tip = last ? { seq: last.chain_seq, hash: last.hash } : { seq: 0, hash: GENESIS };
  }

  /** Called when the ack with this link was really stored (not a duplicate). */
  advance(link: ChainLink): void {
    this.tip = { seq: link.chain_seq, hash: link.hash };
  }

  /** Signs the current head, if it moved since the last signed one. */
  signHead(at: string): void {
    if (this.tip.seq === 0) return;
    const last = this.db.prepare<[], { chain_seq: number }>('SELECT chain_seq FROM ack_chain_heads ORDER BY chain_seq DESC LIMIT 1').get();
    if (last && last.chain_seq >= this.tip.seq) return;
    const sig = this.signer.signBytes(Buffer.from(`${this.tip.seq}:${this.tip.hash}`));
    this.db.prepare('INSERT INTO ack_chain_heads (chain_seq, hash, signed_at, key_id, sig) VALUES (?, ?, ?, ?, ?)').run(this.tip.seq, this.tip.hash, at, this.signer.keyId, sig);
  }
}

export type ChainProblem = {
  chain_seq: number | null;
  receiver_id?: string;
  command_id?: string;
  stage?: string;
  problem: 'altered' | 'deleted' | 'forged' | 'unsigned' | 'tail_deleted' | 'head_signature_invalid';
};

/** A receiver's ack keys (PEM): the current one first, then those before its re-enrolments. */
export function receiverAckKeys(db: Db, receiverId: string): string[] {
  const row = db.prepare<[string], { ack_public_key: string | null; previous_ack_keys: string | null }>('SELECT ack_public_key, previous_ack_keys FROM receivers WHERE id = ?').get(receiverId);
  if (!row) return [];
  return [...(row.ack_public_key ? [row.ack_public_key] : []), ...(row.previous_ack_keys ? (JSON.parse(row.previous_ack_keys) as string[]).reverse() : [])];
}

/** Walks the whole chain. */
export function verifyAckChain(db: Db, controllerPublicKeyPem: string): { ok: boolean; checked: number; signed_head: number | null; problems: ChainProblem[] } {
  const problems: ChainProblem[] = [];
  const keys = new Map<string, string[]>();
  // A receiver's keys: the current one and those it had before a re-enrolment (its acks from then are its own).
  const keysOf = (id: string) => {
    if (!keys.has(id)) keys.set(id, receiverAckKeys(db, id));
    return keys.get(id)!;
  };
  let expectedSeq = 1;
  let prev = GENESIS;
  let checked = 0;
  const hashes = new Map<number, string>();
  for (const row of db.prepare<[], Record<string, any>>('SELECT * FROM acks ORDER BY chain_seq').iterate()) {
    checked++;
    const where = { chain_seq: row.chain_seq as number, receiver_id: row.receiver_id as string, command_id: row.command_id as string, stage: row.stage as string };
    if (row.chain_seq > expectedSeq) problems.push({ chain_seq: expectedSeq, problem: 'deleted' });
    // A row whose content no longer gives its hash was altered; a broken link also shows a deletion.
    if (ackHash(row.chain_seq, row as StoredAckFields, row.prev_hash) !== row.hash) problems.push({ ...where, problem: 'altered' });
    else if (row.prev_hash !== prev && row.chain_seq === expectedSeq) problems.push({ ...where, problem: 'altered' });
    const receiverKeys = keysOf(row.receiver_id);
    if (!row.sig) problems.push({ ...where, problem: 'unsigned' });
    else if (receiverKeys.length > 0) {
      const { chain_seq: _c, prev_hash: _p, hash: _h, received_at: _r, ...ack } = row;
      if (!receiverKeys.some((key) => verifyAck({ v: 1, ...ack }, key))) problems.push({ ...where, problem: 'forged' });
    }
    hashes.set(row.chain_seq, row.hash);
    prev = row.hash;
    expectedSeq = row.chain_seq + 1;
  }
  // The last signed head must still be there, unchanged.
  const head = db.prepare<[], { chain_seq: number; hash: string; sig: string }>('SELECT chain_seq, hash, sig FROM ack_chain_heads ORDER BY chain_seq DESC LIMIT 1').get();
  if (head) {
    const valid = verifySignature(null, Buffer.from(`${head.chain_seq}:${head.hash}`), createPublicKey(controllerPublicKeyPem), Buffer.from(head.sig, 'base64'));
    if (!valid) problems.push({ chain_seq: head.chain_seq, problem: 'head_signature_invalid' });
    else if (hashes.get(head.chain_seq) !== head.hash) problems.push({ chain_seq: head.chain_seq, problem: 'tail_deleted' });
  }
  return { ok: problems.length === 0, checked, signed_head: head?.chain_seq ?? null, problems };
}
