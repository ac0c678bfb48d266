/**
 * A proof bundle: one SQLite file with the proof tables copied from the controller's database —
 * acks, the audit log, the signed heads and the key histories — and nothing else (no accounts, no
 * secrets). The province keeps it and checks it with `npm run verify-proof`, without the
 * commune's controller. SQLite because any tool opens it, and the verifier walks it in the orders
 * it needs with an index instead of loading a year of acks into memory.
 */
import { existsSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Db } from '../db/database.js';
import { checkTriggers } from './append-only.js';

export const BUNDLE_FORMAT = 'tt-proof/1';
export const PROOF_TABLES = [
  'acks',
  'audit_log',
  'proof_heads',
  'ack_chain_heads',
  'receiver_keys',
  'signing_keys',
] as const;

export interface BundleInfo {
  format: string;
  commune_id: string;
  commune_name: string;
  /** The commune's zone, for people reading times (the instants themselves are UTC). */
  timezone: string;
  exported_at: string;
  /** Append-only triggers found missing or altered in the database at export. */
  trigger_problems: string[];
}

export function exportBundle(
  db: Db,
  file: string,
  info: Omit<BundleInfo, 'format' | 'trigger_problems'>,
): { acks: number; audit: number } {
  if (existsSync(file)) rmSync(file);
  const out = new Database(file);
  try {
    out.pragma('journal_mode = DELETE');
    for (const table of PROOF_TABLES) {
      if (table === 'acks') continue; // made below, in storing order
      const { sql } = db
        .prepare<[string], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
        .get(table)!;
      out.exec(sql);
    }
    out.exec('CREATE TABLE bundle_info (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT');
    out.close();
    // Copied in one read transaction of the source: a consistent snapshot while the controller runs.
    db.exec(`ATTACH DATABASE '${file.replace(/'/g, "''")}' AS bundle`);
    try {
      db.transaction(() => {
        // Acks in a plain table written in storing order, so the verifier's one pass reads the file front to back.
        db.exec('CREATE TABLE bundle.acks AS SELECT * FROM main.acks WHERE 0');
        db.exec('INSERT INTO bundle.acks SELECT * FROM main.acks ORDER BY chain_seq');
        for (const table of PROOF_TABLES)
          if (table !== 'acks') db.exec(`INSERT INTO bundle.${table} SELECT * FROM main.${table}`);
        const full: BundleInfo = {
          format: BUNDLE_FORMAT,
          ...info,
          trigger_problems: checkTriggers(db).map((t) => `${t.problem}: ${t.trigger}`),
        };
        const insert = db.prepare('INSERT INTO bundle.bundle_info (key, value) VALUES (?, ?)');
        for (const [k, v] of Object.entries(full)) insert.run(k, JSON.stringify(v));
      })();
    } finally {
      db.exec('DETACH DATABASE bundle');
    }
  } finally {
    if (out.open) out.close();
  }
  const done = new Database(file);
  // The verifier walks the log by chain_seq, and a receiver's acks in order when one does not verify.
  done.exec(
    'CREATE INDEX acks_by_chain ON acks(chain_seq); CREATE INDEX acks_by_receiver_seq ON acks(receiver_id, seq)',
  );
  const counts = {
    acks: (done.prepare('SELECT count(*) AS n FROM acks').get() as { n: number }).n,
    audit: (done.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n,
  };
  done.close();
  return counts;
}

export function readBundleInfo(db: Db): BundleInfo | null {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'bundle_info'").get();
  if (!has) return null;
  const rows = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM bundle_info').all();
  return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)])) as BundleInfo;
}
