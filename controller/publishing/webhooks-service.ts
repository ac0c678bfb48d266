/**
 * Webhooks: the commune website, a Zalo Official Account bridge or any other system hears of
 * each publication. Every delivery is signed (HMAC-SHA256 over "timestamp.body" with the
 * webhook's secret: shared/webhook-signature.ts), recorded, and retried with backoff until it
 * is accepted or gives up.
 */
import { singlePass } from '../shared/single-pass.js';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Actor } from '../audit/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../shared/domain-error.js';
import { postWebhook, webhookMessage } from '../shared/webhook-signature.js';
import type { Logger } from '../logger.js';
import type { Delivery, Webhook, WebhooksRepository } from './webhooks-repository.js';

/** Seconds before each retry: also the fanpage's and Zalo's (social-publisher.ts). */
export const BACKOFF_S = [10, 30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600];

export interface WebhooksServiceOptions {
  db: Db;
  repo: WebhooksRepository;
  audit: AuditLog;
  clock: Clock;
  log: Logger;
  settings: { webhook_timeout_s: number; webhook_max_attempts: number };
}

export class WebhooksService {
  private timer?: NodeJS.Timeout;

  private readonly db: Db;
  private readonly repo: WebhooksRepository;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly settings: { webhook_timeout_s: number; webhook_max_attempts: number };

  constructor({ db, repo, audit, clock, log, settings }: WebhooksServiceOptions) {
    this.db = db;
    this.repo = repo;
    this.audit = audit;
    this.clock = clock;
    this.log = log;
    this.settings = settings;
    this.tick = singlePass(() => this.pass(), this.log, 'webhook pass', 0);
  }

  /** The secret is returned here once, and never again. */
  create(
    input: { url: string; description?: string | null },
    actor: Actor,
  ): Omit<Webhook, 'secret'> & { secret: string } {
    if (!/^https?:\/\//.test(input.url)) throw new DomainError('invalid', 'webhook_bad_url');
    const webhook: Webhook = {
      id: randomUUID(),
      url: input.url,
      secret: randomBytes(32).toString('base64url'),
      description: input.description ?? null,
      created_by: actor.id,
      created_at: this.clock.now().toISOString(),
      disabled_at: null,
    };
    this.db.transaction(() => {
      this.repo.insert(webhook);
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'webhook.created',
        subject: webhook.id,
        detail: { url: webhook.url },
      });
    })();
    return webhook;
  }

  list(): Omit<Webhook, 'secret'>[] {
    return this.repo.active().map(({ secret: _, ...w }) => w);
  }

  disable(id: string, actor: Actor): void {
    if (!this.repo.get(id)) throw notFound('what_webhook', id);
    this.db.transaction(() => {
      this.repo.disable(id, this.clock.now().toISOString());
      this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'webhook.disabled', subject: id });
    })();
  }

  deliveries(id: string, limit = 100): Omit<Delivery, 'payload'>[] {
    if (!this.repo.get(id)) throw notFound('what_webhook', id);
    return this.repo.deliveries(id, limit).map(({ payload: _, ...d }) => d);
  }

  /** Queues one delivery per active webhook; call inside the transaction that makes the event. */
  enqueue(event: string, publicationId: string, data: object): void {
    const now = this.clock.now().toISOString();
    for (const w of this.repo.active()) {
      // The body's id is the delivery's (X-TT-Delivery), as for the health webhooks.
      const message = webhookMessage(event, now, { publication: data });
      this.repo.insertDelivery({
        id: message.delivery_id,
        webhook_id: w.id,
        event,
        publication_id: publicationId,
        payload: message.body,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        last_status: null,
        last_error: null,
        created_at: now,
        delivered_at: null,
      });
    }
    setImmediate(() => void this.tick());
  }

  start(intervalS = 5): void {
    this.timer = setInterval(() => void this.tick(), intervalS * 1000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Sends what is due; overlapping calls share the pass in progress. */
  readonly tick: () => Promise<number>;

  private async pass(): Promise<number> {
    const due = this.repo.due(this.clock.now().toISOString(), 50);
    await Promise.all(due.map((d) => this.attempt(d)));
    return due.length;
  }

  private async attempt(d: Delivery): Promise<void> {
    const webhook = this.repo.get(d.webhook_id);
    const attempts = d.attempts + 1;
    let status: number | null = null;
    let error: string | null = null;
    if (!webhook || webhook.disabled_at) {
      error = 'webhook disabled';
    } else {
      try {
        status = await postWebhook(
          webhook.url,
          webhook.secret,
          { event: d.event, delivery_id: d.id, body: d.payload },
          { now: this.clock.now(), timeoutMs: this.settings.webhook_timeout_s * 1000 },
        );
        if (status < 200 || status >= 300) error = `HTTP ${status}`;
      } catch (err) {
        error = (err as Error).message.slice(0, 300);
      }
    }
    const now = this.clock.now();
    if (!error) {
      this.repo.recordAttempt(d.id, {
        status: 'delivered',
        attempts,
        next_attempt_at: d.next_attempt_at,
        last_status: status,
        last_error: null,
        delivered_at: now.toISOString(),
      });
      return;
    }
    const gaveUp = attempts >= this.settings.webhook_max_attempts || !webhook || Boolean(webhook.disabled_at);
    const next = new Date(now.getTime() + BACKOFF_S[Math.min(attempts - 1, BACKOFF_S.length - 1)] * 1000).toISOString();
    this.repo.recordAttempt(d.id, {
      status: gaveUp ? 'failed' : 'pending',
      attempts,
      next_attempt_at: gaveUp ? d.next_attempt_at : next,
      last_status: status,
      last_error: error,
      delivered_at: null,
    });
    this.log.warn(
      { delivery_id: d.id, webhook_id: d.webhook_id, attempts, error, gave_up: gaveUp },
      'webhook delivery failed',
    );
  }
}
