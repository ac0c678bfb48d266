/** Runs the verifier in a worker thread on its own read-only connection (see verify-in-worker.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { verifyProof, type VerifyOptions } from './verify-proof.js';

const { dbFile, options } = workerData as { dbFile: string; options: VerifyOptions };
const db = new Database(dbFile, { readonly: true, fileMustExist: true });
try {
  db.pragma('busy_timeout = 5000');
  // The check reads each page about once, so a page cache only costs memory: better-sqlite3's
  // default lets it grow to 16 MB, which a 12,000-ack store filled (the whole file), on top of the
  // controller's own. 1 MB measured as fast (570-580 ms either way, 2026-12-04).
  db.pragma('cache_size = -1024');
  // One read transaction: every table as of one moment. Statement by statement, acks and a head
  // committed meanwhile by the running controller read as a log that does not match its heads
  // (a restart test failed so, once, on a loaded machine: session 20).
  parentPort!.postMessage({ report: db.transaction(() => verifyProof(db, options))() });
} catch (err) {
  parentPort!.postMessage({ error: (err as Error).message });
} finally {
  db.close();
}
