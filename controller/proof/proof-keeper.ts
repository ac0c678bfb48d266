/**
 * Keeps the proof at run time: at start it checks the append-only triggers (restoring any that
 * was dropped or altered, and saying so in the audit log), records keys the history lacks and
 * signs a head of each log; every second it signs a head of each log that moved, and once more
 * at shutdown. Heads go to the witness; key fingerprints too, whenever they change. It also
 * compares the heads receivers report back (their anchors) with the database's.
 */
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { ProofHead } from '../protocol/messages.js';
import { headAnchor, signKeysAnchor, type KeysAnchor } from './anchor-records.js';
import type { CommandSigner } from '../protocol/signing.js';
import { restoreTriggers } from './append-only.js';
import type { KeyHistory } from './key-history.js';
import { headSignatureValid, type LogTip, type ProofHeads } from './proof-heads.js';
import type { Witness } from './witness.js';

export interface ProofKeeperOptions {
  db: Db;
  heads: ProofHeads;
  keys: KeyHistory;
  audit: AuditLog;
  ackTip: () => LogTip;
  auditTip: () => LogTip;
  /** Its public key is recorded in the key history; it signs the key-fingerprint records (heads are signed by `heads`). */
  signer: CommandSigner;
  witness: Witness;
  clock: Clock;
  log: Logger;
  /** How often heads are signed while the logs move (default 1 s). */
  every_ms?: number;
}

export class ProofKeeper {
  private timer?: NodeJS.Timeout;
  private keysSeen = '';
  /** How many key rows there were at the last look: the fingerprints are read again only when it changes. */
  private keyRows = -1;
  /** The head_seq last checked per receiver, so a receiver reporting the same anchor each minute is checked once. */
  private readonly anchorsChecked = new Map<string, number>();

  constructor(private readonly o: ProofKeeperOptions) {
    o.heads.onHead((head) => o.witness.record(headAnchor(head)));
  }

  start(): void {
    const { db, audit, log, clock } = this.o;
    const restored = restoreTriggers(db);
    if (restored.length > 0) {
      log.error(
        { triggers: restored },
        'append-only triggers were missing or altered: restored (recorded in the audit log)',
      );
      audit.append({ actor: 'system', action: 'proof.triggers_restored', detail: { triggers: restored } });
    }
    this.o.keys.recordMissing(this.o.signer.publicKeyPem, clock.now().toISOString(), audit, log);
    this.tick();
    this.timer = setInterval(() => this.tick(), this.o.every_ms ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.tick();
    const acks = this.o.heads.latest('acks');
    const audit = this.o.heads.latest('audit');
    this.o.log.info(
      {
        acks_head: acks && { head_seq: acks.head_seq, rows: acks.chain_seq },
        audit_head: audit && { head_seq: audit.head_seq, rows: audit.chain_seq },
      },
      'proof heads signed up to the last row of each log',
    );
  }

  /** Signs the ack log's head now (before receipts go out, so they carry a head covering their acks). */
  signAcks(): ProofHead | null {
    return this.o.heads.sign('acks', this.o.ackTip(), this.o.clock.now().toISOString());
  }

  /** Heads signed now for both logs, and every key's fingerprint: what upward reports carry to the province. */
  anchors(): { heads: { acks: ProofHead | null; audit: ProofHead | null }; keys: KeysAnchor } {
    const at = this.o.clock.now().toISOString();
    return {
      heads: {
        acks: this.o.heads.sign('acks', this.o.ackTip(), at),
        audit: this.o.heads.sign('audit', this.o.auditTip(), at),
      },
      keys: signKeysAnchor({ kind: 'keys', at, ...this.o.keys.fingerprints() }, this.o.signer),
    };
  }

  tick(): void {
    try {
      const at = this.o.clock.now().toISOString();
      this.o.heads.sign('acks', this.o.ackTip(), at);
      this.o.heads.sign('audit', this.o.auditTip(), at);
      this.recordKeysIfChanged(at);
      void this.o.witness.flush(); // what a witness URL did not take yet
    } catch (err) {
      this.o.log.error({ err: (err as Error).message }, 'signing the proof heads failed; tried again in a second');
    }
  }

  private recordKeysIfChanged(at: string): void {
    if (!this.o.witness.enabled) return;
    // Every second: a count, not the whole history (10,000 receivers' keys), unless a key was added.
    const rows = this.o.keys.count();
    if (rows === this.keyRows) return;
    this.keyRows = rows;
    const fingerprints = this.o.keys.fingerprints();
    const text = JSON.stringify(fingerprints);
    if (text === this.keysSeen) return;
    this.keysSeen = text;
    this.o.witness.record(signKeysAnchor({ kind: 'keys', at, ...fingerprints }, this.o.signer));
  }

  /**
   * A receiver reported the newest head it was given. If the database no longer holds that head
   * as signed, someone changed the proof after the receiver saw it: said loudly, and audited.
   */
  checkAnchor(receiverId: string, head: ProofHead): void {
    if (this.anchorsChecked.get(receiverId) === head.head_seq) return;
    this.anchorsChecked.set(receiverId, head.head_seq);
    const key = this.o.keys.signingKeys().find((k) => k.key_id === head.key_id);
    if (!key || !headSignatureValid(head, key.public_key)) {
      this.o.log.warn(
        { receiver_id: receiverId, head_seq: head.head_seq },
        'a receiver reported a head this controller did not sign',
      );
      return;
    }
    const stored = this.o.db
      .prepare<[string, number], ProofHead>(
        'SELECT log, head_seq, chain_seq, hash, prev_head, signed_at, key_id, sig FROM proof_heads WHERE log = ? AND head_seq = ?',
      )
      .get(head.log, head.head_seq);
    const problem = !stored
      ? 'anchored_head_missing'
      : stored.hash !== head.hash || stored.chain_seq !== head.chain_seq || stored.sig !== head.sig
        ? 'anchored_head_differs'
        : null;
    if (!problem) return;
    this.o.log.error(
      { receiver_id: receiverId, head_seq: head.head_seq, problem },
      'a head a receiver holds is not in the database as signed: the proof was changed',
    );
    this.o.audit.append({
      actor: 'system',
      action: 'proof.anchor_mismatch',
      subject: receiverId,
      detail: { problem, head },
    });
  }
}
