/**
 * Direct publishing to the commune's fanpage and Zalo OA (issue 24, "Channels"), against
 * stand-ins that check the platforms' documented requests and answer as they do: a public
 * bulletin is posted once on each; failures are retried with the webhooks' backoff and then
 * posted; posts come down when the bulletin is withdrawn; nothing private, draft, drill or
 * unapproved goes out; a refused token is explained in Vietnamese and English; the tokens never
 * reach a log line (pino's output captured at trace level) or an API answer.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { FACEBOOK_PAGE_ID, startFacebookStandIn, startZaloStandIn } from '../helpers/social-standins.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';

let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
const later = (seconds: number) => (offsetMs += seconds * 1000);

const tokens = {
  facebook: `EAAG${randomBytes(40).toString('base64url')}`,
  zalo: randomBytes(48).toString('base64url'),
  facebookRenewed: `EAAG${randomBytes(40).toString('base64url')}`,
  zaloRenewed: randomBytes(48).toString('base64url'),
};
const logLines: string[] = [];
/** Every API answer the tests read, to look for tokens in. */
const answers: string[] = [];

let fb: Awaited<ReturnType<typeof startFacebookStandIn>>;
let zalo: Awaited<ReturnType<typeof startZaloStandIn>>;
let tc: TestController;
let dir: string;
const files = { facebook: '', zalo: '' };

beforeAll(async () => {
  fb = await startFacebookStandIn(tokens.facebook);
  zalo = await startZaloStandIn(tokens.zalo);
  dir = mkdtempSync(join(tmpdir(), 'tt-social-'));
  files.facebook = join(dir, 'facebook-page-token');
  files.zalo = join(dir, 'zalo-oa-token');
  writeFileSync(files.facebook, `${tokens.facebook}\n`, { mode: 0o600 });
  writeFileSync(files.zalo, `${tokens.zalo}\n`, { mode: 0o600 });
  tc = await startTestController(
    {
      publishing: {
        facebook: { page_id: FACEBOOK_PAGE_ID, token_file: files.facebook, graph_url: fb.url },
        zalo: {
          token_file: files.zalo,
          api_url: zalo.url,
          cover_photo_url: 'https://xa-thu-nghiem.example/anh-bia.jpg',
        },
      },
    },
    { overrides: { clock, logger: pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) }) } },
  );
  await enrolReceiver(tc.url, tc.token, 'rx-social', 'thon-1', 'rx-social');
}, 60_000);
afterAll(async () => {
  await tc?.close();
  await fb?.close();
  await zalo?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function api(method: string, path: string, body?: unknown) {
  const res = await tc.api(method, path, body);
  answers.push(typeof res.body === 'string' ? res.body : JSON.stringify(res.body));
  return res;
}

/** Writes, submits, approves and (unless told otherwise) broadcasts a bulletin. */
async function bulletin(
  title: string,
  options: { broadcast?: object | false; public?: boolean; approve?: boolean } = {},
) {
  const b = await api('POST', '/api/bulletins', {
    title,
    category: 'commune_notice',
    text: `${title}.\nĐề nghị bà con chú ý.`,
    ...(options.public === undefined ? {} : { public: options.public }),
  });
  expect(b.status).toBe(201);
  if (options.broadcast === false) return { bulletin: b.body, broadcast: null };
  expect((await api('POST', `/api/bulletins/${b.body.id}/submit`)).status).toBe(200);
  if (options.approve !== false) expect((await api('POST', `/api/bulletins/${b.body.id}/approve`)).status).toBe(200);
  const sent = await api('POST', `/api/bulletins/${b.body.id}/broadcast`, {
    target: { hamlet_ids: ['thon-1'] },
    ...options.broadcast,
  });
  if (options.approve === false) {
    expect(sent.status).toBe(409);
    return { bulletin: b.body, broadcast: null };
  }
  expect(sent.status).toBe(201);
  return { bulletin: b.body, broadcast: sent.body };
}

/** Lets the publisher send everything due now (a pass started after the last change, and its end). */
async function settle() {
  await tc.controller.social.tick();
  await tc.controller.social.tick();
}

const deliveries = async (channel: 'facebook' | 'zalo') =>
  (await api('GET', `/api/social/${channel}/deliveries`)).body as any[];
const deliveryOf = async (channel: 'facebook' | 'zalo', title: string, event = 'bulletin.published') =>
  (await deliveries(channel)).find((d) => d.title === title && d.event === event);
const fbPosts = () => [...fb.posts.values()].map((p) => p.message);
const zaloTitles = () => [...zalo.posts.values()].map((a) => a.title);

describe('posting public bulletins on the fanpage and the Zalo OA', () => {
  it('posts a public bulletin once on each, with its text, its page and its audio, and not again when broadcast again', async () => {
    const { bulletin: b } = await bulletin('Lịch tiêm chủng tháng 12');
    await settle();

    // Facebook: one page post, as the Pages API guide has it.
    const posts = fb.calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0].path).toBe(`/v25.0/${FACEBOOK_PAGE_ID}/feed`);
    expect(posts[0].query.has('access_token')).toBe(false); // the token travels in the body, never in a URL
    const sent = JSON.parse(posts[0].body);
    expect(sent.access_token).toBe(tokens.facebook);
    const [publication] = (await api('GET', '/api/publications')).body;
    expect(sent.link).toBe(`${tc.url}/public/#${publication.id}`);
    expect(sent.message).toContain('Lịch tiêm chủng tháng 12');
    expect(sent.message).toContain('Đề nghị bà con chú ý');
    expect(sent.message).toContain(`Nghe bản tin: ${tc.url}/public/audio/${publication.id}.mp3`);

    // Zalo: an article made, then its id asked for, the token in the header.
    expect(zalo.calls.map((c) => c.path)).toEqual(['/v2.0/article/create', '/v2.0/article/verify']);
    expect(
      zalo.calls.every((c) => c.headers.access_token === tokens.zalo && !c.query.toString().includes(tokens.zalo)),
    ).toBe(true);
    const [article] = zalo.posts.values();
    expect(article).toMatchObject({
      type: 'normal',
      title: 'Lịch tiêm chủng tháng 12',
      author: 'UBND Xã Thử Nghiệm',
      status: 'show',
      cover: { cover_type: 'photo', photo_url: 'https://xa-thu-nghiem.example/anh-bia.jpg' },
    });
    expect(article.body.map((p) => p.content)).toContain(`Nghe bản tin: ${tc.url}/public/audio/${publication.id}.mp3`);

    // The delivery log says so, with each post's id there.
    expect(await deliveryOf('facebook', 'Lịch tiêm chủng tháng 12')).toMatchObject({
      status: 'delivered',
      attempts: 1,
      remote_id: fb.made[0],
      publication_id: publication.id,
      last_error_message: null,
    });
    expect(await deliveryOf('zalo', 'Lịch tiêm chủng tháng 12')).toMatchObject({
      status: 'delivered',
      attempts: 1,
      remote_id: zalo.made[0],
    });

    // On air again at the evening session: still one publication, no second post, and the answer says so.
    const again = await api('POST', `/api/bulletins/${b.id}/broadcast`, { target: { hamlet_ids: ['thon-1'] } });
    expect(again.status).toBe(201);
    expect(again.body.publication).toMatchObject({ status: 'already_published', publication_id: publication.id });
    await settle();
    expect((await api('GET', '/api/publications')).body).toHaveLength(1);
    expect(fb.made).toHaveLength(1);
    expect(zalo.made).toHaveLength(1);
    expect((await api('GET', '/api/social')).body).toEqual([
      {
        channel: 'facebook',
        enabled: true,
        token_set: true,
        token_where: `${files.facebook} (TT_FACEBOOK_TOKEN)`,
        deliveries: { pending: 0, delivered: 1, failed: 0, cancelled: 0 },
      },
      {
        channel: 'zalo',
        enabled: true,
        token_set: true,
        token_where: `${files.zalo} (TT_ZALO_TOKEN)`,
        deliveries: { pending: 0, delivered: 1, failed: 0, cancelled: 0 },
      },
    ]);
  }, 60_000);

  it('never posts a draft, a bulletin not approved, a private bulletin or a drill', async () => {
    const calls = fb.calls.length + zalo.calls.length;
    await bulletin('Bản nháp chưa duyệt', { broadcast: false });
    await bulletin('Chờ lãnh đạo duyệt', { approve: false });
    await bulletin('Tin nội bộ', { public: false });
    await bulletin('Diễn tập sơ tán', { broadcast: { drill: true } });
    await settle();
    expect(fb.calls.length + zalo.calls.length).toBe(calls);

    // Made private while its post waits for a retry: the post never goes out.
    fb.fail.push('outage');
    zalo.fail.push('outage');
    const { bulletin: b } = await bulletin('Tin sẽ chuyển nội bộ');
    await settle();
    expect((await api('POST', `/api/bulletins/${b.id}/visibility`, { public: false })).status).toBe(200);
    later(60);
    await settle();
    for (const title of [
      'Bản nháp chưa duyệt',
      'Chờ lãnh đạo duyệt',
      'Tin nội bộ',
      'Diễn tập',
      'Tin sẽ chuyển nội bộ',
    ]) {
      expect(fbPosts().join('\n')).not.toContain(title);
      expect(zaloTitles().join('\n')).not.toContain(title);
    }
    const cancelled = await deliveryOf('facebook', 'Tin sẽ chuyển nội bộ');
    expect(cancelled).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(await deliveryOf('zalo', 'Tin sẽ chuyển nội bộ')).toMatchObject({ status: 'cancelled', attempts: 1 });
    // Its words say it was cancelled, not that it goes out at the next retry.
    expect(cancelled.last_error_message).toBe(
      'Đã hủy, không đăng lên Facebook: bản tin đã bị rút, chuyển nội bộ hoặc hủy phát trước khi bài được đăng.',
    );
    expect(cancelled.last_error_message_en).toContain('Cancelled, not posted on Facebook');
  }, 90_000);

  it("retries after an outage and then a documented error, with the webhooks' backoff, and posts once", async () => {
    fb.fail.push('outage', 'documented');
    zalo.fail.push('outage', 'documented');
    await bulletin('Thông báo mất điện');
    await settle();
    let f = await deliveryOf('facebook', 'Thông báo mất điện');
    let z = await deliveryOf('zalo', 'Thông báo mất điện');
    expect(f).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status: 503,
      last_error_code: 'social_unavailable',
    });
    expect(z).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status: 502,
      last_error_code: 'social_unavailable',
    });
    expect(f.last_error_message).toContain('Facebook tạm thời không phục vụ (HTTP 503');
    expect(f.last_error_message_en).toContain('Facebook is unavailable for now (HTTP 503');

    await settle(); // not yet due: the first retry waits 10 s
    expect((await deliveryOf('facebook', 'Thông báo mất điện')).attempts).toBe(1);
    later(10);
    await settle();
    f = await deliveryOf('facebook', 'Thông báo mất điện');
    z = await deliveryOf('zalo', 'Thông báo mất điện');
    expect(f).toMatchObject({
      status: 'pending',
      attempts: 2,
      last_status: 500,
      last_error_code: 'social_unavailable',
    });
    expect(f.last_error).toContain('(#2) An unexpected error has occurred');
    expect(z).toMatchObject({
      status: 'pending',
      attempts: 2,
      last_status: 200,
      last_error_code: 'social_rate_limited',
    });
    expect(z.last_error_message).toContain(
      'Zalo OA đang tạm giới hạn số lần gọi ((-32) Your application reached limit call api)',
    );

    later(30);
    await settle();
    expect(await deliveryOf('facebook', 'Thông báo mất điện')).toMatchObject({
      status: 'delivered',
      attempts: 3,
      last_error_code: null,
    });
    expect(await deliveryOf('zalo', 'Thông báo mất điện')).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(fbPosts().filter((m) => m.includes('Thông báo mất điện'))).toHaveLength(1);
    expect(zaloTitles().filter((t) => t === 'Thông báo mất điện')).toHaveLength(1);
  }, 60_000);

  it('makes a Zalo article once, asking again for its id while Zalo is still making it', async () => {
    zalo.processing = 1;
    const before = zalo.made.length;
    await bulletin('Thu gom rác thải');
    await settle();
    expect(await deliveryOf('zalo', 'Thu gom rác thải')).toMatchObject({
      status: 'pending',
      attempts: 1,
      remote_id: null,
      last_error: '(-214) Article is being processed',
    });
    const calls = zalo.calls.length;
    later(10);
    await settle();
    expect(zalo.calls.slice(calls).map((c) => c.path)).toEqual(['/v2.0/article/verify']);
    expect(zalo.made).toHaveLength(before + 1);
    expect(await deliveryOf('zalo', 'Thu gom rác thải')).toMatchObject({
      status: 'delivered',
      attempts: 2,
      remote_id: zalo.made.at(-1),
    });
  }, 60_000);

  it('takes the posts down when the broadcast is cancelled, the publication withdrawn or the bulletin made private', async () => {
    const { broadcast } = await bulletin('Cảnh báo lũ trên sông Hồng', { broadcast: { priority: 'priority' } });
    await settle();
    const fbId = (await deliveryOf('facebook', 'Cảnh báo lũ trên sông Hồng')).remote_id;
    const zaloId = (await deliveryOf('zalo', 'Cảnh báo lũ trên sông Hồng')).remote_id;
    expect(fb.posts.has(fbId) && zalo.posts.has(zaloId)).toBe(true);

    // Cancelled; the first take-down meets a gateway's error page that repeats the URL, token included.
    fb.fail.push('outage');
    expect((await api('POST', `/api/broadcasts/${broadcast.broadcast_id}/cancel`, {})).status).toBe(201);
    await settle();
    const failedOnce = await deliveryOf('facebook', 'Cảnh báo lũ trên sông Hồng', 'bulletin.withdrawn');
    expect(failedOnce).toMatchObject({ status: 'pending', attempts: 1, last_status: 503 });
    expect(failedOnce.last_error).toContain('access_token=[hidden]');
    later(10);
    await settle();
    const del = fb.calls.filter((c) => c.method === 'DELETE').at(-1)!;
    expect(del.path).toBe(`/v25.0/${fbId}`);
    expect(del.query.get('access_token')).toBe(tokens.facebook);
    expect(fb.posts.has(fbId)).toBe(false);
    expect(zalo.calls.at(-1)).toMatchObject({ path: '/v2.0/article/remove' });
    expect(JSON.parse(zalo.calls.at(-1)!.body)).toEqual({ id: zaloId });
    expect(zalo.posts.has(zaloId)).toBe(false);
    expect(await deliveryOf('facebook', 'Cảnh báo lũ trên sông Hồng', 'bulletin.withdrawn')).toMatchObject({
      status: 'delivered',
      attempts: 2,
      remote_id: fbId,
    });
    expect(await deliveryOf('zalo', 'Cảnh báo lũ trên sông Hồng', 'bulletin.withdrawn')).toMatchObject({
      status: 'delivered',
      attempts: 1,
      remote_id: zaloId,
    });

    // Withdrawn by hand.
    const first = await deliveryOf('facebook', 'Lịch tiêm chủng tháng 12');
    expect(
      (await api('POST', `/api/publications/${first.publication_id}/withdraw`, { reason: 'Lịch đã thay đổi' })).status,
    ).toBe(200);
    await settle();
    expect(fb.posts.has(first.remote_id)).toBe(false);
    expect(zalo.posts.has((await deliveryOf('zalo', 'Lịch tiêm chủng tháng 12')).remote_id)).toBe(false);

    // Made private.
    const outage = await deliveryOf('facebook', 'Thông báo mất điện');
    const [pub] = (await api('GET', '/api/publications')).body.filter((p: any) => p.id === outage.publication_id);
    expect((await api('POST', `/api/bulletins/${pub.bulletin_id}/visibility`, { public: false })).status).toBe(200);
    await settle();
    expect(fbPosts().join('\n')).not.toContain('Thông báo mất điện');
    expect(zaloTitles()).not.toContain('Thông báo mất điện');
    expect(fbPosts().map((m) => m.split('\n')[0])).toEqual(['Thu gom rác thải']);
    expect(zaloTitles()).toEqual(['Thu gom rác thải']);
  }, 60_000);

  it('says in Vietnamese and English that a token was refused, and posts with the new one once it is in the file', async () => {
    // The old tokens were revoked; the platforms take only new ones.
    fb.token = tokens.facebookRenewed;
    zalo.token = tokens.zaloRenewed;
    await bulletin('Họp dân thôn Đông');
    await settle();
    const f = await deliveryOf('facebook', 'Họp dân thôn Đông');
    const z = await deliveryOf('zalo', 'Họp dân thôn Đông');
    expect(f).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status: 400,
      last_error_code: 'social_token_refused',
    });
    expect(f.last_error).toBe('(#190) Invalid OAuth access token - Cannot parse access token');
    expect(f.last_error_message).toBe(
      `Facebook từ chối mã truy cập (token): mã sai, đã hết hạn hoặc đã bị thu hồi ((#190) Invalid OAuth access token - Cannot parse access token). Lấy mã mới và ghi vào ${files.facebook} (TT_FACEBOOK_TOKEN). Sẽ tự thử lại (đã thử 1 trên tối đa 8 lần); lần thử sau dùng mã mới nếu đã ghi.`,
    );
    expect(f.last_error_message_en).toBe(
      `Facebook refused the access token: it is wrong, expired or revoked ((#190) Invalid OAuth access token - Cannot parse access token). Get a new one and write it to ${files.facebook} (TT_FACEBOOK_TOKEN). It will be tried again (1 of at most 8 attempts made); the next attempt uses a new token if one was written.`,
    );
    expect(z).toMatchObject({
      status: 'pending',
      last_error_code: 'social_token_refused',
      last_error: '(-216) Access token is invalid',
    });
    expect(z.last_error_message).toContain('Zalo OA từ chối mã truy cập (token)');
    expect(z.last_error_message_en).toContain(`write it to ${files.zalo}`);

    writeFileSync(files.facebook, `${tokens.facebookRenewed}\n`, { mode: 0o600 });
    writeFileSync(files.zalo, `${tokens.zaloRenewed}\n`, { mode: 0o600 });
    later(10);
    await settle();
    expect(await deliveryOf('facebook', 'Họp dân thôn Đông')).toMatchObject({
      status: 'delivered',
      attempts: 2,
      last_error_message: null,
    });
    expect(await deliveryOf('zalo', 'Họp dân thôn Đông')).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(fbPosts().some((m) => m.includes('Họp dân thôn Đông'))).toBe(true);
  }, 60_000);

  it('never writes a token to a log line, an API answer or the settings', async () => {
    for (const path of [
      '/api/social',
      '/api/social/facebook/deliveries',
      '/api/social/zalo/deliveries',
      '/api/publications',
      '/api/webhooks',
      '/public/feed.json',
    ]) {
      expect((await api('GET', path)).status).toBe(200);
    }
    // The tokens were really sent, and a page that repeated one came back: there was something to leak.
    expect(fb.calls.some((c) => c.body.includes(tokens.facebook))).toBe(true);
    expect(zalo.calls.some((c) => c.headers.access_token === tokens.zaloRenewed)).toBe(true);
    const log = logLines.join('');
    expect(log).toContain('social delivery failed');
    expect(log).toContain('bulletin posted');
    expect(log).toContain('access_token=[hidden]');
    for (const token of Object.values(tokens)) {
      expect(log).not.toContain(token);
      expect(answers.join('\n')).not.toContain(token);
      expect(JSON.stringify(tc.controller.settings)).not.toContain(token);
    }
  });
});

describe('a channel switched on without its token', () => {
  it('is said at start, naming where the token goes, and shown as not set', async () => {
    const lines: string[] = [];
    const missing = join(dir, 'not-yet-written-token');
    const other = await startTestController(
      {
        publishing: { facebook: { page_id: FACEBOOK_PAGE_ID, token_file: missing, graph_url: fb.url } },
      },
      { overrides: { clock, logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }) } },
    );
    try {
      const warning = lines.map((l) => JSON.parse(l)).find((l) => l.level === 40 && l.channel === 'facebook');
      expect(warning?.msg).toContain(`posts will wait until a token is put at ${missing} (TT_FACEBOOK_TOKEN)`);
      const social = await (
        await fetch(`${other.url}/api/social`, { headers: { authorization: `Bearer ${other.token}` } })
      ).json();
      expect(social.channels ?? social).toEqual(
        expect.arrayContaining([expect.objectContaining({ channel: 'facebook', token_set: false })]),
      );
    } finally {
      await other.close();
    }
  }, 60_000);

  it('waits for its token without using up attempts, posts as soon as the token is written; one that gave up is sent again by an administrator', async () => {
    const tokenFile = join(dir, 'written-later-token');
    const other = await startTestController(
      {
        publishing: {
          webhook_max_attempts: 3,
          facebook: { page_id: FACEBOOK_PAGE_ID, token_file: tokenFile, graph_url: fb.url },
        },
      } as any,
      { overrides: { clock } },
    );
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${other.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${other.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const pass = async () => {
      await other.controller.social.tick();
      await other.controller.social.tick();
    };
    const delivery = async (title: string) =>
      ((await call('GET', '/api/social/facebook/deliveries')).body as any[]).find((d) => d.title === title);
    const publish = async (title: string) => {
      const b = await call('POST', '/api/bulletins', { title, category: 'commune_notice', text: `${title}.` });
      expect((await call('POST', `/api/bulletins/${b.body.id}/submit`)).status).toBe(200);
      expect((await call('POST', `/api/bulletins/${b.body.id}/approve`)).status).toBe(200);
      expect(
        (await call('POST', `/api/bulletins/${b.body.id}/broadcast`, { target: { hamlet_ids: ['thon-1'] } })).status,
      ).toBe(201);
    };
    try {
      await enrolReceiver(other.url, other.token, 'rx-social-later', 'thon-1', 'rx-social-later');
      await publish('Họp tổ dân phố số 3');
      // Far more minutes than the attempts allowed (3): waiting for the token is not an attempt.
      for (let i = 0; i < 6; i++) {
        later(120);
        await pass();
      }
      let d = await delivery('Họp tổ dân phố số 3');
      expect(d).toMatchObject({ status: 'pending', attempts: 0, last_error_code: 'social_token_missing' });
      expect(d.last_error_message).toBe(
        `Chưa có mã truy cập (token) cho Facebook: ghi mã vào ${tokenFile} (TT_FACEBOOK_TOKEN). Bài đang chờ mã và được gửi ngay khi có mã; thời gian chờ không tính vào số lần thử.`,
      );
      expect(fbPosts().join('\n')).not.toContain('Họp tổ dân phố số 3');

      // The token is written: the next pass sends it, without waiting for its minute.
      writeFileSync(tokenFile, `${fb.token}\n`, { mode: 0o600 });
      await pass();
      d = await delivery('Họp tổ dân phố số 3');
      expect(d).toMatchObject({ status: 'delivered', attempts: 1, last_error_message: null });
      expect(fbPosts().filter((m) => m.includes('Họp tổ dân phố số 3'))).toHaveLength(1);

      // Three outages with three attempts allowed: it gives up, and says so and how to send it again.
      fb.fail.push('outage', 'outage', 'outage');
      await publish('Lịch cắt điện thôn Tây');
      await pass();
      later(10);
      await pass();
      later(30);
      await pass();
      d = await delivery('Lịch cắt điện thôn Tây');
      expect(d).toMatchObject({ status: 'failed', attempts: 3, last_error_code: 'social_unavailable' });
      expect(d.last_error_message).toContain(
        `Đã ngừng thử sau 3 lần. Khắc phục lỗi trên rồi gửi lại: POST /api/social/deliveries/${d.id}/retry`,
      );
      expect(d.last_error_message).not.toContain('thử lại sau');
      expect(d.last_error_message_en).toContain('Gave up after 3 attempts');

      const retried = await call('POST', `/api/social/deliveries/${d.id}/retry`);
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ id: d.id, status: 'pending', attempts: 0 });
      await pass();
      expect(await delivery('Lịch cắt điện thôn Tây')).toMatchObject({ status: 'delivered', attempts: 1 });
      expect(fbPosts().filter((m) => m.includes('Lịch cắt điện thôn Tây'))).toHaveLength(1);
      // Only one that gave up is sent again; the retry is in the audit log.
      const again = await call('POST', `/api/social/deliveries/${d.id}/retry`);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('social_retry_not_failed');
      const audit = (await call('GET', '/api/audit')).body as any[];
      expect(audit.find((r) => r.action === 'social.delivery_retried')).toMatchObject({
        subject: d.id,
        actor: 'token:test-admin',
        action_text: 'Gửi lại bài lên Facebook/Zalo',
      });
    } finally {
      await other.close();
    }
  }, 90_000);
});

describe('a bulletin withdrawn and broadcast again', () => {
  it('stays withdrawn on the page, the feeds and the fanpage, says so, and comes back only when made public again', async () => {
    const { bulletin: b } = await bulletin('Thông báo thu thuế đất');
    await settle();
    const post = await deliveryOf('facebook', 'Thông báo thu thuế đất');
    expect(post).toMatchObject({ status: 'delivered' });
    expect(
      (await api('POST', `/api/publications/${post.publication_id}/withdraw`, { reason: 'Sai số tiền' })).status,
    ).toBe(200);
    await settle();
    expect(fb.posts.has(post.remote_id)).toBe(false);

    const again = await api('POST', `/api/bulletins/${b.id}/broadcast`, { target: { hamlet_ids: ['thon-1'] } });
    expect(again.status).toBe(201);
    expect(again.body.publication).toMatchObject({ status: 'withdrawn', publication_id: post.publication_id });
    expect(again.body.publication.message).toContain(
      'Không đăng lại lên trang tin, podcast, Facebook và Zalo vì bản tin đã bị rút (Sai số tiền)',
    );
    expect(again.body.publication.message).toContain(`POST /api/bulletins/${b.id}/visibility`);
    await settle();
    expect(fbPosts().join('\n')).not.toContain('Thông báo thu thuế đất');
    expect(zaloTitles()).not.toContain('Thông báo thu thuế đất');
    const feed = (await api('GET', '/public/feed.json')).body;
    expect(feed.items.map((i: any) => i.title)).not.toContain('Thông báo thu thuế đất');

    // Made public again by an approver: the same item is back, posted once more.
    expect((await api('POST', `/api/bulletins/${b.id}/visibility`, { public: true })).status).toBe(200);
    await settle();
    const items = (await api('GET', '/public/feed.json')).body.items.filter(
      (i: any) => i.title === 'Thông báo thu thuế đất',
    );
    expect(items.map((i: any) => i.id)).toEqual([post.publication_id]);
    expect(fbPosts().filter((m) => m.includes('Thông báo thu thuế đất'))).toHaveLength(1);
    expect(zaloTitles().filter((t) => t === 'Thông báo thu thuế đất')).toHaveLength(1);
    // Broadcast once more: still one item, one post.
    expect(
      (await api('POST', `/api/bulletins/${b.id}/broadcast`, { target: { hamlet_ids: ['thon-1'] } })).body.publication
        .status,
    ).toBe('already_published');
    await settle();
    expect(fbPosts().filter((m) => m.includes('Thông báo thu thuế đất'))).toHaveLength(1);
  }, 60_000);
});
