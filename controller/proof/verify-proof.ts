/**
 * The verifier: one function over a SQLite file holding the proof tables — the controller's own
 * database, or a bundle made by `export-proof` — that names every problem it finds, not the first:
 * altered, missing, forged or reordered rows in both logs; heads missing, out of order, forged or
 * no longer matching their log; keys that appeared without a rotation record; and, given anchors
 * (heads and key fingerprints kept off the box), every difference between them and the file.
 * It imports nothing of the running controller: the province runs it alone.
 *
 * Speed: a receiver's ack names the digest of its previous one (`prev`), so its signature vouches
 * for that one too; one signature is checked per unbroken run of a receiver's acks, and every ack
 * is still hashed, all in one pass in storing order (a bundle keeps acks in that order on disk).
 * A receiver whose run does not verify is walked again ack by ack to name exactly which.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { ProofHead } from '../protocol/messages.js';
import { keysAnchorValid, type AnchorRecord, type KeysAnchor } from './anchors.js';
import { checkTriggers } from './append-only.js';
import { KEY_RECORD_ACTIONS, fingerprintOf } from './key-history.js';
import { GENESIS, headDigest, headSignatureValid, type LogName } from './proof-heads.js';
import { storedAckCanonical, type StoredAckRow } from './stored-ack.js';
import { ackHash } from '../coverage/ack-chain.js';
import { auditRowHash, type AuditRowContent } from '../audit/audit-hash.js';

/** Every problem the verifier can name (each has words in controller/i18n/proof-messages.ts). */
export const PROOF_PROBLEMS = [
  // rows of either log
  'deleted',
  'altered',
  'link_broken',
  'forged',
  'unsigned',
  'unverifiable',
  // heads
  'head_missing',
  'head_signed_by_unknown_key',
  'head_forged',
  'head_out_of_order',
  'tail_deleted',
  'head_does_not_match_log',
  // anchors
  'anchor_not_signed_by_a_trusted_key',
  'anchored_head_missing',
  'anchored_head_differs',
  'tail_deleted_after_anchor',
  'log_rewritten_since_anchor',
  'receiver_anchor_mismatch',
  // keys
  'key_id_does_not_match_key',
  'signing_key_not_published',
  'key_unreadable',
  'key_without_rotation_record',
  'anchored_key_missing',
  'key_not_anchored',
  'key_put_in_receivers_table',
  'key_missing_from_history',
  // triggers
  'trigger_missing',
  'trigger_altered',
  'triggers_were_dropped',
] as const;
export type ProblemCode = (typeof PROOF_PROBLEMS)[number];

export type ProofProblem = {
  log: LogName | 'keys' | 'triggers';
  problem: ProblemCode;
  /** Row number in its log (acks: chain_seq; audit: id). */
  chain_seq?: number;
  head_seq?: number;
  receiver_id?: string;
  command_id?: string;
  stage?: string;
  key_id?: string;
  /** When it happened or was recorded (UTC); shown in the commune's time. */
  at?: string;
  /** More, in English, for the JSON report. */
  detail?: string;
};

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

const headColumns = 'log, head_seq, chain_seq, hash, prev_head, signed_at, key_id, sig';

export function verifyProof(db: Db, options: VerifyOptions = {}): ProofReport {
  const problems: ProofProblem[] = [];
  const anchors = options.anchors ?? [];
  const newestHead =
    db.prepare<[], { at: string | null }>('SELECT max(signed_at) AS at FROM proof_heads').get()?.at ?? null;
  const newer = (at: string) => Boolean(options.upToNewestHead) && newestHead !== null && at > newestHead;
  const headAnchors = anchors.filter(
    (a): a is Extract<AnchorRecord, { kind: 'head' }> => a.kind === 'head' && !newer(a.signed_at),
  );
  const keyAnchors = anchors.filter((a): a is KeysAnchor => a.kind === 'keys' && !newer(a.at));
  const newerThanFile = anchors.length - headAnchors.length - keyAnchors.length;
  /** Anchors that are not the commune's (a copy tampered or mistaken): set aside and said, not held against the file. */
  const rejected: ProofProblem[] = [];

  // Keys: the controller's (trusted as the province holds them, else as the file has them).
  const fileSigningKeys = db
    .prepare<[], { key_id: string; public_key: string; valid_from: string }>(
      'SELECT key_id, public_key, valid_from FROM signing_keys ORDER BY valid_from',
    )
    .all();
  const trusted = new Map<string, KeyObject>();
  for (const pem of options.trustedKeys ?? fileSigningKeys.map((k) => k.public_key))
    trusted.set(fingerprintOf(pem), createPublicKey(pem));
  for (const k of fileSigningKeys) {
    if (fingerprintOf(k.public_key) !== k.key_id)
      problems.push({ log: 'keys', problem: 'key_id_does_not_match_key', key_id: k.key_id });
    if (!trusted.has(k.key_id))
      problems.push({
        log: 'keys',
        problem: 'signing_key_not_published',
        key_id: k.key_id,
        detail: 'the file names a controller key the published keys do not include',
      });
  }

  // The audit log, whole: every row, and what it records about keys and earlier findings.
  const keyRecords = new Set<string>();
  const enrolledWithKey = new Set<string>();
  const recordedKeys: { receiver_id: string; key_id: string; audit_id: number }[] = [];
  const auditNeed = neededSeqs(db, 'audit', headAnchors);
  const auditHashes = new Map<number, string>();
  let auditRows = 0;
  let auditLast = 0;
  {
    let expected = 1;
    let prev = GENESIS;
    for (const row of db.prepare<[], AuditRowShape>('SELECT * FROM audit_log ORDER BY id').iterate()) {
      auditRows++;
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
      if (auditNeed.has(row.id)) auditHashes.set(row.id, row.hash);
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
      auditLast = row.id;
      expected = row.id + 1;
    }
  }

  // Receiver keys: each recorded with its rotation, none recorded twice under one id.
  const receiverKeys = new Map<string, { key: KeyObject; key_id: string; valid_from: string }[]>();
  let receiverKeyCount = 0;
  for (const k of db
    .prepare<[], { receiver_id: string; key_id: string; public_key: string; valid_from: string }>(
      'SELECT * FROM receiver_keys ORDER BY receiver_id, valid_from',
    )
    .iterate()) {
    receiverKeyCount++;
    let key: KeyObject;
    try {
      key = createPublicKey(k.public_key);
    } catch {
      problems.push({ log: 'keys', problem: 'key_unreadable', receiver_id: k.receiver_id, key_id: k.key_id });
      continue;
    }
    if (fingerprintOf(k.public_key) !== k.key_id)
      problems.push({
        log: 'keys',
        problem: 'key_id_does_not_match_key',
        receiver_id: k.receiver_id,
        key_id: k.key_id,
      });
    if (!keyRecords.has(`${k.receiver_id}:${k.key_id}`))
      problems.push({
        log: 'keys',
        problem: 'key_without_rotation_record',
        receiver_id: k.receiver_id,
        key_id: k.key_id,
        detail: 'no enrolment or rotation in the audit log names this key',
      });
    const list = receiverKeys.get(k.receiver_id) ?? [];
    list.push({ key, key_id: k.key_id, valid_from: k.valid_from });
    receiverKeys.set(k.receiver_id, list);
  }
  // Every key the audit log says a receiver was given must still be in the history.
  for (const r of recordedKeys) {
    if (!receiverKeys.get(r.receiver_id)?.some((k) => k.key_id === r.key_id))
      problems.push({
        log: 'keys',
        problem: 'key_missing_from_history',
        receiver_id: r.receiver_id,
        key_id: r.key_id,
        detail: `audit entry ${r.audit_id} records it`,
      });
  }
  for (const k of fileSigningKeys)
    if (!keyRecords.has(`:${k.key_id}`))
      problems.push({
        log: 'keys',
        problem: 'key_without_rotation_record',
        key_id: k.key_id,
        detail: 'a controller key with no record in the audit log',
      });

  // The ack log in storing order, in one pass: numbering, each row's hash, the links; and each
  // receiver's runs of acks chained by `prev`, whose last ack's signature vouches for the run.
  const ackNeed = neededSeqs(db, 'acks', headAnchors);
  const ackHashes = new Map<number, string>();
  let ackRows = 0;
  let ackLast = 0;
  let signaturesChecked = 0;
  let vouched = 0;
  const runEnds = new Map<string, RunEnd>();
  /** Receivers with a run whose last ack did not verify: checked again ack by ack, below. */
  const suspects = new Set<string>();
  const endRun = (end: RunEnd) => {
    const keys = receiverKeys.get(end.receiver_id) ?? [];
    if (!end.sig || keys.length === 0) {
      suspects.add(end.receiver_id);
      return;
    }
    signaturesChecked++;
    const bytes = Buffer.from(end.canonical, 'utf8');
    const signature = Buffer.from(end.sig, 'base64');
    if (!keys.some((k) => k.valid_from <= end.received_at && safeVerify(bytes, k.key, signature)))
      suspects.add(end.receiver_id);
  };
  {
    let expected = 1;
    let prev = GENESIS;
    for (const row of db.prepare<[], Record<string, any>>('SELECT * FROM acks ORDER BY chain_seq').iterate()) {
      ackRows++;
      const canonical = storedAckCanonical(row as StoredAckRow);
      const digest = createHash('sha256').update(canonical).digest('hex');
      const end = runEnds.get(row.receiver_id);
      if (end && row.seq === end.seq + 1 && row.prev === end.digest) vouched++;
      else if (end) endRun(end);
      runEnds.set(row.receiver_id, {
        receiver_id: row.receiver_id,
        seq: row.seq,
        digest,
        canonical,
        sig: row.sig,
        received_at: row.received_at,
      });
      const where = {
        chain_seq: row.chain_seq as number,
        receiver_id: row.receiver_id as string,
        command_id: row.command_id as string,
        stage: row.stage as string,
      };
      if (row.chain_seq > expected)
        problems.push({
          log: 'acks',
          problem: 'deleted',
          chain_seq: expected,
          detail: row.chain_seq - expected > 1 ? `rows ${expected}–${row.chain_seq - 1}` : undefined,
        });
      if (ackHash(row.chain_seq, row as Parameters<typeof ackHash>[1], row.prev_hash) !== row.hash)
        problems.push({ log: 'acks', problem: 'altered', ...where });
      else if (row.prev_hash !== prev && row.chain_seq === expected)
        problems.push({
          log: 'acks',
          problem: 'link_broken',
          ...where,
          detail: 'the row before it was altered, replaced or moved',
        });
      if (ackNeed.has(row.chain_seq)) ackHashes.set(row.chain_seq, row.hash);
      prev = row.hash;
      ackLast = row.chain_seq;
      expected = row.chain_seq + 1;
    }
    for (const end of runEnds.values()) endRun(end);
  }

  // A receiver whose run did not verify: its acks newest first, each vouched for by the next one's
  // signature or checked alone, so that exactly the forged or unsigned ones are named.
  for (const receiverId of suspects) {
    let next: { seq: number; prev: string | null; trusted: boolean } | null = null;
    const rows = db.prepare<[string], StoredAckRow & { chain_seq: number; received_at: string }>(
      'SELECT receiver_id, seq, command_id, broadcast_id, stage, at, reason, detail, prev, sig, received_at, chain_seq FROM acks WHERE receiver_id = ? ORDER BY seq DESC, chain_seq DESC',
    );
    const keys = receiverKeys.get(receiverId) ?? [];
    for (const row of rows.iterate(receiverId)) {
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

  // Heads of both logs: contiguous, linked, signed by a trusted key, matching their log.
  const ackHeads = checkHeads(db, 'acks', ackLast, ackHashes, trusted, problems);
  const auditHeads = checkHeads(db, 'audit', auditLast, auditHashes, trusted, problems);
  checkLegacyAckHeads(db, ackLast, ackHashes, trusted, problems);

  // Anchors: what was copied off the box must still be what the file says.
  for (const anchor of headAnchors) {
    const where = { log: anchor.log, head_seq: anchor.head_seq, chain_seq: anchor.chain_seq, detail: anchor.source };
    const rejectedWhere = { ...where, detail: anchor.source ?? `head ${anchor.head_seq}` };
    const key = trusted.get(anchor.key_id);
    if (!key || !headSignatureValid(anchor, key)) {
      rejected.push({ ...rejectedWhere, problem: 'anchor_not_signed_by_a_trusted_key' });
      continue;
    }
    const stored = db
      .prepare<[string, number], ProofHead>(`SELECT ${headColumns} FROM proof_heads WHERE log = ? AND head_seq = ?`)
      .get(anchor.log, anchor.head_seq);
    if (!stored) problems.push({ ...where, problem: 'anchored_head_missing' });
    else if (stored.hash !== anchor.hash || stored.chain_seq !== anchor.chain_seq || stored.sig !== anchor.sig)
      problems.push({ ...where, problem: 'anchored_head_differs' });
    const rows = anchor.log === 'acks' ? ackLast : auditLast;
    const hashes = anchor.log === 'acks' ? ackHashes : auditHashes;
    if (anchor.chain_seq > rows)
      problems.push({
        ...where,
        problem: 'tail_deleted_after_anchor',
        detail: `${anchor.source ?? 'anchor'}: the log had ${anchor.chain_seq} rows, the file has ${rows}`,
      });
    else if (anchor.chain_seq > 0 && hashes.get(anchor.chain_seq) !== anchor.hash)
      problems.push({ ...where, problem: 'log_rewritten_since_anchor' });
  }
  for (const anchor of keyAnchors) {
    if (!keysAnchorValid(anchor, trusted))
      rejected.push({
        log: 'keys',
        problem: 'anchor_not_signed_by_a_trusted_key',
        detail: `keys record of ${anchor.at}`,
      });
    else checkKeysAnchor(anchor, receiverKeys, fileSigningKeys, problems);
  }

  if (options.checkTriggers)
    for (const t of checkTriggers(db))
      problems.push({ log: 'triggers', problem: t.problem, detail: `${t.trigger} on ${t.table}` });

  return {
    ok: problems.length === 0,
    acks: {
      rows: ackRows,
      receivers: runEnds.size,
      signatures_checked: signaturesChecked,
      vouched_by_next: vouched,
      heads: ackHeads.count,
      covered_by_last_head: ackHeads.covered,
    },
    audit: { rows: auditRows, heads: auditHeads.count, covered_by_last_head: auditHeads.covered },
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

type AuditRowShape = AuditRowContent & { hash: string };
/** The newest ack seen of a receiver while walking the log: the end of its current run. */
type RunEnd = {
  receiver_id: string;
  seq: number;
  digest: string;
  canonical: string;
  sig: string | null;
  received_at: string;
};

function safeJson(text: string | null): Record<string, unknown> | null {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function safeVerify(bytes: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    return verify(null, bytes, key, signature);
  } catch {
    return false;
  }
}

/** The row numbers whose hashes the heads and anchors name (only those are kept while walking a log). */
function neededSeqs(db: Db, log: LogName, anchors: { log: string; chain_seq: number }[]): Set<number> {
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

function checkHeads(
  db: Db,
  log: LogName,
  lastRow: number,
  hashes: Map<number, string>,
  trusted: Map<string, KeyObject>,
  problems: ProofProblem[],
): { count: number; covered: number } {
  let expected = 1;
  let prevDigest = GENESIS;
  let prevChain = 0;
  let count = 0;
  let covered = 0;
  for (const head of db
    .prepare<[string], ProofHead>(`SELECT ${headColumns} FROM proof_heads WHERE log = ? ORDER BY head_seq`)
    .iterate(log)) {
    count++;
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
function checkLegacyAckHeads(
  db: Db,
  lastRow: number,
  hashes: Map<number, string>,
  trusted: Map<string, KeyObject>,
  problems: ProofProblem[],
): void {
  for (const head of db
    .prepare<[], { chain_seq: number; hash: string; key_id: string; sig: string }>(
      'SELECT chain_seq, hash, key_id, sig FROM ack_chain_heads ORDER BY chain_seq',
    )
    .iterate()) {
    const where = { log: 'acks' as const, chain_seq: head.chain_seq, detail: 'a head from before version 6' };
    const key = trusted.get(head.key_id);
    if (!key || !safeVerify(Buffer.from(`${head.chain_seq}:${head.hash}`), key, Buffer.from(head.sig, 'base64')))
      problems.push({ ...where, problem: 'head_forged' });
    else if (head.chain_seq > lastRow) problems.push({ ...where, problem: 'tail_deleted' });
    else if (hashes.get(head.chain_seq) !== head.hash) problems.push({ ...where, problem: 'head_does_not_match_log' });
  }
}

/** The province's copy of the key fingerprints against the file's key history. */
function checkKeysAnchor(
  anchor: KeysAnchor,
  receiverKeys: Map<string, { key_id: string; valid_from: string }[]>,
  signing: { key_id: string; valid_from: string }[],
  problems: ProofProblem[],
): void {
  const detail = 'keys as the anchored copy recorded them';
  const at = anchor.at;
  for (const [receiverId, ids] of Object.entries(anchor.receivers)) {
    const file = receiverKeys.get(receiverId) ?? [];
    for (const id of ids)
      if (!file.some((k) => k.key_id === id))
        problems.push({
          log: 'keys',
          problem: 'anchored_key_missing',
          receiver_id: receiverId,
          key_id: id,
          at,
          detail,
        });
  }
  for (const [receiverId, keys] of receiverKeys) {
    const ids = anchor.receivers[receiverId] ?? [];
    for (const k of keys)
      if (k.valid_from <= anchor.at && !ids.includes(k.key_id))
        problems.push({
          log: 'keys',
          problem: 'key_not_anchored',
          receiver_id: receiverId,
          key_id: k.key_id,
          at,
          detail: `the anchored copy never saw this key, though the file says it is valid from ${k.valid_from}`,
        });
  }
  for (const id of anchor.signing)
    if (!signing.some((k) => k.key_id === id))
      problems.push({ log: 'keys', problem: 'anchored_key_missing', key_id: id, at, detail });
  for (const k of signing)
    if (k.valid_from <= anchor.at && !anchor.signing.includes(k.key_id))
      problems.push({ log: 'keys', problem: 'key_not_anchored', key_id: k.key_id, at, detail });
}
