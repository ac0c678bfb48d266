/**
 * What a receiving system gets from every webhook the controller sends, heard on a real local
 * HTTP server: publication webhooks carry the real size and duration of the bulletin's audio
 * (the file served, measured here with ffprobe), and publication and health-alert webhooks alike
 * are signed as the README documents: X-TT-Signature = "sha256=" + hex HMAC-SHA256 of
 * "<X-TT-Timestamp>.<body>", with the webhook's secret (shown once by POST /api/webhooks) or,
 * for health alerts, the secret in data_dir/secrets/health-webhook-secret.
 */
import ffprobe from '@ffprobe-installer/ffprobe';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

interface Heard {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}
const heard: Heard[] = [];
const hookServer = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    heard.push({ path: req.url ?? '', headers: req.headers, body });
    res.writeHead(204).end();
  });
});
let hookBase = '';
let tc: TestController;

beforeAll(async () => {
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', () => r()));
  hookBase = `http://127.0.0.1:${(hookServer.address() as { port: number }).port}`;
  tc = await startTestController({ health: { webhook_url: `${hookBase}/health` } });
  await enrolReceiver(tc.url, tc.token, 'rx-wh', 'thon-1', 'rx-wh');
});
afterAll(async () => {
  await tc?.close();
  await new Promise((r) => hookServer.close(r));
});

/** The check a receiving system makes, written from the README, not from the controller's code. */
function signatureValid(h: Heard, secret: string): boolean {
  const expected = `sha256=${createHmac('sha256', secret).update(`${h.headers['x-tt-timestamp']}.${h.body}`).digest('hex')}`;
  return h.headers['x-tt-signature'] === expected;
}

/**
 * The envelope every webhook body has, as the README documents it: the body's `event` is the
 * X-TT-Event header, its `id` the X-TT-Delivery header, `occurred_at` a UTC instant.
 */
function expectEnvelope(h: Heard): void {
  const body = JSON.parse(h.body);
  expect(body.event).toBe(h.headers['x-tt-event']);
  expect(body.id).toBe(h.headers['x-tt-delivery']);
  expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(body.occurred_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  expect(Math.abs(Date.parse(body.occurred_at) - Date.now())).toBeLessThan(5 * 60_000);
}

/** The first request heard on `path` announcing `event`, once it has come. */
const first = (path: string, event: string): Promise<Heard> =>
  waitFor(
    () => heard.find((h) => h.path === path && h.headers['x-tt-event'] === event),
    `the ${event} webhook`,
    60_000,
  );

describe('publication webhooks', () => {
  let secret = '';

  beforeAll(async () => {
    const hook = await tc.api('POST', '/api/webhooks', {
      url: `${hookBase}/publications`,
      description: 'Trang web xã',
    });
    expect(hook.status).toBe(201);
    secret = hook.body.secret;
  });

  it("carry the size and ffprobe duration of the audio served, published and withdrawn, signed with the webhook's secret", async () => {
    const b = await tc.api('POST', '/api/bulletins', {
      title: 'Lịch tiêm chủng tháng 12',
      category: 'health',
      text: 'Trạm y tế xã tiêm chủng mở rộng vào sáng thứ Bảy. Đề nghị bà con đưa trẻ đến đúng giờ.',
    });
    expect(b.status).toBe(201);
    expect((await tc.api('POST', `/api/bulletins/${b.body.id}/submit`)).status).toBe(200);
    expect((await tc.api('POST', `/api/bulletins/${b.body.id}/approve`)).status).toBe(200);
    expect(
      (await tc.api('POST', `/api/bulletins/${b.body.id}/broadcast`, { target: { hamlet_ids: ['thon-1'] } })).status,
    ).toBe(201);

    const published = await first('/publications', 'bulletin.published');
    const publication = JSON.parse(published.body).publication;

    // The audio as the public fetches it, measured by ffprobe and by its length.
    const audio = Buffer.from(await (await fetch(publication.audio_url)).arrayBuffer());
    const file = join(tc.dir, 'published.mp3');
    writeFileSync(file, audio);
    const probed = Number(
      execFileSync(ffprobe.path, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], {
        encoding: 'utf8',
      }),
    );
    expect(probed).toBeGreaterThan(1);
    expect(publication.audio_size_bytes).toBe(audio.length);
    expect(publication.duration_s).toBe(Math.round(probed));

    expect(
      (await tc.api('POST', `/api/publications/${publication.id}/withdraw`, { reason: 'Đăng nhầm lịch' })).status,
    ).toBe(200);
    const withdrawn = await first('/publications', 'bulletin.withdrawn');
    expect(JSON.parse(withdrawn.body).publication).toMatchObject({
      id: publication.id,
      audio_size_bytes: audio.length,
      duration_s: Math.round(probed),
    });

    for (const h of [published, withdrawn]) {
      expect(h.headers['content-type']).toBe('application/json');
      expectEnvelope(h);
      expect(signatureValid(h, secret)).toBe(true);
    }
  }, 90_000);
});

describe('health alert webhooks', () => {
  const telemetry = (fields: object) =>
    Buffer.from(JSON.stringify({ v: 1, receiver_id: 'rx-wh', at: new Date().toISOString(), ...fields }));

  it('are shaped and signed the same way, with the secret kept in data_dir/secrets/health-webhook-secret', async () => {
    const secret = readFileSync(join(tc.dir, 'data', 'secrets', 'health-webhook-secret'), 'utf8').trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);

    tc.controller.presence.handleTelemetry('rx-wh', telemetry({ temperature_c: 80 }));
    const opened = await first('/health', 'health_alert.opened');
    tc.controller.presence.handleTelemetry('rx-wh', telemetry({ temperature_c: 40 }));
    const resolved = await first('/health', 'health_alert.resolved');

    const openedBody = JSON.parse(opened.body);
    expect(openedBody).toMatchObject({
      event: 'health_alert.opened',
      alert: { receiver_id: 'rx-wh', rule: 'temperature', state: 'open' },
    });
    expect(openedBody.occurred_at).toBe(openedBody.alert.opened_at);
    const resolvedBody = JSON.parse(resolved.body);
    expect(resolvedBody).toMatchObject({
      event: 'health_alert.resolved',
      alert: { receiver_id: 'rx-wh', rule: 'temperature', state: 'resolved' },
    });
    expect(resolvedBody.occurred_at).toBe(resolvedBody.alert.resolved_at);
    expect(resolvedBody.id).not.toBe(openedBody.id);
    for (const h of [opened, resolved]) {
      expect(h.headers['content-type']).toBe('application/json');
      expectEnvelope(h);
      expect(signatureValid(h, secret)).toBe(true);
      // The check has teeth: another secret, or one byte of the body changed, does not verify.
      expect(signatureValid(h, `${secret}x`)).toBe(false);
      expect(signatureValid({ ...h, body: h.body.replace('rx-wh', 'rx-wi') }, secret)).toBe(false);
    }
  });
});
