/**
 * The verifier's pass over the audit log, whole: every row's numbering, hash and link, and what it
 * records about keys (enrolments, rotations) and about earlier findings (triggers restored,
 * receivers' anchors that disagreed, keys put in by hand).
 */
import type { Db } from '../db/database.js';
import { ROWS_PER_STEP, type Steps } from '../shared/steps.js';
import { auditRowHash, type AuditRowContent } from '../audit/audit-hash.js';
import { KEY_RECORD_ACTIONS } from './key-history.js';
import { GENESIS } from './proof-heads.js';
import type { ProofProblem } from './proof-problems.js';

/** The keys the audit log records: `receiver:key_id` (controller keys: `:key_id`), and each receiver's. */
export type AuditKeyRecords = {
  keyRecords: Set<string>;
  recordedKeys: { receiver_id: string; key_id: string; audit_id: number }[];
};

export type AuditWalk = AuditKeyRecords & {
  rows: number;
  /** The last row's id. */
  last: number;
  /** The hashes of the rows in `need` (those heads and anchors name). */
  hashes: Map<number, string>;
};

type AuditRowShape = AuditRowContent & { hash: string };

export function* walkAuditLog(db: Db, need: Set<number>, problems: ProofProblem[]): Steps<AuditWalk> {
  const keyRecords = new Set<string>();
  const enrolledWithKey = new Set<string>();
  const recordedKeys: AuditKeyRecords['recordedKeys'] = [];
  const hashes = new Map<number, string>();
  let rows = 0;
  let last = 0;
  let expected = 1;
  let prev = GENESIS;
  for (const row of db.prepare<[], AuditRowShape>('SELECT * FROM audit_log ORDER BY id').iterate()) {
    if (++rows % ROWS_PER_STEP === 0) yield;
    if (row.id > expected)
      problems.push({
        log: 'audit',
        problem: 'deleted',
        chain_seq: expected,
        detail: row.id - expected > 1 ? `rows ${expected}–${row.id - 1}` : undefined,
      });
    const { hash, ...rest } = row;
    if (auditRowHash(rest) !== hash)
      problems.push({ log: 'audit', problem: 'altered', chain_seq: row.id, detail: row.action });
    else if (row.prev_hash !== prev && row.id === expected)
      problems.push({
        log: 'audit',
        problem: 'link_broken',
        chain_seq: row.id,
        detail: 'the row before it was altered, replaced or moved',
      });
    if (need.has(row.id)) hashes.set(row.id, row.hash);
    if ((KEY_RECORD_ACTIONS as readonly string[]).includes(row.action)) {
      const detail = safeJson(row.detail);
      const keyId = (detail?.ack_key_id ?? detail?.key_id) as string | undefined;
      const signing = row.action.startsWith('proof.signing');
      if (keyId) keyRecords.add(`${signing ? '' : row.subject}:${keyId}`);
      if (keyId && !signing && row.subject) {
        // A key "from before the history" for a receiver already enrolled with a recorded key was put there by hand.
        const earlier = enrolledWithKey.has(row.subject);
        if (detail?.enrolled_before_history && earlier)
          problems.push({
            log: 'keys',
            problem: 'key_put_in_receivers_table',
            chain_seq: row.id,
            receiver_id: row.subject,
            key_id: keyId,
            detail: 'recorded as older than the history, for a receiver enrolled with a recorded key before',
          });
        if (!detail?.enrolled_before_history) enrolledWithKey.add(row.subject);
        recordedKeys.push({ receiver_id: row.subject, key_id: keyId, audit_id: row.id });
      }
    }
    if (row.action === 'proof.triggers_restored') {
      const which = (safeJson(row.detail)?.triggers as { trigger: string }[] | undefined)
        ?.map((x) => x.trigger)
        .join(', ');
      problems.push({
        log: 'triggers',
        problem: 'triggers_were_dropped',
        chain_seq: row.id,
        at: row.at,
        detail: `found missing or altered at a start: ${which ?? '?'}`,
      });
    }
    if (row.action === 'proof.anchor_mismatch')
      problems.push({
        log: 'audit',
        problem: 'receiver_anchor_mismatch',
        chain_seq: row.id,
        receiver_id: row.subject ?? undefined,
        at: row.at,
      });
    if (row.action === 'proof.key_not_in_history')
      problems.push({
        log: 'keys',
        problem: 'key_put_in_receivers_table',
        chain_seq: row.id,
        receiver_id: row.subject ?? undefined,
      });
    prev = hash;
    last = row.id;
    expected = row.id + 1;
  }
  return { rows, last, hashes, keyRecords, recordedKeys };
}

function safeJson(text: string | null): Record<string, unknown> | null {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
