/**
 * A receiver back from a power cut plays the emergency it was cut off in again from the start. A
 * newer emergency sent meanwhile cuts that replay at once: an outsider's receivers replayed a
 * 7-minute-old alarm for its whole length while a new warning waited behind it. Two fresh
 * emergencies still play one after the other, each whole (unit: on-air-recovery.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import type { PlayCommand } from '../../controller/protocol/index.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, receiverWithPower } from '../helpers/agents.js';
import { broadcastConfirmed, startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let media: { id: string };
const agents: ReceiverAgent[] = [];

beforeAll(async () => {
  tc = await startTestController();
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
}, 60_000);

afterAll(async () => {
  for (const a of agents) await a.stop().catch(() => {});
  await tc?.close();
});

const emergency = async (rx = 'rx-back') => {
  const sent = await broadcastConfirmed(tc, {
    media_id: media.id,
    priority: 'emergency',
    repeat_count: 1,
    target: { receiver_ids: [rx] },
  });
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  return sent.body.id as string;
};
const startOf = (agent: ReceiverAgent, id: string) =>
  new Promise<number>((resolve) =>
    agent.on('playing', (c: PlayCommand) => c.broadcast_id === id && resolve(performance.now())),
  );

describe('a newer emergency, on a receiver replaying an older one after a power cut', () => {
  it('starts at once, and the replay is recorded as cut off by it', async () => {
    // The 1 s tone lasts 30 s: each emergency is still on air when the next thing happens.
    const receiver = await receiverWithPower(tc, 'rx-back', 'thon-1', 30, agents);
    const before = receiver();
    await before.start();
    const older = await emergency();
    await startOf(before, older);
    await before.stop(); // the power goes mid-alarm
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-back')).body.status === 'offline', 'offline');

    const back = receiver(); // the power comes back: the alarm is played again from its start
    const replaying = startOf(back, older);
    await back.start();
    await replaying;
    const newer = await emergency();
    const sentAt = performance.now();
    const started = await Promise.race([
      startOf(back, newer),
      new Promise<number>((resolve) => setTimeout(() => resolve(NaN), 20_000)),
    ]);
    // Before: it waited for the replay's whole 30 s.
    expect(started - sentAt, 'the newer emergency waited behind the replay').toBeLessThan(5_000);
    await waitFor(async () => (await coverageRow(tc, older, 'rx-back'))?.outcome === 'failed', 'the replay settled');
    expect(await coverageRow(tc, older, 'rx-back')).toMatchObject({ outcome: 'failed', reason: 'preempted' });
    expect(await coverageRow(tc, newer, 'rx-back')).toMatchObject({ outcome: 'playing' });
  }, 90_000);

  it('plays first when it was sent while the power was off: it does not wait for the replay either', async () => {
    const receiver = await receiverWithPower(tc, 'rx-back-2', 'thon-1', 30, agents);
    const before = receiver();
    await before.start();
    const older = await emergency('rx-back-2');
    await startOf(before, older);
    await before.stop(); // the power goes mid-alarm
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-back-2')).body.status === 'offline', 'offline');
    const newer = await emergency('rx-back-2'); // kept for it, or sent again when it says "online"

    const back = receiver();
    const order: string[] = [];
    back.on('playing', (c: PlayCommand) => order.push(c.broadcast_id));
    const started = startOf(back, newer);
    const backAt = performance.now();
    await back.start();
    const at = await Promise.race([started, new Promise<number>((resolve) => setTimeout(() => resolve(NaN), 20_000))]);
    expect(at - backAt, 'the newer emergency waited behind the replay').toBeLessThan(8_000);
    // Either it went first, or the replay had begun and it cut it at once.
    if (order[0] === older) {
      await waitFor(async () => (await coverageRow(tc, older, 'rx-back-2'))?.outcome === 'failed', 'the replay cut');
      expect(await coverageRow(tc, older, 'rx-back-2')).toMatchObject({ reason: 'preempted' });
    } else expect(order[0]).toBe(newer);
  }, 90_000);
});
