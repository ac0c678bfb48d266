/**
 * An ack as stored, back to the exact bytes its receiver signed. Stored NULL for `prev` means the
 * ack had none (receivers omit it on their first ack, older firmware never sends it); so does NULL
 * for `evidence` (absent: the ack vouches for sound played; only a bridge says 'sent').
 */
import { createHash } from 'node:crypto';

export interface StoredAckRow {
  receiver_id: string;
  seq: number;
  command_id: string;
  broadcast_id: string | null;
  stage: string;
  at: string;
  reason: string | null;
  detail: string | null;
  /** Absent in a bundle exported before migration 12: no ack had it then. */
  evidence?: string | null;
  prev: string | null;
  sig: string | null;
}

/**
 * RFC 8785 canonical JSON of the unsigned ack, written out in its fixed key order (the verifier
 * runs this millions of times; tests check it equals `canonicalize` of the same object).
 */
export function storedAckCanonical(a: StoredAckRow): string {
  const s = JSON.stringify;
  return `{"at":${s(a.at)},"broadcast_id":${s(a.broadcast_id)},"command_id":${s(a.command_id)},"detail":${s(a.detail)},${a.evidence == null ? '' : `"evidence":${s(a.evidence)},`}${a.prev == null ? '' : `"prev":${s(a.prev)},`}"reason":${s(a.reason)},"receiver_id":${s(a.receiver_id)},"seq":${s(a.seq)},"stage":${s(a.stage)},"v":1}`;
}

/** The ack object its receiver sent (for the protocol's own verify functions). */
export function ackFromRow(a: StoredAckRow): Record<string, unknown> & { sig?: string | null } {
  return {
    v: 1,
    receiver_id: a.receiver_id,
    seq: a.seq,
    command_id: a.command_id,
    broadcast_id: a.broadcast_id,
    stage: a.stage,
    at: a.at,
    reason: a.reason,
    detail: a.detail,
    ...(a.evidence == null ? {} : { evidence: a.evidence }),
    ...(a.prev == null ? {} : { prev: a.prev }),
    sig: a.sig,
  };
}

export const storedAckDigest = (a: StoredAckRow): string =>
  createHash('sha256').update(storedAckCanonical(a)).digest('hex');
