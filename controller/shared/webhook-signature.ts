/**
 * The one signature scheme of every webhook the controller sends (publications:
 * publishing/webhooks-service.ts; receiver health alerts: health/health-service.ts), so a
 * receiving system checks them all with one routine. As in Stripe's scheme, the timestamp is
 * inside the signed text, so a captured delivery cannot be replayed under a fresh timestamp and
 * the receiver can refuse old ones.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { sendRequest } from './http-client.js';

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

/**
 * The envelope of every webhook body, `{id, event, occurred_at, ...data}`: `id` is also the
 * X-TT-Delivery header and `event` the X-TT-Event header, so a receiver may read either.
 */
export function webhookMessage(
  event: string,
  occurredAt: Date | string,
  data: Record<string, unknown>,
  id: string = randomUUID(),
): WebhookMessage {
  const occurred_at = typeof occurredAt === 'string' ? occurredAt : occurredAt.toISOString();
  return { event, delivery_id: id, body: JSON.stringify({ id, event, occurred_at, ...data }) };
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

/**
 * One attempt: the signed POST, through Node's own client (shared/http-client.ts says why).
 * A redirect is not followed (nor counted as taken): the answer's status is returned as it is;
 * a network failure or the timeout rejects.
 */
export async function postWebhook(
  url: string,
  secret: string,
  message: WebhookMessage,
  o: { now: Date; timeoutMs: number },
): Promise<number> {
  const res = await sendRequest(url, {
    method: 'POST',
    headers: signedWebhookHeaders(secret, message, o.now),
    body: message.body,
    signal: AbortSignal.timeout(o.timeoutMs),
    maxRedirects: 0,
  });
  // The answer's body says nothing we use: drained, so the connection can be reused.
  res.resume();
  return res.statusCode ?? 0;
}
