/**
 * The reports' view of the tamper-evident store: checking it reads every ack, so a check is
 * reused for up to an hour, run off the event loop, and callers waiting meanwhile share the one check.
 * Never reused once the database was written by anything but the controller itself (SQLite's
 * data_version: someone with the sqlite3 tool, say): a report made after an edit said "intact" from
 * the check before it for up to an hour, in a signed PDF (outsider, session 18).
 */
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { ProofReport } from '../proof/verify-proof.js';

/** How long a check of the whole acknowledgement store is reused by reports (it reads every ack). */
const INTEGRITY_MAX_AGE_MS = 3_600_000;

export type StoreCheck = Pick<ProofReport, 'ok' | 'acks' | 'audit' | 'problems'>;

/** A check's result and when it was made (the clock's time, reported with it). */
export interface CheckedStore {
  result: StoreCheck;
  at: number;
}

export class StoreIntegrity<T extends StoreCheck = StoreCheck> {
  /** The last check: when (the clock's time, reported), its age's start (monotonic, for the cache), the store's version it saw. */
  private last?: CheckedStore & { mono: number; version: number };
  private checking?: Promise<T>;

  /** `outsideWrites`: a number that changes when another connection writes the database (its data_version). */
  constructor(
    private readonly verifyStore: () => Promise<T>,
    private readonly clock: Clock,
    private readonly outsideWrites: () => number = () => 0,
  ) {}

  /** Checks the store if the last check is older than `maxAgeMs` (default an hour), or the database was written from outside since. */
  async fresh(maxAgeMs = INTEGRITY_MAX_AGE_MS): Promise<void> {
    const last = this.last;
    if (last && performance.now() - last.mono <= maxAgeMs && last.version === this.outsideWrites()) return;
    await this.checkNow();
  }

  /**
   * Checks the store now (or joins the check under way) and keeps the result as the latest. Every
   * whole-store check goes through here: one asked for by hand (`/api/coverage/verify`, the audit
   * page) is the one coverage and reports then state. They were two: ten checks by hand that
   * found an altered ack left coverage stating the older check (outsider, 2026-12-04).
   */
  checkNow(): Promise<T> {
    if (!this.checking) {
      // The version before the check: a write during it makes the next call check again.
      const version = this.outsideWrites();
      this.checking = this.verifyStore()
        .then((result) => {
          this.last = { result, at: this.clock.now().getTime(), mono: performance.now(), version };
          return result;
        })
        .finally(() => {
          this.checking = undefined;
        });
    }
    return this.checking;
  }

  /** Whether another connection wrote the database since the last check (someone with the sqlite3 tool, say). */
  writtenSinceCheck(): boolean {
    return this.last !== undefined && this.last.version !== this.outsideWrites();
  }

  /** The last check (null: never checked yet). */
  latest(): CheckedStore | null {
    return this.last ?? null;
  }

  /** Takes a known result as the latest check (benchmarks: timings then measure the report alone). */
  use(result: StoreCheck): void {
    this.last = { result, at: this.clock.now().getTime(), mono: performance.now(), version: this.outsideWrites() };
  }
}

/** The last check of the store as a report states it (every report and export carries one). */
export function integrityOf(checked: CheckedStore | null, acksStored?: number) {
  return checked
    ? {
        ok: checked.result.ok,
        acks_checked: checked.result.acks.rows,
        // Stored since that check (reports reuse one up to an hour old): not covered by its "intact".
        // An outsider's report said "intact: 0 checked" of a check made before any of its acks.
        acks_unchecked: acksStored === undefined ? 0 : Math.max(0, acksStored - checked.result.acks.rows),
        signed_head: checked.result.acks.covered_by_last_head || null,
        audit_rows: checked.result.audit.rows,
        problems: checked.result.problems.length,
        checked_at: new Date(checked.at).toISOString(),
      }
    : {
        ok: null,
        acks_checked: 0,
        acks_unchecked: acksStored ?? 0,
        signed_head: null,
        audit_rows: 0,
        problems: 0,
        checked_at: null,
      };
}

export type ReportedIntegrity = ReturnType<typeof integrityOf>;

/** How many acks the store holds now: a report's reused check may be older than some of them. */
export function acksStored(db: Db): number {
  return db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM acks').get()!.n;
}
