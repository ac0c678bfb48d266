/**
 * The one signature scheme of every webhook the controller sends (publications:
 * publishing/webhooks-service.ts; receiver health alerts: health/health-service.ts), so a
 * receiving system checks them all with one routine. As in Stripe's scheme, the timestamp is
 * inside the signed text, so a captured delivery cannot be replayed under a fresh timestamp and
 * the receiver can refuse old ones.
 */
import { createHmac } from 'node:crypto';

/** What a receiving system recomputes: `sha256=` + hex HMAC-SHA256 of `${timestamp}.${body}` with the shared secret. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookMessage {
  /** What happened, e.g. `bulletin.published`, `health_alert.opened`. */
  event: string;
  /** The same on every retry of one delivery, so a receiver can drop repeats. */
  delivery_id: string;
  /** The exact JSON text sent: the signature covers these bytes. */
  body: string;
}

/** The headers of one attempt: signed at the time of sending (seconds since the epoch). */
export function signedWebhookHeaders(secret: string, message: WebhookMessage, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    'content-type': 'application/json',
    'user-agent': 'truyen-thanh-controller',
    'x-tt-event': message.event,
    'x-tt-delivery': message.delivery_id,
    'x-tt-timestamp': timestamp,
    'x-tt-signature': signWebhook(secret, timestamp, message.body),
  };
}
