/** People log in: sessions with CSRF, lockout and rate limits against guessing, TOTP, audit. */
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestController, TEST_ADMIN_PASSWORD, type TestController } from '../helpers/test-controller.js';

let tc: TestController;
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

async function login(username: string, password: string, totp_code?: string) {
  const res = await fetch(`${tc.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, totp_code }),
  });
  const body = await res.json();
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  return { status: res.status, body, cookie, setCookie: res.headers.get('set-cookie') ?? '' };
}
const withSession = (cookie: string, csrf?: string, extra: Record<string, string> = {}) => ({
  cookie,
  ...(csrf ? { 'x-csrf-token': csrf } : {}),
  ...extra,
});

beforeAll(async () => {
  tc = await startTestController(
    {
      security: {
        max_failed_logins: 5,
        lockout_minutes: 15,
        login_rate_per_minute: 25,
        require_totp_for_emergency: true,
      },
    },
    { overrides: { clock } },
  );
  for (const [username, role] of [
    ['lan', 'operator'],
    ['hung', 'approver'],
    ['minh', 'viewer'],
    ['khoa', 'operator'],
  ]) {
    const res = await tc.api('POST', '/api/users', {
      username,
      display_name: username,
      role,
      password: `mật khẩu của ${username} 2026`,
    });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => {
  await tc?.close();
});

describe('first run', () => {
  it('created the administrator from TT_ADMIN_PASSWORD, with no default password', async () => {
    const ok = await login('admin', TEST_ADMIN_PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.body.user.role).toBe('admin');
    expect((await login('admin', 'admin')).status).toBe(401);
    expect((await login('admin', '')).status).toBe(400);
  });
});

describe('sessions', () => {
  it('sets an HTTP-only, SameSite=Strict cookie and answers who is logged in', async () => {
    const s = await login('lan', 'mật khẩu của lan 2026');
    expect(s.status).toBe(200);
    expect(s.setCookie).toMatch(/HttpOnly/i);
    expect(s.setCookie).toMatch(/SameSite=Strict/i);
    const me = await fetch(`${tc.url}/api/auth/me`, { headers: withSession(s.cookie!) });
    expect(await me.json()).toMatchObject({ kind: 'user', name: 'lan', role: 'operator', mfa: false });
  });

  it('refuses a state-changing request without the CSRF token, and accepts it with the token', async () => {
    const s = await login('lan', 'mật khẩu của lan 2026');
    const body = JSON.stringify({ media_id: '00000000-0000-4000-8000-000000000000', target: { all: true } });
    const forged = await fetch(`${tc.url}/api/broadcasts`, {
      method: 'POST',
      headers: withSession(s.cookie!, undefined, { 'content-type': 'application/json' }),
      body,
    });
    expect(forged.status).toBe(403);
    expect((await forged.json()).error.code).toBe('csrf_failed');
    const wrong = await fetch(`${tc.url}/api/broadcasts`, {
      method: 'POST',
      headers: withSession(s.cookie!, 'not-the-token', { 'content-type': 'application/json' }),
      body,
    });
    expect(wrong.status).toBe(403);
    const real = await fetch(`${tc.url}/api/broadcasts`, {
      method: 'POST',
      headers: withSession(s.cookie!, s.body.csrf_token, { 'content-type': 'application/json' }),
      body,
    });
    expect(real.status).toBe(404); // past the CSRF check; the media does not exist
  });

  it('ends the session at logout and when it expires', async () => {
    const s = await login('minh', 'mật khẩu của minh 2026');
    const out = await fetch(`${tc.url}/api/auth/logout`, {
      method: 'POST',
      headers: withSession(s.cookie!, s.body.csrf_token),
    });
    expect(out.status).toBe(204);
    expect((await fetch(`${tc.url}/api/auth/me`, { headers: withSession(s.cookie!) })).status).toBe(401);
    const t = await login('minh', 'mật khẩu của minh 2026');
    offsetMs += 13 * 3600_000; // sessions last 12 hours
    expect((await fetch(`${tc.url}/api/auth/me`, { headers: withSession(t.cookie!) })).status).toBe(401);
  });
});

describe('guessing passwords', () => {
  it('locks an account after five failures, even for the right password, until the lockout ends or an admin unlocks it', async () => {
    for (let i = 0; i < 5; i++) expect((await login('khoa', `wrong ${i}`)).status).toBe(401);
    const locked = await login('khoa', 'mật khẩu của khoa 2026');
    expect(locked.status).toBe(423);
    expect(locked.body.error.message).toMatch(/tạm khóa/);
    offsetMs += 16 * 60_000;
    expect((await login('khoa', 'mật khẩu của khoa 2026')).status).toBe(200);
    const log = (await tc.api('GET', '/api/audit?limit=1000')).body as any[];
    expect(log.filter((e) => e.action === 'auth.login_failed' && e.subject === 'khoa')).toHaveLength(5);
    expect(log.some((e) => e.action === 'auth.login_refused_locked' && e.subject === 'khoa')).toBe(true);
  });

  it('answers the same for an unknown user as for a wrong password', async () => {
    const unknown = await login('nobody-here', 'whatever password');
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('login_failed');
  });
});

describe('two-factor authentication', () => {
  it('requires a TOTP code once enabled, and an MFA session for emergencies when configured', async () => {
    const s = await login('hung', 'mật khẩu của hung 2026');
    const headers = withSession(s.cookie!, s.body.csrf_token, { 'content-type': 'application/json' });
    const emergency = JSON.stringify({
      media_id: '00000000-0000-4000-8000-000000000000',
      target: { all: true },
      priority: 'emergency',
    });
    const before = await fetch(`${tc.url}/api/broadcasts`, { method: 'POST', headers, body: emergency });
    expect(before.status).toBe(403);
    expect((await before.json()).error.code).toBe('totp_required_for_emergency');

    const setup = await (
      await fetch(`${tc.url}/api/auth/totp/setup`, {
        method: 'POST',
        headers: withSession(s.cookie!, s.body.csrf_token),
      })
    ).json();
    expect(setup.otpauth_url).toMatch(/^otpauth:\/\/totp\//);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(setup.secret), digits: 6, period: 30 });
    const code = () => totp.generate({ timestamp: clock.now().getTime() });
    const confirm = await fetch(`${tc.url}/api/auth/totp/confirm`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ code: code() }),
    });
    expect(confirm.status).toBe(204);

    expect((await login('hung', 'mật khẩu của hung 2026')).body.error.code).toBe('totp_required');
    expect((await login('hung', 'mật khẩu của hung 2026', '000000')).status).toBe(401);
    const mfa = await login('hung', 'mật khẩu của hung 2026', code());
    expect(mfa.status).toBe(200);
    const after = await fetch(`${tc.url}/api/broadcasts`, {
      method: 'POST',
      headers: withSession(mfa.cookie!, mfa.body.csrf_token, { 'content-type': 'application/json' }),
      body: emergency,
    });
    expect(after.status).toBe(404); // allowed; the media does not exist
  });
});

describe('the audit log', () => {
  it('exports as CSV and JSON lines, with formulas defused and the chain head in a header', async () => {
    const csv = await fetch(`${tc.url}/api/audit/export?format=csv`, {
      headers: { authorization: `Bearer ${tc.token}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="audit-.*\.csv"/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    // A byte-order mark, so that spreadsheet programs read the Vietnamese as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toBe(
      'id,at,actor,action,subject,detail,source_ip,prev_hash,hash',
    );
    const jsonl = await (
      await fetch(`${tc.url}/api/audit/export?format=jsonl`, { headers: { authorization: `Bearer ${tc.token}` } })
    ).text();
    const rows = jsonl
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.at(-1).hash).toMatch(/^[0-9a-f]{64}$/);
    // A username that looks like a spreadsheet formula is neutralised in the CSV.
    await login('=cmd|calc', 'x').catch(() => {});
    const again = await (
      await fetch(`${tc.url}/api/audit/export?format=csv`, { headers: { authorization: `Bearer ${tc.token}` } })
    ).text();
    expect(again).not.toMatch(/(^|,)"=cmd/m);
  });
});

describe('a client that keeps trying', () => {
  it('slows a client that keeps trying, whatever the accounts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await login(`user${i}`, 'x')).status);
    expect(statuses).toContain(429);
    const limited = await login('lan', 'mật khẩu của lan 2026');
    expect(limited.status).toBe(429);
    expect(limited.body.error.message).toMatch(/Quá nhiều yêu cầu/);
  });
});
