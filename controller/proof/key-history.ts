/**
 * Key histories. A receiver's ack keys and the controller's signing keys are kept as rows that are
 * only ever added (a rotation adds a key and never rewrites one), each valid from the moment it was
 * recorded, each recorded in the audit log in the same transaction. The verifier checks an ack
 * against the keys its receiver had when the ack was stored, and names a key with no record of
 * its rotation; the fingerprints go to the province with every upward report, so a key swapped
 * in later is caught by comparing.
 */
import { createPublicKey } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { AuditLog } from '../audit/audit-log.js';
import { keyIdOf } from '../protocol/signing.js';

/** Receivers whose keys are kept in memory for the ack door, at most (about 1 KB each). */
const MAX_CACHED_RECEIVERS = 50_000;

export interface KeyRow {
  key_id: string;
  public_key: string;
  valid_from: string;
}

/** The audit actions that record a key (the verifier looks for one per key). */
export const KEY_RECORD_ACTIONS = [
  'receiver.enrolled',
  'receiver.credentials_rotated',
  'proof.receiver_key_recorded',
  'proof.signing_key_recorded',
] as const;

export const fingerprintOf = (pem: string): string => keyIdOf(createPublicKey(pem));

/** What the province keeps: every key's fingerprint, receivers' and the controller's. */
export interface KeyFingerprints {
  signing: string[];
  receivers: Record<string, string[]>;
}

export class KeyHistory {
  private readonly pemCache = new Map<string, string[]>();
  /** Whether every receiver's keys were read into the cache (once, at the first ack after a start). */
  private allRead = false;

  constructor(private readonly db: Db) {}

  /** Adds a receiver's ack key (at its enrolment); returns its fingerprint. Call inside the enrolment's transaction. */
  addReceiverKey(receiverId: string, pem: string, at: string): string {
    const keyId = fingerprintOf(pem);
    this.db
      .prepare('INSERT OR IGNORE INTO receiver_keys (receiver_id, key_id, public_key, valid_from) VALUES (?, ?, ?, ?)')
      .run(receiverId, keyId, pem, at);
    return keyId;
  }

  /** The public keys (PEM) a receiver's acks may be signed with, newest first, cached for the ingest path; `forget` after an enrolment. */
  receiverPems(receiverId: string): string[] {
    if (!this.allRead) this.readAllPems();
    let pems = this.pemCache.get(receiverId);
    if (!pems) {
      if (this.pemCache.size >= MAX_CACHED_RECEIVERS) this.pemCache.clear();
      pems = this.receiverKeys(receiverId)
        .map((k) => k.public_key)
        .reverse();
      this.pemCache.set(receiverId, pems);
    }
    return pems;
  }

  /**
   * Every receiver's keys in one query, at the first ack after a start: a fleet's acks then meet
   * thousands of receivers at once, and a query each cost about 50 µs (a quarter of a second at
   * 5,000 receivers, on the controller's thread while acks wait).
   */
  private readAllPems(): void {
    this.allRead = true;
    const rows = this.db
      .prepare<[number], { receiver_id: string; public_key: string }>(
        `SELECT receiver_id, public_key FROM receiver_keys
         WHERE (SELECT count(DISTINCT receiver_id) FROM receiver_keys) <= ?
         ORDER BY receiver_id, valid_from DESC`,
      )
      .all(MAX_CACHED_RECEIVERS);
    for (const r of rows) {
      const pems = this.pemCache.get(r.receiver_id);
      if (pems) pems.push(r.public_key);
      else this.pemCache.set(r.receiver_id, [r.public_key]);
    }
  }

  forget(receiverId: string): void {
    this.pemCache.delete(receiverId);
  }

  receiverKeys(receiverId: string): KeyRow[] {
    return this.db
      .prepare<[string], KeyRow>(
        'SELECT key_id, public_key, valid_from FROM receiver_keys WHERE receiver_id = ? ORDER BY valid_from',
      )
      .all(receiverId);
  }

  signingKeys(): KeyRow[] {
    return this.db
      .prepare<[], KeyRow>('SELECT key_id, public_key, valid_from FROM signing_keys ORDER BY valid_from')
      .all();
  }

  /** Rows in both histories (keys are only ever added, so a change in count is a change in keys). */
  count(): number {
    return this.db
      .prepare<[], { n: number }>(
        'SELECT (SELECT count(*) FROM receiver_keys) + (SELECT count(*) FROM signing_keys) AS n',
      )
      .get()!.n;
  }

  fingerprints(): KeyFingerprints {
    const receivers: Record<string, string[]> = {};
    for (const r of this.db
      .prepare<[], { receiver_id: string; key_id: string }>(
        'SELECT receiver_id, key_id FROM receiver_keys ORDER BY receiver_id, valid_from',
      )
      .all()) {
      (receivers[r.receiver_id] ??= []).push(r.key_id);
    }
    return { signing: this.signingKeys().map((k) => k.key_id), receivers };
  }

  /**
   * At start: the controller's current signing key, and receivers' keys from before the history
   * existed (enrolled on an older version), are recorded with an audit entry each. A signing key
   * that appears here without a rotation is itself a finding: the audit entry says so.
   */
  recordMissing(
    signingPublicKeyPem: string,
    at: string,
    audit: AuditLog,
    log?: { error(o: object, msg: string): void },
  ): void {
    this.db.transaction(() => {
      const keyId = fingerprintOf(signingPublicKeyPem);
      if (!this.db.prepare('SELECT 1 FROM signing_keys WHERE key_id = ?').get(keyId)) {
        const before = this.signingKeys().map((k) => k.key_id);
        this.db
          .prepare('INSERT INTO signing_keys (key_id, public_key, valid_from) VALUES (?, ?, ?)')
          .run(keyId, signingPublicKeyPem, at);
        audit.append({
          actor: 'system',
          action: 'proof.signing_key_recorded',
          subject: keyId,
          detail: { key_id: keyId, earlier_keys: before },
        });
      }
      const rows = this.db
        .prepare<
          [],
          { id: string; ack_public_key: string | null; previous_ack_keys: string | null; enrolled_at: string | null }
        >('SELECT id, ack_public_key, previous_ack_keys, enrolled_at FROM receivers')
        .all();
      for (const r of rows) {
        const pems = [
          ...(r.previous_ack_keys ? (JSON.parse(r.previous_ack_keys) as string[]) : []),
          ...(r.ack_public_key ? [r.ack_public_key] : []),
        ];
        const known = new Set(this.receiverKeys(r.id).map((k) => k.key_id));
        if (known.size > 0) {
          // The history is the truth: a key in the receivers table the history never had was put there by hand.
          for (const pem of pems) {
            const id = fingerprintOf(pem);
            if (!known.has(id))
              audit.append({
                actor: 'system',
                action: 'proof.key_not_in_history',
                subject: r.id,
                detail: { ack_key_id: id },
              });
          }
          continue;
        }
        // A receiver the audit log shows enrolled with a recorded key had a history: rows gone from it are a finding, never refilled.
        const recorded = this.db
          .prepare<[string], { n: number }>(
            "SELECT count(*) AS n FROM audit_log WHERE subject = ? AND action IN ('receiver.enrolled', 'receiver.credentials_rotated') AND json_extract(detail, '$.ack_key_id') IS NOT NULL",
          )
          .get(r.id)!.n;
        if (recorded > 0) {
          for (const pem of pems) {
            const id = fingerprintOf(pem);
            const said = this.db
              .prepare(
                "SELECT 1 FROM audit_log WHERE subject = ? AND action = 'proof.key_not_in_history' AND json_extract(detail, '$.ack_key_id') = ?",
              )
              .get(r.id, id);
            if (!said)
              audit.append({
                actor: 'system',
                action: 'proof.key_not_in_history',
                subject: r.id,
                detail: { ack_key_id: id },
              });
            log?.error(
              { receiver_id: r.id, ack_key_id: id },
              "a receiver's ack key is not in the key history (rows deleted?): its acks are refused until it is re-enrolled",
            );
          }
          continue;
        }
        for (const pem of pems) {
          // Enrolled before the history existed: valid since before any ack we hold.
          const id = this.addReceiverKey(r.id, pem, '1970-01-01T00:00:00.000Z');
          audit.append({
            actor: 'system',
            action: 'proof.receiver_key_recorded',
            subject: r.id,
            detail: { ack_key_id: id, enrolled_before_history: true },
          });
        }
      }
    })();
  }
}
