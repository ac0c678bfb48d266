/**
 * A stop holds for receivers that were offline when it went out (outsider, issue 21 round): when
 * they come back, the controller sends them neither the stopped broadcast nor one a stop of their
 * hamlet silenced — but a broadcast sent after that stop still plays.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { FileAgentStore } from '../../firmware-bridge/agent/agent-store.js';
import { SilentPlayer } from '../../firmware-bridge/agent/players.js';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let media: { id: string };
const agents: ReceiverAgent[] = [];

beforeAll(async () => {
  tc = await startTestController({ delivery: { retry_after_s: 1 } } as never);
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await tc?.close();
});

const send = async () => {
  const res = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-1'] } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};

describe('a receiver offline during a stop', () => {
  it('is not sent what was stopped when it comes back, and still gets what came after', async () => {
    const config = {
      ...(await enrolReceiver(tc.url, tc.token, 'rx-off', 'thon-1', 'rx-off')),
      state_dir: join(tc.dir, 'rx-off'),
    };
    const agentOf = () =>
      new ReceiverAgent({
        config,
        store: new FileAgentStore(config.state_dir),
        player: new SilentPlayer(0.2),
        logger: pino({ level: 'silent' }),
      });
    const agent = agentOf();
    agents.push(agent);
    await agent.start();
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-off')).body.status === 'online', 'online');
    await agent.stop();
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-off')).body.status === 'offline', 'offline');

    const stopped = await send();
    expect((await tc.api('POST', `/api/broadcasts/${stopped}/stop`, {})).status).toBe(202);
    const silenced = await send();
    expect((await tc.api('POST', '/api/broadcasts/stop', { hamlet_ids: ['thon-1'] })).status).toBe(202);
    // The stop of the hamlet outlives what it silenced: the receiver coming back takes the queued
    // stop after the queued play, however late within the play's window.
    const stopAll = tc.controller.db
      .prepare("SELECT expires_at FROM commands WHERE type = 'stop' AND broadcast_id IS NULL ORDER BY created_at DESC")
      .get() as { expires_at: string };
    const silencedRow = (await tc.api('GET', `/api/broadcasts/${silenced}`)).body;
    expect(stopAll.expires_at >= silencedRow.expires_at).toBe(true);
    await new Promise((r) => setTimeout(r, 20)); // a later instant than the stop's
    const after = await send();
    // Offline, it has taken neither stop: each is said sent and not confirmed, not "stopped" (it
    // gets the queued play before the stop when it comes back).
    for (const id of [stopped, silenced]) {
      const row = await coverageRow(tc, id, 'rx-off');
      expect(row, id).toMatchObject({ outcome: 'waiting', reason: null });
      expect(row.stop_sent_at, id).toEqual(expect.any(String));
    }

    // The same receiver, same credentials and state, started again.
    const back = agentOf();
    agents.push(back);
    await back.start();
    await waitFor(
      async () => (await coverageRow(tc, after, 'rx-off'))?.outcome === 'finished',
      'the later broadcast',
      30_000,
    );
    // Give any wrongful re-send time to arrive and sound (the follow-up runs every second here).
    await new Promise((r) => setTimeout(r, 3000));
    for (const id of [stopped, silenced]) {
      const row = await coverageRow(tc, id, 'rx-off');
      expect(['started', 'finished', 'playing'], `${id}: ${JSON.stringify(row)}`).not.toContain(row?.outcome);
      // Back, it took the stops: stopped, never "waiting" for what will never be sent (outsider, session 18).
      expect(row, id).toMatchObject({ outcome: 'failed', reason: 'stopped', retrying: null, stop_sent_at: null }); // nothing is being sent again
    }
    // The as-run log says the same.
    const day = (ms: number) => new Date(Date.now() + ms).toLocaleDateString('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });
    const asRun = (await tc.api('GET', `/api/reports/as-run?kind=range&from=${day(-86_400_000)}&to=${day(0)}`)).body
      .rows as any[];
    for (const id of [stopped, silenced])
      expect(
        asRun.find((r) => r.broadcast_id === id && r.receiver_id === 'rx-off'),
        id,
      ).toMatchObject({
        outcome: 'failed',
        reason: 'stopped',
      });
    // And the CSV for people: stopped before it played, not "could not play" (outsider, session 18).
    const csv = (await tc.api('GET', `/api/reports/period?kind=range&from=${day(-86_400_000)}&to=${day(0)}&format=csv`))
      .body as string;
    // The only receiver in this test's window: its two stopped items, and the one after, which played.
    // Each stopped before it played: the receiver, coming back, waits for the broker's whole burst
    // before it starts anything, so a queued stop read a moment after its queued play still comes
    // first (before that, "stopped while playing" was seen once in CI, once in a full run here;
    // stop-in-backlog.test.ts shows it on a slow link).
    const stoppedRows = csv.split('\r\n').filter((line) => line.includes('"bị dừng trước khi phát"'));
    expect(stoppedRows.length, csv).toBe(2);
    expect(csv).not.toContain('bị dừng khi đang phát');
    expect(csv).not.toContain('không phát được');
  }, 90_000);

  it('a slow receiver that has not taken the stop yet is said so, not "stopped", and then says what it did', async () => {
    // Connected but slow (25 s late in an outsider's try, session 19, where it played 8 s of an
    // emergency the desk already called stopped): here each command waits 1.5 s before it is handled.
    const slow = await startTestAgent(tc, 'rx-slow', 'thon-2', { speed: 0.2, processing_delay_ms: 1500 });
    agents.push(slow);
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-slow')).body.status === 'online', 'online');
    const res = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-2'] } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await new Promise((r) => setTimeout(r, 20));
    expect((await tc.api('POST', '/api/broadcasts/stop', { hamlet_ids: ['thon-2'] })).status).toBe(202);
    const early = await coverageRow(tc, res.body.id, 'rx-slow');
    expect(early).toMatchObject({ outcome: 'waiting', reason: null });
    expect(early.stop_sent_at).toEqual(expect.any(String));
    const coverage = (await tc.api('GET', `/api/broadcasts/${res.body.id}/coverage`)).body;
    expect(coverage.totals).toMatchObject({ stopped: 0, stop_unconfirmed: 1 });
    expect(coverage.complete).toBe(false);
    // Once it has handled both, its own acks say what happened, and the stop is no longer pending.
    await waitFor(
      async () => (await coverageRow(tc, res.body.id, 'rx-slow'))?.reason === 'stopped',
      'its own word on the stop',
      20_000,
    );
    expect(await coverageRow(tc, res.body.id, 'rx-slow')).toMatchObject({ outcome: 'failed', stop_sent_at: null });
  }, 60_000);

  it('nor when it was re-enrolled meanwhile (a new memory: fresh copies are made only of what is still to play)', async () => {
    const first = await startTestAgent(tc, 'rx-new', 'thon-1', { speed: 0.2 });
    agents.push(first);
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-new')).body.status === 'online', 'online');
    await first.stop();
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-new')).body.status === 'offline', 'offline');
    const stopped = await send();
    expect((await tc.api('POST', `/api/broadcasts/${stopped}/stop`, {})).status).toBe(202);
    const silenced = await send();
    expect((await tc.api('POST', '/api/broadcasts/stop', { hamlet_ids: ['thon-1'] })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 20));
    const after = await send();

    // Re-enrolled (new credentials, a new replay memory), then back online.
    agents.push(await startTestAgent(tc, 'rx-new', 'thon-1', { speed: 0.2 }));
    await waitFor(
      async () => (await coverageRow(tc, after, 'rx-new'))?.outcome === 'finished',
      'the later broadcast',
      30_000,
    );
    await new Promise((r) => setTimeout(r, 3000));
    for (const id of [stopped, silenced]) {
      const row = await coverageRow(tc, id, 'rx-new');
      expect(['started', 'finished', 'playing'], `${id}: ${JSON.stringify(row)}`).not.toContain(row?.outcome);
      // It refused the old copy (older than its new memory), and a stopped item is never sent again:
      // that refusal is its answer, not "no answer" (outsider F, session 20).
      expect(row, id).toMatchObject({ outcome: 'rejected', reason: 'predates_memory', stop_sent_at: null });
    }
  }, 90_000);
});
