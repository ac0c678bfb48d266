/**
 * The proof tables and the triggers that keep them append-only. Triggers stop mistakes and casual
 * edits, not the database's owner (who can drop them): so at every start the controller checks
 * they are all there and intact, restores any that is not, and writes that it did into the audit
 * log (which the verifier then names). What the owner can do beyond that is caught by the signed
 * heads and their copies off the box.
 */
import type { Db } from '../db/database.js';

/** Each append-only table with the prefix of its two triggers (`<prefix>_no_update`, `<prefix>_no_delete`). */
export const APPEND_ONLY_TABLES = [
  { table: 'audit_log', prefix: 'audit_log' },
  { table: 'acks', prefix: 'acks' },
  { table: 'ack_chain_heads', prefix: 'ack_heads' },
  { table: 'proof_heads', prefix: 'proof_heads' },
  { table: 'receiver_keys', prefix: 'receiver_keys' },
  { table: 'signing_keys', prefix: 'signing_keys' },
] as const;

export interface TriggerProblem {
  trigger: string;
  table: string;
  problem: 'trigger_missing' | 'trigger_altered';
}

function expected(): { name: string; table: string; op: 'UPDATE' | 'DELETE' }[] {
  return APPEND_ONLY_TABLES.flatMap(({ table, prefix }) => [
    { name: `${prefix}_no_update`, table, op: 'UPDATE' as const },
    { name: `${prefix}_no_delete`, table, op: 'DELETE' as const },
  ]);
}

/**
 * Names every append-only trigger that is missing or no longer refuses every row: its text must be
 * exactly `CREATE TRIGGER name BEFORE op ON table BEGIN SELECT RAISE(ABORT, '…'); END` — a WHEN
 * clause, a WHERE, or any other body would let some rows through.
 */
export function checkTriggers(db: Db): TriggerProblem[] {
  const present = new Map(
    db
      .prepare<[], { name: string; tbl_name: string; sql: string }>(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'",
      )
      .all()
      .map((t) => [t.name, t]),
  );
  const problems: TriggerProblem[] = [];
  for (const t of expected()) {
    const found = present.get(t.name);
    if (!found) problems.push({ trigger: t.name, table: t.table, problem: 'trigger_missing' });
    else if (found.tbl_name !== t.table || !strictShape(t).test(found.sql.replace(/\s+/g, ' ').trim())) {
      problems.push({ trigger: t.name, table: t.table, problem: 'trigger_altered' });
    }
  }
  return problems;
}

const strictShape = (t: { name: string; table: string; op: string }) =>
  new RegExp(
    `^CREATE TRIGGER ${t.name} BEFORE ${t.op} ON ${t.table} BEGIN SELECT RAISE ?\\( ?ABORT ?, ?'[^']*' ?\\) ?; END;?$`,
    'i',
  );

/** Puts back what `checkTriggers` found wrong; returns what it restored. */
export function restoreTriggers(db: Db): TriggerProblem[] {
  const problems = checkTriggers(db);
  const byName = new Map(expected().map((t) => [t.name, t]));
  db.transaction(() => {
    for (const p of problems) {
      const t = byName.get(p.trigger)!;
      db.exec(`DROP TRIGGER IF EXISTS ${t.name}`);
      db.exec(
        `CREATE TRIGGER ${t.name} BEFORE ${t.op} ON ${t.table} BEGIN SELECT RAISE(ABORT, '${t.table} is append-only'); END;`,
      );
    }
  })();
  return problems;
}
