/**
 * What every webhook the controller sends looks like on the wire (controller/shared/webhook-signature.ts):
 * the body's envelope matches its headers, the signature checks as the README says, a redirect
 * is not followed, a slow receiver is given up at the time limit, and an HTTP/1.0 receiver that
 * answers with a body and closes the connection is heard without harm.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { postWebhook, webhookMessage } from '../../../controller/shared/webhook-signature.js';
import { http10Server } from '../../helpers/http-servers.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      s.closeAllConnections();
      return new Promise((r) => s.close(r));
    }),
  );
});

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const now = new Date('2026-12-01T08:00:00.000Z');

describe('webhook deliveries', () => {
  it('carry {id, event, occurred_at, ...} with the id and event also in the headers, signed over timestamp.body', async () => {
    const heard: { headers: IncomingMessage['headers']; body: string }[] = [];
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        heard.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    const message = webhookMessage('health_alert.opened', '2026-12-01T07:59:58.123Z', { alert: { rule: 'offline' } });
    expect(await postWebhook(url, 'bi-mat', message, { now, timeoutMs: 5000 })).toBe(204);
    const [h] = heard;
    expect(JSON.parse(h.body)).toEqual({
      id: message.delivery_id,
      event: 'health_alert.opened',
      occurred_at: '2026-12-01T07:59:58.123Z',
      alert: { rule: 'offline' },
    });
    expect(h.headers['x-tt-event']).toBe('health_alert.opened');
    expect(h.headers['x-tt-delivery']).toBe(message.delivery_id);
    expect(h.headers['x-tt-timestamp']).toBe(String(now.getTime() / 1000));
    const mac = createHmac('sha256', 'bi-mat').update(`${h.headers['x-tt-timestamp']}.${h.body}`).digest('hex');
    expect(h.headers['x-tt-signature']).toBe(`sha256=${mac}`);
  });

  it('takes a redirect as the answer it is, not following it', async () => {
    let posts = 0;
    const url = await serve((req, res) => {
      posts++;
      req.resume();
      res.writeHead(302, { location: '/elsewhere' }).end();
    });
    expect(await postWebhook(url, 's', webhookMessage('x', now, {}), { now, timeoutMs: 5000 })).toBe(302);
    expect(posts).toBe(1);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const url = await serve((req) => req.resume()); // never answers
    const started = Date.now();
    await expect(postWebhook(url, 's', webhookMessage('x', now, {}), { now, timeoutMs: 300 })).rejects.toThrow(
      /timeout/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('is heard by an HTTP/1.0 receiver that answers with a page and closes the connection', async () => {
    const old = await http10Server(Buffer.alloc(1_000_000, 0x20));
    try {
      for (let i = 0; i < 3; i++)
        expect(await postWebhook(old.url, 's', webhookMessage('x', now, {}), { now, timeoutMs: 5000 })).toBe(200);
      expect(old.heads[0]).toMatch(/^POST \/ HTTP\/1\.1\r\n/);
    } finally {
      await old.close();
    }
  });
});
