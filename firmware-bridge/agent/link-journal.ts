/**
 * What the receiver's journal says of its link: a failure once, not at every attempt (a receiver
 * whose broker is gone tries every few seconds, all night: ECONNREFUSED thousands of times hid the
 * lines a technician needs), again every few minutes while it goes on, and the connection that
 * ends it with how many attempts failed before it.
 */
import type { Logger } from 'pino';

/** The same failure is said again after this long, with how many times it happened meanwhile. */
const REPEAT_EVERY_MS = 5 * 60_000;

export class LinkJournal {
  private lastError?: string;
  private lastSaidAt = -Infinity;
  /** Failures since the last connection, and of those, the ones not said. */
  private failures = 0;
  private unsaid = 0;

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {}

  failed(message: string): void {
    this.failures++;
    const now = this.now();
    if (message === this.lastError && now - this.lastSaidAt < REPEAT_EVERY_MS) return void this.unsaid++;
    this.log.warn({ err: message, ...(this.unsaid > 0 ? { repeated: this.unsaid } : {}) }, 'mqtt error');
    this.lastError = message;
    this.lastSaidAt = now;
    this.unsaid = 0;
  }

  connected(session: number): void {
    const failed = this.failures > 0 ? { failed_attempts: this.failures, last_error: this.lastError } : {};
    this.log.info({ session, ...failed }, 'connected to the broker');
    this.failures = this.unsaid = 0;
    this.lastError = undefined;
    this.lastSaidAt = -Infinity;
  }
}
