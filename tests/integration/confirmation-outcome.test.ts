/**
 * Where one confirmation stands (GET /api/broadcasts/confirmations/:id): the official whose
 * emergency waits for another leader is told by the controller what became of it (confirmed into
 * a broadcast, withdrawn, lapsed), not left to guess; a controller that restarted since says it
 * does not know. The clock is the controller's own input, so a lapse is tested at any hour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../controller/accounts/permissions.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { startTestAgent } from '../helpers/agents.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';

const base = Date.parse('2026-12-06T03:00:00.000Z'); // 10:00 in Việt Nam: no quiet hours
const started = Date.now();
let moved = 0;
const clock = { now: () => new Date(base + (Date.now() - started) + moved) };

let tc: TestController;
let agent: ReceiverAgent;
let media: { id: string };
let lan: string;
let hung: string;

const as = async (token: string, method: 'GET' | 'POST', path: string, body?: unknown, on = tc) => {
  const res = await fetch(on.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
};
/** Lan asks for an emergency to Thôn 1; answers its confirmation's id. */
const ask = async (on = tc) => {
  const body = { media_id: media.id, target: { hamlet_ids: ['thon-1'] }, priority: 'emergency' };
  const r = await as(lan, 'POST', '/api/broadcasts', body, on);
  expect(r.status).toBe(202);
  return r.body.confirmation.id as string;
};
const stateOf = (id: string, token = lan, on = tc) =>
  as(token, 'GET', `/api/broadcasts/confirmations/${id}`, undefined, on);

/** A person with a token of her own on this controller (the token survives a restart: it is stored). */
const person = async (on: TestController, username: string, display_name: string) => {
  const user = await on.controller.accounts.createUser(
    { username, display_name, role: 'approver', password: 'mật-khẩu-thử-nghiệm-dài' },
    { id: 'test' },
  );
  const token = (name: string) =>
    on.controller.accounts.createToken({ name, role: 'approver' }, { id: user.id, permissions: new Set(PERMISSIONS) })
      .token;
  return { token: token(username), second: token(`${username}-2`) };
};
let lanPhone: string;

beforeAll(async () => {
  tc = await startTestController({ emergency: { second_person: true } } as any, { overrides: { clock } });
  ({ token: lan, second: lanPhone } = await person(tc, 'lan', 'Nguyễn Thị Lan'));
  hung = (await person(tc, 'hung', 'Trần Văn Hùng')).token;
  agent = await startTestAgent(tc, 'rx-co-1', 'thon-1');
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
}, 90_000);
afterAll(async () => {
  await agent?.stop();
  await tc?.close();
});

describe("a confirmation's outcome, told to the desk that asked", () => {
  it('waiting, then confirmed by another leader: names the broadcast sent and who confirmed it', async () => {
    const id = await ask();
    expect((await stateOf(id)).body).toMatchObject({ id, state: 'waiting', at: null, broadcast_id: null });
    expect((await stateOf(id.toUpperCase())).body).toMatchObject({ id, state: 'waiting' }); // a UUID either way
    const sent = await as(hung, 'POST', `/api/broadcasts/confirmations/${id}/confirm`);
    expect(sent.status).toBe(201);
    const state = await stateOf(id);
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({ state: 'confirmed', broadcast_id: sent.body.id, expires_at: null });
    expect(state.body.by_name).toContain('Trần Văn Hùng');
    expect(state.body.by_you).toBe(false);
    // Confirmed already: confirming or withdrawing it again says so (409), not "unknown".
    for (const action of ['confirm', 'cancel']) {
      const again = await as(hung, 'POST', `/api/broadcasts/confirmations/${id}/${action}`);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('confirmation_already_confirmed');
    }
  });

  it('the same announcement asked for again is said to be waiting already, or just sent', async () => {
    const first = await ask();
    const twice = await as(lan, 'POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1'] },
      priority: 'emergency',
    });
    expect(twice.body.confirmation.similar.waiting).toEqual([first]);
    // On the waiting list each twin names the other (the console's warning on both).
    const both = (await as(hung, 'GET', '/api/broadcasts/confirmations')).body as {
      id: string;
      similar: { waiting: string[] };
    }[];
    expect(both.find((w) => w.id === first)?.similar.waiting).toEqual([twice.body.confirmation.id]);
    expect(both.find((w) => w.id === twice.body.confirmation.id)?.similar.waiting).toEqual([first]);
    const sent = await as(hung, 'POST', `/api/broadcasts/confirmations/${first}/confirm`);
    // Its twin, still on the waiting list, is now "just sent" there (read when listed, not when asked).
    const listed = (await as(hung, 'GET', '/api/broadcasts/confirmations')).body as { id: string; similar: object }[];
    expect(listed.find((w) => w.id === twice.body.confirmation.id)?.similar).toEqual({
      waiting: [],
      sent_at: sent.body.created_at,
    });
    await as(hung, 'POST', `/api/broadcasts/confirmations/${twice.body.confirmation.id}/cancel`);
    const third = await as(lan, 'POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1'] },
      priority: 'emergency',
    });
    expect(third.body.confirmation.similar).toEqual({ waiting: [], sent_at: sent.body.created_at });
    // At another level it is another announcement (the whole commune is Thôn 1 here: its only receivers).
    const other = await as(lan, 'POST', '/api/broadcasts', {
      media_id: media.id,
      target: { all: true },
      priority: 'normal',
    });
    expect(other.body.confirmation.similar).toEqual({ waiting: [], sent_at: null });
    for (const id of [third.body.confirmation.id, other.body.confirmation.id])
      await as(hung, 'POST', `/api/broadcasts/confirmations/${id}/cancel`);
  });

  it('while a confirmed drill is being made and sent, says "confirming", and refuses a second confirm', async () => {
    const r = await as(lan, 'POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1'] },
      priority: 'emergency',
      drill: true,
    });
    const id = r.body.confirmation.id as string;
    // A drill's audio (the spoken preamble joined before it) is made after the confirmation: seconds.
    const confirming = as(hung, 'POST', `/api/broadcasts/confirmations/${id}/confirm`);
    await new Promise((done) => setTimeout(done, 100));
    expect((await stateOf(id)).body.state).toBe('confirming');
    const again = await as(lan, 'POST', `/api/broadcasts/confirmations/${id}/cancel`);
    expect([again.status, again.body.error.code]).toEqual([409, 'confirmation_already_confirming']);
    const sent = await confirming;
    expect(sent.status).toBe(201);
    expect((await stateOf(id)).body).toMatchObject({ state: 'confirmed', broadcast_id: sent.body.id });
  }, 60_000);

  it('withdrawn: says so and by whom, with no broadcast; withdrawn by herself, says it was her', async () => {
    const id = await ask();
    expect((await as(hung, 'POST', `/api/broadcasts/confirmations/${id}/cancel`)).status).toBe(204);
    const state = await stateOf(id);
    expect(state.body).toMatchObject({ state: 'withdrawn', broadcast_id: null, by_you: false });
    expect(state.body.by_name).toContain('Trần Văn Hùng');
    const again = await as(hung, 'POST', `/api/broadcasts/confirmations/${id}/confirm`);
    expect([again.status, again.body.error.code]).toEqual([409, 'confirmation_already_withdrawn']);

    const own = await ask();
    expect((await as(lanPhone, 'POST', `/api/broadcasts/confirmations/${own}/cancel`)).status).toBe(204);
    expect((await stateOf(own)).body).toMatchObject({ state: 'withdrawn', by_you: true });
  });

  it('lapsed: at its own moment, with nothing sent, and no longer confirmable', async () => {
    const id = await ask();
    const { expires_at } = (await stateOf(id)).body;
    moved += 10 * 60_000; // far past any confirmation's time
    const state = await stateOf(id);
    expect(state.body).toMatchObject({ state: 'lapsed', at: expires_at, broadcast_id: null, by: null });
    const late = await as(hung, 'POST', `/api/broadcasts/confirmations/${id}/confirm`);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('confirmation_lapsed');
  });

  it('unknown (a controller restart forgets the waiting list): 404 with words', async () => {
    const state = await stateOf('00000000-0000-4000-8000-000000000000');
    expect(state.status).toBe(404);
    expect(state.body.error.code).toBe('confirmation_unknown');
    expect(state.body.error.message).toBeTruthy();
  });
});

describe('after a controller restart', () => {
  it('reads what became of each from the audit log: the one confirmed was sent, the one left waiting was not', async () => {
    const settings = { emergency: { second_person: true } } as any;
    const first = await startTestController(settings, { keepDir: true, overrides: { clock } });
    let again: TestController | undefined;
    const rx = await startTestAgent(first, 'rx-co-2', 'thon-1');
    try {
      const lanHere = (await person(first, 'lan', 'Nguyễn Thị Lan')).token;
      const hungHere = (await person(first, 'hung', 'Trần Văn Hùng')).token;
      const tone = await uploadReadyTone(first.url, first.token, first.dir, 1);
      const askHere = async () => {
        const body = { media_id: tone.id, target: { hamlet_ids: ['thon-1'] }, priority: 'emergency' };
        return (await as(lanHere, 'POST', '/api/broadcasts', body, first)).body.confirmation.id as string;
      };
      const confirmed = await askHere();
      const sent = await as(hungHere, 'POST', `/api/broadcasts/confirmations/${confirmed}/confirm`, undefined, first);
      expect(sent.status).toBe(201);
      const lapsedBefore = await askHere();
      moved += 10 * 60_000; // it lapses before the restart
      const withdrawn = await askHere();
      expect(
        (await as(hungHere, 'POST', `/api/broadcasts/confirmations/${withdrawn}/cancel`, undefined, first)).status,
      ).toBe(204);
      const waiting = await askHere();
      await rx.stop();
      await first.close();

      const stoppedAt = clock.now().toISOString();
      again = await startTestController(settings, { dir: first.dir, overrides: { clock } });
      const read = (id: string) => stateOf(id, lanHere, again!);
      const c = await read(confirmed);
      expect(c.body).toMatchObject({ state: 'confirmed', broadcast_id: sent.body.id });
      expect(c.body.by_name).toContain('Trần Văn Hùng');
      expect(c.body.by_you).toBe(false); // read by Lan
      expect((await stateOf(confirmed, hungHere, again)).body.by_you).toBe(true); // read by the one who confirmed it
      expect((await read(withdrawn)).body).toMatchObject({ state: 'withdrawn', broadcast_id: null });
      const dropped = (await read(waiting)).body;
      expect(dropped).toMatchObject({ state: 'dropped', broadcast_id: null });
      expect(dropped.at >= stoppedAt).toBe(true); // the restart
      const lapsed = (await read(lapsedBefore)).body;
      expect(lapsed.state).toBe('lapsed');
      expect(lapsed.at < stoppedAt).toBe(true); // its own moment, before the restart
      const late = await as(hungHere, 'POST', `/api/broadcasts/confirmations/${waiting}/confirm`, undefined, again);
      expect([late.status, late.body.error.code]).toEqual([409, 'confirmation_lapsed']);
    } finally {
      await rx.stop().catch(() => {});
      await again?.close();
    }
  }, 90_000);
});
