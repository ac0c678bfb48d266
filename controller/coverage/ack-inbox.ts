/**
 * Where acks wait between the MQTT link and their checks (parse, signature) — the ack side of the
 * emergency lane. mqtt.js hands over every message of a socket read in one synchronous run; checked
 * there, a flood of thousands would hold the controller's thread for hundreds of milliseconds, and
 * a click on "emergency" would wait for all of it. Here they are checked in slices of a few
 * milliseconds, and not at all for a moment while an emergency goes out.
 */
import type { Logger } from '../logger.js';

/**
 * How long acks give way to an emergency going out: the bound for the last of 5,000
 * receivers to hold it. The controller's ack checks, the broker's routing and (on a test bench)
 * the receivers share this box's processors; held for this long, the emergency has them.
 */
export const EMERGENCY_LANE_MS = 1_000;
/** The longest slice of the event loop spent checking acks before other work gets a turn. */
const SLICE_MS = 8;
/**
 * Acks waiting, at most: beyond it they are left unreceipted, and their receivers send them again
 * (a memory bound for a broker replaying a backlog faster than the controller can check it).
 */
const MAX_WAITING = 100_000;

export class AckInbox {
  private waiting: { receiverId: string; payload: Buffer }[] = [];
  /** The first one not yet checked: taken from the front without copying the rest. */
  private head = 0;
  private dropped = 0;
  private scheduled?: NodeJS.Immediate;
  /** Until when (performance.now()) nothing is checked: an emergency has the machine. */
  private heldUntil = 0;
  private holdTimer?: NodeJS.Timeout;

  constructor(
    /** Checks one ack (parse, signature) and queues it for storing; never throws. */
    private readonly check: (receiverId: string, payload: Buffer) => void,
    private readonly log: Logger,
  ) {}

  get length(): number {
    return this.waiting.length - this.head;
  }

  get held(): boolean {
    return performance.now() < this.heldUntil;
  }

  /** Milliseconds until the hold ends (0 when not held). */
  get heldForMs(): number {
    return Math.max(0, this.heldUntil - performance.now());
  }

  push(receiverId: string, payload: Buffer): void {
    if (this.length >= MAX_WAITING) {
      if (this.dropped++ % 10_000 === 0)
        this.log.warn({ waiting: this.length }, 'ack backlog full: acks left for their receivers to resend');
      return;
    }
    // A copy: the link's payload is a view into the whole socket read it came in (64 KB), and
    // thousands of them waiting would keep every one of those reads in memory.
    this.waiting.push({ receiverId, payload: Buffer.from(payload) });
    this.schedule();
  }

  /** Nothing is checked for `ms`; then checking resumes and `onResume` runs. */
  hold(ms: number, onResume: () => void): void {
    this.heldUntil = Math.max(this.heldUntil, performance.now() + ms);
    clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(() => {
      this.holdTimer = undefined;
      // Over (a timer may fire a fraction of a millisecond before performance.now() says so).
      this.heldUntil = 0;
      this.schedule();
      onResume();
    }, this.heldForMs);
  }

  /**
   * Checks what is waiting, now, held or not, for at most `budgetMs` (a stopping controller must
   * exit in time); what is left is dropped: never stored, so never receipted, so its receivers
   * send it again. Returns how many were dropped.
   */
  checkAll(budgetMs = Infinity): number {
    this.slice(budgetMs, true);
    const left = this.length;
    this.waiting = [];
    this.head = 0;
    return left;
  }

  stop(): void {
    clearTimeout(this.holdTimer);
    clearImmediate(this.scheduled);
    this.scheduled = undefined;
  }

  private schedule(): void {
    if (this.scheduled || this.held || this.length === 0) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = undefined;
      this.slice(SLICE_MS);
      this.schedule();
    });
  }

  /** Checks from the front for at most `budgetMs`; stops at once if an emergency begins meanwhile (unless `evenIfHeld`). */
  private slice(budgetMs: number, evenIfHeld = false): void {
    if (!evenIfHeld && this.held) return; // scheduled before the emergency began: it waits too
    const until = performance.now() + budgetMs;
    // The clock is read every 32 acks: one check costs tens of microseconds.
    for (let n = 0; this.head < this.waiting.length; n++) {
      if (n > 0 && n % 32 === 0 && performance.now() > until) break;
      const { receiverId, payload } = this.waiting[this.head++];
      try {
        this.check(receiverId, payload);
      } catch (err) {
        // Not stored, so not receipted: its receiver sends it again. The inbox goes on.
        this.log.error({ err: (err as Error).message, receiver_id: receiverId }, 'an ack could not be checked');
      }
    }
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head >= 4096) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
  }
}
