/**
 * Direct publishing to the commune's fanpage and Zalo OA (issue 24, "Channels"): each public
 * bulletin is posted once on each channel when it is published, and taken down when it is
 * withdrawn (its broadcast cancelled, made private, withdrawn by hand). Designed as the webhooks
 * are: a delivery queued in the transaction that publishes or withdraws, sent by one pass at a
 * time, retried with the same backoff, every attempt recorded with why it failed (in Vietnamese
 * and English) in social_deliveries. Tokens are read at each attempt and never stored or logged.
 * A missing token is not a failed attempt (README, "Publishing": posts wait until the token is
 * there): the delivery waits without using up `webhook_max_attempts`, is looked at again on every
 * pass once the token is in place, and every minute otherwise. A delivery that gave up is sent
 * again by an administrator (`retry`), after the cause is fixed.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../audit/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { t, type Lang, type MessageKey } from '../i18n/messages.js';
import type { Logger } from '../logger.js';
import { DomainError, notFound } from '../shared/domain-error.js';
import { singlePass } from '../shared/single-pass.js';
import type { Publication } from './publications-repository.js';
import type { PublicView } from './publishing-service.js';
import {
  CHANNELS,
  type ChannelName,
  type Outcome,
  type SocialChannel,
  type SocialErrorCode,
} from './social-channel.js';
import type { SocialDeliveriesRepository, SocialDelivery, SocialEvent } from './social-deliveries-repository.js';
import type { TokenSource } from './social-token.js';
import { BACKOFF_S } from './webhooks-service.js';

/** A channel switched on in the config, with where its token is kept. */
export interface SocialOutlet {
  channel: SocialChannel;
  token: TokenSource;
}

export interface SocialPublisherOptions {
  db: Db;
  repo: SocialDeliveriesRepository;
  outlets: SocialOutlet[];
  audit: AuditLog;
  clock: Clock;
  log: Logger;
  settings: { webhook_max_attempts: number };
}

const ERROR_CODES = new Set<string>([
  'social_token_missing',
  'social_token_refused',
  'social_permission_missing',
  'social_rate_limited',
  'social_unavailable',
  'social_unreachable',
  'social_refused',
] satisfies SocialErrorCode[]);
const LABELS: Record<ChannelName, string> = { facebook: 'Facebook', zalo: 'Zalo OA' };
/** How often a delivery waiting for its token is looked at when no token has appeared. */
export const TOKEN_WAIT_S = 60;

export class SocialPublisher {
  private timer?: NodeJS.Timeout;
  /** Deliveries being sent now: a withdrawal must not cancel a post that may be landing. */
  private readonly inFlight = new Set<string>();
  private readonly db: Db;
  private readonly repo: SocialDeliveriesRepository;
  private readonly outlets: Map<ChannelName, SocialOutlet>;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly settings: { webhook_max_attempts: number };

  constructor({ db, repo, outlets, audit, clock, log, settings }: SocialPublisherOptions) {
    this.db = db;
    this.repo = repo;
    this.outlets = new Map(outlets.map((o) => [o.channel.name, o]));
    this.audit = audit;
    this.clock = clock;
    this.log = log;
    this.settings = settings;
    this.tick = singlePass(() => this.pass(), this.log, 'social publishing pass', 0);
  }

  /** Queues a post on each channel, unless the bulletin is already there; call inside the transaction that publishes. */
  published(p: Publication, view: PublicView): void {
    for (const name of this.outlets.keys()) {
      // Once per bulletin: broadcast again at the evening session, it is not posted again.
      if (this.repo.bulletinHasPost(p.bulletin_id, name)) continue;
      this.queue(name, 'bulletin.published', p.id, view);
    }
    this.soon();
  }

  /** Queues taking its posts down; call inside the transaction that withdraws. */
  withdrawn(publicationId: string, view: PublicView): void {
    for (const name of CHANNELS) {
      const post = this.repo.postOf(publicationId, name);
      if (!post || (!post.remote_id && !post.pending_ref && !this.inFlight.has(post.id))) {
        // Never reached the platform: nothing to take down, and it must not go out now.
        if (post?.status === 'pending') this.repo.cancel(post.id);
        continue;
      }
      // The post's id travels with its take-down: a later post of the same publication (published
      // again) must not be the one taken down.
      this.queue(name, 'bulletin.withdrawn', publicationId, view, {
        remote_id: post.remote_id,
        pending_ref: post.pending_ref,
      });
    }
    this.soon();
  }

  /** Sends again a delivery that gave up (administrators, once the cause is fixed): its attempts start again. */
  retry(id: string, actor: Actor) {
    const d = this.repo.get(id);
    if (!d) throw notFound('what_social_delivery', id);
    if (d.status !== 'failed') throw new DomainError('conflict', 'social_retry_not_failed', { status: d.status });
    this.db.transaction(() => {
      this.repo.requeue(id, this.clock.now().toISOString());
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'social.delivery_retried',
        subject: id,
        detail: { channel: d.channel, event: d.event, publication_id: d.publication_id, attempts_before: d.attempts },
      });
    })();
    this.soon();
    return this.view(this.repo.get(id)!);
  }

  /** The delivery log of a channel, newest first, each failure in words in both languages. */
  deliveries(channel: ChannelName, limit = 100) {
    return this.repo.deliveries(channel, limit).map((d) => this.view(d));
  }

  private view({ payload, ...d }: SocialDelivery) {
    return {
      ...d,
      title: (JSON.parse(payload) as PublicView).title,
      last_error_message: this.words(d, 'vi'),
      last_error_message_en: this.words(d, 'en'),
    };
  }

  /** Which channels are on, whether their token is in place (never the token), and their counts. */
  channels() {
    return CHANNELS.map((name) => {
      const outlet = this.outlets.get(name);
      return {
        channel: name,
        enabled: Boolean(outlet),
        token_set: outlet ? outlet.token.read() !== null : false,
        token_where: outlet?.token.where ?? null,
        deliveries: this.repo.counts(name),
      };
    });
  }

  start(intervalS = 5): void {
    if (this.outlets.size > 0) this.timer = setInterval(() => void this.tick(), intervalS * 1000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Sends what is due; overlapping calls share the pass in progress. */
  readonly tick: () => Promise<number>;

  private queue(
    channel: ChannelName,
    event: SocialEvent,
    publicationId: string,
    view: PublicView,
    ref: { remote_id: string | null; pending_ref: string | null } = { remote_id: null, pending_ref: null },
  ): void {
    const now = this.clock.now().toISOString();
    this.repo.insert({
      id: randomUUID(),
      channel,
      event,
      publication_id: publicationId,
      payload: JSON.stringify(view),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      last_status: null,
      last_error_code: null,
      last_error: null,
      remote_id: ref.remote_id,
      pending_ref: ref.pending_ref,
      created_at: now,
      delivered_at: null,
    });
  }

  private soon(): void {
    if (this.outlets.size > 0) setImmediate(() => void this.tick());
  }

  private async pass(): Promise<number> {
    // Those waiting for a token go as soon as it is there, not at their next minute.
    const withToken = [...this.outlets.values()].filter((o) => o.token.read() !== null).map((o) => o.channel.name);
    const due = this.repo.due(this.clock.now().toISOString(), [...this.outlets.keys()], withToken, 50);
    // Take-downs first: one due with its post cancels the post before it goes out.
    await Promise.all(due.filter((d) => d.event === 'bulletin.withdrawn').map((d) => this.attempt(d)));
    await Promise.all(due.filter((d) => d.event === 'bulletin.published').map((d) => this.attempt(d)));
    return due.length;
  }

  private async attempt(queued: SocialDelivery): Promise<void> {
    const d = this.repo.get(queued.id);
    if (d?.status !== 'pending') return;
    const outlet = this.outlets.get(d.channel)!;
    this.inFlight.add(d.id);
    try {
      const outcome = d.event === 'bulletin.published' ? await this.post(d, outlet) : await this.takeDown(d, outlet);
      if (outcome) this.record(d, outcome);
    } finally {
      this.inFlight.delete(d.id);
    }
  }

  private async post(d: SocialDelivery, outlet: SocialOutlet): Promise<Outcome | null> {
    // Checked again at the last moment: nothing withdrawn, private, drill or unapproved goes out.
    if (!this.repo.stillPublic(d.publication_id)) {
      this.repo.cancel(d.id);
      this.log.info(
        { delivery_id: d.id, channel: d.channel, publication_id: d.publication_id },
        'post cancelled: the bulletin is no longer public',
      );
      return null;
    }
    const token = outlet.token.read();
    if (!token)
      return { ok: false, status: null, code: 'social_token_missing', detail: '', pending_ref: d.pending_ref };
    return outlet.channel.publish(JSON.parse(d.payload) as PublicView, token, {
      remote_id: d.remote_id,
      pending_ref: d.pending_ref,
    });
  }

  private async takeDown(d: SocialDelivery, outlet: SocialOutlet): Promise<Outcome | null> {
    const post = this.repo.postOf(d.publication_id, d.channel);
    if (post?.status === 'pending') this.repo.cancel(post.id);
    const ref = {
      remote_id: d.remote_id ?? post?.remote_id ?? null,
      pending_ref: d.pending_ref ?? post?.pending_ref ?? null,
    };
    if (!ref.remote_id && !ref.pending_ref) {
      this.repo.cancel(d.id);
      return null;
    }
    const token = outlet.token.read();
    if (!token)
      return { ok: false, status: null, code: 'social_token_missing', detail: '', pending_ref: ref.pending_ref };
    const outcome = await outlet.channel.withdraw(ref, token);
    // Keep the id found on the way (a Zalo article made meanwhile), so a retry removes that one.
    return outcome.ok ? outcome : { ...outcome, pending_ref: outcome.pending_ref ?? ref.pending_ref };
  }

  private record(d: SocialDelivery, outcome: Outcome): void {
    const now = this.clock.now();
    if (!outcome.ok && outcome.code === 'social_token_missing') {
      // Not an attempt: nothing reached the platform. It waits for the token, at a steady pace.
      this.repo.recordAttempt(d.id, {
        status: 'pending',
        attempts: d.attempts,
        next_attempt_at: new Date(now.getTime() + TOKEN_WAIT_S * 1000).toISOString(),
        last_status: null,
        last_error_code: outcome.code,
        last_error: null,
        remote_id: d.remote_id,
        pending_ref: outcome.pending_ref ?? d.pending_ref,
        delivered_at: null,
      });
      if (d.last_error_code !== 'social_token_missing')
        this.log.warn(
          { delivery_id: d.id, channel: d.channel, event: d.event, where: this.outlets.get(d.channel)?.token.where },
          'social delivery waits for a token',
        );
      return;
    }
    const attempts = d.attempts + 1;
    if (outcome.ok) {
      this.repo.recordAttempt(d.id, {
        status: 'delivered',
        attempts,
        next_attempt_at: d.next_attempt_at,
        last_status: 200,
        last_error_code: null,
        last_error: null,
        remote_id: outcome.remote_id ?? d.remote_id,
        pending_ref: outcome.pending_ref ?? d.pending_ref,
        delivered_at: now.toISOString(),
      });
      this.log.info(
        {
          delivery_id: d.id,
          channel: d.channel,
          event: d.event,
          publication_id: d.publication_id,
          remote_id: outcome.remote_id,
        },
        d.event === 'bulletin.published' ? 'bulletin posted' : 'post taken down',
      );
      return;
    }
    const gaveUp = attempts >= this.settings.webhook_max_attempts;
    const next = new Date(now.getTime() + BACKOFF_S[Math.min(attempts - 1, BACKOFF_S.length - 1)] * 1000).toISOString();
    this.repo.recordAttempt(d.id, {
      status: gaveUp ? 'failed' : 'pending',
      attempts,
      next_attempt_at: gaveUp ? d.next_attempt_at : next,
      last_status: outcome.status,
      last_error_code: outcome.code,
      last_error: outcome.detail || null,
      remote_id: d.remote_id,
      pending_ref: outcome.pending_ref ?? d.pending_ref,
      delivered_at: null,
    });
    this.log.warn(
      {
        delivery_id: d.id,
        channel: d.channel,
        event: d.event,
        attempts,
        error_code: outcome.code,
        error: outcome.detail,
        gave_up: gaveUp,
      },
      'social delivery failed',
    );
  }

  /**
   * What a person reads about a delivery, true to its status: why the last attempt failed, then
   * what happens next (it waits for a token, it will be tried again, it gave up and how to send it
   * again), or that it was cancelled and why. Nothing for a delivery that went out.
   */
  private words(d: Omit<SocialDelivery, 'payload'>, lang: Lang): string | null {
    const platform = LABELS[d.channel];
    if (d.status === 'cancelled')
      return t(
        d.event === 'bulletin.published' ? 'social_state_cancelled_post' : 'social_state_cancelled_takedown',
        lang,
        { platform },
      );
    if (!d.last_error_code || !ERROR_CODES.has(d.last_error_code) || d.status === 'delivered') return null;
    const cause = t(d.last_error_code as MessageKey, lang, {
      platform,
      where: this.outlets.get(d.channel)?.token.where ?? '',
      status: d.last_status ?? '',
      detail: d.last_error ?? '',
    });
    const next =
      d.status === 'failed'
        ? t('social_state_gave_up', lang, { attempts: d.attempts, id: d.id })
        : d.last_error_code === 'social_token_missing'
          ? t('social_state_waiting_token', lang)
          : t('social_state_will_retry', lang, { attempts: d.attempts, max: this.settings.webhook_max_attempts });
    return `${cause} ${next}`;
  }
}
