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

const as = async (token: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
  const res = await fetch(tc.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
};
/** Lan asks for an emergency to Thôn 1; answers its confirmation's id. */
const ask = async () => {
  const r = await as(lan, 'POST', '/api/broadcasts', {
    media_id: media.id,
    target: { hamlet_ids: ['thon-1'] },
    priority: 'emergency',
  });
  expect(r.status).toBe(202);
  return r.body.confirmation.id as string;
};
const stateOf = (id: string, token = lan) => as(token, 'GET', `/api/broadcasts/confirmations/${id}`);

beforeAll(async () => {
  tc = await startTestController({ emergency: { second_person: true } } as any, { overrides: { clock } });
  const person = async (username: string, display_name: string) => {
    const user = await tc.controller.accounts.createUser(
      { username, display_name, role: 'approver', password: 'mật-khẩu-thử-nghiệm-dài' },
      { id: 'test' },
    );
    return tc.controller.accounts.createToken(
      { name: username, role: 'approver' },
      { id: user.id, permissions: new Set(PERMISSIONS) },
    ).token;
  };
  lan = await person('lan', 'Nguyễn Thị Lan');
  hung = await person('hung', 'Trần Văn Hùng');
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
    const sent = await as(hung, 'POST', `/api/broadcasts/confirmations/${id}/confirm`);
    expect(sent.status).toBe(201);
    const state = await stateOf(id);
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({ state: 'confirmed', broadcast_id: sent.body.id, expires_at: null });
    expect(state.body.by_name).toContain('Trần Văn Hùng');
  });

  it('withdrawn: says so and by whom, with no broadcast', async () => {
    const id = await ask();
    expect((await as(hung, 'POST', `/api/broadcasts/confirmations/${id}/cancel`)).status).toBe(204);
    const state = await stateOf(id);
    expect(state.body).toMatchObject({ state: 'withdrawn', broadcast_id: null });
    expect(state.body.by_name).toContain('Trần Văn Hùng');
  });

  it('lapsed: at its own moment, with nothing sent, and no longer confirmable', async () => {
    const id = await ask();
    const { expires_at } = (await stateOf(id)).body;
    moved += 10 * 60_000; // far past any confirmation's time
    const state = await stateOf(id);
    expect(state.body).toMatchObject({ state: 'lapsed', at: expires_at, broadcast_id: null, by: null });
    expect((await as(hung, 'POST', `/api/broadcasts/confirmations/${id}/confirm`)).status).toBe(404);
  });

  it('unknown (a controller restart forgets the waiting list): 404 with words', async () => {
    const state = await stateOf('00000000-0000-4000-8000-000000000000');
    expect(state.status).toBe(404);
    expect(state.body.error.code).toBe('confirmation_unknown');
    expect(state.body.error.message).toBeTruthy();
  });
});
