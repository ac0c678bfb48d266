/**
 * The send desk: every broadcast goes out through it, normal ones included, and bulletins and
 * CAP alerts too. Urgent and emergency work is made hard to get wrong (Hawaii, 2018):
 * emergencies and whole-commune broadcasts wait for a second confirmation (from a second person
 * when configured); drills carry a spoken drill preamble. Volume: normal items are capped, an
 * emergency plays up to the emergency maximum and repeats.
 *
 * shape (volume caps, emergency defaults) -> request (at once, or a pending confirmation)
 * -> confirm -> execute (drill version, BroadcastsService.create, follow-up).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import type { AuditLog } from '../audit/audit-log.js';
import { joinAudio } from '../audio/audio-pipeline.js';
import type { Actor } from '../audit/actor.js';
import type { Clock } from '../clock.js';
import { t } from '../i18n/messages.js';
import type { MediaService } from '../media/media-service.js';
import type { Settings } from '../settings.js';
import { DomainError } from '../shared/domain-error.js';
import type { TtsService } from '../tts/tts-service.js';
import type { BroadcastRequest, BroadcastsService } from './broadcasts-service.js';
import type { FollowUp } from './follow-up.js';

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
  context: { source: string; bulletin_id?: string; cap_key?: string };
}

export interface SendDeskOptions {
  broadcasts: BroadcastsService;
  tts: TtsService;
  media: MediaService;
  audit: AuditLog;
  clock: Clock;
  settings: Pick<Settings, 'broadcasts' | 'emergency'>;
  /** Watches urgent broadcasts and sends their command again to silent receivers. */
  followUp?: FollowUp;
}

export class SendDesk {
  private readonly pending = new Map<string, PendingConfirmation>();
  private readonly confirmedListeners: ((pending: PendingConfirmation, broadcastId: string, recorded: boolean) => void)[] = [];

  constructor(private readonly o: SendDeskOptions) {}

  /** Applies the volume caps and the emergency defaults (volume at the emergency maximum, repeats). */
  shape(req: Omit<BroadcastRequest, 'volume_pct'> & { volume_pct?: number }): BroadcastRequest {
    const e = this.o.settings.emergency;
    if (req.priority === 'emergency') {
      return {
        ...req,
        volume_pct: Math.min(req.volume_pct ?? e.max_volume_pct, e.max_volume_pct),
        repeat_count: req.repeat_count ?? e.repeat_count,
        repeat_interval_s: req.repeat_interval_s ?? e.repeat_interval_s,
      };
    }
    const max = this.o.settings.broadcasts.max_volume_pct;
    return { ...req, volume_pct: Math.min(req.volume_pct ?? Math.min(80, max), max) };
  }

  /** Broadcasts at once, or answers the confirmation that is needed first. */
  async request(req: BroadcastRequest, actor: Actor, requesterKey: string, context: PendingConfirmation['context'] = { source: 'manual' }, options: { confirm?: boolean } = {}):
    Promise<{ kind: 'done'; broadcast_id: string; targeted: number; recorded: boolean } | { kind: 'confirm'; pending: PendingConfirmation }> {
    const { settings, clock, audit } = this.o;
    // options.confirm: a person confirms it whatever its level (a CAP alert from an unknown sender).
    const needs = Boolean(options.confirm) || req.priority === 'emergency' || (Boolean(req.target.all) && settings.emergency.confirm_whole_commune);
    if (!needs) return { kind: 'done', ...(await this.execute(req, actor, null, context.source)) };
    // Refuse what is wrong now, not at confirmation.
    const { targets } = this.o.broadcasts.check(req);
    const receivers = targets.length;
    const hamlets = new Set(targets.map((x) => x.hamlet_id)).size;
    this.purgeExpired();
    const params = {
      level: t(req.priority === 'emergency' ? 'level_emergency' : req.priority === 'priority' ? 'level_priority' : 'level_normal', 'vi'),
      receivers, hamlets, drill: req.drill ? t('drill_suffix', 'vi') : '', ttl: settings.emergency.confirmation_ttl_s,
    };
    const paramsEn = { ...params, level: t(req.priority === 'emergency' ? 'level_emergency' : req.priority === 'priority' ? 'level_priority' : 'level_normal', 'en'), drill: req.drill ? t('drill_suffix', 'en') : '' };
    const pending: PendingConfirmation = {
      id: randomUUID(), request: req, requested_by: actor.id, requester_key: requesterKey,
      requires_second_person: req.priority === 'emergency' && settings.emergency.second_person,
      expires_at: new Date(clock.now().getTime() + settings.emergency.confirmation_ttl_s * 1000).toISOString(),
      summary: t('confirm_summary', 'vi', params), summary_en: t('confirm_summary', 'en', paramsEn), context,
    };
    this.pending.set(pending.id, pending);
    audit.append({ actor: actor.id, source_ip: actor.ip, action: 'broadcast.confirmation_requested', subject: pending.id, detail: { priority: req.priority, target: req.target, drill: Boolean(req.drill) } });
    return { kind: 'confirm', pending };
  }

  async confirm(id: string, actor: Actor, confirmerKey: string, mayConfirm: (req: BroadcastRequest) => void):
    Promise<{ broadcast_id: string; targeted: number; recorded: boolean; request: BroadcastRequest; context: PendingConfirmation['context'] }> {
    this.purgeExpired();
    const pending = this.pending.get(id);
    if (!pending) throw new DomainError('not_found', 'confirmation_unknown');
    if (pending.requires_second_person && pending.requester_key === confirmerKey) throw new DomainError('forbidden', 'second_person_required');
    mayConfirm(pending.request); // the confirmer needs the right to send this level too
    this.pending.delete(id);
    const result = await this.execute(pending.request, { id: pending.requested_by, ip: actor.ip }, actor.id, pending.context.source);
    this.o.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'broadcast.confirmed', subject: result.broadcast_id, detail: { confirmation_id: id, requested_by: pending.requested_by } });
    for (const listener of this.confirmedListeners) listener(pending, result.broadcast_id, result.recorded);
    return { ...result, request: pending.request, context: pending.context };
  }

  /** Told of each confirmed request (CAP marks the alert that waited for it as broadcast). */
  onConfirmed(listener: (pending: PendingConfirmation, broadcastId: string, recorded: boolean) => void): void {
    this.confirmedListeners.push(listener);
  }

  /** How many enrolled receivers these hamlets have: 0 means nothing could play there. */
  receiversIn(hamletIds: string[]): number {
    if (hamletIds.length === 0) return 0;
    try {
      return this.o.broadcasts.resolveTargets({ hamlet_ids: hamletIds }).targets.length;
    } catch (err) {
      if (err instanceof DomainError && err.code === 'no_receivers_targeted') return 0;
      throw err;
    }
  }

  pendingConfirmation(id: string): PendingConfirmation | undefined {
    this.purgeExpired();
    return this.pending.get(id);
  }

  /** Sends without asking for a confirmation: for automated sources (CAP) and confirmed requests. */
  async execute(req: BroadcastRequest, actor: Actor, confirmedBy: string | null, source: string) {
    // A live session cannot carry a preamble: drills apply to files.
    const request = req.drill && req.media_id ? { ...req, media_id: (await this.drillVersion(req.media_id, actor)) } : req;
    const { broadcast, targets, recorded } = await this.o.broadcasts.create(request, actor, source, confirmedBy);
    return { broadcast_id: broadcast.id, targeted: targets.length, recorded };
  }

  /** The media with the spoken drill preamble before it, made once per media item. */
  private async drillVersion(mediaId: string, actor: Actor): Promise<string> {
    const { media, tts } = this.o;
    const original = media.get(mediaId);
    if (original.status !== 'ready') throw new DomainError('conflict', 'media_not_ready', { id: original.id, progress_pct: original.progress_pct });
    const key = `drill:${mediaId}`;
    const hit = tts.derivedMedia(key);
    if (hit) return hit;
    const preamble = await tts.render({ text: this.o.settings.emergency.drill_preamble, title: 'Diễn tập' }, actor);
    const joined = join(media.incomingDir, `${randomUUID()}.upload`);
    try {
      await joinAudio([join(media.mediaDir, media.fileName(preamble.media.id)), join(media.mediaDir, media.fileName(mediaId))], joined, 300);
      const drill = await media.acceptAndWait(joined, `[Diễn tập] ${original.title}`, actor);
      tts.rememberDerived(key, drill.id, 'drill');
      return drill.id;
    } finally {
      await rm(joined, { force: true });
    }
  }

  private purgeExpired(): void {
    const now = this.o.clock.now().toISOString();
    for (const [id, p] of this.pending) if (p.expires_at <= now) this.pending.delete(id);
  }
}
