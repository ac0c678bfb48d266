/** The one door to better-sqlite3: opening, pragmas and migrations. */
import Database from 'better-sqlite3';
import { migrations } from './migrations.js';

export type Db = Database.Database;

export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL, not NORMAL: in WAL mode NORMAL can lose the last commits on power loss, and acks and
  // the audit log are proof that must survive a commune's power cuts. Acks are batched, so the
  // extra fsync per commit is paid once per batch.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // 8 MB of page cache, not better-sqlite3's 16 MB: a store grown for months keeps the cache
  // full, and the controller's whole budget is 150 MB at 1,000 receivers. The reports bench
  // (4.3 million acks) read the same at 8 and 16 MB, in alternating runs (2026-12-04); at 4 MB a
  // year's report took 10-20 % longer.
  db.pragma('cache_size = -8000');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let i = current; i < migrations.length; i++) {
    db.transaction(() => {
      db.exec(migrations[i]);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}

/** A constant list of known words as an SQL `IN (...)` operand (never for values from outside). */
export const sqlList = (values: readonly string[]): string =>
  `(${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;
