/**
 * What the broker kept for a receiver while its link was down arrives in one burst after the
 * CONNACK, in the order it was sent: a broadcast's play, and later its stop. The lane (work-lane.ts)
 * takes a stop first when both were read in the same turn, but on a slow link the stop's packet
 * comes a while after the play's, and the play would start in between: a broadcast the desk had
 * stopped sounded, and its row said "stopped while playing" (seen in `stop-offline`; an outsider
 * heard whole stopped broadcasts at 2 KB/s when the wait was counted from the CONNACK alone).
 *
 * So after a connection nothing due starts until (1) the SUBACK of that connection's subscriptions
 * has arrived: a broker hands over what it kept as it takes the CONNECT, before it reads the
 * SUBSCRIBE sent after it, so whatever it kept is in by then, however slow the link; and (2) no
 * play or stop has arrived for QUIET_MS: a broker that hands over only so many at a time (Mosquitto:
 * 20 in flight) sends the rest as the receiver answers, right behind. MAX_MS after the CONNACK it
 * starts all the same (a broker that never answers the SUBSCRIBE), and at once when the link
 * drops before the burst is in (nothing more can come). Emergencies wait too: a
 * withdrawn alarm must not sound, and the burst is over within moments on a link of any use.
 */
const QUIET_MS = 300;
const MAX_MS = 10_000;

export class ReconnectBacklog {
  /** performance.now() of the CONNACK, the SUBACK and the last play or stop on this connection. */
  private connackAt = -Infinity;
  private subackAt = -Infinity;
  private lastArrivalAt = -Infinity;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A new connection (its CONNACK): its burst begins. */
  linkUp(): void {
    this.connackAt = this.lastArrivalAt = this.now();
    this.subackAt = -Infinity;
  }

  /** The broker answered this connection's SUBSCRIBE (whatever it said): what it kept is in. */
  subscribed(): void {
    this.subackAt = this.now();
  }

  /** The link is down: nothing more can come on it, so what is due plays (offline, as held items do). */
  linkDown(): void {
    this.connackAt = -Infinity;
  }

  /** A play or stop arrived. */
  arrived(): void {
    this.lastArrivalAt = this.now();
  }

  /** How long a play that is due must wait for the burst to end (0: it may start now). */
  waitMs(): number {
    const now = this.now();
    const cap = this.connackAt + MAX_MS;
    if (now >= cap) return 0;
    if (this.subackAt < this.connackAt) return cap - now; // the SUBACK is still to come
    return Math.max(0, Math.min(cap, this.lastArrivalAt + QUIET_MS) - now);
  }
}
