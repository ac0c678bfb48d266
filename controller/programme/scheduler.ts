/**
 * The scheduler: computes occurrences ahead (48 hours by default), stores each with its own id,
 * and sends each to its receivers as soon as it is computed, with play_at set to its start. The
 * receivers hold the commands, download and verify the audio, and start on the instant by their
 * own clocks: a scheduled item plays with the controller unreachable, and its acks come in when
 * the link returns.
 *
 * Missed starts follow the schedule's policy: an occurrence that was not sent before its start
 * (the controller was down, or its content was not ready) is sent late while inside the grace
 * window ("play_late"), otherwise recorded as missed with its reason. Nothing is silently lost.
 */
import { DomainError } from '../shared/domain-error.js';
import { singlePass } from '../shared/single-pass.js';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../audit/actor.js';
import type { BroadcastsService } from '../broadcasts/broadcasts-service.js';
import type { Clock } from '../clock.js';
import { t } from '../i18n/messages.js';
import type { Logger } from '../logger.js';
import type { MediaService } from '../media/media-service.js';
import type { PlaylistsService } from './playlists-service.js';
import { startsBetween } from './recurrence.js';
import type { Occurrence, SchedulesRepository } from './schedules-repository.js';
import type { Schedule, SchedulesService } from './schedules-service.js';

/** With policy "skip", a receiver may still start this long after the instant (a late packet, a slow download). */
export const SKIP_TOLERANCE_MS = 60_000;
/** Occurrences are computed back this far too, so that a long outage is recorded as missed. */
const LOOKBACK_MS = 7 * 86_400_000;

const SCHEDULER: Actor = { id: 'scheduler' };

export interface TickResult {
  created: number;
  dispatched: number;
  missed: number;
  cancelled: number;
}

/** What the scheduler needs of live sessions: a relay starts at its instant and is stopped at its end. */
export interface Relays {
  start(input: { title: string; source_url: string }, actor: Actor): { id: string };
  stop(id: string, actor: Actor): unknown;
}

/** Relays are not sent ahead (there is nothing to cache): a timer wakes the scheduler at their start. */
const RELAY_LATE_MS = 5_000;

export interface SchedulerOptions {
  repo: SchedulesRepository;
  schedules: SchedulesService;
  broadcasts: BroadcastsService;
  media: MediaService;
  playlists: PlaylistsService;
  stopBroadcast: (broadcastId: string, actor: Actor) => Promise<unknown>;
  relays: Relays;
  clock: Clock;
  log: Logger;
  tickSeconds: number;
}

export class Scheduler {
  private timer?: NodeJS.Timeout;
  /** Timers of relays: the wake-up at the start, then the stop at the end. */
  private readonly relayTimers = new Map<string, NodeJS.Timeout>();

  private readonly repo: SchedulesRepository;
  private readonly schedules: SchedulesService;
  private readonly broadcasts: BroadcastsService;
  private readonly media: MediaService;
  private readonly playlists: PlaylistsService;
  private readonly stopBroadcast: (broadcastId: string, actor: Actor) => Promise<unknown>;
  private readonly relays: Relays;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly tickSeconds: number;

  constructor({
    repo,
    schedules,
    broadcasts,
    media,
    playlists,
    stopBroadcast,
    relays,
    clock,
    log,
    tickSeconds,
  }: SchedulerOptions) {
    this.repo = repo;
    this.schedules = schedules;
    this.broadcasts = broadcasts;
    this.media = media;
    this.playlists = playlists;
    this.stopBroadcast = stopBroadcast;
    this.relays = relays;
    this.clock = clock;
    this.log = log;
    this.tickSeconds = tickSeconds;
    this.tick = singlePass(() => this.pass(), this.log, 'scheduler pass', {
      created: 0,
      dispatched: 0,
      missed: 0,
      cancelled: 0,
    });
  }

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.tickSeconds * 1000);
  }

  stop(): void {
    clearInterval(this.timer);
    for (const t of this.relayTimers.values()) clearTimeout(t);
    this.relayTimers.clear();
  }

  /** One pass; overlapping calls share the pass in progress. */
  readonly tick: () => Promise<TickResult>;

  /**
   * A schedule was changed, disabled or deleted: its future occurrences are cancelled (and their
   * commands stopped on the receivers), then computed again from the new spec.
   */
  async replan(scheduleId: string, actor: Actor): Promise<TickResult> {
    const now = this.clock.now();
    let cancelled = 0;
    for (const o of this.repo.ofSchedule(scheduleId, now.toISOString())) {
      if (o.starts_at <= now.toISOString() || (o.status !== 'planned' && o.status !== 'dispatched')) continue;
      this.repo.setStatus(o.id, 'cancelled', 'schedule_changed', now.toISOString(), { late: o.late === 1 });
      if (o.broadcast_id) await this.stopBroadcast(o.broadcast_id, actor);
      cancelled++;
    }
    const result = await this.tick();
    return { ...result, cancelled };
  }

  private async pass(): Promise<TickResult> {
    const now = this.clock.now();
    const horizon = new Date(now.getTime() + this.schedules.settings.horizon_hours * 3_600_000);
    const result: TickResult = { created: 0, dispatched: 0, missed: 0, cancelled: 0 };
    const byId = new Map<string, Schedule>();
    for (const schedule of this.schedules.list()) {
      byId.set(schedule.row.id, schedule);
      if (schedule.row.enabled) result.created += this.materialise(schedule, now, horizon);
    }
    for (const o of this.repo.plannedBefore(horizon.toISOString())) {
      const outcome = await this.dispatch(o, byId.get(o.schedule_id), now);
      if (outcome) result[outcome]++;
    }
    if (result.created + result.dispatched + result.missed > 0) this.log.info(result, 'scheduler pass');
    return result;
  }

  private materialise(schedule: Schedule, now: Date, horizon: Date): number {
    const { spec, row } = schedule;
    // From the last change of the schedule (never before it was saved), back at most a week.
    const from = new Date(Math.max(Date.parse(row.updated_at), now.getTime() - LOOKBACK_MS));
    let duration: number;
    try {
      duration = this.schedules.durationMs(spec);
    } catch {
      duration = 0; // content gone: the occurrence is still recorded, then missed with the reason
    }
    let created = 0;
    const at = now.toISOString();
    for (const s of startsBetween(spec, from, horizon)) {
      const inserted = this.repo.insertOccurrence({
        id: randomUUID(),
        schedule_id: row.id,
        starts_at: s.starts_at.toISOString(),
        ends_at: new Date(s.starts_at.getTime() + duration).toISOString(),
        local_date: s.local_date,
        priority: spec.priority,
        status: 'planned',
        reason: null,
        late: 0,
        broadcast_id: null,
        created_at: at,
        updated_at: at,
      });
      if (inserted) created++;
    }
    return created;
  }

  private async dispatch(
    o: Occurrence,
    schedule: Schedule | undefined,
    now: Date,
  ): Promise<'dispatched' | 'missed' | 'cancelled' | null> {
    const at = now.toISOString();
    if (!schedule || !schedule.row.enabled) {
      this.repo.setStatus(o.id, 'cancelled', 'schedule_changed', at);
      return 'cancelled';
    }
    const { spec } = schedule;
    const start = new Date(o.starts_at);
    const graceMs = spec.missed.policy === 'play_late' ? spec.missed.grace_min * 60_000 : 0;
    const lastStart = new Date(start.getTime() + Math.max(graceMs, SKIP_TOLERANCE_MS));
    if (spec.relay) return this.dispatchRelay(o, schedule, now, lastStart);
    const mediaId = this.content(schedule);
    if (now >= lastStart) {
      // Not sent in time: with "skip" once a minute has passed, with "play_late" once the grace window has.
      const reason = mediaId ? 'controller_down' : 'content_not_ready';
      this.repo.setStatus(o.id, 'missed', reason, at);
      this.log.warn({ occurrence_id: o.id, schedule_id: o.schedule_id, reason }, 'scheduled item missed');
      return 'missed';
    }
    if (!mediaId) return null; // not ready yet: the next pass tries again
    const late = now > start;
    try {
      await this.broadcasts.create(
        {
          media_id: mediaId,
          target: spec.target,
          priority: spec.priority,
          volume_pct: spec.volume_pct,
          play_at: late ? null : o.starts_at,
          repeat_count: 1,
          drill: false,
          category: spec.category,
        },
        SCHEDULER,
        'schedule',
        null,
        {
          occurrence_id: o.id,
          expires_at: lastStart,
          on_preempt: spec.on_preempt,
          onStored: (broadcastId) =>
            this.repo.setStatus(o.id, 'dispatched', null, at, { broadcast_id: broadcastId, late }),
        },
      );
      return 'dispatched';
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      // Refused now (quiet hours changed, no enrolled receivers left, media failed): recorded, with the words.
      this.repo.setStatus(o.id, 'missed', `refused:${err.code} ${JSON.stringify(err.params)}`, at);
      this.log.warn(
        { occurrence_id: o.id, reason: err.code, detail: t(err.code, 'en', err.params) },
        'scheduled item refused',
      );
      return 'missed';
    }
  }

  /** A relay starts at its instant (the stream exists only then) and is stopped at its end. */
  private async dispatchRelay(
    o: Occurrence,
    schedule: Schedule,
    now: Date,
    lastStart: Date,
  ): Promise<'dispatched' | 'missed' | null> {
    const { spec } = schedule;
    const at = now.toISOString();
    const start = Date.parse(o.starts_at);
    if (now >= lastStart) {
      this.repo.setStatus(o.id, 'missed', 'controller_down', at);
      return 'missed';
    }
    if (now.getTime() < start) {
      const wait = start - now.getTime();
      if (wait <= (this.tickSeconds + 1) * 1000 && !this.relayTimers.has(o.id)) {
        this.relayTimers.set(
          o.id,
          setTimeout(() => {
            this.relayTimers.delete(o.id);
            void this.tick();
          }, wait),
        );
      }
      return null;
    }
    let liveId: string | undefined;
    try {
      liveId = this.relays.start({ title: schedule.spec.name, source_url: spec.relay!.url }, SCHEDULER).id;
      await this.broadcasts.create(
        {
          live_id: liveId,
          target: spec.target,
          priority: spec.priority,
          volume_pct: spec.volume_pct,
          play_at: null,
          repeat_count: 1,
          drill: false,
          category: spec.category,
        },
        SCHEDULER,
        'schedule',
        null,
        {
          occurrence_id: o.id,
          expires_at: lastStart,
          on_preempt: 'drop',
          onStored: (broadcastId) =>
            this.repo.setStatus(o.id, 'dispatched', null, at, {
              broadcast_id: broadcastId,
              late: now.getTime() - start > RELAY_LATE_MS,
            }),
        },
      );
    } catch (err) {
      if (liveId) this.stopRelay(liveId);
      if (!(err instanceof DomainError)) throw err;
      this.repo.setStatus(o.id, 'missed', `refused:${err.code} ${JSON.stringify(err.params)}`, at);
      return 'missed';
    }
    const id = liveId;
    this.relayTimers.set(
      o.id,
      setTimeout(
        () => {
          this.relayTimers.delete(o.id);
          this.stopRelay(id);
        },
        Math.max(0, start + spec.relay!.duration_s * 1000 - now.getTime()),
      ),
    );
    return 'dispatched';
  }

  private stopRelay(liveId: string): void {
    try {
      this.relays.stop(liveId, SCHEDULER);
    } catch {
      // it had already ended (the source closed)
    }
  }

  /** The media id to send, or null while it is not ready (a playlist being joined, an upload processing). */
  private content(schedule: Schedule): string | null {
    try {
      if (schedule.spec.media_id) {
        const m = this.media.get(schedule.spec.media_id);
        return m.status === 'ready' ? m.id : null;
      }
      return this.playlists.rendered(schedule.spec.playlist_id!, SCHEDULER)?.id ?? null;
    } catch {
      return null;
    }
  }
}
