/**
 * Where acks wait between the MQTT link and their checks (parse, signature) — the ack side of the
 * emergency lane. mqtt.js hands over every message of a socket read in one synchronous run; checked
 * there, a flood of thousands would hold the controller's thread for hundreds of milliseconds, and
 * a click on "emergency" would wait for all of it. Here they are checked in slices of a few
 * milliseconds, and only urgent ones for a moment while an emergency goes out. A receiver with an urgent
 * ack waiting (protocol/urgency.ts: the proof that a warning was heard or a sound stopped) has its
 * acks checked before every other receiver's: all of them, in the order they came, so its numbers
 * reach the gap tracker in order and its chained run still costs one signature (ack-door.ts). It
 * gets one chunk that way; what is left of its backlog then waits its turn with the others, so a
 * receiver sending nothing but urgent-looking acks cannot hold the others up.
 */
import type { Logger } from '../logger.js';
import { urgentAckTest, type UrgentCommands } from '../protocol/urgency.js';

/**
 * How long acks give way to an emergency going out: the bound for the last of 5,000
 * receivers to hold it. The controller's ack checks, the broker's routing and (on a test bench)
 * the receivers share this box's processors; held for this long, the emergency has them.
 */
export const EMERGENCY_LANE_MS = 1_000;
/** The longest slice of the event loop spent checking acks before other work gets a turn. */
const SLICE_MS = 8;
/**
 * Acks checked together: a receiver's acks sent within moments of each other are in one chunk
 * (one signature verified for the run), and a chunk takes a few milliseconds at most.
 */
const CHUNK = 64;
/**
 * Chunks whose signatures are being verified off the thread at once: enough to keep the thread
 * pool busy, few enough that an emergency going out meets at most a few hundred verifications
 * (a file read on the same pool, such as the emergency's audio, waits a few milliseconds at most).
 */
const MAX_IN_FLIGHT = 4;
/**
 * Acks waiting, at most: beyond it they are left unreceipted, and their receivers send them again
 * (a memory bound for a broker replaying a backlog faster than the controller can check it).
 */
const MAX_WAITING = 100_000;
/** Room beyond MAX_WAITING kept for urgent acks: the proof of an emergency is not dropped in a flood. */
const URGENT_ROOM = 10_000;

export class AckInbox {
  /**
   * Waiting acks by receiver, receivers in the order of their first waiting ack: a receiver's acks
   * are checked together however many others came between them (a broker may interleave thousands
   * of receivers' acks), so its chained run costs one signature (ack-door.ts).
   */
  private waiting = new Map<string, Buffer[]>();
  /**
   * The same for receivers with an urgent ack waiting, taken before any in `waiting`. A receiver's
   * acks are in one of the two maps, never both, so they are checked in the order they came.
   */
  private urgent = new Map<string, Buffer[]>();
  private readonly isUrgent: (payload: Buffer) => boolean;
  private count = 0;
  private dropped = 0;
  private scheduled?: NodeJS.Immediate;
  /** Checks handed over and not finished (their signatures verified off the thread). */
  private readonly inFlight = new Set<Promise<void>>();
  /** Set by stop(): no slice is scheduled again (a check finishing would otherwise start one). */
  private stopped = false;
  /** Until when (performance.now()) nothing is checked: an emergency has the machine. */
  private heldUntil = 0;
  private holdTimer?: NodeJS.Timeout;

  constructor(
    /**
     * Checks acks (parse, signature) and queues them for storing; never throws. Several at a time:
     * a receiver's acks that came together are checked together (one signature for a chained run).
     * A check may finish later (a promise): up to MAX_IN_FLIGHT are under way at once.
     */
    private readonly check: (items: { receiverId: string; payload: Buffer }[]) => void | Promise<void>,
    private readonly log: Logger,
    /** The urgent commands sent lately: their acks, read from their bytes (urgent-acks.ts), are checked first. */
    urgent?: Pick<UrgentCommands, 'has'>,
  ) {
    this.isUrgent = urgentAckTest(urgent);
  }

  get length(): number {
    return this.count;
  }

  get held(): boolean {
    return performance.now() < this.heldUntil;
  }

  /** Milliseconds until the hold ends (0 when not held). */
  get heldForMs(): number {
    return Math.max(0, this.heldUntil - performance.now());
  }

  push(receiverId: string, payload: Buffer): void {
    const urgent = this.isUrgent(payload);
    if (this.length >= MAX_WAITING + (urgent ? URGENT_ROOM : 0)) {
      if (this.dropped++ % 10_000 === 0)
        this.log.warn({ waiting: this.length }, 'ack backlog full: acks left for their receivers to resend');
      return;
    }
    // A copy: the link's payload is a view into the whole socket read it came in (64 KB), and
    // thousands of them waiting would keep every one of those reads in memory.
    const copy = Buffer.from(payload);
    const inUrgent = this.urgent.get(receiverId);
    if (inUrgent) inUrgent.push(copy);
    else {
      const waiting = this.waiting.get(receiverId) ?? [];
      waiting.push(copy);
      // An urgent ack takes its receiver's waiting acks with it, unless they are more than a chunk.
      if (urgent && waiting.length <= CHUNK) {
        this.waiting.delete(receiverId);
        this.urgent.set(receiverId, waiting);
      } else if (waiting.length === 1) this.waiting.set(receiverId, waiting);
    }
    this.count++;
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
   * exit in time), and waits for the checks under way; what is left is dropped: never stored, so
   * never receipted, so its receivers send it again. Resolves to how many were dropped.
   */
  async checkAll(budgetMs = Infinity): Promise<number> {
    const until = performance.now() + budgetMs;
    while (this.count > 0 && performance.now() < until) {
      if (this.inFlight.size >= MAX_IN_FLIGHT) await Promise.race(this.inFlight);
      else this.run(this.take());
    }
    // Until none is under way: a slice may have started more while this waited (not once stopped).
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    const left = this.length;
    this.waiting = new Map();
    this.urgent = new Map();
    this.count = 0;
    return left;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.holdTimer);
    clearImmediate(this.scheduled);
    this.scheduled = undefined;
  }

  /**
   * Chunks that may be under way now. While an emergency goes out only urgent receivers' acks are
   * checked, one chunk at a time: its own proof is not held up behind the moment it was given, and
   * the broker and the receivers keep the processors nearly to themselves.
   */
  private get room(): number {
    if (!this.held) return MAX_IN_FLIGHT - this.inFlight.size;
    return this.urgent.size > 0 ? 1 - this.inFlight.size : 0;
  }

  private schedule(): void {
    if (this.stopped || this.scheduled || this.length === 0 || this.room <= 0) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = undefined;
      this.slice(SLICE_MS);
      this.schedule();
    });
  }

  /** Checks from the front for at most `budgetMs`; stops at once if an emergency begins meanwhile. */
  private slice(budgetMs: number): void {
    if (this.stopped) return;
    const until = performance.now() + budgetMs;
    // In chunks of about CHUNK acks (whole receivers), the clock read after each: one check costs tens of microseconds.
    while (this.count > 0 && this.room > 0) {
      this.run(this.take(this.held));
      if (performance.now() > until) break;
    }
  }

  /**
   * About CHUNK acks from the front, whole receivers, those with an urgent ack first. A receiver with
   * a backlog of its own is taken CHUNK at a time, keeping its place; one taken from the urgent
   * receivers then waits with the others, at the back.
   */
  private take(urgentOnly = false): { receiverId: string; payload: Buffer }[] {
    const chunk: { receiverId: string; payload: Buffer }[] = [];
    for (const lane of urgentOnly ? [this.urgent] : [this.urgent, this.waiting]) {
      for (const [receiverId, payloads] of lane) {
        if (chunk.length >= CHUNK) break;
        for (const payload of payloads.splice(0, CHUNK)) chunk.push({ receiverId, payload });
        if (payloads.length === 0) lane.delete(receiverId);
        else if (lane === this.urgent) {
          this.urgent.delete(receiverId);
          this.waiting.set(receiverId, payloads);
        }
      }
    }
    this.count -= chunk.length;
    return chunk;
  }

  /** Hands a chunk to the check; one that finishes later counts as under way until it does. */
  private run(chunk: { receiverId: string; payload: Buffer }[]): void {
    // Not stored, so not receipted: their receivers send them again. The inbox goes on.
    const failed = (err: unknown) =>
      this.log.error({ err: (err as Error).message, count: chunk.length }, 'acks could not be checked');
    let later: void | Promise<void>;
    try {
      later = this.check(chunk);
    } catch (err) {
      failed(err);
      return;
    }
    if (!later) return;
    const underWay: Promise<void> = later.catch(failed).finally(() => {
      this.inFlight.delete(underWay);
      this.schedule();
    });
    this.inFlight.add(underWay);
  }
}
