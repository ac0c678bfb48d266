/**
 * The verifier's check of the signed heads of both logs: contiguous, linked, signed by a trusted
 * key, and still matching the rows they cover; and the older unlinked ack heads, each.
 */
import type { KeyObject } from 'node:crypto';
import type { Db } from '../db/database.js';
import { ROWS_PER_STEP, type Steps } from '../shared/steps.js';
import type { ProofHead } from '../protocol/messages.js';
import { GENESIS, headDigest, headSignatureValid, type LogName } from './proof-heads.js';
import type { ProofProblem } from './proof-problems.js';
import { safeVerify } from './verify-keys.js';

export const headColumns = 'log, head_seq, chain_seq, hash, prev_head, signed_at, key_id, sig';

/** The row numbers whose hashes the heads and anchors name (only those are kept while walking a log). */
export function neededSeqs(db: Db, log: LogName, anchors: { log: string; chain_seq: number }[]): Set<number> {
  const seqs = new Set(
    db
      .prepare<[string], { chain_seq: number }>('SELECT chain_seq FROM proof_heads WHERE log = ?')
      .all(log)
      .map((r) => r.chain_seq),
  );
  if (log === 'acks')
    for (const r of db.prepare<[], { chain_seq: number }>('SELECT chain_seq FROM ack_chain_heads').all())
      seqs.add(r.chain_seq);
  for (const a of anchors) if (a.log === log) seqs.add(a.chain_seq);
  return seqs;
}

export function* checkHeads(
  db: Db,
  log: LogName,
  lastRow: number,
  hashes: Map<number, string>,
  trusted: Map<string, KeyObject>,
  problems: ProofProblem[],
): Steps<{ count: number; covered: number }> {
  let expected = 1;
  let prevDigest = GENESIS;
  let prevChain = 0;
  let count = 0;
  let covered = 0;
  for (const head of db
    .prepare<[string], ProofHead>(`SELECT ${headColumns} FROM proof_heads WHERE log = ? ORDER BY head_seq`)
    .iterate(log)) {
    if (++count % ROWS_PER_STEP === 0) yield;
    const where = { log, head_seq: head.head_seq, chain_seq: head.chain_seq };
    if (head.head_seq > expected)
      problems.push({
        ...where,
        problem: 'head_missing',
        detail: head.head_seq - expected > 1 ? `heads ${expected}–${head.head_seq - 1}` : `head ${expected}`,
      });
    const key = trusted.get(head.key_id);
    if (!key) problems.push({ ...where, problem: 'head_signed_by_unknown_key', key_id: head.key_id });
    else if (!headSignatureValid(head, key)) problems.push({ ...where, problem: 'head_forged' });
    if (head.head_seq === expected && head.prev_head !== prevDigest)
      problems.push({ ...where, problem: 'head_out_of_order', detail: 'it does not name the head before it' });
    if (head.chain_seq < prevChain)
      problems.push({ ...where, problem: 'head_out_of_order', detail: 'it covers fewer rows than the head before it' });
    if (head.chain_seq > lastRow)
      problems.push({
        ...where,
        problem: 'tail_deleted',
        detail: `the head covers ${head.chain_seq} rows, the log ends at ${lastRow}`,
      });
    else if (head.chain_seq > 0 && hashes.get(head.chain_seq) !== head.hash)
      problems.push({
        ...where,
        problem: 'head_does_not_match_log',
        detail: 'the log was rewritten after this head was signed',
      });
    prevDigest = headDigest(head);
    prevChain = head.chain_seq;
    covered = Math.max(covered, head.chain_seq);
    expected = head.head_seq + 1;
  }
  return { count, covered };
}

/** Heads signed before migration 6 (`chain_seq:hash`, unlinked): still checked, each. */
export function* checkLegacyAckHeads(
  db: Db,
  lastRow: number,
  hashes: Map<number, string>,
  trusted: Map<string, KeyObject>,
  problems: ProofProblem[],
): Steps<void> {
  let seen = 0;
  for (const head of db
    .prepare<[], { chain_seq: number; hash: string; key_id: string; sig: string }>(
      'SELECT chain_seq, hash, key_id, sig FROM ack_chain_heads ORDER BY chain_seq',
    )
    .iterate()) {
    if (++seen % ROWS_PER_STEP === 0) yield;
    const where = { log: 'acks' as const, chain_seq: head.chain_seq, detail: 'a head from before version 6' };
    const key = trusted.get(head.key_id);
    if (!key || !safeVerify(Buffer.from(`${head.chain_seq}:${head.hash}`), key, Buffer.from(head.sig, 'base64')))
      problems.push({ ...where, problem: 'head_forged' });
    else if (head.chain_seq > lastRow) problems.push({ ...where, problem: 'tail_deleted' });
    else if (hashes.get(head.chain_seq) !== head.hash) problems.push({ ...where, problem: 'head_does_not_match_log' });
  }
}
