/** Runs the verifier in a worker thread on its own read-only connection (see verify-in-worker.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { verifyProof, type VerifyOptions } from './verify-proof.js';

const { dbFile, options } = workerData as { dbFile: string; options: VerifyOptions };
const db = new Database(dbFile, { readonly: true, fileMustExist: true });
try {
  db.pragma('busy_timeout = 5000');
  parentPort!.postMessage({ report: verifyProof(db, options) });
} catch (err) {
  parentPort!.postMessage({ error: (err as Error).message });
} finally {
  db.close();
}
