/**
 * Reports for the commune and the province, computed from the stored proof: the as-run log (what
 * was scheduled and what each receiver actually did), and period reports (week, month, quarter,
 * year or any range). This service ties them to the controller's clock, the commune's zone and
 * the cached check of the tamper-evident store; each job is in its own file.
 */
import type { Clock } from '../clock.js';
import type { ProofReport } from '../proof/verify-proof.js';
import { ackGaps, asRunLog } from './as-run-log.js';
import { periodReport, type PeriodReportSources } from './period-report.js';
import { periodOf, type Period, type PeriodKind } from './report-period.js';
import { fanOutEvents } from '../shared/typed-events.js';
import {
  acksStored,
  integrityOf,
  StoreIntegrity,
  type CheckedStore,
  type ReportedIntegrity,
  type StoreCheck,
} from './store-integrity.js';

export interface ReportsServiceOptions extends PeriodReportSources {
  clock: Clock;
  verifyStore: () => Promise<ProofReport>;
}

export class ReportsService {
  private readonly sources: PeriodReportSources;
  private readonly clock: Clock;
  private readonly integrity: StoreIntegrity<ProofReport>;
  /** 'integrity': a check made because the database was written from outside (watchOutsideWrites). */
  readonly events = fanOutEvents<{ integrity: [ReportedIntegrity] }>();
  private watch?: NodeJS.Timeout;
  private watching?: Promise<void>;
  /** The time of the last check told to `events`. */
  private told?: number;

  constructor({ db, rollups, hamlets, receivers, presence, clock, settings, verifyStore }: ReportsServiceOptions) {
    this.sources = { db, rollups, hamlets, receivers, presence, settings };
    this.clock = clock;
    // data_version changes only when another connection (the sqlite3 tool, an admin command) commits.
    this.integrity = new StoreIntegrity(
      verifyStore,
      clock,
      () => db.pragma('data_version', { simple: true }) as number,
    );
  }

  /**
   * Checks the store's integrity if the last check is older than `maxAgeMs` (an hour; off the event loop;
   * callers waiting meanwhile share the one check). Report routes await it before `report()`.
   */
  async freshIntegrity(maxAgeMs?: number): Promise<void> {
    await this.integrity.fresh(maxAgeMs);
  }

  /**
   * Every `everyMs`, checks the store again when someone wrote the database from outside since the
   * last check (the sqlite3 tool, say), and tells `events` what it found: pages already open say
   * so within seconds, not only those opened after (outsider F, session 20). A pragma read when
   * nothing changed.
   */
  watchOutsideWrites(everyMs = 10_000): void {
    // A first check at start: until one is made, coverage can only say "not checked yet", and a
    // row edited while the controller was stopped would read as heard (outsider, 2026-12-04: 20 s).
    this.watching = this.integrity
      .fresh()
      .catch(() => {}) // logged by the check itself
      .finally(() => (this.watching = undefined));
    this.watch = setInterval(() => {
      if (this.watching) return;
      // Whoever asked for the check (this watch, a report, a coverage page), each new one is told.
      const tell = () => {
        const latest = this.integrity.latest();
        if (!latest || latest.at === this.told) return;
        this.told = latest.at;
        this.events.emit('integrity', integrityOf(latest));
      };
      if (!this.integrity.writtenSinceCheck()) return tell();
      this.watching = this.integrity
        .fresh()
        .then(tell)
        .catch(() => {}) // logged by the check itself
        .finally(() => (this.watching = undefined));
    }, everyMs);
    this.watch.unref();
  }

  stopWatching(): void {
    clearInterval(this.watch);
  }

  /** The whole store checked now (or the check under way joined); coverage and reports then state it. */
  checkStoreNow(): Promise<ProofReport> {
    return this.integrity.checkNow();
  }

  /** Whether the database was written from outside the controller since the last check of the store. */
  storeWrittenSinceCheck(): boolean {
    return this.integrity.writtenSinceCheck();
  }

  /** The last check of the store's integrity (null: never checked yet); its time is reported with it. */
  storeIntegrity(): CheckedStore | null {
    return this.integrity.latest();
  }

  /** Benchmarks: a known check result, so that timings measure the report alone. */
  useIntegrity(result: StoreCheck): void {
    this.integrity.use(result);
  }

  /** The controller's clock (routes refuse periods that have not begun). */
  now(): Date {
    return this.clock.now();
  }

  /** The period of a kind that contains `date` (local; default today), or the given range (dates inclusive). */
  period(kind: PeriodKind, date?: string, from?: string, to?: string): Period {
    return periodOf(this.sources.settings.timezone, this.clock.now(), kind, date, from, to);
  }

  /**
   * Every broadcast of the period, receiver by receiver, and every occurrence that was missed, with
   * the last check of the store: the log rests on the acks, and an altered store must be said with it.
   */
  asRun(period: Period) {
    return {
      ...asRunLog(this.sources.db, period, this.clock.now()),
      integrity: integrityOf(this.integrity.latest(), acksStored(this.sources.db)),
    };
  }

  /** Gaps in receivers' ack numbers: acks made but not stored here (see `ackGaps`). */
  gaps() {
    return ackGaps(this.sources.db);
  }

  /** The period report (see `periodReport`), with the last check of the store. */
  report(period: Period) {
    return periodReport(this.sources, period, this.clock.now(), this.integrity.latest());
  }
}
