/**
 * Bulletins beyond the loudspeakers: a bulletin that is broadcast and public becomes a
 * publication (its text and audio, never its authors), shown on the podcast feed, the JSON feed,
 * the public page, sent to webhooks and, when configured, posted on the fanpage and the Zalo OA.
 * Urgent and emergency items lead while they are valid and disappear when they expire or are
 * cancelled; drafts, rejected bulletins and drills never appear.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../audit/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { BroadcastsReadModel } from '../broadcasts/broadcasts-read-model.js';
import type { Bulletin } from '../bulletins/bulletins-read-model.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { notFound } from '../shared/domain-error.js';
import { t, type MessageKey } from '../i18n/messages.js';
import type { Logger } from '../logger.js';
import type { PublicItem, Publication, PublicationsRepository } from './publications-repository.js';
import type { WebhooksService } from './webhooks-service.js';

/** Where a publication also goes beyond the feeds and webhooks (the fanpage, the Zalo OA: social-publisher.ts). */
export interface PublicationOutlet {
  published(p: Publication, view: PublicView): void;
  withdrawn(publicationId: string, view: PublicView): void;
}

/** What a broadcast did to its bulletin's publication (the broadcast's answer says it). */
export interface PublicationNote {
  status: 'published' | 'already_published' | 'withdrawn' | 'private' | 'drill' | 'none';
  publication_id: string | null;
  message: string;
  message_en: string;
}

/** What the public and webhooks see of a publication. */
export interface PublicView {
  id: string;
  title: string;
  category: string;
  category_name: string;
  category_name_en: string;
  text: string | null;
  priority: string;
  urgent: boolean;
  urgent_until: string | null;
  published_at: string;
  audio_url: string;
  audio_type: 'audio/mpeg';
  audio_size_bytes: number;
  duration_s: number;
  transcript_url: string | null;
  page_url: string;
}

export interface PublishingServiceOptions {
  db: Db;
  repo: PublicationsRepository;
  webhooks: WebhooksService;
  /** The fanpage and the Zalo OA, when configured. */
  social?: PublicationOutlet;
  broadcasts: BroadcastsReadModel;
  audit: AuditLog;
  clock: Clock;
  log: Logger;
  settings: { urgent_valid_hours: number; feed_items: number };
  baseUrl: () => string;
}

export class PublishingService {
  private readonly db: Db;
  private readonly repo: PublicationsRepository;
  private readonly webhooks: WebhooksService;
  private readonly social?: PublicationOutlet;
  private readonly broadcasts: BroadcastsReadModel;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly settings: { urgent_valid_hours: number; feed_items: number };
  private readonly baseUrl: () => string;

  constructor({
    db,
    repo,
    webhooks,
    social,
    broadcasts,
    audit,
    clock,
    log,
    settings,
    baseUrl,
  }: PublishingServiceOptions) {
    this.db = db;
    this.repo = repo;
    this.webhooks = webhooks;
    this.social = social;
    this.broadcasts = broadcasts;
    this.audit = audit;
    this.clock = clock;
    this.log = log;
    this.settings = settings;
    this.baseUrl = baseUrl;
  }

  /**
   * A bulletin went on air: publish it unless it is private or a drill. One publication per
   * bulletin: broadcast again (the evening session), it stays one item with the date it was
   * first published (a podcast app takes a new date for a new episode); withdrawn, it stays
   * withdrawn until a person publishes it again (`POST /api/bulletins/{id}/visibility`, public).
   */
  onBroadcast(bulletin: Bulletin, broadcastId: string): void {
    const broadcast = this.broadcasts.get(broadcastId);
    if (!broadcast?.media_id || broadcast.drill === 1 || bulletin.public === 0) return;
    const existing = this.repo.ofBulletinLatest(bulletin.id);
    if (existing) {
      if (existing.withdrawn_at)
        this.log.info(
          { publication_id: existing.id, bulletin_id: bulletin.id, broadcast_id: broadcastId },
          'bulletin broadcast again; its publication stays withdrawn',
        );
      return;
    }
    const now = this.clock.now();
    const publication: Publication = {
      id: randomUUID(),
      bulletin_id: bulletin.id,
      broadcast_id: broadcastId,
      title: bulletin.title,
      category: bulletin.category,
      text: bulletin.text,
      media_id: broadcast.media_id,
      priority: broadcast.priority,
      published_at: now.toISOString(),
      urgent_until:
        broadcast.priority === 'normal'
          ? null
          : new Date(now.getTime() + this.settings.urgent_valid_hours * 3_600_000).toISOString(),
      withdrawn_at: null,
      withdrawn_reason: null,
    };
    const inserted = this.db.transaction(() => {
      if (!this.repo.insert(publication)) return false;
      this.audit.append({
        actor: 'publisher',
        action: 'publication.published',
        subject: publication.id,
        detail: { bulletin_id: bulletin.id, broadcast_id: broadcastId },
      });
      this.announce(publication);
      return true;
    })();
    if (inserted) this.log.info({ publication_id: publication.id, bulletin_id: bulletin.id }, 'bulletin published');
  }

  /** What a broadcast of a bulletin did to its publication, in words for the person who sent it. */
  afterBroadcast(bulletin: Bulletin, broadcastId: string): PublicationNote {
    const broadcast = this.broadcasts.get(broadcastId);
    const p = this.repo.ofBulletinLatest(bulletin.id);
    const note = (
      status: PublicationNote['status'],
      key: MessageKey,
      params: Record<string, string> = {},
    ): PublicationNote => ({
      status,
      publication_id: p?.id ?? null,
      message: t(key, 'vi', params),
      message_en: t(key, 'en', params),
    });
    if (broadcast?.drill === 1) return note('drill', 'publication_note_drill');
    if (bulletin.public === 0) return note('private', 'publication_note_private');
    if (!p) return note('none', 'publication_note_none');
    if (p.withdrawn_at)
      return note('withdrawn', 'publication_note_withdrawn', { reason: p.withdrawn_reason ?? '', id: bulletin.id });
    return p.broadcast_id === broadcastId
      ? note('published', 'publication_note_published')
      : note('already_published', 'publication_note_already_published');
  }

  /** A broadcast was cancelled (and corrected): its bulletin's publication goes. */
  onCancelled(broadcastId: string): void {
    const p = this.repo.ofCancelledBroadcast(broadcastId);
    if (p) this.withdraw(p.id, 'cancelled', { id: 'publisher' });
  }

  /**
   * A bulletin was made private: every publication of it goes. Made public, it is a person's word
   * to publish it: what was withdrawn comes back (the same item), and a bulletin broadcast while
   * private is published from its last broadcast.
   */
  onVisibility(bulletin: Bulletin): void {
    if (bulletin.public === 0) {
      for (const p of this.repo.ofBulletin(bulletin.id)) this.withdraw(p.id, 'made_private', { id: 'publisher' });
      return;
    }
    const latest = this.repo.ofBulletinLatest(bulletin.id);
    if (!latest) {
      if (bulletin.last_broadcast_id) this.onBroadcast(bulletin, bulletin.last_broadcast_id);
      return;
    }
    if (!latest.withdrawn_at) return;
    const restored = this.db.transaction(() => {
      if (!this.repo.restore(latest.id)) return false;
      this.audit.append({
        actor: 'publisher',
        action: 'publication.republished',
        subject: latest.id,
        detail: { bulletin_id: bulletin.id, withdrawn_reason: latest.withdrawn_reason },
      });
      this.announce(this.repo.get(latest.id)!);
      return true;
    })();
    if (restored) this.log.info({ publication_id: latest.id, bulletin_id: bulletin.id }, 'bulletin published again');
  }

  /** Tells the webhooks and the fanpage/Zalo: inside the transaction that publishes. */
  private announce(p: Publication): void {
    const view = this.view(this.repo.withAudio(p.id)!);
    this.webhooks.enqueue('bulletin.published', p.id, view);
    this.social?.published(p, view);
  }

  withdraw(id: string, reason: string, actor: Actor): Publication {
    const p = this.repo.withAudio(id);
    if (!p) throw notFound('what_publication', id);
    const at = this.clock.now().toISOString();
    this.db.transaction(() => {
      if (!this.repo.withdraw(id, at, reason)) return;
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'publication.withdrawn',
        subject: id,
        detail: { reason },
      });
      this.webhooks.enqueue('bulletin.withdrawn', id, { ...this.view(p), withdrawn_at: at, withdrawn_reason: reason });
      this.social?.withdrawn(id, this.view(p));
    })();
    return this.repo.get(id)!;
  }

  /** Staff's list: everything published, withdrawn or not. */
  list(limit = 100): Publication[] {
    return this.repo.list(limit);
  }

  /**
   * What the public sees now: urgent items still valid first (newest first), then the rest.
   * Urgent items past their validity are gone.
   */
  visible(category?: string): { urgent: PublicView[]; items: PublicView[] } {
    const now = this.clock.now().toISOString();
    const all = this.repo
      .visible(this.settings.feed_items * 2, category)
      .filter((p) => !p.urgent_until || p.urgent_until > now);
    const urgent = all.filter((p) => p.urgent_until);
    const items = all.filter((p) => !p.urgent_until).slice(0, Math.max(0, this.settings.feed_items - urgent.length));
    return { urgent: urgent.map((p) => this.view(p)), items: items.map((p) => this.view(p)) };
  }

  /** One visible item (for its audio and transcript), or undefined. */
  visibleItem(id: string): PublicItem | undefined {
    const p = this.repo.visibleOne(id);
    if (!p) return undefined;
    return p.urgent_until && p.urgent_until <= this.clock.now().toISOString() ? undefined : p;
  }

  /** The audio's figures are the media record's: the size and ffprobe's duration of the MP3 served. */
  private view(p: PublicItem): PublicView {
    const base = this.baseUrl();
    const key = `category_${p.category}` as MessageKey;
    return {
      id: p.id,
      title: p.title,
      category: p.category,
      category_name: t(key, 'vi'),
      category_name_en: t(key, 'en'),
      text: p.text,
      priority: p.priority,
      urgent: p.urgent_until !== null,
      urgent_until: p.urgent_until,
      published_at: p.published_at,
      audio_url: `${base}/public/audio/${p.id}.mp3`,
      audio_type: 'audio/mpeg',
      audio_size_bytes: p.size_bytes,
      duration_s: Math.round(p.duration_ms / 1000),
      transcript_url: p.text ? `${base}/public/items/${p.id}.txt` : null,
      page_url: `${base}/public/#${p.id}`,
    };
  }
}
