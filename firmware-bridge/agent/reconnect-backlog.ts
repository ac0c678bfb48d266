/**
 * What the broker kept for a receiver while its link was down arrives in one burst after the
 * CONNACK, in the order it was sent: a broadcast's play, and later its stop. The lane (work-lane.ts)
 * takes a stop first when both were read in the same turn, but on a slow link the stop's packet
 * comes a moment after the play's, and the play would start in between: a broadcast the desk had
 * stopped sounded for a fraction of a second, and its row said "stopped while playing" (seen in
 * `stop-offline`). So after a connection nothing due starts until the plays and stops have stopped
 * coming for QUIET_MS, or MAX_MS after the CONNACK at the latest: whatever the burst stops never
 * starts. Emergencies wait too; a withdrawn alarm must not sound, and a few hundred milliseconds
 * are nothing to one that stands.
 */
const QUIET_MS = 300;
const MAX_MS = 2_000;

export class ReconnectBacklog {
  /** Until when (performance.now()) the burst is presumed to go on; 0 outside a burst. */
  private until = 0;
  private cap = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A new connection: its burst begins. */
  linkUp(): void {
    const now = this.now();
    this.cap = now + MAX_MS;
    this.until = now + QUIET_MS;
  }

  /** A play or stop arrived: within a burst, the burst goes on a little longer. */
  arrived(): void {
    const now = this.now();
    if (now < this.until) this.until = Math.min(now + QUIET_MS, this.cap);
  }

  /** How long a play that is due must wait for the burst to end (0: it may start now). */
  waitMs(): number {
    return Math.max(0, this.until - this.now());
  }
}
