import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditRepository } from '../../../controller/audit/audit-repository.js';
import { openDatabase, type Db } from '../../../controller/db/database.js';
import { verifyProof } from '../../../controller/proof/verify-proof.js';

let dir: string;
let db: Db;
let audit: AuditRepository;
const auditProblems = () =>
  verifyProof(db)
    .problems.filter((p) => p.log === 'audit')
    .map(({ problem, chain_seq }) => ({ problem, chain_seq }));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-'));
  db = openDatabase(join(dir, 'c.sqlite'));
  audit = new AuditRepository(db, { now: () => new Date('2026-11-25T21:00:00.000Z') });
  for (let i = 0; i < 6; i++)
    audit.append({ actor: 'token:admin', action: 'broadcast.created', subject: `b${i}`, detail: { i } });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the audit log', () => {
  it('verifies a whole chain', () => {
    expect(auditProblems()).toEqual([]);
    expect(verifyProof(db).audit.rows).toBe(6);
  });

  it('refuses updates and deletes through SQL', () => {
    expect(() => db.prepare("UPDATE audit_log SET actor = 'x' WHERE id = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = 5').run()).toThrow(/append-only/);
  });

  it('names every row someone altered after dropping the guard triggers, not only the first', () => {
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET subject = 'b-forged' WHERE id = 3").run();
    db.prepare("UPDATE audit_log SET actor = 'someone-else' WHERE id = 5").run();
    expect(auditProblems()).toEqual([
      { problem: 'altered', chain_seq: 3 },
      { problem: 'altered', chain_seq: 5 },
    ]);
  });

  it('names each gap where rows were deleted', () => {
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE id IN (2, 5)').run();
    expect(auditProblems()).toEqual([
      { problem: 'deleted', chain_seq: 2 },
      { problem: 'deleted', chain_seq: 5 },
    ]);
  });
});
