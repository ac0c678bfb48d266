/**
 * Bulletins beyond the loudspeakers: what is broadcast and public appears on the podcast feed
 * (parsed back with rss-parser), the JSON feed and the public page, with downloadable audio;
 * drafts, private bulletins and drills never do; urgent items lead and leave when they expire
 * or are cancelled; webhooks are signed, retried with backoff and recorded.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { ROLE_PERMISSIONS } from '../../controller/accounts/permissions.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
let tc: TestController;
const hooks: { headers: IncomingMessage['headers']; body: string }[] = [];
let failFirst = 2;
const hookServer = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    hooks.push({ headers: req.headers, body });
    res.writeHead(failFirst-- > 0 ? 500 : 204).end();
  });
});
let hookUrl = '';

beforeAll(async () => {
  tc = await startTestController({}, { overrides: { clock } });
  await enrolReceiver(tc.url, tc.token, 'rx-pub', 'thon-1', 'rx-pub');
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', () => r()));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as { port: number }).port}/hook`;
});
afterAll(async () => {
  await tc?.close();
  hookServer.close();
});

/** Writes, submits, approves and (unless told otherwise) broadcasts a bulletin. */
async function bulletin(
  title: string,
  options: { broadcast?: object | false; public?: boolean; category?: string } = {},
) {
  const b = await tc.api('POST', '/api/bulletins', {
    title,
    category: options.category ?? 'commune_notice',
    text: `${title}. Đề nghị bà con chú ý.`,
    ...(options.public === undefined ? {} : { public: options.public }),
  });
  expect(b.status).toBe(201);
  if (options.broadcast === false) return { bulletin: b.body, broadcast: null };
  expect((await tc.api('POST', `/api/bulletins/${b.body.id}/submit`)).status).toBe(200);
  expect((await tc.api('POST', `/api/bulletins/${b.body.id}/approve`)).status).toBe(200);
  const sent = await tc.api('POST', `/api/bulletins/${b.body.id}/broadcast`, {
    target: { hamlet_ids: ['thon-1'] },
    ...options.broadcast,
  });
  expect(sent.status).toBe(201);
  return { bulletin: b.body, broadcast: sent.body };
}

const feed = async () =>
  new Parser().parseString((await tc.api('GET', '/public/feed.xml', undefined, { authorization: '' })).body);
const titles = async () => (await feed()).items.map((i) => i.title);

describe('publishing bulletins', () => {
  let webhookSecret = '';
  let webhookId = '';
  let urgent: { broadcast: any };

  it('publishes what was broadcast and public; never drafts, private bulletins or drills', async () => {
    const hook = await tc.api('POST', '/api/webhooks', { url: hookUrl, description: 'Trang web xã' });
    expect(hook.status).toBe(201);
    webhookSecret = hook.body.secret;
    webhookId = hook.body.id;
    expect((await tc.api('GET', '/api/webhooks')).body[0]).not.toHaveProperty('secret');

    await bulletin('Lịch tiêm chủng tháng 12', { category: 'health' });
    await bulletin('Bản nháp chưa duyệt', { broadcast: false });
    await bulletin('Tin nội bộ', { public: false });
    await bulletin('Diễn tập sơ tán', { broadcast: { drill: true } });
    urgent = await bulletin('Cảnh báo lũ trên sông Hồng', {
      broadcast: { priority: 'priority' },
      category: 'disaster_prevention',
    });
    await bulletin('Thông báo mất điện', { broadcast: { priority: 'priority' } });

    const parsed = await feed();
    expect(parsed.title).toContain('Xã Thử Nghiệm');
    expect(parsed.items.map((i) => i.title)).toEqual([
      '[Khẩn] Thông báo mất điện',
      '[Khẩn] Cảnh báo lũ trên sông Hồng',
      'Lịch tiêm chủng tháng 12',
    ]);
    const health = parsed.items[2];
    expect(health.categories).toEqual(['Y tế, sức khỏe']);
    expect(health.contentSnippet ?? health.content).toContain('Đề nghị bà con chú ý');

    // Each enclosure downloads, without an account, with its declared length and type.
    for (const item of parsed.items) {
      const res = await fetch(item.enclosure!.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('audio/mpeg');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBe(Number(item.enclosure!.length));
      expect(item.enclosure!.type).toBe('audio/mpeg');
    }
    const json = (await tc.api('GET', '/public/health/feed.json', undefined, { authorization: '' })).body;
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.items.map((i: any) => i.title)).toEqual(['Lịch tiêm chủng tháng 12']);
    expect(json.items[0].attachments[0]).toMatchObject({ mime_type: 'audio/mpeg' });
    const transcript = await fetch(parsed.items[2].link!.replace(/\/public\/#(.*)$/, '/public/items/$1.txt'));
    expect(await transcript.text()).toContain('Lịch tiêm chủng tháng 12');

    // Nothing private leaks: authors, drafts, receivers.
    const page = (await tc.api('GET', '/public/', undefined, { authorization: '' })).body as string;
    const everything = [
      page,
      JSON.stringify(json),
      (await tc.api('GET', '/public/feed.xml', undefined, { authorization: '' })).body,
    ].join('\n');
    for (const secret of [
      'Bản nháp chưa duyệt',
      'Tin nội bộ',
      'Diễn tập',
      'rx-pub',
      'thon-1',
      'created_by',
      'decided_by',
      'test-admin',
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(page).toContain('<html lang="vi">');
    expect(page).toContain('Thông báo khẩn');
    expect(page.indexOf('Cảnh báo lũ')).toBeLessThan(page.indexOf('Lịch tiêm chủng'));
    // A draft's or drill's audio is not reachable through the public side either.
    const all = (await tc.api('GET', '/api/publications')).body;
    expect(all).toHaveLength(3);
  }, 60_000);

  it('refuses a step in the wrong state in words, never the codes ("approved", "edit")', async () => {
    const { bulletin: made } = await bulletin('Thông báo đã duyệt', { broadcast: false });
    expect((await tc.api('POST', `/api/bulletins/${made.id}/submit`)).status).toBe(200);
    expect((await tc.api('POST', `/api/bulletins/${made.id}/approve`)).status).toBe(200);
    const again = await tc.api('POST', `/api/bulletins/${made.id}/approve`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('Bản tin đang ở trạng thái đã duyệt nên không thể duyệt.');
    expect(again.body.error.message_en).toBe('The bulletin is approved, so it cannot be approved.');
    const edit = await tc.api('PATCH', `/api/bulletins/${made.id}`, { title: 'Sửa' });
    expect(edit.body.error.message).toBe('Bản tin đang ở trạng thái đã duyệt nên không thể sửa.');
  });

  it('takes an urgent item off when it is cancelled, and when its validity ends', async () => {
    const cancelled = await tc.api('POST', `/api/broadcasts/${urgent.broadcast.broadcast_id}/cancel`, {});
    expect(cancelled.body).toMatchObject({ correction_broadcast_id: expect.any(String) });
    expect(await titles()).toEqual(['[Khẩn] Thông báo mất điện', 'Lịch tiêm chủng tháng 12']);
    const withdrawn = (await tc.api('GET', '/api/publications')).body.find(
      (p: any) => p.broadcast_id === urgent.broadcast.broadcast_id,
    );
    expect(withdrawn).toMatchObject({ withdrawn_reason: 'cancelled' });
    expect((await fetch(`${tc.url}/public/audio/${withdrawn.id}.mp3`)).status).toBe(404);

    offsetMs = 25 * 3_600_000; // a day later: the remaining urgent item has expired (24 h)
    expect(await titles()).toEqual(['Lịch tiêm chủng tháng 12']);
  }, 30_000);

  it('signs every webhook delivery, retries failures with backoff and records each attempt', async () => {
    await waitFor(() => hooks.length >= 2, 'the first attempts');
    // The hook server hears an attempt before the controller records its answer: wait for the record.
    let deliveries = await waitFor(async () => {
      const rows = (await tc.api('GET', `/api/webhooks/${webhookId}/deliveries`)).body;
      return rows.some((d: any) => d.last_status === 500) ? rows : undefined;
    }, 'the failed attempts recorded');
    const failedOnce = deliveries.filter((d: any) => d.last_status === 500);
    expect(failedOnce.length).toBeGreaterThan(0);
    expect(failedOnce.every((d: any) => d.status === 'pending' && d.last_error === 'HTTP 500')).toBe(true);

    // Time passes; the retries go out and are accepted.
    for (let i = 0; i < 3; i++) {
      offsetMs += 10 * 60_000;
      await tc.controller.webhooks.tick();
    }
    deliveries = (await tc.api('GET', `/api/webhooks/${webhookId}/deliveries`)).body;
    expect(deliveries.every((d: any) => d.status === 'delivered')).toBe(true);
    expect(deliveries.some((d: any) => d.attempts >= 2)).toBe(true);
    const events = deliveries.map((d: any) => d.event).sort();
    expect(events).toEqual(['bulletin.published', 'bulletin.published', 'bulletin.published', 'bulletin.withdrawn']);

    for (const h of hooks) {
      const expected = `sha256=${createHmac('sha256', webhookSecret).update(`${h.headers['x-tt-timestamp']}.${h.body}`).digest('hex')}`;
      expect(h.headers['x-tt-signature']).toBe(expected);
    }
    const published = hooks
      .map((h) => JSON.parse(h.body))
      .find((b) => b.event === 'bulletin.published' && b.publication.title === 'Lịch tiêm chủng tháng 12');
    expect(published.publication).toMatchObject({
      category: 'health',
      category_name: 'Y tế, sức khỏe',
      audio_type: 'audio/mpeg',
    });
    expect(JSON.stringify(published)).not.toContain('test-admin');
  }, 30_000);

  it('unpublishes a bulletin made private', async () => {
    const [health] = (await tc.api('GET', '/api/publications')).body.filter(
      (p: any) => p.title === 'Lịch tiêm chủng tháng 12',
    );
    expect((await tc.api('POST', `/api/bulletins/${health.bulletin_id}/visibility`, { public: false })).status).toBe(
      200,
    );
    expect(await titles()).toEqual([]);
    expect((await tc.api('GET', '/public/', undefined, { authorization: '' })).body).toContain('Chưa có bản tin nào');
  });

  it('keeps one item per bulletin however often it is broadcast', async () => {
    const { bulletin: b } = await bulletin('Lịch họp Hội Nông dân');
    const again = await tc.api('POST', `/api/bulletins/${b.id}/broadcast`, { target: { hamlet_ids: ['thon-1'] } });
    expect(again.status).toBe(201);
    expect(again.body.publication).toMatchObject({
      status: 'already_published',
      message: 'Bản tin đã được đăng trước đó: không đăng thêm lần nữa.',
    });
    expect((await titles()).filter((title) => title === 'Lịch họp Hội Nông dân')).toHaveLength(1);
    const json = (await tc.api('GET', '/public/feed.json', undefined, { authorization: '' })).body;
    expect(json.items.filter((i: any) => i.title === 'Lịch họp Hội Nông dân')).toHaveLength(1);
    expect(
      (await tc.api('GET', '/api/publications')).body.filter((p: any) => p.title === 'Lịch họp Hội Nông dân'),
    ).toHaveLength(1);
  }, 30_000);

  it('says what became of the publication after an emergency bulletin is confirmed, as an unconfirmed send does', async () => {
    const { broadcast: plain } = await bulletin('Thông báo lịch cắt nước');
    expect(plain.publication).toMatchObject({ status: 'published', message: expect.any(String) });

    const { bulletin: b } = await bulletin('Lũ quét ở thôn 1', { broadcast: false, category: 'disaster_prevention' });
    expect((await tc.api('POST', `/api/bulletins/${b.id}/submit`)).status).toBe(200);
    expect((await tc.api('POST', `/api/bulletins/${b.id}/approve`)).status).toBe(200);
    const asked = await tc.api('POST', `/api/bulletins/${b.id}/broadcast`, {
      target: { hamlet_ids: ['thon-1'] },
      priority: 'emergency',
    });
    expect(asked.status).toBe(202);
    expect(asked.body).not.toHaveProperty('publication'); // nothing is sent yet
    const confirmed = await tc.api('POST', asked.body.confirmation.confirm_url, {});
    expect(confirmed.status).toBe(201);
    const [p] = (await tc.api('GET', '/api/publications')).body.filter((x: any) => x.title === 'Lũ quét ở thôn 1');
    expect(confirmed.body.publication).toEqual({
      status: 'published',
      publication_id: p.id,
      message: plain.publication.message,
      message_en: plain.publication.message_en,
    });
    expect(Object.keys(confirmed.body.publication).sort()).toEqual(Object.keys(plain.publication).sort());
  }, 30_000);

  it('lets the same people withdraw a publication and make its bulletin private: approvers, not operators', async () => {
    const tokenOf = (role: 'operator' | 'approver') =>
      tc.controller.accounts.createToken(
        { name: `withdraw-${role}`, role },
        { id: 'test', permissions: ROLE_PERMISSIONS[role] as Set<any> },
      ).token;
    const as = (role: 'operator' | 'approver') => ({ authorization: `Bearer ${tokenOf(role)}` });
    const [p] = (await tc.api('GET', '/api/publications')).body.filter((x: any) => x.title === 'Lịch họp Hội Nông dân');
    const operator = as('operator');
    expect((await tc.api('POST', `/api/publications/${p.id}/withdraw`, { reason: 'Đổi lịch' }, operator)).status).toBe(
      403,
    );
    expect(
      (await tc.api('POST', `/api/bulletins/${p.bulletin_id}/visibility`, { public: false }, operator)).status,
    ).toBe(403);
    expect(await titles()).toContain('Lịch họp Hội Nông dân');

    const approver = as('approver');
    expect((await tc.api('POST', `/api/publications/${p.id}/withdraw`, { reason: 'Đổi lịch' }, approver)).status).toBe(
      200,
    );
    expect(await titles()).not.toContain('Lịch họp Hội Nông dân');
    expect(
      (await tc.api('POST', `/api/bulletins/${p.bulletin_id}/visibility`, { public: true }, approver)).status,
    ).toBe(200);
    expect(await titles()).toContain('Lịch họp Hội Nông dân');
  }, 30_000);
});
