/**
 * The content workflow of a bulletin (bản tin): draft -> submitted -> approved (or rejected,
 * with a reason, back to editing) -> broadcast. Only an approver approves; only an approved
 * bulletin is broadcast, and with exactly the audio that was approved.
 */
import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.js';
import type { BroadcastRequest } from '../broadcasts/broadcasts-service.js';
import type { SendDesk } from '../broadcasts/send-desk.js';
import type { Clock } from '../clock.js';
import { DomainError, notFound } from '../shared/domain-error.js';
import type { Media } from '../media/media-read-model.js';
import type { MediaService } from '../media/media-service.js';
import type { Caller } from '../safety/safety-gate.js';
import type { Actor } from '../audit/actor.js';
import type { TtsService } from '../tts/tts-service.js';
import type { Bulletin, BulletinsRepository, BulletinStatus, Category } from './bulletins-repository.js';
import { fanOutEvents } from '../shared/typed-events.js';
import { inBoth } from '../i18n/messages.js';

export interface BulletinInput {
  title: string;
  category: Category;
  text?: string | null;
  recorded_media_id?: string | null;
  voice?: string | null;
  engine?: string | null;
  speed?: number;
  chime?: boolean;
  repeat?: number;
  /** Publish on the commune's feed, page and webhooks once broadcast (default yes; drills never). */
  public?: boolean | null;
}

export interface BulletinsEvents {
  broadcast: [bulletin: Bulletin, broadcastId: string];
  visibility: [bulletin: Bulletin];
}

export interface BulletinsServiceOptions {
  repo: BulletinsRepository;
  tts: TtsService;
  media: MediaService;
  sendDesk: SendDesk;
  audit: AuditLog;
  clock: Clock;
}

export class BulletinsService {
  /** "broadcast" (bulletin, broadcast id) when a bulletin goes on air; "visibility" (bulletin) when its public flag changes. */
  readonly events = fanOutEvents<BulletinsEvents>();

  private readonly repo: BulletinsRepository;
  private readonly tts: TtsService;
  private readonly media: MediaService;
  private readonly sendDesk: SendDesk;
  private readonly audit: AuditLog;
  private readonly clock: Clock;

  constructor({ repo, tts, media, sendDesk, audit, clock }: BulletinsServiceOptions) {
    this.repo = repo;
    this.tts = tts;
    this.media = media;
    this.sendDesk = sendDesk;
    this.audit = audit;
    this.clock = clock;
  }

  get(id: string): Bulletin {
    const b = this.repo.get(id);
    if (!b) throw notFound('what_bulletin', id);
    return b;
  }

  list(status?: BulletinStatus, limit = 100): Bulletin[] {
    return this.repo.list(status, limit);
  }

  create(input: BulletinInput, actor: Actor): Bulletin {
    this.checkContent(input.text ?? null, input.recorded_media_id ?? null);
    const now = this.clock.now().toISOString();
    const bulletin: Bulletin = {
      id: randomUUID(),
      title: input.title,
      category: input.category,
      text: input.text ?? null,
      recorded_media_id: input.recorded_media_id ?? null,
      voice: input.voice ?? null,
      engine: input.engine ?? null,
      speed: input.speed ?? 1,
      chime: input.chime === false ? 0 : 1,
      repeat: input.repeat ?? 0,
      status: 'draft',
      reject_reason: null,
      media_id: null,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
      submitted_at: null,
      decided_by: null,
      decided_at: null,
      last_broadcast_id: null,
      public: input.public === undefined || input.public === null ? null : input.public ? 1 : 0,
    };
    this.repo.insert(bulletin);
    this.audit.append({
      actor: actor.id,
      source_ip: actor.ip,
      action: 'bulletin.created',
      subject: bulletin.id,
      detail: { title: bulletin.title, category: bulletin.category },
    });
    return bulletin;
  }

  /** Editing returns a rejected bulletin to draft; submitted and approved ones are frozen. */
  update(id: string, input: Partial<BulletinInput>, actor: Actor): Bulletin {
    const b = this.inState(id, ['draft', 'rejected'], 'edit');
    const next = { ...b, ...input };
    this.checkContent(next.text ?? null, next.recorded_media_id ?? null);
    this.repo.update(id, {
      ...('title' in input ? { title: input.title } : {}),
      ...('category' in input ? { category: input.category } : {}),
      ...('text' in input ? { text: input.text ?? null } : {}),
      ...('recorded_media_id' in input ? { recorded_media_id: input.recorded_media_id ?? null } : {}),
      ...('voice' in input ? { voice: input.voice ?? null } : {}),
      ...('engine' in input ? { engine: input.engine ?? null } : {}),
      ...('speed' in input ? { speed: input.speed } : {}),
      ...('chime' in input ? { chime: input.chime === false ? 0 : 1 } : {}),
      ...('repeat' in input ? { repeat: input.repeat } : {}),
      ...('public' in input
        ? { public: input.public === null || input.public === undefined ? null : input.public ? 1 : 0 }
        : {}),
      status: 'draft',
      reject_reason: null,
      media_id: null,
      updated_at: this.clock.now().toISOString(),
    });
    this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'bulletin.edited', subject: id });
    return this.get(id);
  }

  submit(id: string, actor: Actor): Bulletin {
    this.inState(id, ['draft', 'rejected'], 'submit');
    const now = this.clock.now().toISOString();
    this.repo.update(id, { status: 'submitted', submitted_at: now, updated_at: now, reject_reason: null });
    this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'bulletin.submitted', subject: id });
    return this.get(id);
  }

  /** Approval pins the audio: what is broadcast is what the approver heard. */
  async approve(id: string, actor: Actor): Promise<Bulletin> {
    this.inState(id, ['submitted'], 'approve');
    const audio = await this.audio(id, actor);
    const now = this.clock.now().toISOString();
    this.repo.update(id, {
      status: 'approved',
      media_id: audio.id,
      decided_by: actor.id,
      decided_at: now,
      updated_at: now,
    });
    this.audit.append({
      actor: actor.id,
      source_ip: actor.ip,
      action: 'bulletin.approved',
      subject: id,
      detail: { media_id: audio.id },
    });
    return this.get(id);
  }

  reject(id: string, reason: string, actor: Actor): Bulletin {
    this.inState(id, ['submitted', 'approved'], 'reject');
    const now = this.clock.now().toISOString();
    this.repo.update(id, {
      status: 'rejected',
      reject_reason: reason,
      media_id: null,
      decided_by: actor.id,
      decided_at: now,
      updated_at: now,
    });
    this.audit.append({
      actor: actor.id,
      source_ip: actor.ip,
      action: 'bulletin.rejected',
      subject: id,
      detail: { reason },
    });
    return this.get(id);
  }

  /** The audio of a bulletin at any state: the recording, or the synthesis of its text (cached). */
  async audio(id: string, actor: Actor): Promise<Media> {
    const b = this.get(id);
    if (b.media_id) return this.media.get(b.media_id);
    if (b.recorded_media_id) return this.media.get(b.recorded_media_id);
    const { media } = await this.tts.render(
      {
        text: b.text ?? '',
        title: b.title,
        engine: b.engine ?? undefined,
        voice: b.voice,
        speed: b.speed,
        chime: b.chime === 1,
        repeat: b.repeat,
      },
      actor,
    );
    return media;
  }

  /** Goes through the send desk like any broadcast: whole-commune and emergency sends are confirmed first. */
  async broadcast(
    id: string,
    req: Omit<BroadcastRequest, 'media_id' | 'volume_pct'> & { volume_pct?: number },
    caller: Caller,
  ) {
    const b = this.get(id);
    if (b.status !== 'approved' && b.status !== 'broadcast') throw new DomainError('conflict', 'bulletin_not_approved');
    const result = await this.sendDesk.request(
      this.sendDesk.shape({ ...req, media_id: b.media_id! }),
      caller,
      { source: 'bulletin', bulletin_id: id },
      { path: 'bulletin' },
    );
    if (result.kind === 'done') this.markBroadcast(id, result.broadcast_id, caller.actor);
    return result;
  }

  markBroadcast(id: string, broadcastId: string, actor: Actor): void {
    this.repo.update(id, {
      status: 'broadcast',
      last_broadcast_id: broadcastId,
      updated_at: this.clock.now().toISOString(),
    });
    this.audit.append({
      actor: actor.id,
      source_ip: actor.ip,
      action: 'bulletin.broadcast',
      subject: id,
      detail: { broadcast_id: broadcastId },
    });
    this.events.emit('broadcast', this.get(id), broadcastId);
  }

  /** Whether a bulletin is published beyond the loudspeakers; at any state (unpublishing withdraws it). */
  setPublic(id: string, isPublic: boolean, actor: Actor): Bulletin {
    this.get(id);
    this.repo.update(id, { public: isPublic ? 1 : 0, updated_at: this.clock.now().toISOString() });
    this.audit.append({
      actor: actor.id,
      source_ip: actor.ip,
      action: isPublic ? 'bulletin.made_public' : 'bulletin.made_private',
      subject: id,
    });
    const b = this.get(id);
    this.events.emit('visibility', b);
    return b;
  }

  private inState(id: string, allowed: BulletinStatus[], step: 'edit' | 'submit' | 'approve' | 'reject'): Bulletin {
    const b = this.get(id);
    // Said in words in each language: "Đã duyệt", "sửa", never the codes "approved", "edit".
    if (!allowed.includes(b.status))
      throw new DomainError('conflict', 'bulletin_wrong_state', {
        status: inBoth(`bulletin_status_${b.status}`),
        action: inBoth(`bulletin_action_${step}`),
      });
    return b;
  }

  private checkContent(text: string | null, recording: string | null): void {
    if (!recording && !(text && text.trim())) throw new DomainError('invalid', 'bulletin_needs_content');
    if (recording) {
      const m = this.media.get(recording);
      if (m.status !== 'ready')
        throw new DomainError('conflict', 'media_not_ready', { id: m.id, progress_pct: m.progress_pct });
    }
    if (text && !recording) this.tts.prepare(text);
  }
}
