import type { Db } from '../db/database.js';
import type { ChannelName } from './social-channel.js';

export type SocialEvent = 'bulletin.published' | 'bulletin.withdrawn';

export interface SocialDelivery {
  id: string;
  channel: ChannelName;
  event: SocialEvent;
  publication_id: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  attempts: number;
  next_attempt_at: string;
  last_status: number | null;
  last_error_code: string | null;
  last_error: string | null;
  remote_id: string | null;
  pending_ref: string | null;
  created_at: string;
  delivered_at: string | null;
}

export type AttemptFields = Pick<
  SocialDelivery,
  | 'status'
  | 'attempts'
  | 'next_attempt_at'
  | 'last_status'
  | 'last_error_code'
  | 'last_error'
  | 'remote_id'
  | 'pending_ref'
  | 'delivered_at'
>;

export class SocialDeliveriesRepository {
  constructor(private readonly db: Db) {}

  insert(d: SocialDelivery): void {
    this.db
      .prepare(
        `INSERT INTO social_deliveries (id, channel, event, publication_id, payload, status, attempts, next_attempt_at, last_status, last_error_code, last_error, remote_id, pending_ref, created_at, delivered_at)
       VALUES (@id, @channel, @event, @publication_id, @payload, @status, @attempts, @next_attempt_at, @last_status, @last_error_code, @last_error, @remote_id, @pending_ref, @created_at, @delivered_at)`,
      )
      .run(d);
  }

  get(id: string): SocialDelivery | undefined {
    return this.db.prepare<[string], SocialDelivery>('SELECT * FROM social_deliveries WHERE id = ?').get(id);
  }

  /**
   * Pending and due, on the channels switched on (those of a channel switched off wait for it);
   * those that waited for a token are due at once on the channels that now have one.
   */
  due(now: string, channels: ChannelName[], withToken: ChannelName[], limit: number): SocialDelivery[] {
    return this.db
      .prepare<[string, string, string, number], SocialDelivery>(
        `SELECT * FROM social_deliveries WHERE status = 'pending' AND channel IN (SELECT value FROM json_each(?))
       AND (next_attempt_at <= ? OR (last_error_code = 'social_token_missing' AND channel IN (SELECT value FROM json_each(?))))
       ORDER BY next_attempt_at, rowid LIMIT ?`,
      )
      .all(JSON.stringify(channels), now, JSON.stringify(withToken), limit);
  }

  deliveries(channel: ChannelName, limit: number): SocialDelivery[] {
    return this.db
      .prepare<[string, number], SocialDelivery>(
        'SELECT * FROM social_deliveries WHERE channel = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
      )
      .all(channel, limit);
  }

  counts(channel: ChannelName): Record<SocialDelivery['status'], number> {
    const rows = this.db
      .prepare<[string], { status: SocialDelivery['status']; n: number }>(
        'SELECT status, COUNT(*) AS n FROM social_deliveries WHERE channel = ? GROUP BY status',
      )
      .all(channel);
    const out = { pending: 0, delivered: 0, failed: 0, cancelled: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  /** The post of a publication on a channel (its publish delivery), if one was queued. */
  postOf(publicationId: string, channel: ChannelName): SocialDelivery | undefined {
    return this.db
      .prepare<[string, string], SocialDelivery>(
        "SELECT * FROM social_deliveries WHERE publication_id = ? AND channel = ? AND event = 'bulletin.published' ORDER BY rowid DESC LIMIT 1",
      )
      .get(publicationId, channel);
  }

  /**
   * Whether the bulletin already has a post there, made or on its way, of a publication still up,
   * and not taken down since (a publication published again after a withdrawal is posted again;
   * a take-down that failed leaves the post up, so it is not posted twice).
   */
  bulletinHasPost(bulletinId: string, channel: ChannelName): boolean {
    return (
      this.db
        .prepare<[string, string], { n: number }>(
          `SELECT COUNT(*) AS n FROM social_deliveries d JOIN publications p ON p.id = d.publication_id
       WHERE p.bulletin_id = ? AND d.channel = ? AND d.event = 'bulletin.published' AND d.status IN ('pending', 'delivered') AND p.withdrawn_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM social_deliveries w WHERE w.publication_id = d.publication_id AND w.channel = d.channel
                       AND w.event = 'bulletin.withdrawn' AND w.rowid > d.rowid AND w.status IN ('pending', 'delivered'))`,
        )
        .get(bulletinId, channel)!.n > 0
    );
  }

  /**
   * Checked again just before anything is posted: the publication is still up, of a bulletin
   * that was approved, is public and was not broadcast as a drill.
   */
  stillPublic(publicationId: string): boolean {
    return (
      this.db
        .prepare<[string], { n: number }>(
          `SELECT COUNT(*) AS n FROM publications p JOIN bulletins b ON b.id = p.bulletin_id JOIN broadcasts br ON br.id = p.broadcast_id
       WHERE p.id = ? AND p.withdrawn_at IS NULL AND b.decided_by IS NOT NULL AND (b.public IS NULL OR b.public = 1) AND br.drill = 0`,
        )
        .get(publicationId)!.n > 0
    );
  }

  recordAttempt(id: string, fields: AttemptFields): void {
    this.db
      .prepare(
        `UPDATE social_deliveries SET status = @status, attempts = @attempts, next_attempt_at = @next_attempt_at, last_status = @last_status,
       last_error_code = @last_error_code, last_error = @last_error, remote_id = @remote_id, pending_ref = @pending_ref, delivered_at = @delivered_at WHERE id = @id`,
      )
      .run({ ...fields, id });
  }

  /** A delivery that gave up, due again now with its attempts counted from zero. */
  requeue(id: string, now: string): void {
    this.db
      .prepare(
        "UPDATE social_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ? AND status = 'failed'",
      )
      .run(now, id);
  }

  cancel(id: string): void {
    this.db.prepare("UPDATE social_deliveries SET status = 'cancelled' WHERE id = ? AND status = 'pending'").run(id);
  }
}
