import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditRepository } from '../../../controller/audit/audit-repository.js';
import { openDatabase, type Db } from '../../../controller/db/database.js';

let dir: string;
let db: Db;
let audit: AuditRepository;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-'));
  db = openDatabase(join(dir, 'c.sqlite'));
  audit = new AuditRepository(db, { now: () => new Date('2026-11-25T21:00:00.000Z') });
  for (let i = 0; i < 5; i++) audit.append({ actor: 'token:admin', action: 'broadcast.created', subject: `b${i}`, detail: { i } });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the audit log', () => {
  it('verifies a whole chain', () => {
    expect(audit.verifyChain()).toEqual({ ok: true, rows: 5 });
  });

  it('refuses updates and deletes through SQL', () => {
    expect(() => db.prepare("UPDATE audit_log SET actor = 'x' WHERE id = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = 5').run()).toThrow(/append-only/);
  });

  it('names the row someone altered after dropping the guard triggers', () => {
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET subject = 'b-forged' WHERE id = 3").run();
    expect(audit.verifyChain()).toEqual({ ok: false, broken_at_id: 3, reason: 'row content altered' });
  });

  it('names the gap where a row was deleted', () => {
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE id = 2').run();
    expect(audit.verifyChain()).toMatchObject({ ok: false, broken_at_id: 3 });
  });
});
