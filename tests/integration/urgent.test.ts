/**
 * When a typhoon comes: an emergency needs a second confirmation (here by a second person),
 * plays at full volume and repeats, pre-empts what plays; stop-all silences everyone; a wrong
 * broadcast is cancelled and corrected in one step; a drill is announced as a drill.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../controller/accounts/permissions.js';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { SilentPlayer, type PlayRequest } from '../../firmware-bridge/agent/players.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let media: any;
let approver1: string;
let approver2: string;
let chairman: string;
let operator: string;
const agents: ReceiverAgent[] = [];
const plays = new Map<string, PlayRequest[]>();

class RecordingPlayer extends SilentPlayer {
  constructor(
    private readonly id: string,
    speed: number,
  ) {
    super(speed);
  }
  override play(request: PlayRequest, signal: AbortSignal) {
    plays.set(this.id, [...(plays.get(this.id) ?? []), request]);
    return super.play(request, signal);
  }
}

async function agent(id: string, hamlet: string, speed: number) {
  const a = await startTestAgent(tc, id, hamlet, { player: new RecordingPlayer(id, speed) });
  agents.push(a);
  return a;
}
const call = async (path: string, body: unknown, token: string) => {
  const res = await fetch(tc.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};
const row = (broadcastId: string, id: string) => coverageRow(tc, broadcastId, id);

beforeAll(async () => {
  tc = await startTestController({ emergency: { second_person: true, repeat_count: 2, repeat_interval_s: 0 } } as any);
  // Each token speaks for the person who made it: three people, each with a token of their own.
  const person = async (username: string, role: 'approver' | 'operator') =>
    (
      await tc.controller.accounts.createUser(
        { username, display_name: username, role, password: 'mật-khẩu-thử-nghiệm-dài' },
        { id: 'test' },
      )
    ).id;
  const token = (owner: string, role: 'approver' | 'operator', name: string) =>
    tc.controller.accounts.createToken({ name, role }, { id: owner, permissions: new Set(PERMISSIONS) }).token;
  chairman = await person('chu-tich', 'approver');
  approver1 = token(chairman, 'approver', 'chu-tich');
  approver2 = token(await person('pho-chu-tich', 'approver'), 'approver', 'pho-chu-tich');
  operator = token(await person('can-bo-dai', 'operator'), 'operator', 'can-bo-dai');
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await tc?.close();
});

describe('the emergency lane', () => {
  it('waits for a second person, then plays at full volume, repeated, pre-empting what plays', async () => {
    await agent('rx-e1', 'thon-1', 3);
    const normal = await call('/api/broadcasts', { media_id: media.id, target: { receiver_ids: ['rx-e1'] } }, operator);
    expect(normal.status).toBe(201);
    await waitFor(async () => (await row(normal.body.id, 'rx-e1')).outcome === 'playing', 'the normal item to start');

    const asked = await call(
      '/api/broadcasts',
      { media_id: media.id, target: { hamlet_ids: ['thon-1'] }, priority: 'emergency' },
      approver1,
    );
    expect(asked.status).toBe(202);
    expect(asked.body.confirmation.summary).toMatch(/KHẨN CẤP tới 1 cụm loa ở 1 thôn\. Âm lượng \d+%, phát 2 lần\.$/);
    expect(asked.body.confirmation.summary_en).toMatch(/At \d+% volume, played 2 times\.$/);
    expect(asked.body.confirmation.requires_second_person).toBe(true);
    const url = asked.body.confirmation.confirm_url;
    // The waiting list names who asked as people know them: the person and the token's name, never "token:…".
    const waiting = (await tc.api('GET', '/api/broadcasts/confirmations')).body as { requested_by_name: string }[];
    expect(waiting.map((w) => w.requested_by_name)).toEqual(['chu-tich (chu-tich)']);
    expect((await call(url, {}, approver1)).status).toBe(403); // the same person cannot confirm
    // ... nor with a second token of theirs: a token is its owner, not a second person.
    const secondTokenOfChairman = tc.controller.accounts.createToken(
      { name: 'chu-tich-2', role: 'approver' },
      { id: chairman, permissions: new Set(PERMISSIONS) },
    ).token;
    expect((await call(url, {}, secondTokenOfChairman)).status).toBe(403);
    // Each reader is told which requests are its own, and whether it may confirm: the person who
    // asked (any of its tokens: a second device) is offered no confirm button the gate would refuse.
    const listFor = async (token: string) =>
      (await (
        await fetch(`${tc.url}/api/broadcasts/confirmations`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { id: string; yours: boolean; you_may_confirm: boolean }[];
    const mine = (list: Awaited<ReturnType<typeof listFor>>) => list.find((w) => w.id === asked.body.confirmation.id);
    expect(mine(await listFor(secondTokenOfChairman))).toMatchObject({ yours: true, you_may_confirm: false });
    expect(mine(await listFor(approver2))).toMatchObject({ yours: false, you_may_confirm: true });
    expect((await call(url, {}, operator)).status).toBe(403); // nor someone who may not send emergencies
    const confirmed = await call(url, {}, approver2);
    expect(confirmed.status).toBe(201);
    expect(confirmed.body).toMatchObject({
      priority: 'emergency',
      volume_pct: 100,
      repeat_count: 2,
      confirmed_by: 'token:pho-chu-tich',
      created_by: 'token:chu-tich',
    });
    expect((await call(url, {}, approver2)).status).toBe(409); // used once: already confirmed

    const interrupted = await waitFor(async () => {
      const r = await row(normal.body.id, 'rx-e1');
      return r.outcome === 'failed' ? r : undefined;
    }, 'pre-emption');
    expect(interrupted.reason).toBe('preempted');
    await waitFor(
      async () => (await row(confirmed.body.id, 'rx-e1')).outcome === 'finished',
      'the emergency to finish',
      20_000,
    );
    const emergencyPlays = plays.get('rx-e1')!.filter((p) => p.broadcast_id === confirmed.body.id);
    expect(emergencyPlays).toHaveLength(2);
    expect(emergencyPlays.every((p) => p.volume_pct === 100)).toBe(true);
  });

  it('caps the volume of ordinary broadcasts', async () => {
    const loud = await call(
      '/api/broadcasts',
      { media_id: media.id, target: { receiver_ids: ['rx-e1'] }, volume_pct: 100 },
      operator,
    );
    expect(loud.body.volume_pct).toBe(85);
  });
});

describe('stop all', () => {
  it('silences every receiver at once, even during an emergency, and the queue too', async () => {
    await agent('rx-s1', 'thon-2', 20);
    await agent('rx-s2', 'thon-3', 20);
    const first = await call(
      '/api/broadcasts',
      { media_id: media.id, target: { hamlet_ids: ['thon-2', 'thon-3'] }, priority: 'priority' },
      approver1,
    );
    await waitFor(
      async () =>
        (await row(first.body.id, 'rx-s1')).outcome === 'playing' &&
        (await row(first.body.id, 'rx-s2')).outcome === 'playing',
      'both to play',
    );
    const queued = await call('/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-2'] } }, operator);
    await waitFor(
      async () => (await row(queued.body.id, 'rx-s1')).outcome === 'downloaded',
      'the second item to wait in the queue',
    );

    const stop = await call('/api/broadcasts/stop', {}, operator);
    expect(stop.status).toBe(202);
    expect(stop.body.hamlets).toEqual(['thon-1', 'thon-2', 'thon-3']);
    for (const id of ['rx-s1', 'rx-s2']) {
      const r = await waitFor(async () => {
        const x = await row(first.body.id, id);
        return x.outcome === 'failed' ? x : undefined;
      }, `${id} to stop`);
      expect(r.reason).toBe('stopped');
    }
    expect((await row(queued.body.id, 'rx-s1')).reason).toBe('stopped');
    const log = (await tc.api('GET', '/api/audit?limit=1000')).body as any[];
    expect(log.some((e) => e.action === 'broadcast.stop_all' && e.actor === 'token:can-bo-dai')).toBe(true);
  });
});

describe('cancel and correct', () => {
  it('stops a wrong broadcast and sends the prepared correction to the same receivers in one step', async () => {
    await agent('rx-c1', 'thon-2', 20);
    const wrong = await call(
      '/api/broadcasts',
      { media_id: media.id, target: { receiver_ids: ['rx-c1'] }, priority: 'priority' },
      approver1,
    );
    await waitFor(async () => (await row(wrong.body.id, 'rx-c1')).outcome === 'playing', 'the wrong broadcast to play');
    const cancel = await call(`/api/broadcasts/${wrong.body.id}/cancel`, {}, approver1);
    expect(cancel.status).toBe(201);
    expect(
      (
        await waitFor(async () => {
          const r = await row(wrong.body.id, 'rx-c1');
          return r.outcome === 'failed' ? r : undefined;
        }, 'the wrong broadcast to stop')
      ).reason,
    ).toBe('stopped');
    const correction = (await tc.api('GET', `/api/broadcasts/${cancel.body.correction_broadcast_id}`)).body;
    expect(correction).toMatchObject({
      source: 'correction',
      priority: 'priority',
      target: { receiver_ids: ['rx-c1'] },
    });
    await waitFor(
      async () => ['playing', 'finished'].includes((await row(correction.id, 'rx-c1')).outcome),
      'the correction to play',
      20_000,
    );
    expect((await tc.api('GET', `/api/broadcasts/${wrong.body.id}`)).body.stopped_at).not.toBeNull();
  }, 40_000);
});

describe('drills', () => {
  it('plays the drill preamble first and marks the broadcast a drill', async () => {
    await agent('rx-d1', 'thon-3', 0.01);
    const drill = await call(
      '/api/broadcasts',
      { media_id: media.id, target: { receiver_ids: ['rx-d1'] }, priority: 'emergency', drill: true },
      approver1,
    );
    expect(drill.status).toBe(202);
    expect(drill.body.confirmation.summary).toContain('DIỄN TẬP');
    const sent = await call(drill.body.confirmation.confirm_url, {}, approver2);
    expect(sent.status).toBe(201);
    expect(sent.body.drill).toBe(true);
    expect(sent.body.media_id).not.toBe(media.id);
    const drillMedia = (await tc.api('GET', `/api/media/${sent.body.media_id}`)).body;
    expect(drillMedia.duration_ms).toBeGreaterThan(media.duration_ms + 2000); // the spoken preamble
    expect(drillMedia.title).toMatch(/^\[Diễn tập\]/);
    await waitFor(async () => (await row(sent.body.id, 'rx-d1')).outcome === 'finished', 'the drill to play', 20_000);
    const command = JSON.parse(
      (tc.controller.db.prepare('SELECT payload FROM commands WHERE broadcast_id = ?').get(sent.body.id) as any)
        .payload,
    );
    expect(command.drill).toBe(true);
  }, 40_000);
});

describe('quiet hours', () => {
  it('refuses a normal or priority item at 03:15 with the reason, and lets an emergency through', async () => {
    const { startTestController: start } = await import('../helpers/test-controller.js');
    const clock = { now: () => new Date('2026-11-24T20:15:00Z') }; // 03:15 in the commune
    const night = await start({ broadcasts: { quiet_hours: { start: '21:30', end: '05:30' } } } as any, {
      overrides: { clock },
    });
    try {
      await night.api('POST', '/api/receivers', { id: 'rx-night', hamlet_id: 'thon-1', name: 'đêm' });
      const tone = await uploadReadyTone(night.url, night.token, night.dir, 1);
      const normal = await night.api('POST', '/api/broadcasts', {
        media_id: tone.id,
        target: { receiver_ids: ['rx-night'] },
      });
      expect(normal.status).toBe(422);
      expect(normal.body.error.code).toBe('quiet_hours');
      expect(normal.body.error.message).toContain('giờ yên tĩnh (21:30–05:30)');
      expect(normal.body.error.message).toContain('Thôn Đông'); // the hamlet by name, not thon-1
      expect(normal.body.error.message).not.toMatch(/thon-\d/);
      expect(
        (
          await night.api('POST', '/api/broadcasts', {
            media_id: tone.id,
            target: { receiver_ids: ['rx-night'] },
            priority: 'priority',
          })
        ).status,
      ).toBe(422);
      // Scheduled for after the quiet hours: accepted.
      expect(
        (
          await night.api('POST', '/api/broadcasts', {
            media_id: tone.id,
            target: { receiver_ids: ['rx-night'] },
            play_at: '2026-11-24T23:00:00Z',
            expires_in_s: 20_000,
          })
        ).status,
      ).toBe(201);
      const emergency = await night.api('POST', '/api/broadcasts', {
        media_id: tone.id,
        target: { receiver_ids: ['rx-night'] },
        priority: 'emergency',
      });
      expect(emergency.status).toBe(202); // asks for its confirmation, not refused
    } finally {
      await night.close();
    }
  });
});
