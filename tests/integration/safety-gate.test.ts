/**
 * The rules that guard a sound hold on every path, not only on POST /api/broadcasts: a bounded
 * start, a window counted from the start, quiet hours for a test tone, a cancel sent once and a
 * free-text correction confirmed like any emergency, a token speaking for its owner (one person,
 * and TOTP proven with the owner's code).
 */
import { DateTime } from 'luxon';
import { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../controller/accounts/permissions.js';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

const VN = 'Asia/Ho_Chi_Minh';
let tc: TestController;
let media: { id: string };
const agents: ReceiverAgent[] = [];
/** thon-3 is in its quiet hours now (whatever the hour: the window is drawn around now). */
const now = DateTime.now().setZone(VN);
const quiet = { start: now.minus({ hours: 1 }).toFormat('HH:mm'), end: now.plus({ hours: 1 }).toFormat('HH:mm') };

const call = async (path: string, body: unknown, token: string, headers: Record<string, string> = {}) => {
  const res = await fetch(tc.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};

beforeAll(async () => {
  tc = await startTestController({
    security: { require_totp_for_emergency: true },
  } as any);
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
  const quietNow = await tc.api('PATCH', '/api/hamlets/thon-3', { quiet_start: quiet.start, quiet_end: quiet.end });
  expect(quietNow.status, JSON.stringify(quietNow.body)).toBe(200);
  agents.push(await startTestAgent(tc, 'rx-g1', 'thon-1'), await startTestAgent(tc, 'rx-g3', 'thon-3'));
}, 60_000);
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await tc?.close();
});

describe('a bounded start, and a window counted from it', () => {
  it('refuses play_at in the year 9999 and one already gone, naming the rule', async () => {
    const far = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1'] },
      play_at: '9999-01-01T00:00:00Z',
    });
    expect(far.status).toBe(422);
    expect(far.body.error.code).toBe('play_at_too_far');
    expect(far.body.error.message).toMatch(/quá xa/);
    const past = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1'] },
      play_at: new Date(Date.now() - 3_600_000).toISOString(),
    });
    expect(past.status).toBe(422);
    expect(past.body.error.code).toBe('play_at_past');
  });

  it('lets a broadcast set for later expire after its start, not before it', async () => {
    const playAt = new Date(Date.now() + 3 * 3_600_000).toISOString();
    const b = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1'] },
      play_at: playAt,
      expires_in_s: 600,
    });
    expect(b.status).toBe(201);
    expect(Date.parse(b.body.expires_at)).toBe(Date.parse(playAt) + 600_000);
  });
});

describe('a window that closes before quiet hours', () => {
  it('never lets a receiver that gets it late start a normal item into quiet hours, nor one that would run into them', async () => {
    // thon-1's quiet hours begin at the next whole minute plus ten (local time).
    const start = DateTime.now().setZone(VN).plus({ minutes: 11 }).startOf('minute');
    expect(
      (
        await tc.api('PATCH', '/api/hamlets/thon-1', {
          quiet_start: start.toFormat('HH:mm'),
          quiet_end: start.plus({ hours: 1 }).toFormat('HH:mm'),
        })
      ).status,
    ).toBe(200);
    try {
      const b = await tc.api('POST', '/api/broadcasts', {
        media_id: media.id,
        target: { hamlet_ids: ['thon-1'] },
        expires_in_s: 3600,
      });
      expect(b.status, JSON.stringify(b.body)).toBe(201);
      // A 1 s item (a little over, once encoded): the last start is about a second before the quiet hours, not an hour on.
      const lastStart = Date.parse(b.body.expires_at);
      expect(lastStart).toBeLessThanOrEqual(start.toMillis() - 1000);
      expect(lastStart).toBeGreaterThan(start.toMillis() - 3000);
      const intoQuiet = await tc.api('POST', '/api/broadcasts', {
        media_id: media.id,
        target: { hamlet_ids: ['thon-1'] },
        play_at: new Date(start.toMillis() - 500).toISOString(),
      });
      expect(intoQuiet.status).toBe(422);
      expect(intoQuiet.body.error.code).toBe('quiet_hours');
    } finally {
      expect((await tc.api('PATCH', '/api/hamlets/thon-1', { quiet_start: null, quiet_end: null })).status).toBe(200);
    }
  });
});

describe('quiet hours that begin while something ordinary sounds', () => {
  /** Sets quiet hours around now in these hamlets (whatever the hour). */
  const quietAroundNow = async (hamlets: string[]) => {
    const start = DateTime.now().setZone(VN);
    for (const id of hamlets) {
      const res = await tc.api('PATCH', `/api/hamlets/${id}`, {
        quiet_start: start.minus({ minutes: 1 }).toFormat('HH:mm'),
        quiet_end: start.plus({ hours: 1 }).toFormat('HH:mm'),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  };
  const noQuiet = async (hamlets: string[]) => {
    for (const id of hamlets)
      expect((await tc.api('PATCH', `/api/hamlets/${id}`, { quiet_start: null, quiet_end: null })).status).toBe(200);
  };

  beforeAll(async () => {
    // thon-2's receiver plays slowly (a 1 s tone lasts 10 minutes): an item there is still sounding.
    agents.push(await startTestAgent(tc, 'rx-g2', 'thon-2', { speed: 600 }));
  });

  it('stops an ordinary broadcast (a relay that would play all night, an item sent before the hours changed)', async () => {
    const normal = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-2'] },
      expires_in_s: 3600,
    });
    expect(normal.status).toBe(201);
    await waitFor(async () => (await coverageRow(tc, normal.body.id, 'rx-g2'))?.started_at, 'rx-g2 playing');
    const session = await tc.api('POST', '/api/live', { title: 'Tiếp sóng' });
    const live = await tc.api('POST', '/api/broadcasts', {
      live_id: session.body.id,
      target: { hamlet_ids: ['thon-1'] },
    });
    expect(live.status, JSON.stringify(live.body)).toBe(201);
    await quietAroundNow(['thon-1', 'thon-2']);
    try {
      const stopped = await tc.controller.quietWatch.pass();
      expect(stopped).toEqual(expect.arrayContaining([normal.body.id, live.body.id]));
      // The live session ends too: a relay stops pulling its source once nothing plays it.
      expect(
        ((await tc.api('GET', '/api/live')).body as { id: string; status: string }[]).find(
          (x) => x.id === session.body.id,
        )?.status,
      ).toBe('ended');
      expect((await tc.api('GET', `/api/broadcasts/${normal.body.id}`)).body.stopped_at).toEqual(expect.any(String));
      const audit = (await tc.api('GET', '/api/audit?limit=50')).body as {
        action: string;
        actor: string;
        subject: string;
      }[];
      expect(
        audit.some(
          (a) => a.action === 'broadcast.stopped' && a.actor === 'quiet-hours' && a.subject === normal.body.id,
        ),
      ).toBe(true);
      expect(await tc.controller.quietWatch.pass()).toEqual([]); // once
      // What was playing is silenced: the receiver reports it ended.
      await waitFor(async () => (await coverageRow(tc, normal.body.id, 'rx-g2'))?.failed_at, 'rx-g2 silenced');
    } finally {
      await noQuiet(['thon-1', 'thon-2']);
    }
  });

  it('leaves alone what already ended: an item every receiver finished, one a stop-all silenced', async () => {
    const finished = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1'] },
      expires_in_s: 3600,
    });
    expect(finished.status).toBe(201);
    await waitFor(async () => (await coverageRow(tc, finished.body.id, 'rx-g1'))?.finished_at, 'rx-g1 finished');
    const silenced = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-2'] },
      expires_in_s: 3600,
    });
    expect(silenced.status).toBe(201);
    await waitFor(async () => (await coverageRow(tc, silenced.body.id, 'rx-g2'))?.started_at, 'rx-g2 playing');
    expect((await tc.api('POST', '/api/broadcasts/stop', { hamlet_ids: ['thon-2'] })).status).toBe(202);
    await waitFor(async () => (await coverageRow(tc, silenced.body.id, 'rx-g2'))?.failed_at, 'rx-g2 silenced');
    await quietAroundNow(['thon-1', 'thon-2']);
    try {
      const stopped = await tc.controller.quietWatch.pass();
      expect(stopped).not.toContain(finished.body.id);
      expect(stopped).not.toContain(silenced.body.id);
      for (const id of [finished.body.id, silenced.body.id]) {
        // Not "stopped by a person" in reports, and no quiet-hours stop in the audit.
        expect((await tc.api('GET', `/api/broadcasts/${id}`)).body.stopped_at).toBeNull();
      }
      const audit = (await tc.api('GET', '/api/audit?limit=50')).body as { actor: string; subject: string }[];
      expect(
        audit.filter((a) => a.actor === 'quiet-hours' && [finished.body.id, silenced.body.id].includes(a.subject)),
      ).toEqual([]);
    } finally {
      await noQuiet(['thon-1', 'thon-2']);
    }
  });
});

describe('quiet hours on every sound', () => {
  it("runs a technician's test tone silently in a hamlet's quiet hours (not refused, not heard), at full test volume elsewhere", async () => {
    const night = await tc.api('POST', '/api/receivers/rx-g3/ops', {
      op: 'test_tone',
      args: { seconds: 1, volume_pct: 80 },
    });
    expect(night.status, JSON.stringify(night.body)).toBe(200);
    expect(night.body).toMatchObject({ status: 'ok', quiet_volume_pct: 0 });
    expect(night.body.data.volume_pct).toBe(0); // what the receiver itself says it played at
    const day = await tc.api('POST', '/api/receivers/rx-g1/ops', { op: 'test_tone', args: { seconds: 1 } });
    expect(day.body).toMatchObject({ status: 'ok', quiet_volume_pct: null });
    expect(day.body.data.volume_pct).toBe(50);
  });

  it("turns it down to the commune's quiet test volume, or refuses it where the commune set none", async () => {
    const broadcasts = tc.controller.settings.broadcasts as { quiet_test_tone_pct: number | null };
    try {
      broadcasts.quiet_test_tone_pct = 10;
      const low = await tc.api('POST', '/api/receivers/rx-g3/ops', { op: 'test_tone', args: { seconds: 1 } });
      expect(low.body).toMatchObject({ status: 'ok', quiet_volume_pct: 10, data: { volume_pct: 10 } });
      broadcasts.quiet_test_tone_pct = null;
      const refused = await tc.api('POST', '/api/receivers/rx-g3/ops', { op: 'test_tone', args: { seconds: 1 } });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('quiet_hours');
    } finally {
      broadcasts.quiet_test_tone_pct = 0;
    }
  });
});

describe('cancel and correct', () => {
  it('cancels once, and sends a free-text emergency correction only once confirmed', async () => {
    const first = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-1'] } });
    expect(first.status).toBe(201);
    const cancel = await tc.api('POST', `/api/broadcasts/${first.body.id}/cancel`, {});
    expect(cancel.status).toBe(201);
    const again = await tc.api('POST', `/api/broadcasts/${first.body.id}/cancel`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_cancelled');
    const correctionOfCorrection = await tc.api(
      'POST',
      `/api/broadcasts/${cancel.body.correction_broadcast_id}/cancel`,
      { text: 'Lại nhầm' },
    );
    expect(correctionOfCorrection.status).toBe(409);
  });
});

describe('tokens speak for their owner', () => {
  it("needs the owner's current TOTP code for an emergency sent with a token", async () => {
    const user = await tc.controller.accounts.createUser(
      { username: 'chu-tich-xa', display_name: 'Chủ tịch xã', role: 'approver', password: 'mật-khẩu-thử-nghiệm-dài' },
      { id: 'test' },
    );
    const { secret } = tc.controller.accounts.totpSetup(user.id);
    const totp = new TOTP({ secret, digits: 6, period: 30 });
    tc.controller.accounts.totpConfirm(user.id, totp.generate(), { id: 'test' });
    const token = tc.controller.accounts.createToken(
      { name: 'chu-tich-tich-hop', role: 'approver' },
      { id: user.id, permissions: new Set(PERMISSIONS) },
    ).token;
    const body = { media_id: media.id, target: { hamlet_ids: ['thon-1'] }, priority: 'emergency' };
    const without = await call('/api/broadcasts', body, token);
    expect(without.status).toBe(403);
    expect(without.body.error.code).toBe('totp_required_for_emergency_token');
    const wrongCode = String((Number(totp.generate()) + 1) % 1_000_000).padStart(6, '0');
    expect((await call('/api/broadcasts', body, token, { 'x-totp-code': wrongCode })).status).toBe(403);
    const withCode = await call('/api/broadcasts', body, token, { 'x-totp-code': totp.generate() });
    expect(withCode.status).toBe(202); // then the confirmation, as for anyone
    const confirmed = await call(withCode.body.confirmation.confirm_url, {}, token, { 'x-totp-code': totp.generate() });
    expect(confirmed.status).toBe(201);

    // Cancel and correct with free text: the stop is immediate, the emergency correction waits for its confirmation.
    const corrections = async () =>
      ((await tc.api('GET', '/api/broadcasts?limit=100')).body as { source: string }[]).filter(
        (b) => b.source === 'correction',
      ).length;
    const correctionsBefore = await corrections();
    const cancel = await call(
      `/api/broadcasts/${confirmed.body.id}/cancel`,
      { text: 'Thông báo vừa rồi là nhầm, bà con bỏ qua.' },
      token,
      { 'x-totp-code': totp.generate() },
    );
    expect(cancel.status).toBe(202);
    expect(cancel.body.stopped.length).toBeGreaterThan(0);
    expect(cancel.body.confirmation.summary).toMatch(/KHẨN CẤP/);
    await waitFor(
      async () => (await tc.api('GET', `/api/broadcasts/${confirmed.body.id}`)).body.stopped_at,
      'the stop recorded',
    );
    expect(await corrections()).toBe(correctionsBefore); // nothing sent before the confirmation
  });
});
