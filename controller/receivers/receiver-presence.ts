/**
 * Availability and telemetry from the receivers' MQTT topics. Status is retained with a last
 * will; the session counter keeps an old session's "offline" from overwriting a newer "online".
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { parseFromReceiver, statusSchema, telemetrySchema, type Telemetry } from '../protocol/messages.js';
import type { ReceiversRepository, StatusRecord } from './receivers-repository.js';
import { fanOutEvents } from '../shared/typed-events.js';

/** Outages remembered for receivers that come back late: far more than happen before they do. */
const LINK_LOSSES_KEPT = 32;

export interface PresenceEvents {
  status: [change: { receiver_id: string; state: StatusRecord['state']; at: string }];
  /** A receiver came online; `memoryRenewed`: its replay memory began anew (a wiped state): it lost what it held. */
  online: [receiverId: string, memoryRenewed: boolean];
  telemetry: [receiverId: string, telemetry: Telemetry];
}

export class ReceiverPresence {
  /**
   * "status" when a receiver's availability changes; "online" when a receiver starts a new
   * session; "telemetry" with every valid telemetry sample.
   */
  readonly events = fanOutEvents<PresenceEvents>();
  private readonly telemetry = new Map<string, Telemetry>();
  private pending: StatusRecord[] = [];
  private flushTimer?: NodeJS.Timeout;
  private stopped = false;
  /** While waiting for the retained statuses after a (re)subscription: the receivers heard from. */
  private heard?: Set<string>;
  private statusWait?: NodeJS.Timeout;
  /** When the controller lost its broker, oldest first (see linkLost): the last few outages. */
  private linkLosses: string[] = [];
  malformed = 0;

  constructor(
    private readonly repo: ReceiversRepository,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  /** When a receiver was first enrolled (its key history's start): it existed from then on. */
  firstEnrolledAt(receiverId: string): string | null {
    return this.repo.firstEnrolledAt(receiverId);
  }

  /**
   * Availability of a receiver over a period: its state changes and the share of the period it
   * was online (the state before the period counts from its start; unknown counts as offline).
   */
  history(receiverId: string, fromArg?: Date, toArg?: Date) {
    const to = toArg ?? this.clock.now();
    const asked = fromArg ?? new Date(to.getTime() - 7 * 86_400_000);
    // Counted from its enrolment: the weeks before a receiver existed are not downtime.
    const enrolled = this.repo.firstEnrolledAt(receiverId);
    const from =
      enrolled && Date.parse(enrolled) > asked.getTime()
        ? new Date(Math.min(Date.parse(enrolled), to.getTime()))
        : asked;
    const events = this.repo.events(receiverId, from.toISOString(), to.toISOString());
    let state = this.repo.stateBefore(receiverId, from.toISOString()) ?? 'offline';
    let since = from.getTime();
    let onlineMs = 0;
    for (const e of events) {
      const t = Date.parse(e.at);
      if (state === 'online') onlineMs += t - since;
      state = e.state;
      since = t;
    }
    const end = Math.min(to.getTime(), this.clock.now().getTime());
    if (state === 'online' && end > since) onlineMs += end - since;
    const spanMs = Math.max(1, end - from.getTime());
    return {
      receiver_id: receiverId,
      from: from.toISOString(),
      to: to.toISOString(),
      uptime_pct: Math.round((onlineMs / spanMs) * 1000) / 10,
      events,
    };
  }

  handleStatus(receiverId: string, payload: Buffer): void {
    if (payload.length === 0 || this.stopped) return; // a cleared retained message; or the database is closing
    const parsed = parseFromReceiver(statusSchema, receiverId, payload);
    if (!parsed.ok) {
      this.malformed++;
      this.log.warn({ receiver_id: receiverId, error: parsed.error }, 'malformed status dropped');
      return;
    }
    this.heard?.add(receiverId);
    this.pending.push({ ...parsed.value, receiver_id: receiverId });
    if (this.pending.length >= 500) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), 20);
  }

  /**
   * Stores the statuses that came in together in one transaction: a fleet reconnecting at once
   * (after a broker restart, a power cut) costs one disk sync per batch, not one per receiver.
   */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let changed: ReturnType<ReceiversRepository['recordStatuses']>;
    try {
      // The controller's clock, not the receiver's: uptime must not depend on a drifting receiver.
      changed = this.repo.recordStatuses(batch, this.clock.now().toISOString(), this.linkLosses);
    } catch (err) {
      this.log.error({ err: (err as Error).message, count: batch.length }, 'receiver statuses could not be stored');
      return;
    }
    for (const s of changed) {
      // The same state again (a retained status re-sent): nothing to record or show, but a returning
      // receiver's "online" still has its missed commands sent (as before).
      if (s.repeated) {
        if (s.state === 'online') this.events.emit('online', s.receiver_id, s.memory_renewed);
        continue;
      }
      this.log.info({ receiver_id: s.receiver_id, state: s.state, session: s.session }, 'receiver availability');
      this.events.emit('status', { receiver_id: s.receiver_id, state: s.state, at: s.at });
      if (s.state === 'online') this.events.emit('online', s.receiver_id, s.memory_renewed);
    }
  }

  /**
   * The embedded broker started, stopped or died: no receiver is connected to it, and the last
   * wills it held died with it. Every receiver still recorded online is offline from now until it
   * connects again (within seconds when it is up), so the console, the health alerts and an
   * emergency's confirmation never count on a receiver that is not there. `since`: when the broker
   * went, if earlier than now (a killed controller's last alive mark).
   */
  connectionsEnded(since?: string): void {
    this.markOffline(new Set(), 'receivers offline until they connect again: their broker is gone', since);
  }

  /**
   * The controller has just (re)subscribed: the broker now sends every receiver's retained status
   * (its "online", or the last will that said it left). A receiver recorded online that the
   * broker says nothing about within `waitMs` is not there: an external broker restarted without
   * its retained messages, or the receiver left while the controller could not hear its will.
   * Judged only if the link is still up when the wait ends (a reconnection waits afresh); should a
   * retained status come late after all, the same session's "online" puts it back online.
   */
  awaitStatuses(waitMs: number, linkUp: () => boolean): void {
    clearTimeout(this.statusWait);
    const heard = (this.heard = new Set());
    this.statusWait = setTimeout(() => {
      this.statusWait = undefined;
      this.heard = undefined;
      // Silent since the controller lost its broker: their connections went with it (an external
      // broker restarted), so offline from then, not from the end of this wait (a receiver slow
      // to come back once counted three seconds of the outage as time online).
      if (!this.stopped && linkUp())
        this.markOffline(
          heard,
          'receivers offline: no status from them since the controller connected to its broker',
          undefined,
          this.linkLosses,
        );
    }, waitMs);
    this.statusWait.unref();
  }

  /**
   * The controller lost its broker at `at`. A receiver recorded online since before then that
   * comes back in a new session, with no last will heard in between, lost its connection at the
   * first such loss after its status: the broker was restarted and took every connection with it,
   * sending no will (had the broker stayed up, the will of the old connection would have come
   * first). Its history says offline from then (`recordStatuses`), so that the outage is not
   * counted as time online. This holds however late the receiver comes back, even after the
   * statuses of the reconnection were judged (a restarted broker that kept its retained messages
   * says "online" for the old session), and for each of two outages close together (an outsider
   * saw the second of two Mosquitto crashes 12 s apart leave no trace in 1,000 histories).
   */
  linkLost(at: string): void {
    if (this.linkLosses.at(-1) === at) return;
    this.linkLosses.push(at);
    if (this.linkLosses.length > LINK_LOSSES_KEPT) this.linkLosses.shift();
  }

  private markOffline(
    except: ReadonlySet<string>,
    message: string,
    since?: string,
    linkLosses: readonly string[] = [],
  ): void {
    this.flush();
    let ended: { receiver_id: string; session: number; at: string }[];
    const now = this.clock.now().toISOString();
    const at = since && since < now ? since : now;
    try {
      ended = this.repo.markOffline(at, except, linkLosses);
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'receivers could not be marked offline');
      return;
    }
    if (ended.length > 0) this.log.info({ count: ended.length }, message);
    for (const e of ended) this.events.emit('status', { receiver_id: e.receiver_id, state: 'offline', at: e.at });
  }

  /** Stores what came in and takes no more: the database closes next. A receiver's status is retained, so nothing is lost. */
  stop(): void {
    clearTimeout(this.statusWait);
    this.flush();
    this.stopped = true;
  }

  handleTelemetry(receiverId: string, payload: Buffer): void {
    const parsed = parseFromReceiver(telemetrySchema, receiverId, payload);
    if (!parsed.ok) {
      this.malformed++;
      this.log.debug({ receiver_id: receiverId }, 'malformed telemetry dropped');
      return;
    }
    this.telemetry.set(receiverId, parsed.value);
    this.events.emit('telemetry', receiverId, parsed.value);
  }

  latestTelemetry(receiverId: string): Telemetry | undefined {
    return this.telemetry.get(receiverId);
  }
}
