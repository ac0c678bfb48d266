/**
 * What the broker kept for a receiver while its link was down arrives in one burst after the
 * CONNACK, in the order it was sent: a broadcast's play, and later its stop. The lane (work-lane.ts)
 * takes a stop first when both were read in the same turn, but on a slow link the stop's packet
 * comes a while after the play's, and the play would start in between: a broadcast the desk had
 * stopped sounded, and its row said "stopped while playing" (seen in `stop-offline`; an outsider
 * heard whole stopped broadcasts at 2 KB/s when the wait was counted from the CONNACK alone).
 *
 * So after a connection nothing due starts until (1) the SUBACK of that connection's subscriptions
 * has arrived: a broker hands over what it kept as it takes the CONNECT, mostly before it answers
 * the SUBSCRIBE sent after it; and (2) no play or stop has arrived for 300 ms, or for twice the
 * longest gap between two of them in this burst: Mosquitto hands over 20 at a time and the rest one
 * by one as the receiver answers, and aedes lets the SUBACK overtake a backlog larger than the
 * socket's buffers, so on a slow link the rest keep coming after the SUBACK at the link's pace.
 * Before the SUBACK it starts all the same once no play or stop has come for MAX_IDLE_MS (a broker
 * that never answers the SUBSCRIBE); a long backlog keeps coming, and is waited for however long
 * it takes. A link that drops mid-burst does not end it: what the broker had not handed over comes
 * on the next connection. Emergencies wait too (and pre-empt what plays only when they may start):
 * a withdrawn alarm must not sound, and the one that stands starts as soon as the burst is in.
 *
 * The same holds at the agent's start: what was on air at a power cut or crash, replayed by on-air
 * recovery, may have been stopped while the receiver was down, the stop kept at the broker. So
 * from the start nothing due plays until the first connection's burst is in, or for MAX_IDLE_MS
 * when no connection comes (a receiver whose link is gone warns its hamlet from its own store).
 * A link that answers (a TCP connection opens) but is slow to carry MQTT is not "no link": the
 * start's wait goes on while an attempt is open, and for MAX_IDLE_MS after one closes, up to
 * MAX_START_HOLD_MS (an outsider heard a withdrawn alarm start 10 s after the start on a link that
 * took 20 s to pass the CONNACK, its stop a few seconds behind).
 */
const QUIET_MS = 300;
/**
 * After the start's SUBACK: the receiver says "online" then, and the controller answers with the
 * stops it has not taken (outbox-repository.ts unconfirmedStopsFor): a broker that lost its session
 * (Mosquitto restarted without persistence) kept nothing, and what on-air recovery takes up again
 * may have been withdrawn meanwhile.
 */
const START_ANSWER_MS = 1_000;
const MAX_IDLE_MS = 10_000;
const MAX_START_HOLD_MS = 120_000;
/** How often a due item looks again while the wait has no end in sight yet (a link opening, a command unchecked). */
const LOOK_AGAIN_MS = 100;

export class ReconnectBacklog {
  /** performance.now() of the CONNACK, the SUBACK and the last play or stop on this connection. */
  private connackAt = -Infinity;
  private subackAt = -Infinity;
  private lastArrivalAt = -Infinity;
  /** The longest gap between two plays or stops of this burst: a slow link's pace. */
  private longestGapMs = 0;
  /** The start's wait (what was on air at a power cut): a link that drops before its burst is in does not end it. */
  private sinceStart = false;
  /** Plays and stops read and waiting their turn to be checked: the burst is not in while one waits. */
  private unchecked = 0;
  /** Commands counted in this burst: a genuine one replayed over and over counts once. */
  private readonly counted = new Set<string>();
  /** The agent's start, until its first CONNACK (then -Infinity); whether an attempt is open without its CONNACK. */
  private startedAt = -Infinity;
  private opening = false;
  /** Whether a connection is up now (its CONNACK came and it has not closed since). */
  private up = false;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The agent starts: hold what is due until the first connection's burst is in (MAX_IDLE_MS at most without one). */
  starting(): void {
    this.begin();
    this.sinceStart = true;
    this.unchecked = 0;
    this.startedAt = this.now();
  }

  /** A connection attempt's TCP connection is open (the network answers); its CONNACK may be slow to come. */
  linkOpening(): void {
    if (!this.sinceStart) return; // only the start's wait looks at it
    if (this.waitMs() === 0) return this.over(); // it had ended: it does not begin again
    this.opening = true;
    this.lastArrivalAt = this.now();
  }

  /** A new connection (its CONNACK): its burst begins (or goes on, when the last one dropped mid-burst). */
  linkUp(): void {
    this.up = true;
    this.opening = false;
    this.startedAt = -Infinity;
    this.begin();
  }

  /** The broker answered this connection's SUBSCRIBE (whatever it said). */
  subscribed(): void {
    this.subackAt = this.now();
  }

  /**
   * The link is down. When nothing of a burst had come on it, nothing is held (an item due offline
   * plays, as held items do), but for the start's wait. When a burst was under way, what the broker
   * had not handed over yet stays kept for the next connection: the wait goes on (MAX_IDLE_MS at
   * most). A burst already over stays over.
   */
  linkDown(): void {
    this.up = false;
    if (this.waitMs() === 0) return this.over();
    // An attempt that had opened and got no CONNACK: the link answers, MAX_IDLE_MS more from here.
    if (this.opening) this.lastArrivalAt = this.now();
    this.opening = false;
    if (this.sinceStart || this.lastArrivalAt !== this.connackAt) this.subackAt = -Infinity;
    else this.connackAt = -Infinity;
  }

  /** A play or stop was read; `checked` follows once it has had its turn. */
  read(): void {
    this.unchecked++;
  }

  /**
   * A play or stop read has been checked. `commandId` when the controller signed it (forged ones
   * and ones for another receiver do not count, nor a command already counted: a stream of them
   * would hold an emergency back): part of the burst while it lasts; once it has ended, nothing
   * waits again.
   */
  checked(commandId: string | null): void {
    this.unchecked = Math.max(0, this.unchecked - 1);
    if (this.waitMs() === 0) return this.over();
    if (commandId === null || this.counted.has(commandId)) return;
    this.counted.add(commandId);
    const now = this.now();
    if (this.lastArrivalAt > this.connackAt) this.longestGapMs = Math.max(this.longestGapMs, now - this.lastArrivalAt);
    this.lastArrivalAt = now;
  }

  /** Whether the broker is reached now: a wait that ends without it ended at its limit, not with the burst in. */
  get linked(): boolean {
    return this.up;
  }

  /** How long a play that is due must wait for the burst to end (0: it may start now). */
  waitMs(): number {
    if (this.connackAt === -Infinity) return 0; // no burst (none yet, or it is over)
    // After the SUBACK: quiet for 300 ms, or twice the slowest pace of this burst on a slow link
    // (a broker that hands over only so many at a time sends the rest one by one, right behind).
    const quietMs = Math.min(MAX_IDLE_MS, Math.max(QUIET_MS, 2 * this.longestGapMs));
    const subscribed = this.subackAt >= this.connackAt;
    // At the start, the controller's answer to "online" too (its stops), which follows the SUBACK.
    const answered = subscribed && this.sinceStart ? this.subackAt + START_ANSWER_MS : -Infinity;
    const end = Math.max(this.lastArrivalAt + (subscribed ? quietMs : MAX_IDLE_MS), answered);
    const now = this.now();
    // Before the start's first CONNACK, attempts that open and close (a refused CONNACK, a failed
    // TLS handshake) keep it going: never beyond MAX_START_HOLD_MS from the start.
    const limit = this.startedAt === -Infinity ? Infinity : this.startedAt + MAX_START_HOLD_MS - now;
    if (limit <= 0) return 0;
    const left = Math.max(0, end - now);
    // A stop read but not yet checked (the work lane's turn) may be the one for what is due; the
    // start's first connection opening on a slow link may still bring one.
    return Math.min(limit, this.unchecked > 0 || this.opening ? Math.max(left, LOOK_AGAIN_MS) : left);
  }

  private begin(): void {
    this.connackAt = this.lastArrivalAt = this.now();
    this.subackAt = -Infinity;
    this.longestGapMs = 0;
    this.counted.clear();
  }

  private over(): void {
    this.connackAt = -Infinity;
    this.sinceStart = false;
    this.startedAt = -Infinity;
    this.opening = false;
    this.counted.clear();
  }
}
