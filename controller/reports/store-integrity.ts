/**
 * The reports' view of the tamper-evident store: checking it reads every ack, so a check is
 * reused for up to an hour, run off the event loop, and callers waiting meanwhile share the one check.
 */
import type { Clock } from '../clock.js';
import type { ProofReport } from '../proof/verify-proof.js';

/** How long a check of the whole acknowledgement store is reused by reports (it reads every ack). */
const INTEGRITY_MAX_AGE_MS = 3_600_000;

export type StoreCheck = Pick<ProofReport, 'ok' | 'acks' | 'audit' | 'problems'>;

/** A check's result and when it was made (the clock's time, reported with it). */
export interface CheckedStore {
  result: StoreCheck;
  at: number;
}

export class StoreIntegrity {
  /** The last check: when (the clock's time, reported) and its age's start (monotonic, for the cache). */
  private last?: CheckedStore & { mono: number };
  private checking?: Promise<void>;

  constructor(
    private readonly verifyStore: () => Promise<StoreCheck>,
    private readonly clock: Clock,
  ) {}

  /** Checks the store if the last check is older than `maxAgeMs` (default an hour). */
  async fresh(maxAgeMs = INTEGRITY_MAX_AGE_MS): Promise<void> {
    if (this.last && performance.now() - this.last.mono <= maxAgeMs) return;
    this.checking ??= this.verifyStore()
      .then((result) => {
        this.last = { result, at: this.clock.now().getTime(), mono: performance.now() };
      })
      .finally(() => {
        this.checking = undefined;
      });
    await this.checking;
  }

  /** The last check (null: never checked yet). */
  latest(): CheckedStore | null {
    return this.last ?? null;
  }

  /** Takes a known result as the latest check (benchmarks: timings then measure the report alone). */
  use(result: StoreCheck): void {
    this.last = { result, at: this.clock.now().getTime(), mono: performance.now() };
  }
}
