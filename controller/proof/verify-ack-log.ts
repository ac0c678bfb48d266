/**
 * The verifier's pass over the ack log. A receiver's ack names the digest of its previous one
 * (`prev`), so its signature vouches for that one too; one signature is checked per unbroken run
 * of a receiver's acks, and every ack is still hashed, all in one pass in storing order (a bundle
 * keeps acks in that order on disk). A receiver whose run does not verify is walked again ack by
 * ack to name exactly which.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import { ROWS_PER_STEP, type Steps } from '../shared/steps.js';
import { ackHash } from '../coverage/ack-chain.js';
import { GENESIS } from './proof-heads.js';
import type { ProofProblem } from './proof-problems.js';
import { storedAckCanonical, type StoredAckRow } from './stored-ack.js';
import { safeVerify, type ReceiverKey } from './verify-keys.js';

export type AckWalk = {
  rows: number;
  /** The last row's chain_seq. */
  last: number;
  /** The hashes of the rows in `need` (those heads and anchors name). */
  hashes: Map<number, string>;
  receivers: number;
  signaturesChecked: number;
  vouched: number;
};

type AckLogRow = StoredAckRow & { chain_seq: number; received_at: string; prev_hash: string; hash: string };

/**
 * The newest ack seen of a receiver while walking the log: the end of its current run. Only what
 * links the next ack and names the row; the row is read again when the run ends. Kept whole,
 * 12,000 acks' texts outlived the young generation and filled the worker's old one with garbage
 * (about 10 MB of the controller's peak during a check, 2026-12-04). `hash` is the walked row's
 * stored hash: the row read again must be that very row (see endRun).
 */
type RunEnd = { command_id: string; stage: string; seq: number; digest: string; hash: string };

/**
 * The ack log in storing order, in one pass: numbering, each row's hash, the links; and each
 * receiver's runs of acks chained by `prev`, whose last ack's signature vouches for the run.
 */
export function* walkAckLog(
  db: Db,
  need: Set<number>,
  receiverKeys: Map<string, ReceiverKey[]>,
  problems: ProofProblem[],
): Steps<AckWalk> {
  const hashes = new Map<number, string>();
  let rows = 0;
  let last = 0;
  let signaturesChecked = 0;
  let vouched = 0;
  const runEnds = new Map<string, RunEnd>();
  /** Receivers with a run whose last ack did not verify: checked again ack by ack, below. */
  const suspects = new Set<string>();
  // By its primary key, not chain_seq: an edited database may have dropped chain_seq's uniqueness.
  const rowAt = db.prepare<[string, string, string], AckLogRow>(
    'SELECT * FROM acks WHERE receiver_id = ? AND command_id = ? AND stage = ?',
  );
  const endRun = (receiverId: string, end: RunEnd) => {
    const keys = receiverKeys.get(receiverId) ?? [];
    const row = rowAt.get(receiverId, end.command_id, end.stage);
    // A store rebuilt without its keys can hold a second row under the same names: the lookup may
    // then find another row than the walk hashed, and vouch for an edited copy with the genuine
    // row's signature (a reviewer built such a store, 2026-12-04). Only the walked row itself,
    // matching its own hash, may vouch; anything else is checked ack by ack.
    if (
      !row?.sig ||
      keys.length === 0 ||
      row.hash !== end.hash ||
      ackHash(row.chain_seq, row, row.prev_hash) !== row.hash
    ) {
      suspects.add(receiverId);
      return;
    }
    signaturesChecked++;
    const bytes = Buffer.from(storedAckCanonical(row), 'utf8');
    const signature = Buffer.from(row.sig, 'base64');
    if (!keys.some((k) => k.valid_from <= row.received_at && safeVerify(bytes, k.key, signature)))
      suspects.add(receiverId);
  };
  let expected = 1;
  let prev = GENESIS;
  for (const row of db.prepare<[], AckLogRow>('SELECT * FROM acks ORDER BY chain_seq').iterate()) {
    if (++rows % ROWS_PER_STEP === 0) yield;
    const canonical = storedAckCanonical(row);
    const digest = createHash('sha256').update(canonical).digest('hex');
    const end = runEnds.get(row.receiver_id);
    if (end && row.seq === end.seq + 1 && row.prev === end.digest) vouched++;
    else if (end) endRun(row.receiver_id, end);
    if (end) {
      end.command_id = row.command_id;
      end.stage = row.stage;
      end.seq = row.seq;
      end.digest = digest;
      end.hash = row.hash;
    } else
      runEnds.set(row.receiver_id, {
        command_id: row.command_id,
        stage: row.stage,
        seq: row.seq,
        digest,
        hash: row.hash,
      });
    const where = {
      chain_seq: row.chain_seq,
      receiver_id: row.receiver_id,
      command_id: row.command_id,
      stage: row.stage,
    };
    if (row.chain_seq > expected)
      problems.push({
        log: 'acks',
        problem: 'deleted',
        chain_seq: expected,
        detail: row.chain_seq - expected > 1 ? `rows ${expected}–${row.chain_seq - 1}` : undefined,
      });
    if (ackHash(row.chain_seq, row, row.prev_hash) !== row.hash)
      problems.push({ log: 'acks', problem: 'altered', ...where });
    else if (row.prev_hash !== prev && row.chain_seq === expected)
      problems.push({
        log: 'acks',
        problem: 'link_broken',
        ...where,
        detail: 'the row before it was altered, replaced or moved',
      });
    if (need.has(row.chain_seq)) hashes.set(row.chain_seq, row.hash);
    prev = row.hash;
    last = row.chain_seq;
    expected = row.chain_seq + 1;
  }
  let ended = 0;
  for (const [receiverId, end] of runEnds) {
    endRun(receiverId, end);
    if (++ended % ROWS_PER_STEP === 0) yield;
  }

  for (const receiverId of suspects)
    yield* recheckReceiver(db, receiverId, receiverKeys.get(receiverId) ?? [], problems);
  return { rows, last, hashes, receivers: runEnds.size, signaturesChecked, vouched };
}

/**
 * A receiver whose run did not verify: its acks newest first, each vouched for by the next one's
 * signature or checked alone, so that exactly the forged or unsigned ones are named.
 */
function* recheckReceiver(db: Db, receiverId: string, keys: ReceiverKey[], problems: ProofProblem[]): Steps<void> {
  let next: { seq: number; prev: string | null; trusted: boolean } | null = null;
  const rows = db.prepare<[string], StoredAckRow & { chain_seq: number; received_at: string }>(
    // Every column: a bundle exported before migration 12 has no `evidence` column to name.
    'SELECT * FROM acks WHERE receiver_id = ? ORDER BY seq DESC, chain_seq DESC',
  );
  let seen = 0;
  for (const row of rows.iterate(receiverId)) {
    if (++seen % ROWS_PER_STEP === 0) yield;
    const canonical = storedAckCanonical(row);
    const digest = createHash('sha256').update(canonical).digest('hex');
    let trusted: boolean = Boolean(next && next.trusted && next.seq === row.seq + 1 && next.prev === digest);
    if (!trusted) {
      const where = {
        chain_seq: row.chain_seq,
        receiver_id: row.receiver_id,
        command_id: row.command_id,
        stage: row.stage,
      };
      if (!row.sig) problems.push({ log: 'acks', problem: 'unsigned', ...where });
      else if (keys.length === 0)
        problems.push({
          log: 'acks',
          problem: 'unverifiable',
          ...where,
          detail: 'the receiver has no key in the history',
        });
      else {
        const bytes = Buffer.from(canonical, 'utf8');
        const signature = Buffer.from(row.sig, 'base64');
        trusted = keys.some((k) => k.valid_from <= row.received_at && safeVerify(bytes, k.key, signature));
        if (!trusted) {
          const later = keys.some((k) => k.valid_from > row.received_at && safeVerify(bytes, k.key, signature));
          problems.push({
            log: 'acks',
            problem: 'forged',
            ...where,
            detail: later
              ? 'signed with a key recorded only after the ack was stored'
              : 'no key of this receiver signed it',
          });
        }
      }
    }
    next = { seq: row.seq, prev: row.prev, trusted };
  }
}
