/**
 * The verifier: one function over a SQLite file holding the proof tables — the controller's own
 * database, or a bundle made by `export-proof` — that names every problem it finds, not the first:
 * altered, missing, forged or reordered rows in both logs; heads missing, out of order, forged or
 * no longer matching their log; keys that appeared without a rotation record; and, given anchors
 * (heads and key fingerprints kept off the box), every difference between them and the file.
 * It imports nothing of the running controller: the province runs it alone.
 *
 * Each job is its own file: verify-keys.ts, verify-audit-log.ts, verify-ack-log.ts (one pass, one
 * signature per run of a receiver's chained acks), verify-heads.ts, verify-anchors.ts; the problems
 * it can name are in proof-problems.ts. This file runs them in order and writes the report.
 */
import type { Db } from '../db/database.js';
import { runToEnd, type Steps } from '../shared/steps.js';
import type { AnchorRecord, HeadAnchor, KeysAnchor } from './anchor-records.js';
import { checkTriggers } from './append-only.js';
import type { ProofProblem } from './proof-problems.js';
import { walkAckLog } from './verify-ack-log.js';
import { checkHeadAnchors, checkKeysAnchors } from './verify-anchors.js';
import { walkAuditLog } from './verify-audit-log.js';
import { checkHeads, checkLegacyAckHeads, neededSeqs } from './verify-heads.js';
import { readReceiverKeys, readSigningKeys } from './verify-keys.js';

export interface VerifyOptions {
  /**
   * The controller's public keys as the province holds them (PEM), from the published URL. Without
   * them, the file's own key history is trusted — and a key swapped by the database's owner is not
   * caught (the report says `keys_trusted_from_file: true`).
   */
  trustedKeys?: string[];
  anchors?: AnchorRecord[];
  /** The controller's live database: its append-only triggers are checked too. */
  checkTriggers?: boolean;
  /**
   * Judge only anchors signed up to the file's own newest head: anchors signed later cannot be in
   * it (an honest copy is older than the heads signed since). They are counted, and the report is
   * then not complete: the file is intact up to its end, and says nothing of what came after.
   * (A bundle's own export time is not used: it is a field anyone can edit.)
   */
  upToNewestHead?: boolean;
}

export interface ProofReport {
  ok: boolean;
  acks: {
    rows: number;
    receivers: number;
    signatures_checked: number;
    vouched_by_next: number;
    heads: number;
    covered_by_last_head: number;
  };
  audit: { rows: number; heads: number; covered_by_last_head: number };
  keys: { signing: number; receiver: number; keys_trusted_from_file: boolean };
  anchors: {
    heads: number;
    keys: number;
    newer_than_file: number;
    newest_anchor_at: string | null;
    not_signed_by_commune: ProofProblem[];
  };
  /** The file's newest signed head: how far the check reaches. */
  newest_head_at: string | null;
  /** False when anchors newer than the file were set aside: intact up to its end, nothing said of what came after. */
  complete: boolean;
  problems: ProofProblem[];
}

/** The whole check, now (the command-line verifier, the admin tool, tests). */
export function verifyProof(db: Db, options: VerifyOptions = {}): ProofReport {
  return runToEnd(verifyProofSteps(db, options));
}

/** The whole check as a pass that yields every few hundred rows (the controller runs it in slices: verify-in-slices.ts). */
export function* verifyProofSteps(db: Db, options: VerifyOptions = {}): Steps<ProofReport> {
  const problems: ProofProblem[] = [];
  const anchors = options.anchors ?? [];
  const newestHead =
    db.prepare<[], { at: string | null }>('SELECT max(signed_at) AS at FROM proof_heads').get()?.at ?? null;
  const newer = (at: string) => Boolean(options.upToNewestHead) && newestHead !== null && at > newestHead;
  const headAnchors = anchors.filter((a): a is HeadAnchor => a.kind === 'head' && !newer(a.signed_at));
  const keyAnchors = anchors.filter((a): a is KeysAnchor => a.kind === 'keys' && !newer(a.at));
  const newerThanFile = anchors.length - headAnchors.length - keyAnchors.length;
  /** Anchors that are not the commune's (a copy tampered or mistaken): set aside and said, not held against the file. */
  const rejected: ProofProblem[] = [];

  // Keys: the controller's (trusted as the province holds them, else as the file has them).
  const { fileSigningKeys, trusted } = readSigningKeys(db, options.trustedKeys, problems);
  // The audit log, whole: every row, and what it records about keys and earlier findings.
  const audit = yield* walkAuditLog(db, neededSeqs(db, 'audit', headAnchors), problems);
  const { receiverKeys, receiverKeyCount } = yield* readReceiverKeys(db, audit, fileSigningKeys, problems);
  const acks = yield* walkAckLog(db, neededSeqs(db, 'acks', headAnchors), receiverKeys, problems);

  // Heads of both logs: contiguous, linked, signed by a trusted key, matching their log.
  const ackHeads = yield* checkHeads(db, 'acks', acks.last, acks.hashes, trusted, problems);
  const auditHeads = yield* checkHeads(db, 'audit', audit.last, audit.hashes, trusted, problems);
  yield* checkLegacyAckHeads(db, acks.last, acks.hashes, trusted, problems);

  // Anchors: what was copied off the box must still be what the file says.
  checkHeadAnchors(db, headAnchors, trusted, { acks, audit }, problems, rejected);
  checkKeysAnchors(keyAnchors, trusted, receiverKeys, fileSigningKeys, problems, rejected);

  if (options.checkTriggers)
    for (const t of checkTriggers(db))
      problems.push({ log: 'triggers', problem: t.problem, detail: `${t.trigger} on ${t.table}` });

  return {
    ok: problems.length === 0,
    acks: {
      rows: acks.rows,
      receivers: acks.receivers,
      signatures_checked: acks.signaturesChecked,
      vouched_by_next: acks.vouched,
      heads: ackHeads.count,
      covered_by_last_head: ackHeads.covered,
    },
    audit: { rows: audit.rows, heads: auditHeads.count, covered_by_last_head: auditHeads.covered },
    keys: { signing: fileSigningKeys.length, receiver: receiverKeyCount, keys_trusted_from_file: !options.trustedKeys },
    anchors: {
      heads: headAnchors.length - rejected.filter((r) => r.log !== 'keys').length,
      keys: keyAnchors.length - rejected.filter((r) => r.log === 'keys').length,
      newer_than_file: newerThanFile,
      newest_anchor_at: anchors.reduce<string | null>((m, a) => {
        const at = a.kind === 'head' ? a.signed_at : a.at;
        return m === null || at > m ? at : m;
      }, null),
      not_signed_by_commune: rejected,
    },
    newest_head_at: newestHead,
    complete: newerThanFile === 0,
    problems,
  };
}
