/**
 * Holds the embedded broker's answer (PUBACK) to receivers' acks while its routing backlog is
 * long. aedes answers a QoS 1 publish before it routes it, and routes acks to the controller only
 * as fast as the controller takes them in; so at 10,000 receivers the acks read and answered but
 * not routed reached 94,000 (about 2 KB each) and the broker's thread ran out of heap (2026-12-04
 * heap snapshots). An ack is authorised, and so answered, only while the backlog is short; the
 * agent sends at most two acks waiting for their answer (firmware-bridge/agent/ack-outbox.ts), so
 * the rest of a receiver's backlog waits on the receiver. An urgent ack (protocol/urgency.ts: the
 * proof that a warning was heard or a sound stopped) goes through while the backlog is below a
 * ceiling ten times the hold mark, and when held goes before the others: a flood of them, a
 * fleet's backlog after a reconnection or a receiver sending nothing but, still meets a bound.
 * Closed (the embedded broker's, until the controller has subscribed to acks), it holds every ack:
 * one answered while nobody takes acks would be dropped, and its receiver would send it again only
 * 20-30 s later (an outsider, 2026-12-05: an emergency's acks stored 34 s late after a controller
 * restart). Pure logic: the caller passes the backlog.
 */

/** Messages waiting to be routed above which acks are held. */
export const HOLD_ABOVE = 2_000;
/** Held acks go on again, a few at a time, once the backlog is below this. */
export const RELEASE_BELOW = 1_000;
/** Urgent acks go through below this many times the hold mark. */
const URGENT_CEILING = 10;
/** How often held acks are looked at. */
const LOOK_MS = 10;

export class AckGate {
  private readonly held: (() => void)[] = [];
  /** Urgent acks held (above the ceiling): let go before `held`. */
  private readonly heldUrgent: (() => void)[] = [];
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly backlog: () => number,
    private readonly marks: { holdAbove: number; releaseBelow: number } = {
      holdAbove: HOLD_ABOVE,
      releaseBelow: RELEASE_BELOW,
    },
  ) {}

  /**
   * Runs `go` now, or once the backlog is short again (after the acks held before it). An urgent
   * ack runs now below the ceiling, else before every held ack that is not urgent.
   */
  pass(go: () => void, urgent = false): void {
    if (urgent) {
      if (!this.closed && this.heldUrgent.length === 0 && this.backlog() < this.marks.holdAbove * URGENT_CEILING)
        return go();
      this.heldUrgent.push(go);
    } else {
      if (!this.closed && this.heldCount === 0 && this.backlog() < this.marks.holdAbove) return go();
      this.held.push(go);
    }
    this.timer ??= setInterval(() => this.release(), LOOK_MS);
  }

  /** Holds every ack until open() (nobody takes acks now). */
  close(): void {
    this.closed = true;
  }

  /** Lets acks through again, held ones first as the backlog allows. */
  open(): void {
    this.closed = false;
  }

  get heldCount(): number {
    return this.held.length + this.heldUrgent.length;
  }

  /** Lets every held ack go (the broker stopping: its clients are closed anyway). */
  releaseAll(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const go of [...this.heldUrgent.splice(0), ...this.held.splice(0)]) go();
  }

  /** As many as the room below RELEASE_BELOW: a backlog just short again is not refilled at once. */
  private release(): void {
    if (this.closed) return;
    const room = this.marks.releaseBelow - this.backlog();
    // One splice, not a shift per ack: tens of thousands may be held.
    if (room > 0) {
      const urgent = this.heldUrgent.splice(0, room);
      for (const go of [...urgent, ...this.held.splice(0, room - urgent.length)]) go();
    }
    if (this.heldCount === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
