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
 * 20 in flight) sends the rest as the receiver answers, right behind. Before the SUBACK, it starts
 * all the same once no play or stop has come for MAX_IDLE_MS (a broker that never answers the
 * SUBSCRIBE); a long backlog on a very slow link keeps coming, so it is waited for however long it
 * takes (an outsider heard stopped broadcasts at 0.5 KB/s when this limit ran from the CONNACK).
 * When the link drops first, nothing more can come: what is due plays. Emergencies wait too: a
 * withdrawn alarm must not sound, and the one that stands starts as soon as the burst is in.
 */
const QUIET_MS = 300;
const MAX_IDLE_MS = 10_000;

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

  /** A play or stop arrived: part of the burst while it lasts; once it has ended, nothing waits again. */
  arrived(): void {
    if (this.waitMs() === 0) this.connackAt = -Infinity;
    else this.lastArrivalAt = this.now();
  }

  /** How long a play that is due must wait for the burst to end (0: it may start now). */
  waitMs(): number {
    const now = this.now();
    if (this.connackAt === -Infinity) return 0; // no link, or it dropped: nothing more can come
    const end = this.subackAt >= this.connackAt ? this.lastArrivalAt + QUIET_MS : this.lastArrivalAt + MAX_IDLE_MS; // the SUBACK is still to come
    return Math.max(0, end - now);
  }
}
