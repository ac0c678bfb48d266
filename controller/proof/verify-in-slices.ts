/**
 * The whole check in the controller, in slices of its thread: a year of a large commune's proof
 * takes tens of seconds to walk, and the controller must keep sending emergencies and storing acks
 * meanwhile. It ran in a worker thread until 2026-12-04: a second V8 heap, 11 MB and more for as
 * long as it ran, on a box whose controller must stay under 150 MB (issue 22). One check at a time;
 * callers who ask while one runs share its answer.
 */
import Database from 'better-sqlite3';
import { runInSlices } from '../shared/steps.js';
import { verifyProofSteps, type ProofReport, type VerifyOptions } from './verify-proof.js';

/** The longest run of the check before other work gets a turn (the ack inbox's slice is as long). */
const SLICE_MS = 8;

export async function verifyInSlices(
  dbFile: string,
  options: VerifyOptions = {},
  pausedForMs?: () => number,
): Promise<ProofReport> {
  // Its own read-only connection: the controller's keeps writing meanwhile.
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // The check reads each page about once, so a page cache only costs memory: better-sqlite3's
    // default lets it grow to 16 MB, which a 12,000-ack store filled (the whole file), on top of the
    // controller's own. 1 MB measured as fast (570-580 ms either way, 2026-12-04).
    db.pragma('cache_size = -1024');
    // One read transaction for the whole check, held across slices: every table as of one moment.
    // Statement by statement, acks and a head committed meanwhile by the running controller read as
    // a log that does not match its heads (a restart test failed so, once, on a loaded machine:
    // session 20).
    db.exec('BEGIN');
    return await runInSlices(verifyProofSteps(db, options), { sliceMs: SLICE_MS, pausedForMs });
  } finally {
    db.close();
  }
}

/** Shares one running check among everyone who asks while it runs. */
export class SharedVerification {
  private running?: Promise<ProofReport>;
  /** Until when (performance.now()) the check waits: an emergency is going out. */
  private pausedUntil = 0;

  constructor(
    private readonly dbFile: string,
    private readonly options: VerifyOptions = {},
  ) {}

  run(): Promise<ProofReport> {
    this.running ??= verifyInSlices(this.dbFile, this.options, () => this.pausedUntil - performance.now()).finally(
      () => {
        this.running = undefined;
      },
    );
    return this.running;
  }

  /** For `ms`, a running check takes no slice: the emergency has the thread (as the ack inbox's hold). */
  giveWay(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, performance.now() + ms);
  }
}
