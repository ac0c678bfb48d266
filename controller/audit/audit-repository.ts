/**
 * The audit log: who did what, when, from where. Rows are append-only (triggers refuse UPDATE
 * and DELETE) and chained: each hash covers the row and the previous hash, so an edit or a
 * deletion in the middle shows; signed heads (controller/proof/) show a deleted tail.
 * controller/proof/verify-proof.ts checks it.
 */
import { auditRowHash, type AuditRowContent } from './audit-hash.js';
import { namedAuditRows } from './audit-view.js';
import type { Db } from '../db/database.js';
import type { AuditEntry, AuditLog } from './audit-log.js';

export type { AuditEntry } from './audit-log.js';
import type { Clock } from '../clock.js';
import type { DeferredWrites } from '../db/deferred-writes.js';

export type AuditRow = AuditRowContent & { hash: string };

const GENESIS = '0'.repeat(64);

const rowHash = auditRowHash;

export class AuditRepository implements AuditLog {
  private readonly lastStmt;
  private readonly insertStmt;

  /** `deferred`: where a record waits when the disk is full (none: the write fails as usual). */
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deferred?: DeferredWrites,
  ) {
    this.lastStmt = db.prepare<[], { id: number; hash: string }>(
      'SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1',
    );
    this.insertStmt = db.prepare(
      'INSERT INTO audit_log (id, at, actor, action, subject, detail, source_ip, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /**
   * Appends inside the caller's transaction when there is one, so the action and its record
   * commit together. On its own, a record that meets a full disk waits (in order) for room.
   */
  append(entry: AuditEntry): void {
    const at = this.clock.now().toISOString();
    const write = () => this.insert(entry, at);
    if (this.db.inTransaction || !this.deferred) write();
    else this.deferred.run(`audit ${entry.action}`, write);
  }

  private insert(entry: AuditEntry, at: string): void {
    const last = this.lastStmt.get();
    const row = {
      id: (last?.id ?? 0) + 1,
      at,
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject ?? null,
      detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
      source_ip: entry.source_ip ?? null,
      prev_hash: last?.hash ?? GENESIS,
    };
    const hash = rowHash(row);
    this.insertStmt.run(
      row.id,
      row.at,
      row.actor,
      row.action,
      row.subject,
      row.detail,
      row.source_ip,
      row.prev_hash,
      hash,
    );
  }

  /** The log's tip: how many rows and the last hash (what a signed head covers). */
  tip(): { chain_seq: number; hash: string } {
    const last = this.lastStmt.get();
    return { chain_seq: last?.id ?? 0, hash: last?.hash ?? GENESIS };
  }

  list(limit = 100, beforeId?: number): AuditRow[] {
    return this.db
      .prepare<[number, number], AuditRow>('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?')
      .all(beforeId ?? Number.MAX_SAFE_INTEGER, limit);
  }

  /** As list, with who, what and about what in words (audit-view.ts). */
  listNamed(limit: number, beforeId: number | undefined, lang: 'vi' | 'en') {
    return namedAuditRows(this.db, limit, beforeId, lang);
  }

  all(): AuditRow[] {
    return this.db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY id').all();
  }
}
