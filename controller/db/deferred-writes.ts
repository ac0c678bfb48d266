/**
 * Writes that wait for room on a full disk. When SQLite answers "database or disk is full", an
 * emergency must still go out and its record must not be lost: the write is kept here, in order,
 * and retried until the disk has room again. Everything else fails with a clear 507 instead.
 * Kept in memory only: a controller that also loses power while the disk is full loses these
 * records (the log has each one); what reached the receivers is in their own ack outboxes.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';

/** SQLITE_FULL (SQLite's answer to ENOSPC too), or "no space left on device" from a file write. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC';
}

export class DeferredWrites {
  private readonly queue: { what: string; write: () => void }[] = [];
  private timer?: NodeJS.Timeout;
  /** When the disk was last found full, while writes still wait. */
  fullSince: string | null = null;

  constructor(
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly retryMs = 5000,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  /**
   * Writes now, unless earlier writes still wait (order is kept) or the disk is full: then later.
   * Returns whether it was written now. Errors other than a full disk are thrown as usual.
   */
  run(what: string, write: () => void): boolean {
    if (this.queue.length === 0) {
      try {
        write();
        return true;
      } catch (err) {
        if (!isDiskFull(err)) throw err;
      }
    }
    this.later(what, write);
    return false;
  }

  /** Keeps a write that has just failed on a full disk (or waits behind one). */
  later(what: string, write: () => void): void {
    this.log.error({ what, waiting: this.queue.length + 1 }, 'disk full: write kept in memory until there is room');
    this.queue.push({ what, write });
    this.fullSince ??= this.clock.now().toISOString();
    this.timer ??= setTimeout(() => this.retry(), this.retryMs);
  }

  /** Writes what waits, in order, until the disk is full again. */
  retry(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const next = this.queue[0];
      try {
        next.write();
      } catch (err) {
        if (!isDiskFull(err)) {
          // Not a space problem: this write cannot succeed by waiting; say so and go on with the rest.
          this.log.error({ err, what: next.what }, 'a deferred write failed and is dropped');
        } else {
          this.timer = setTimeout(() => this.retry(), this.retryMs);
          return;
        }
      }
      this.queue.shift();
    }
    this.log.warn('the disk has room again: every deferred write is stored');
    this.fullSince = null;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length > 0) this.retry();
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length > 0)
      this.log.error(
        { lost: this.queue.map((q) => q.what) },
        'stopping with writes that could not be stored (disk full)',
      );
  }
}
