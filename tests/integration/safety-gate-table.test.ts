/**
 * The safety gate, walked route by route and rule by rule. Every HTTP route that can make a
 * receiver sound (SOUND_ROUTES in controller/safety/safety-gate.ts) is tried against every rule
 * that can apply to it, by a person's session and by a token; a path that lets something through
 * fails here, and so does a refusal that leaves anything half-done (a broadcast row, a stop) or
 * no audit entry. Every route that changes something is either a sound route or named below as
 * silent, with the reason: a new route must be placed before this test passes.
 *
 * Rules: level, TOTP, horizon, quiet hours, confirmation, second person, volume cap.
 */
import { DateTime } from 'luxon';
import { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../controller/accounts/permissions.js';
import type { Role } from '../../controller/accounts/permissions.js';
import { SOUND_ROUTES } from '../../controller/safety/safety-gate.js';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';

const VN = 'Asia/Ho_Chi_Minh';
const PASSWORD = 'mật-khẩu-thử-nghiệm-dài';
let tc: TestController;
let media: { id: string };
let bulletinId: string;
/** thon-3 is in its quiet hours now, whatever the hour: its window is drawn around now. */
const now = DateTime.now().setZone(VN);
const quiet = { start: now.minus({ hours: 2 }).toFormat('HH:mm'), end: now.plus({ hours: 2 }).toFormat('HH:mm') };
const inQuiet = now.plus({ minutes: 30 }).toFormat('HH:mm');
const outOfQuiet = now.plus({ hours: 3 }).toFormat('HH:mm');

/** One way of calling: a person's session (cookie and CSRF) or a token, with or without TOTP. */
interface Client {
  label: string;
  headers(): Record<string, string>;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

const tokenClient = (label: string, token: string, totp?: TOTP): Client => ({
  label,
  headers: () => ({ authorization: `Bearer ${token}`, ...(totp ? { 'x-totp-code': totp.generate() } : {}) }),
  async call(method, path, body) {
    const headers = this.headers();
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(tc.url + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  },
});

async function sessionClient(label: string, username: string, totp?: TOTP): Promise<Client> {
  const login = await fetch(`${tc.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD, ...(totp ? { totp_code: totp.generate() } : {}) }),
  });
  expect(login.status, `login ${username}`).toBe(200);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrf_token } = (await login.json()) as { csrf_token: string };
  const own = (): Record<string, string> => ({ cookie, 'x-csrf-token': csrf_token });
  return {
    label,
    headers: own,
    async call(method, path, body) {
      const headers = own();
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(tc.url + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
  };
}

/** A person of a role, with TOTP or without, and their session and token. */
async function person(username: string, role: Role, withTotp: boolean) {
  const user = await tc.controller.accounts.createUser(
    { username, display_name: username, role, password: PASSWORD },
    { id: 'test' },
  );
  let totp: TOTP | undefined;
  if (withTotp) {
    const { secret } = tc.controller.accounts.totpSetup(user.id);
    totp = new TOTP({ secret, digits: 6, period: 30 });
    tc.controller.accounts.totpConfirm(user.id, totp.generate(), { id: 'test' });
  }
  const token = tc.controller.accounts.createToken(
    { name: `${username}-token`, role },
    { id: user.id, permissions: new Set(PERMISSIONS) },
  ).token;
  return {
    session: await sessionClient(`${username} (session)`, username, totp),
    token: tokenClient(`${username} (token${totp ? ', X-TOTP-Code' : ''})`, token, totp),
    bareToken: tokenClient(`${username} (token, no code)`, token),
  };
}

let alice: Awaited<ReturnType<typeof person>>; // approver with TOTP
let bob: Awaited<ReturnType<typeof person>>; // a second approver with TOTP
let carol: Awaited<ReturnType<typeof person>>; // approver without TOTP
let olga: Awaited<ReturnType<typeof person>>; // operator: normal and priority only

const broadcastCount = async () => ((await tc.api('GET', '/api/broadcasts?limit=500')).body as unknown[]).length;
const refusedInAudit = async () =>
  ((await tc.api('GET', '/api/audit?limit=1000')).body as { action: string }[]).filter(
    (a) => a.action === 'sound.refused',
  ).length;

/** A refusal: the status and rule, nothing sent, and the audit saying why. */
type Send = () => Promise<{ status: number; body: any }>;
/** A case is prepared (what it needs first: an original, a schedule), then sent: counts are taken between. */
type Prepared = Send | Promise<Send>;

async function expectRefused(what: string, prepared: Prepared, status: number, code: string | RegExp) {
  const send = await prepared;
  const before = await broadcastCount();
  const auditBefore = await refusedInAudit();
  const res = await send();
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(status);
  expect(res.body.error.code, what).toMatch(code);
  expect(res.body.error.message, `${what}: Vietnamese first`).toMatch(
    /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i,
  );
  expect(await broadcastCount(), `${what}: nothing sent`).toBe(before);
  if (code !== 'schedule_in_quiet_hours') expect(await refusedInAudit(), `${what}: audited`).toBe(auditBefore + 1);
}

/** A confirmation asked for: 202, nothing sent yet. */
async function expectConfirmation(what: string, prepared: Prepared) {
  const send = await prepared;
  const before = await broadcastCount();
  const res = await send();
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(202);
  expect(res.body.confirmation?.confirm_url ?? res.body.confirm_url, what).toMatch(
    /^\/api\/broadcasts\/confirmations\//,
  );
  expect(await broadcastCount(), `${what}: nothing sent before the confirmation`).toBe(before);
  return res.body;
}

const schedule = (over: object = {}) => ({
  name: `Lịch ${Math.random().toString(36).slice(2, 8)}`,
  media_id: media.id,
  target: { hamlet_ids: ['thon-1'] },
  priority: 'normal',
  start_time: outOfQuiet,
  recurrence: { kind: 'daily' },
  accept_conflicts: true,
  ...over,
});
const cap = (severity: string, sender = 'pctt@tinh.example.vn') => `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>T-${Math.random().toString(36).slice(2)}</identifier><sender>${sender}</sender><sent>${new Date().toISOString().slice(0, 19)}+00:00</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>vi-VN</language><category>Met</category><event>Mưa lớn</event><urgency>Immediate</urgency><severity>${severity}</severity><certainty>Observed</certainty>
    <headline>Cảnh báo mưa lớn</headline><description>Bà con chú ý mưa lớn.</description>
    <area><areaDesc>Xã Thử Nghiệm</areaDesc><geocode><valueName>commune</valueName><value>XA-THU-NGHIEM</value></geocode></area></info>
</alert>`;

beforeAll(async () => {
  tc = await startTestController({
    security: { require_totp_for_emergency: true },
    emergency: { second_person: true, confirm_whole_commune: true },
    broadcasts: { max_volume_pct: 70 },
    cap: { trusted_senders: ['pctt@tinh.example.vn'], geocodes: ['XA-THU-NGHIEM'] },
  } as any);
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
  expect(
    (await tc.api('PATCH', '/api/hamlets/thon-3', { quiet_start: quiet.start, quiet_end: quiet.end })).status,
  ).toBe(200);
  for (const [id, hamlet] of [
    ['rx-1', 'thon-1'],
    ['rx-2', 'thon-2'],
    ['rx-3', 'thon-3'],
  ])
    await enrolReceiver(tc.url, tc.token, id, hamlet, id);
  alice = await person('alice', 'approver', true);
  bob = await person('bob', 'approver', true);
  carol = await person('carol', 'approver', false);
  olga = await person('olga', 'operator', false);
  const draft = await tc.api('POST', '/api/bulletins', {
    title: 'Thông báo',
    category: 'other',
    recorded_media_id: media.id,
  });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  bulletinId = draft.body.id;
  expect((await tc.api('POST', `/api/bulletins/${bulletinId}/submit`, {})).status).toBe(200);
  expect((await tc.api('POST', `/api/bulletins/${bulletinId}/approve`, {})).status).toBe(200);
}, 120_000);
afterAll(async () => tc?.close());

/**
 * How each sound route is asked for something, given what is asked: the level, the target, a start.
 * A route missing here fails the first test.
 */
type Ask = { priority?: string; target?: object; play_at?: string; volume_pct?: number };
const routes: Record<string, (c: Client, a: Ask) => Promise<Send>> = {
  'POST /api/broadcasts': async (c, a) => () =>
    c.call('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-1'] }, ...a }),
  'POST /api/bulletins/:id/broadcast': async (c, a) => () =>
    c.call('POST', `/api/bulletins/${bulletinId}/broadcast`, { target: { hamlet_ids: ['thon-1'] }, ...a }),
  'POST /api/schedules': async (c, a) => () => c.call('POST', '/api/schedules', schedule(a)),
  'PUT /api/schedules/:id': async (c, a) => {
    const made = await tc.api('POST', '/api/schedules', schedule());
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return () => c.call('PUT', `/api/schedules/${made.body.schedule.id}`, schedule(a));
  },
  'POST /api/schedules/:id/enable': async (c, a) => {
    // Saved switched off by someone who may (alice asks; nobody confirms), then enabled by the caller.
    const made = await alice.token.call('POST', '/api/schedules', schedule(a));
    expect([201, 202], JSON.stringify(made.body)).toContain(made.status);
    if (made.status === 201) await tc.api('POST', `/api/schedules/${made.body.schedule.id}/disable`, {});
    return () => c.call('POST', `/api/schedules/${made.body.schedule.id}/enable`, {});
  },
  'POST /api/broadcasts/:id/cancel': async (c, a) => {
    // The original at the asked level (an emergency is asked by alice and confirmed by bob), then cancelled with free text.
    const first = await alice.token.call('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1'] },
      priority: a.priority ?? 'normal',
    });
    const original = first.status === 202 ? await bob.token.call('POST', first.body.confirmation.confirm_url) : first;
    expect(original.status, JSON.stringify(original.body)).toBe(201);
    return async () => {
      const res = await c.call('POST', `/api/broadcasts/${original.body.id}/cancel`, {
        text: 'Đính chính: thông báo vừa rồi bị nhầm.',
      });
      // Nothing half-done: a refused correction stopped nothing.
      if (res.status >= 400)
        expect(
          (await tc.api('GET', `/api/broadcasts/${original.body.id}`)).body.stopped_at,
          'a refused cancel stops nothing',
        ).toBeNull();
      return res;
    };
  },
  'POST /api/broadcasts/confirmations/:id/confirm': async (c, a) => {
    const asked = await alice.session.call('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1'] },
      priority: a.priority ?? 'emergency',
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    return () => c.call('POST', asked.body.confirmation.confirm_url);
  },
  'POST /api/cap/alerts': async (c, a) => async () => {
    const res = await fetch(`${tc.url}/api/cap/alerts`, {
      method: 'POST',
      headers: { ...c.headers(), 'content-type': 'application/cap+xml' },
      body: cap(a.priority === 'emergency' ? 'Extreme' : 'Moderate'),
    });
    return { status: res.status, body: await res.json() };
  },
  'POST /api/receivers/:id/ops': async (c) => () =>
    c.call('POST', '/api/receivers/rx-3/ops', { op: 'test_tone', args: { seconds: 1 } }),
};
const run = async (route: string, c: Client, a: Ask) => (await routes[route](c, a))();

/** Routes that change something but make no sound, and why. */
const SILENT: Record<string, string> = {
  'POST /api/broadcasts/stop': 'silences',
  'POST /api/broadcasts/:id/stop': 'silences',
  'POST /api/live/:id/stop': 'silences',
  'POST /api/live': 'opens a session; it sounds only as a broadcast (live_id), through the gate',
  'POST /api/live/:id/audio': 'feeds a session already sounding through the gate',
  'POST /api/live/:id/chunks/:seq': 'feeds a session',
  'POST /api/live/:id/finish': 'ends a session',
  'POST /api/schedules/:id/disable': 'silences',
  'DELETE /api/schedules/:id': "silences (needs the schedule's level)",
  'POST /api/agent-updates': 'uploads a package',
  'POST /api/agent-updates/:id/rollouts':
    'restarts agents: a restart never cuts an emergency (the agent waits until it is over: remote-ops.test.ts)',
  'POST /api/rollouts/:id/stop': 'stops a rollout',
  'POST /api/broadcasts/confirmations/:id/cancel':
    "withdraws a request nobody confirmed: nothing sounds (needs the request's level)",
};

describe('every route is placed', () => {
  it('names each changing route as a sound route (with its case here) or as silent', async () => {
    const changing = tc.controller.routes.filter(
      (r) => r.method !== 'GET' && r.method !== 'HEAD' && r.url.startsWith('/api/'),
    );
    // By whole path segment: "deliveries" is not "live", "capacity" would not be "cap".
    const soundish = /\/(?:broadcasts?|schedules|live|cap|ops|rollouts|agent-updates)(?:\/|$)/;
    for (const r of changing) {
      const key = `${r.method} ${r.url}`;
      if (SOUND_ROUTES[key]) expect(routes[key], `${key} has a case in this table`).toBeDefined();
      else if (soundish.test(r.url))
        expect(SILENT[key], `${key}: a sound route (SOUND_ROUTES) or silent with a reason`).toBeDefined();
    }
    for (const key of Object.keys(SOUND_ROUTES))
      expect(
        changing.map((r) => `${r.method} ${r.url}`),
        key,
      ).toContain(key);
  });
});

/** The routes each rule applies to: a person asking for a level. */
const LEVELLED = [
  'POST /api/broadcasts',
  'POST /api/bulletins/:id/broadcast',
  'POST /api/schedules',
  'PUT /api/schedules/:id',
  'POST /api/schedules/:id/enable',
  'POST /api/broadcasts/:id/cancel',
  'POST /api/broadcasts/confirmations/:id/confirm',
];

describe('level: only those allowed ask for an emergency', () => {
  for (const route of LEVELLED) {
    it(`${route}: refused to an operator's session and token`, async () => {
      for (const c of [olga.session, olga.token])
        await expectRefused(
          `${route} by ${c.label}`,
          routes[route](c, { priority: 'emergency' }),
          403,
          'level_not_allowed',
        );
    });
  }
});

describe("a caller without the route's permission", () => {
  it('is refused on a sound route with an audit entry, like any other refusal of the gate', async () => {
    const viewer = await person('vy', 'viewer', false);
    for (const c of [viewer.session, viewer.token])
      await expectRefused(`a viewer broadcasts (${c.label})`, routes['POST /api/broadcasts'](c, {}), 403, 'forbidden');
  });
});

describe('TOTP: an emergency needs a person who proved it, by session or token', () => {
  for (const route of LEVELLED) {
    it(`${route}: refused to a session without TOTP and to a token without its owner's code`, async () => {
      await expectRefused(
        `${route} by ${carol.session.label}`,
        routes[route](carol.session, { priority: 'emergency' }),
        403,
        'totp_required_for_emergency',
      );
      await expectRefused(
        `${route} by ${bob.bareToken.label}`,
        routes[route](bob.bareToken, { priority: 'emergency' }),
        403,
        'totp_required_for_emergency_token',
      );
    });
  }
});

describe('horizon: a start is bounded (the one route that takes a start)', () => {
  it('POST /api/broadcasts: the year 9999 and an hour ago are refused, for a session and a token', async () => {
    for (const c of [alice.session, alice.token]) {
      await expectRefused(
        `far by ${c.label}`,
        routes['POST /api/broadcasts'](c, { play_at: '9999-01-01T00:00:00Z' }),
        422,
        'play_at_too_far',
      );
      await expectRefused(
        `past by ${c.label}`,
        routes['POST /api/broadcasts'](c, { play_at: new Date(Date.now() - 3_600_000).toISOString() }),
        422,
        'play_at_past',
      );
    }
  });
});

describe('quiet hours: only an emergency sounds', () => {
  for (const route of ['POST /api/broadcasts', 'POST /api/bulletins/:id/broadcast']) {
    it(`${route}: a normal item into a quiet hamlet is refused; an emergency is asked to be confirmed`, async () => {
      for (const c of [alice.session, alice.token]) {
        await expectRefused(
          `${route} by ${c.label}`,
          routes[route](c, { target: { hamlet_ids: ['thon-3'] } }),
          422,
          'quiet_hours',
        );
        await expectConfirmation(
          `${route} emergency by ${c.label}`,
          routes[route](c, { target: { hamlet_ids: ['thon-3'] }, priority: 'emergency' }),
        );
      }
    });
  }
  it("POST /api/schedules: a start inside a hamlet's quiet hours is refused", async () => {
    for (const c of [alice.session, alice.token]) {
      await expectRefused(
        `schedule by ${c.label}`,
        () => c.call('POST', '/api/schedules', schedule({ target: { hamlet_ids: ['thon-3'] }, start_time: inQuiet })),
        422,
        'schedule_in_quiet_hours',
      );
    }
  });
  // By default a test tone in quiet hours runs silently (safety-gate.test.ts); where the commune
  // allows none (quiet_test_tone_pct: null) it is refused like any other sound.
  it('POST /api/receivers/:id/ops: a test tone in a quiet hamlet is refused where the commune allows none', async () => {
    const broadcasts = tc.controller.settings.broadcasts as { quiet_test_tone_pct: number | null };
    broadcasts.quiet_test_tone_pct = null;
    try {
      await expectRefused(
        'test tone',
        routes['POST /api/receivers/:id/ops'](tokenClient('admin', tc.token), {}),
        422,
        'quiet_hours',
      );
    } finally {
      broadcasts.quiet_test_tone_pct = 0;
    }
  });
  it('POST /api/cap/alerts: a moderate alert in quiet hours is recorded and not sounded', async () => {
    const before = await broadcastCount();
    const res = await run('POST /api/cap/alerts', tokenClient('integration', tc.token), { priority: 'normal' });
    expect(res.body.outcome).toBe('quiet_hours');
    expect(await broadcastCount()).toBe(before);
  });
});

describe('confirmation: an emergency, the whole commune, a source not trusted', () => {
  const whole = [{ all: true }, { hamlet_ids: ['thon-1', 'thon-2', 'thon-3'] }];
  for (const route of [
    'POST /api/broadcasts',
    'POST /api/bulletins/:id/broadcast',
    'POST /api/schedules',
    'PUT /api/schedules/:id',
    'POST /api/schedules/:id/enable',
  ]) {
    it(`${route}: an emergency, and the whole commune however it is named, wait for a confirmation`, async () => {
      for (const c of [alice.session, alice.token]) {
        await expectConfirmation(
          `${route} emergency by ${c.label}`,
          routes[route](c, { priority: 'emergency', target: { hamlet_ids: ['thon-1'] } }),
        );
        for (const target of whole) {
          // Quiet hours hold for a whole-commune item that is not an emergency: thon-3 is quiet now (schedules start later).
          const a = route.includes('schedules') ? { target } : { target, priority: 'priority' };
          if (!route.includes('schedules')) {
            await expectRefused(
              `${route} whole commune in quiet hours by ${c.label}`,
              routes[route](c, a),
              422,
              'quiet_hours',
            );
            continue;
          }
          await expectConfirmation(`${route} ${JSON.stringify(target)} by ${c.label}`, routes[route](c, a));
        }
      }
    });
  }
  it('POST /api/broadcasts: the whole commune outside quiet hours waits for a confirmation, named either way', async () => {
    expect((await tc.api('PATCH', '/api/hamlets/thon-3', { quiet_start: null, quiet_end: null })).status).toBe(200);
    try {
      for (const c of [olga.session, olga.token]) {
        for (const target of whole)
          await expectConfirmation(
            `whole commune ${JSON.stringify(target)} by ${c.label}`,
            routes['POST /api/broadcasts'](c, { target }),
          );
      }
      await expectConfirmation('a relay schedule to the whole commune', () =>
        olga.token.call('POST', '/api/schedules', {
          ...schedule({ target: { all: true } }),
          media_id: undefined,
          relay: { url: 'http://127.0.0.1:9/stream', duration_s: 60 },
        }),
      );
    } finally {
      expect(
        (await tc.api('PATCH', '/api/hamlets/thon-3', { quiet_start: quiet.start, quiet_end: quiet.end })).status,
      ).toBe(200);
    }
  });
  it('POST /api/broadcasts/:id/cancel: a free-text correction of an emergency waits, and the stop is immediate', async () => {
    for (const c of [alice.session, alice.token]) {
      const res = await run('POST /api/broadcasts/:id/cancel', c, { priority: 'emergency' });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body.stopped.length).toBeGreaterThan(0);
    }
  });
  it('POST /api/cap/alerts: an alert a person types in waits, whatever sender it names; one from an unknown sender waits', async () => {
    for (const [what, client, sender] of [
      ["a trusted sender's name typed in by a person", alice.session, 'pctt@tinh.example.vn'],
      ['an unknown sender, by the integration token', tokenClient('integration', tc.token), 'ai-do@example.vn'],
      // A person's approver token is not the province's system (the outsider's alert played at once).
      ["a trusted sender's name sent with a person's broad token", alice.bareToken, 'pctt@tinh.example.vn'],
    ] as const) {
      const before = await broadcastCount();
      const res = await fetch(`${tc.url}/api/cap/alerts`, {
        method: 'POST',
        headers: { ...client.headers(), 'content-type': 'application/cap+xml' },
        body: cap('Extreme', sender),
      });
      const body = await res.json();
      expect(res.status, `${what}: ${JSON.stringify(body)}`).toBe(202);
      expect(body.outcome, what).toBe('awaiting_confirmation');
      expect(await broadcastCount(), `${what}: nothing sent`).toBe(before);
    }
  });
});

describe('second person: two tokens or a session and a token of one person are one person', () => {
  it('refuses the requester confirming by session or token, and lets another person confirm', async () => {
    for (const c of [alice.session, alice.token]) {
      await expectRefused(
        `confirmed by ${c.label}`,
        routes['POST /api/broadcasts/confirmations/:id/confirm'](c, {}),
        403,
        'second_person_required',
      );
    }
    for (const c of [bob.session, bob.token]) {
      const res = await run('POST /api/broadcasts/confirmations/:id/confirm', c, {});
      expect(res.status, `${c.label}: ${JSON.stringify(res.body)}`).toBe(201);
    }
  });
});

describe('what a confirmed schedule plays cannot be changed behind the confirmation', () => {
  it("needs the schedule's level to change its playlist, and switches it off until the new content is confirmed", async () => {
    const playlist = await tc.api('POST', '/api/playlists', { name: 'Khẩn cấp lũ', items: [{ media_id: media.id }] });
    expect(playlist.status, JSON.stringify(playlist.body)).toBeLessThan(300);
    const asked = await alice.token.call('POST', '/api/schedules', {
      ...schedule({ priority: 'emergency' }),
      media_id: undefined,
      playlist_id: playlist.body.id,
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    expect((await bob.token.call('POST', asked.body.confirmation.confirm_url)).status).toBe(201);
    const change = { name: 'Khẩn cấp lũ', items: [{ media_id: media.id }, { media_id: media.id }] };
    await expectRefused(
      "an operator changes an emergency schedule's playlist",
      () => olga.token.call('PUT', `/api/playlists/${playlist.body.id}`, change),
      403,
      'level_not_allowed',
    );
    expect((await tc.api('GET', `/api/schedules/${asked.body.schedule.id}`)).body.enabled).toBe(true);
    const changed = await alice.token.call('PUT', `/api/playlists/${playlist.body.id}`, change);
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.confirmations).toHaveLength(1);
    expect((await tc.api('GET', `/api/schedules/${asked.body.schedule.id}`)).body.enabled).toBe(false);
    expect((await bob.token.call('POST', changed.body.confirmations[0].confirm_url)).status).toBe(201);
    expect((await tc.api('GET', `/api/schedules/${asked.body.schedule.id}`)).body.enabled).toBe(true);
    // Nor is it deleted from under the schedule (the outsider's operator deleted it: 204, and the emergency became "missed").
    const removed = await olga.token.call('DELETE', `/api/playlists/${playlist.body.id}`);
    expect(removed.status).toBe(409);
    expect(removed.body.error.code).toBe('playlist_in_use');
    expect(removed.body.error.message).toContain(asked.body.schedule.name);
  });
});

describe('a token made through the API speaks for the person who made it', () => {
  it("is one person with its maker's session, and passes TOTP with its maker's code", async () => {
    const user = await tc.controller.accounts.createUser(
      { username: 'quan', display_name: 'quan', role: 'admin', password: PASSWORD },
      { id: 'test' },
    );
    const { secret } = tc.controller.accounts.totpSetup(user.id);
    const totp = new TOTP({ secret, digits: 6, period: 30 });
    tc.controller.accounts.totpConfirm(user.id, totp.generate(), { id: 'test' });
    const session = await sessionClient('quan (session)', 'quan', totp);
    const made = await session.call('POST', '/api/tokens', { name: 'quan-tich-hop', role: 'admin' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const token = tokenClient('quan (API token, X-TOTP-Code)', made.body.token, totp);
    // Asked by the token with its owner's code (the outsider saw every code refused), confirmed by the session: one person.
    const asked = await token.call('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1'] },
      priority: 'emergency',
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    await expectRefused(
      "confirmed by the same person's session",
      () => session.call('POST', asked.body.confirmation.confirm_url),
      403,
      'second_person_required',
    );
    const other = await session.call('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1'] },
      priority: 'emergency',
    });
    await expectRefused(
      "confirmed by the same person's token",
      () => token.call('POST', other.body.confirmation.confirm_url),
      403,
      'second_person_required',
    );
  });
});

describe('volume: normal items are capped, however they are sent', () => {
  it("a broadcast, a bulletin and a schedule's occurrence at 100 % play at the cap", async () => {
    const sent = await run('POST /api/broadcasts', olga.token, { volume_pct: 100 });
    expect(sent.body.volume_pct).toBe(70);
    const bulletin = await run('POST /api/bulletins/:id/broadcast', olga.session, { volume_pct: 100 });
    expect((await tc.api('GET', `/api/broadcasts/${bulletin.body.broadcast_id}`)).body.volume_pct).toBe(70);
    const soon = DateTime.now().setZone(VN).plus({ minutes: 5 });
    const saved = await olga.token.call(
      'POST',
      '/api/schedules',
      schedule({
        volume_pct: 100,
        start_time: soon.toFormat('HH:mm'),
        recurrence: { kind: 'once', date: soon.toISODate() },
      }),
    );
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const occurrences = (await tc.api('GET', '/api/occurrences?hours=1')).body as {
      schedule_id: string;
      broadcast_id: string | null;
    }[];
    const mine = occurrences.find((o) => o.schedule_id === saved.body.schedule.id);
    expect(mine?.broadcast_id, 'the occurrence is sent ahead').toBeTruthy();
    expect((await tc.api('GET', `/api/broadcasts/${mine!.broadcast_id}`)).body.volume_pct).toBe(70);
  });
});
