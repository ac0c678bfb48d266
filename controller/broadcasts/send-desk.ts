/**
 * Urgent and emergency work, made hard to get wrong and quick to undo (Hawaii, 2018):
 * emergencies and whole-commune broadcasts wait for a second confirmation (from a second
 * person when configured); drills carry a spoken drill preamble; a stop silences every receiver
 * or chosen hamlets at once, including what is still downloading; a cancel stops a broadcast
 * and sends the prepared correction in one step. Volume: normal items are capped, an
 * emergency plays up to the emergency maximum and repeats.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import type { AuditRepository } from '../audit/audit-repository.js';
import { joinAudio } from '../audio/audio-pipeline.js';
import type { BroadcastsRepository } from '../broadcasts/broadcasts-repository.js';
import type { BroadcastRequest, BroadcastsService } from '../broadcasts/broadcasts-service.js';
import type { CommandPublisher } from '../outbox/command-publisher.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { HamletsRepository } from '../hamlets/hamlets-repository.js';
import { AppError, notFound } from '../http/errors.js';
import { t } from '../i18n/messages.js';
import type { MediaService } from '../media/media-service.js';
import type { ReceiversRepository } from '../receivers/receivers-repository.js';
import type { Actor } from '../audit/actor.js';
import type { Settings } from '../settings.js';
import type { TtsService } from '../tts/tts-service.js';
import type { FollowUp } from './follow-up.js';
import { fanOutEvents } from '../shared/typed-events.js';

export interface PendingConfirmation {
  id: string;
  request: BroadcastRequest;
  requested_by: string;
  requester_key: string;
  requires_second_person: boolean;
  expires_at: string;
  summary: string;
  summary_en: string;
  /** What asked for it, told back on confirmation (a bulletin marks itself broadcast). */
  context: { source: string; bulletin_id?: string };
}

const STOP_TTL_MS = 10 * 60_000;

export class UrgentService {
  private readonly pending = new Map<string, PendingConfirmation>();
  /** "cancelled" (broadcast id) when a broadcast is cancelled and corrected. */
  readonly events = fanOutEvents<{ cancelled: [broadcastId: string] }>();

  constructor(
    private readonly db: Db,
    private readonly broadcasts: BroadcastsService,
    private readonly repo: BroadcastsRepository,
    private readonly publisher: CommandPublisher,
    private readonly hamlets: HamletsRepository,
    private readonly receivers: ReceiversRepository,
    private readonly tts: TtsService,
    private readonly media: MediaService,
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
    private readonly settings: Pick<Settings, 'broadcasts' | 'emergency'>,
    private readonly followUp?: FollowUp,
  ) {}

  /** Applies the volume caps and the emergency defaults (volume at the emergency maximum, repeats). */
  shape(req: Omit<BroadcastRequest, 'volume_pct'> & { volume_pct?: number }): BroadcastRequest {
    const e = this.settings.emergency;
    if (req.priority === 'emergency') {
      return {
        ...req,
        volume_pct: Math.min(req.volume_pct ?? e.max_volume_pct, e.max_volume_pct),
        repeat_count: req.repeat_count ?? e.repeat_count,
        repeat_interval_s: req.repeat_interval_s ?? e.repeat_interval_s,
      };
    }
    const max = this.settings.broadcasts.max_volume_pct;
    return { ...req, volume_pct: Math.min(req.volume_pct ?? Math.min(80, max), max) };
  }

  /** Broadcasts at once, or answers the confirmation that is needed first. */
  async request(req: BroadcastRequest, actor: Actor, requesterKey: string, context: PendingConfirmation['context'] = { source: 'manual' }):
    Promise<{ kind: 'done'; broadcast_id: string; targeted: number; recorded: boolean } | { kind: 'confirm'; pending: PendingConfirmation }> {
    const needs = req.priority === 'emergency' || (Boolean(req.target.all) && this.settings.emergency.confirm_whole_commune);
    if (!needs) return { kind: 'done', ...(await this.execute(req, actor, null, context.source)) };
    // Refuse what is wrong now, not at confirmation.
    const { targets } = this.broadcasts.check(req);
    const receivers = targets.length;
    const hamlets = new Set(targets.map((x) => x.hamlet_id)).size;
    this.purgeExpired();
    const params = {
      level: t(req.priority === 'emergency' ? 'level_emergency' : req.priority === 'priority' ? 'level_priority' : 'level_normal', 'vi'),
      receivers, hamlets, drill: req.drill ? t('drill_suffix', 'vi') : '', ttl: this.settings.emergency.confirmation_ttl_s,
    };
    const paramsEn = { ...params, level: t(req.priority === 'emergency' ? 'level_emergency' : req.priority === 'priority' ? 'level_priority' : 'level_normal', 'en'), drill: req.drill ? t('drill_suffix', 'en') : '' };
    const pending: PendingConfirmation = {
      id: randomUUID(), request: req, requested_by: actor.id, requester_key: requesterKey,
      requires_second_person: req.priority === 'emergency' && this.settings.emergency.second_person,
      expires_at: new Date(this.clock.now().getTime() + this.settings.emergency.confirmation_ttl_s * 1000).toISOString(),
      summary: t('confirm_summary', 'vi', params), summary_en: t('confirm_summary', 'en', paramsEn), context,
    };
    this.pending.set(pending.id, pending);
    this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'broadcast.confirmation_requested', subject: pending.id, detail: { priority: req.priority, target: req.target, drill: Boolean(req.drill) } });
    return { kind: 'confirm', pending };
  }

  async confirm(id: string, actor: Actor, confirmerKey: string, mayConfirm: (req: BroadcastRequest) => void):
    Promise<{ broadcast_id: string; targeted: number; recorded: boolean; request: BroadcastRequest; context: PendingConfirmation['context'] }> {
    this.purgeExpired();
    const pending = this.pending.get(id);
    if (!pending) throw new AppError(404, 'confirmation_unknown');
    if (pending.requires_second_person && pending.requester_key === confirmerKey) throw new AppError(403, 'second_person_required');
    mayConfirm(pending.request); // the confirmer needs the right to send this level too
    this.pending.delete(id);
    const result = await this.execute(pending.request, { id: pending.requested_by, ip: actor.ip }, actor.id, pending.context.source);
    this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'broadcast.confirmed', subject: result.broadcast_id, detail: { confirmation_id: id, requested_by: pending.requested_by } });
    return { ...result, request: pending.request, context: pending.context };
  }

  pendingConfirmation(id: string): PendingConfirmation | undefined {
    this.purgeExpired();
    return this.pending.get(id);
  }

  /** Sends without asking for a confirmation: for automated sources (CAP) and confirmed requests. */
  async execute(req: BroadcastRequest, actor: Actor, confirmedBy: string | null, source: string) {
    // A live session cannot carry a preamble: drills apply to files.
    const request = req.drill && req.media_id ? { ...req, media_id: (await this.drillVersion(req.media_id, actor)) } : req;
    const { broadcast, targets, recorded } = await this.broadcasts.create(request, actor, source, confirmedBy);
    // Follow-up reads the record; an emergency sent on a full disk has none yet.
    if (request.priority !== 'normal' && recorded) this.followUp?.watch(broadcast.id);
    return { broadcast_id: broadcast.id, targeted: targets.length, recorded };
  }

  /** The media with the spoken drill preamble before it, made once per media item. */
  private async drillVersion(mediaId: string, actor: Actor): Promise<string> {
    const original = this.media.get(mediaId);
    if (original.status !== 'ready') throw new AppError(409, 'media_not_ready', { id: original.id, progress_pct: original.progress_pct });
    const key = `drill:${mediaId}`;
    const hit = this.db.prepare<[string], { media_id: string }>('SELECT media_id FROM tts_cache WHERE cache_key = ?').get(key);
    if (hit) return hit.media_id;
    const preamble = await this.tts.render({ text: this.settings.emergency.drill_preamble, title: 'Diễn tập' }, actor);
    const joined = join(this.media.incomingDir, `${randomUUID()}.upload`);
    try {
      await joinAudio([join(this.media.mediaDir, this.media.fileName(preamble.media.id)), join(this.media.mediaDir, this.media.fileName(mediaId))], joined, 300);
      const drill = await this.media.acceptAndWait(joined, `[Diễn tập] ${original.title}`, actor);
      this.db.prepare('INSERT OR REPLACE INTO tts_cache (cache_key, media_id, engine, created_at) VALUES (?, ?, ?, ?)').run(key, drill.id, 'drill', this.clock.now().toISOString());
      return drill.id;
    } finally {
      await rm(joined, { force: true });
    }
  }

  /** Silences every receiver, or those of chosen hamlets, at once. */
  async stopAll(hamletIds: string[] | undefined, actor: Actor): Promise<{ command_ids: string[]; hamlets: string[] }> {
    const ids = hamletIds ?? this.hamlets.list().map((h) => h.id);
    const unknown = this.hamlets.missing(ids);
    if (unknown.length > 0) throw new AppError(404, 'unknown_hamlets', { ids: unknown.join(', ') });
    const expires = new Date(this.clock.now().getTime() + STOP_TTL_MS);
    const commands = ids.map((id) => this.publisher.build({ type: 'stop', broadcast_id: null }, { kind: 'hamlet', id }, expires));
    const stored = this.db.transaction(() => {
      const rows = commands.map((c) => this.publisher.store(c));
      this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'broadcast.stop_all', detail: { hamlets: ids } });
      return rows;
    })();
    await Promise.all(stored.map((c) => this.publisher.publishStored(c)));
    return { command_ids: commands.map((c) => c.command_id), hamlets: ids };
  }

  /** Stops one broadcast wherever it was sent. */
  async stop(broadcastId: string, actor: Actor): Promise<{ command_ids: string[] }> {
    const broadcast = this.repo.get(broadcastId);
    if (!broadcast) throw notFound('what_broadcast', broadcastId);
    // Valid as long as the broadcast could still start: a receiver that was offline gets both.
    const expires = new Date(Math.max(this.clock.now().getTime() + STOP_TTL_MS, Date.parse(broadcast.expires_at)));
    const targets = this.publisher.commandsOf(broadcastId).filter((c) => c.type === 'play').map((c) => (JSON.parse(c.payload) as { target: { kind: 'hamlet' | 'receiver'; id: string } }).target);
    const commands = targets.map((target) => this.publisher.build({ type: 'stop', broadcast_id: broadcastId }, target, expires));
    const stored = this.db.transaction(() => {
      const rows = commands.map((c) => this.publisher.store(c));
      this.repo.markStopped(broadcastId, this.clock.now().toISOString());
      this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'broadcast.stopped', subject: broadcastId });
      return rows;
    })();
    await Promise.all(stored.map((c) => this.publisher.publishStored(c)));
    return { command_ids: commands.map((c) => c.command_id) };
  }

  /** Stops a broadcast and sends the prepared correction to the same receivers, in one step. */
  async cancel(broadcastId: string, text: string | undefined, actor: Actor): Promise<{ stopped: string[]; correction_broadcast_id: string }> {
    const original = this.repo.get(broadcastId);
    if (!original) throw notFound('what_broadcast', broadcastId);
    const { command_ids } = await this.stop(broadcastId, actor);
    const correction = await this.tts.render({ text: text ?? this.settings.emergency.correction_text, title: 'Đính chính' }, actor);
    const receiverIds = this.repo.targetsOf(broadcastId).map((t) => t.receiver_id).filter((id) => this.receivers.get(id)?.secret_hash);
    const { broadcast } = await this.broadcasts.create({
      media_id: correction.media.id, target: { receiver_ids: receiverIds }, priority: original.priority, volume_pct: original.volume_pct,
      drill: original.drill === 1,
    }, actor, 'correction');
    this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'broadcast.cancelled', subject: broadcastId, detail: { correction_broadcast_id: broadcast.id } });
    this.events.emit('cancelled', broadcastId);
    return { stopped: command_ids, correction_broadcast_id: broadcast.id };
  }

  private purgeExpired(): void {
    const now = this.clock.now().toISOString();
    for (const [id, p] of this.pending) if (p.expires_at <= now) this.pending.delete(id);
  }
}
