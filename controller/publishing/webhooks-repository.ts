import type { Db } from '../db/database.js';

export interface Webhook {
  id: string;
  url: string;
  secret: string;
  description: string | null;
  created_by: string;
  created_at: string;
  disabled_at: string | null;
}

export interface Delivery {
  id: string;
  webhook_id: string;
  event: string;
  publication_id: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export class WebhooksRepository {
  constructor(private readonly db: Db) {}

  insert(w: Webhook): void {
    this.db
      .prepare(
        'INSERT INTO webhooks (id, url, secret, description, created_by, created_at, disabled_at) VALUES (@id, @url, @secret, @description, @created_by, @created_at, @disabled_at)',
      )
      .run(w);
  }

  active(): Webhook[] {
    return this.db.prepare<[], Webhook>('SELECT * FROM webhooks WHERE disabled_at IS NULL ORDER BY created_at').all();
  }

  get(id: string): Webhook | undefined {
    return this.db.prepare<[string], Webhook>('SELECT * FROM webhooks WHERE id = ?').get(id);
  }

  disable(id: string, at: string): void {
    this.db.prepare('UPDATE webhooks SET disabled_at = ? WHERE id = ?').run(at, id);
  }

  insertDelivery(d: Delivery): void {
    this.db
      .prepare(
        `INSERT INTO webhook_deliveries (id, webhook_id, event, publication_id, payload, status, attempts, next_attempt_at, last_status, last_error, created_at, delivered_at)
       VALUES (@id, @webhook_id, @event, @publication_id, @payload, @status, @attempts, @next_attempt_at, @last_status, @last_error, @created_at, @delivered_at)`,
      )
      .run(d);
  }

  due(now: string, limit: number): Delivery[] {
    return this.db
      .prepare<[string, number], Delivery>(
        "SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?",
      )
      .all(now, limit);
  }

  deliveries(webhookId: string, limit: number): Delivery[] {
    return this.db
      .prepare<[string, number], Delivery>(
        'SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
      )
      .all(webhookId, limit);
  }

  recordAttempt(
    id: string,
    fields: Pick<Delivery, 'status' | 'attempts' | 'next_attempt_at' | 'last_status' | 'last_error' | 'delivered_at'>,
  ): void {
    this.db
      .prepare(
        `UPDATE webhook_deliveries SET status = @status, attempts = @attempts, next_attempt_at = @next_attempt_at, last_status = @last_status,
       last_error = @last_error, delivered_at = @delivered_at WHERE id = @id`,
      )
      .run({ ...fields, id });
  }
}
