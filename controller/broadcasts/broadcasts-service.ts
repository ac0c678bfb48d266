/**
 * "Broadcast now": resolve the target to receivers, write the broadcast and its signed commands
 * to the outbox in one transaction, publish them, then fix the list of receivers it is meant for
 * (what coverage counts against) in a second one. One command per targeted hamlet (its receivers
 * share a topic), one per receiver named outside those hamlets. Which receivers a target names is
 * broadcast-targets.ts's job.
 *
 * Why two commits: at 5,000 receivers the target rows were most of the record an emergency
 * waited for. They derive from the stored target, so a controller stopped between the commits
 * rebuilds them at start (restoreMissingTargets); the commands are still stored before publishing.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Db } from '../db/database.js';
import type { HamletsReadModel } from '../hamlets/hamlets-read-model.js';
import { isDiskFull, type DeferredWrites } from '../db/deferred-writes.js';
import { DomainError, notFound } from '../shared/domain-error.js';
import type { Media, MediaReadModel } from '../media/media-read-model.js';
import type { Priority, SignedCommand } from '../protocol/messages.js';
import type { ReceiversReadModel } from '../receivers/receivers-read-model.js';
import type { Actor } from '../audit/actor.js';
import type { Broadcast, BroadcastsRepository, BroadcastTarget } from './broadcasts-repository.js';
import type { CommandPublisher, StoredCommand } from '../outbox/command-publisher.js';
import type { QuietHours } from './quiet-hours.js';
import type { SafetyGate } from '../safety/safety-gate.js';
import { BroadcastTargets, type TargetRequest, type TargetsDescription } from './broadcast-targets.js';
import { fanOutEvents } from '../shared/typed-events.js';

export type { TargetRequest, TargetsDescription } from './broadcast-targets.js';

export interface BroadcastRequest {
  /** A file to play, or */
  media_id?: string;
  /** a live session (voice or relay) to play as it comes. */
  live_id?: string;
  target: TargetRequest;
  priority: Priority;
  volume_pct: number;
  expires_in_s?: number;
  play_at?: string | null;
  repeat_count?: number;
  repeat_interval_s?: number;
  drill?: boolean;
  /** What it is about (a bulletin category), for reports. */
  category?: string;
}

export interface BroadcastLimits {
  default_expiry_s: number;
  max_expiry_s: number;
  max_ahead_hours: number;
}

/** How a schedule's occurrence becomes a broadcast (set by the scheduler only). */
export interface ScheduledOptions {
  occurrence_id: string;
  /** play_at plus the schedule's grace window: a receiver never starts it later. */
  expires_at: Date;
  on_preempt: 'resume' | 'drop';
  /** Runs inside the transaction that stores the broadcast: the occurrence is marked in the same commit. */
  onStored: (broadcastId: string) => void;
}

export interface BroadcastsServiceOptions {
  db: Db;
  repo: BroadcastsRepository;
  media: MediaReadModel;
  hamlets: HamletsReadModel;
  receivers: ReceiversReadModel;
  audit: AuditLog;
  publisher: CommandPublisher;
  clock: Clock;
  limits: BroadcastLimits;
  quiet: QuietHours;
  /** The safety gate's start and quiet-hours rules. */
  gate: Pick<SafetyGate, 'checkStart' | 'checkQuiet' | 'volume' | 'latestStart'>;
  mediaUrl: (mediaId: string) => string;
  live: { isLive(id: string): boolean; streamUrl(id: string): string };
  /** Where an emergency's record waits when the disk is full (none: a full disk fails every send). */
  deferred?: DeferredWrites;
  log?: Logger;
}

export interface BroadcastsEvents {
  /** The commands of an emergency sent before its record could be stored (the ack ingest must know them). */
  unrecorded: [commands: { command_id: string; broadcast_id: string }[]];
  /** An emergency passed its checks and is about to be signed, stored and published. */
  emergency: [];
}

export class BroadcastsService {
  readonly events = fanOutEvents<BroadcastsEvents>();
  private readonly deferred?: DeferredWrites;
  private readonly log?: Logger;
  /** Emergencies on the air whose record waits for room on the disk. */
  private readonly unrecorded = new Map<string, Broadcast>();
  private readonly db: Db;
  private readonly repo: BroadcastsRepository;
  private readonly media: MediaReadModel;
  private readonly targets: BroadcastTargets;
  private readonly audit: AuditLog;
  private readonly publisher: CommandPublisher;
  private readonly clock: Clock;
  private readonly limits: BroadcastLimits;
  private readonly quiet: QuietHours;
  private readonly gate: Pick<SafetyGate, 'checkStart' | 'checkQuiet' | 'volume' | 'latestStart'>;
  private readonly mediaUrl: (mediaId: string) => string;
  private readonly live: { isLive(id: string): boolean; streamUrl(id: string): string };

  constructor({
    db,
    repo,
    media,
    hamlets,
    receivers,
    audit,
    publisher,
    clock,
    limits,
    quiet,
    gate,
    mediaUrl,
    live,
    deferred,
    log,
  }: BroadcastsServiceOptions) {
    this.gate = gate;
    this.deferred = deferred;
    this.log = log;
    this.db = db;
    this.repo = repo;
    this.media = media;
    this.targets = new BroadcastTargets(hamlets, receivers);
    this.audit = audit;
    this.publisher = publisher;
    this.clock = clock;
    this.limits = limits;
    this.quiet = quiet;
    this.mediaUrl = mediaUrl;
    this.live = live;
  }

  get(id: string): Broadcast {
    const b = this.repo.get(id) ?? this.unrecorded.get(id);
    if (!b) throw notFound('what_broadcast', id);
    return b;
  }

  list(limit = 50): Broadcast[] {
    return this.repo.list(limit);
  }

  commands(id: string) {
    this.get(id);
    return this.publisher.commandsOf(id);
  }

  /** Everything that can be wrong with a request, found before anything is sent or confirmed. */
  check(req: BroadcastRequest, scheduled?: ScheduledOptions) {
    if (Boolean(req.media_id) === Boolean(req.live_id)) throw new DomainError('invalid', 'media_or_live');
    let media: Media | undefined;
    if (req.live_id) {
      if (!this.live.isLive(req.live_id)) throw new DomainError('conflict', 'live_ended', { id: req.live_id });
    } else {
      media = this.media.get(req.media_id!);
      if (!media) throw notFound('what_media', req.media_id!);
      if (media.status === 'processing')
        throw new DomainError('conflict', 'media_not_ready', { id: media.id, progress_pct: media.progress_pct });
      if (media.status === 'failed' || !media.sha256)
        throw new DomainError('conflict', 'media_failed', { id: media.id });
    }
    const expiresIn = req.expires_in_s ?? this.limits.default_expiry_s;
    if (!scheduled && expiresIn > this.limits.max_expiry_s)
      throw new DomainError('invalid', 'expiry_too_long', { expires_in_s: expiresIn, max_s: this.limits.max_expiry_s });
    // The gate's rules 3 and 4 again, whoever calls (the scheduler's occurrences too): a bounded
    // start, and only an emergency in quiet hours, at the time it will play.
    if (!scheduled) this.gate.checkStart(req.play_at);
    const resolved = this.resolveTargets(req.target);
    const when = req.play_at ? new Date(req.play_at) : this.clock.now();
    // How long it sounds (a live stream: unknown, so its start alone).
    const repeats = req.repeat_count ?? 1;
    const soundMs = media?.duration_ms
      ? media.duration_ms * repeats + (req.repeat_interval_s ?? 0) * 1000 * (repeats - 1)
      : 0;
    this.gate.checkQuiet(
      req.priority,
      resolved.targets.map((t) => t.hamlet_id),
      when,
      soundMs,
    );
    return { media, expiresIn, when, soundMs, ...resolved };
  }

  async create(
    req: BroadcastRequest,
    actor: Actor,
    source = 'manual',
    confirmedBy: string | null = null,
    scheduled?: ScheduledOptions,
  ): Promise<{ broadcast: Broadcast; targets: BroadcastTarget[]; recorded: boolean }> {
    const { media, expiresIn, when, soundMs, hamletIds, extraReceivers, targets } = this.check(req, scheduled);
    if (req.priority === 'emergency') this.events.emit('emergency');
    const now = this.clock.now();
    const broadcastId = randomUUID();
    // The window is counted from the start: a broadcast set for after the quiet hours does not
    // expire before it can play (expires_in_s is how late a receiver may still start it). It
    // closes before quiet hours: a receiver that gets it late never starts it into them.
    const window =
      scheduled?.expires_at ??
      new Date(Math.max(now.getTime(), req.play_at ? Date.parse(req.play_at) : 0) + expiresIn * 1000);
    const expiresAt = this.gate.latestStart(
      req.priority,
      targets.map((t) => t.hamlet_id),
      when,
      window,
      soundMs,
    );
    // The gate's volume rule again, whoever calls (a schedule's occurrence too), then the time-of-day caps (never for an emergency).
    const allowed = this.gate.volume(req.priority, req.volume_pct);
    const volume = req.priority === 'emergency' ? allowed : this.quiet.capVolume(allowed, when);
    const broadcast: Broadcast = {
      id: broadcastId,
      media_id: media?.id ?? null,
      live_id: req.live_id ?? null,
      priority: req.priority,
      volume_pct: volume,
      target_json: JSON.stringify(req.target),
      source,
      created_by: actor.id,
      created_at: now.toISOString(),
      play_at: req.play_at ?? null,
      expires_at: expiresAt.toISOString(),
      drill: req.drill ? 1 : 0,
      repeat_count: req.repeat_count ?? 1,
      stopped_at: null,
      confirmed_by: confirmedBy,
      occurrence_id: scheduled?.occurrence_id ?? null,
      category: req.category ?? null,
    };
    const body = {
      type: 'play' as const,
      broadcast_id: broadcastId,
      priority: req.priority,
      volume_pct: volume,
      play_at: req.play_at ?? null,
      ...(scheduled ? { on_preempt: scheduled.on_preempt } : {}),
      repeat_count: req.repeat_count ?? 1,
      repeat_interval_s: req.repeat_interval_s ?? 0,
      drill: req.drill ?? false,
      media: media
        ? {
            url: this.mediaUrl(media.id),
            sha256: media.sha256!,
            size_bytes: media.size_bytes!,
            duration_ms: media.duration_ms!,
            mime: 'audio/mpeg' as const,
          }
        : null,
      stream: req.live_id ? { url: this.live.streamUrl(req.live_id), mime: 'audio/mpeg' as const } : null,
    };
    const commands = [
      ...hamletIds.map((id) => this.publisher.build(body, { kind: 'hamlet', id }, expiresAt)),
      ...extraReceivers.map((id) => this.publisher.build(body, { kind: 'receiver', id }, expiresAt)),
    ];

    const targetRows = targets.map((t) => ({ ...t, broadcast_id: broadcastId }));
    const recordTargets = this.db.transaction(() => this.repo.insertTargets(targetRows));
    const record = this.db.transaction(() => {
      this.repo.insert(broadcast);
      const rows = commands.map((c) => this.publisher.store(c));
      scheduled?.onStored(broadcastId);
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'broadcast.created',
        subject: broadcastId,
        detail: {
          occurrence_id: scheduled?.occurrence_id ?? null,
          media_id: media?.id ?? null,
          live_id: req.live_id ?? null,
          priority: req.priority,
          target: req.target,
          receivers: targets.length,
          drill: Boolean(req.drill),
          confirmed_by: confirmedBy,
        },
      });
      return rows;
    });

    let stored;
    try {
      stored = record();
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      if (req.priority !== 'emergency' || !this.deferred) throw new DomainError('storage_full', 'disk_full');
      // Retried until the disk has room: the record once, then the targets (which may not fit when the record did).
      let rows: StoredCommand[] | undefined;
      const recordAll = () => {
        rows ??= record();
        recordTargets();
        return rows;
      };
      return this.sendUnrecorded(broadcast, commands, recordAll, targetRows);
    }
    // Publish after the commit (each command is written to the broker's socket at once, before
    // the targets' commit below); the response does not wait for the broker.
    for (const c of stored) void this.publisher.publishStored(c);
    this.storeTargets(broadcastId, recordTargets);
    return { broadcast, targets: targetRows, recorded: true };
  }

  /**
   * The target rows of a broadcast already on the air, in this same turn, so before any of its
   * acks is read or any follow-up looks for silent receivers. A full disk keeps them for later;
   * any other failure is logged, not thrown (the broadcast went out: a 500 would invite sending it
   * twice), and the next start rebuilds them (restoreMissingTargets).
   */
  private storeTargets(broadcastId: string, recordTargets: () => void): void {
    try {
      recordTargets();
    } catch (err) {
      if (isDiskFull(err) && this.deferred) this.deferred.later(`targets of broadcast ${broadcastId}`, recordTargets);
      else this.log?.error({ err, broadcast_id: broadcastId }, 'target rows of a sent broadcast not stored');
    }
  }

  /**
   * At start, before acks are read: the target rows of broadcasts whose controller stopped
   * between the broadcast's commit and its targets' (see the top of this file), resolved again
   * from the stored target. Returns the broadcasts mended, and those whose target names no
   * receiver that can play any more (their hamlets or receivers gone), left without rows.
   */
  restoreMissingTargets(): { mended: string[]; unresolved: string[] } {
    const mended: string[] = [];
    const unresolved: string[] = [];
    for (const b of this.repo.withoutTargets()) {
      let targets: Omit<BroadcastTarget, 'broadcast_id'>[];
      try {
        targets = this.targets.resolve(JSON.parse(b.target_json) as TargetRequest).targets;
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        unresolved.push(b.id);
        continue;
      }
      this.db.transaction(() => this.repo.insertTargets(targets.map((t) => ({ ...t, broadcast_id: b.id }))))();
      mended.push(b.id);
    }
    return { mended, unresolved };
  }

  /**
   * A full disk must not silence an emergency: it goes out now, signed as always, and its record
   * (broadcast, commands, audit) is stored, in order, as soon as the disk has room. Receivers
   * keep their acks until then, since none is receipted before it is stored.
   */
  private sendUnrecorded(
    broadcast: Broadcast,
    commands: SignedCommand[],
    record: () => StoredCommand[],
    targets: BroadcastTarget[],
  ) {
    this.unrecorded.set(broadcast.id, broadcast);
    this.events.emit(
      'unrecorded',
      commands.map((c) => ({ command_id: c.command_id, broadcast_id: broadcast.id })),
    );
    const published = new Map<string, string>();
    for (const c of commands) {
      // One the broker did not take is published by the outbox once recorded.
      void this.publisher.publishEphemeral(c, true).then(
        () => published.set(c.command_id, this.clock.now().toISOString()),
        () => {},
      );
    }
    this.deferred!.later(`emergency broadcast ${broadcast.id}`, () => {
      const rows = record();
      this.unrecorded.delete(broadcast.id);
      for (const r of rows) {
        const at = published.get(r.id);
        if (at) this.publisher.markPublished(r.id, at);
        else void this.publisher.publishStored(r);
      }
    });
    return { broadcast, targets, recorded: false };
  }

  /** The receivers and hamlets a target names, with 4xx errors for unknown ones. */
  resolveTargets(target: TargetRequest) {
    return this.targets.resolve(target);
  }

  /** Where a target would sound, for the person who confirms it. */
  describeTargets(target: TargetRequest): TargetsDescription {
    return { ...this.targets.describe(target), broker_down_since: this.publisher.brokerDownSince() };
  }
}
