/**
 * The verifier's keys: the controller's signing keys (trusted as the province holds them, else as
 * the file has them) and each receiver's key history, every key checked against its fingerprint
 * and against the enrolments and rotations the audit log records.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { Db } from '../db/database.js';
import { ROWS_PER_STEP, type Steps } from '../shared/steps.js';
import { fingerprintOf } from './key-history.js';
import type { ProofProblem } from './proof-problems.js';
import type { AuditKeyRecords } from './verify-audit-log.js';

export type SigningKeyRow = { key_id: string; public_key: string; valid_from: string };
export type ReceiverKey = { key: KeyObject; key_id: string; valid_from: string };

/** A signature check that answers false, not throws, for a key or signature that cannot be read. */
export function safeVerify(bytes: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    return verify(null, bytes, key, signature);
  } catch {
    return false;
  }
}

/** The controller's keys as the file has them, and the ones trusted (the published ones when given). */
export function readSigningKeys(
  db: Db,
  trustedKeys: string[] | undefined,
  problems: ProofProblem[],
): { fileSigningKeys: SigningKeyRow[]; trusted: Map<string, KeyObject> } {
  const fileSigningKeys = db
    .prepare<[], SigningKeyRow>('SELECT key_id, public_key, valid_from FROM signing_keys ORDER BY valid_from')
    .all();
  const trusted = new Map<string, KeyObject>();
  for (const pem of trustedKeys ?? fileSigningKeys.map((k) => k.public_key))
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
  return { fileSigningKeys, trusted };
}

/**
 * Receiver keys: each recorded with its rotation, none recorded twice under one id; every key the
 * audit log says a receiver was given still in the history; every controller key recorded too.
 */
export function* readReceiverKeys(
  db: Db,
  records: AuditKeyRecords,
  fileSigningKeys: SigningKeyRow[],
  problems: ProofProblem[],
): Steps<{ receiverKeys: Map<string, ReceiverKey[]>; receiverKeyCount: number }> {
  const { keyRecords, recordedKeys } = records;
  const receiverKeys = new Map<string, ReceiverKey[]>();
  let receiverKeyCount = 0;
  for (const k of db
    .prepare<[], { receiver_id: string; key_id: string; public_key: string; valid_from: string }>(
      'SELECT * FROM receiver_keys ORDER BY receiver_id, valid_from',
    )
    .iterate()) {
    if (++receiverKeyCount % ROWS_PER_STEP === 0) yield;
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
  return { receiverKeys, receiverKeyCount };
}
