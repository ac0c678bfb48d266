/**
 * Clock drift is said of a receiver whose clock is off, and of no other: a broadcast replayed to a
 * receiver after it waited five minutes on the way once opened a "clock drift" alert for a clock
 * that was right, and the alert never resolved (outsider, session 18). Real agents, a real broker;
 * the clocks are inputs (a fixed daytime commune clock, so the test passes at any hour).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

const started = Date.now();
const base = Date.parse('2026-12-03T03:00:00.000Z'); // 10:00 in Việt Nam: no quiet hours
let moved = 0; // both clocks moved on together (time that passed)
const controllerClock = { now: () => new Date(base + (Date.now() - started) + moved) };
let skew = 0; // rx-off's clock minus the controller's
const offClock = { now: () => new Date(controllerClock.now().getTime() + skew) };

let tc: TestController;
let media: { id: string };
const agents: ReceiverAgent[] = [];

beforeAll(async () => {
  tc = await startTestController({}, { overrides: { clock: controllerClock } });
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await tc?.close();
});

const receiver = async (id: string) => (await tc.api('GET', `/api/receivers/${id}`)).body;
const alerts = async (id: string, state: 'open' | 'resolved') =>
  ((await tc.api('GET', `/api/health/alerts?state=${state}`)).body as any[]).filter(
    (a) => a.receiver_id === id && a.rule === 'clock_drift',
  );
/** Asks for a health report and waits until the controller has it. */
async function report(agent: ReceiverAgent, id: string) {
  const before = tc.controller.presence.latestTelemetry(id);
  agent.reportHealthNow();
  await waitFor(async () => tc.controller.presence.latestTelemetry(id) !== before, 'the health report');
  return tc.controller.presence.latestTelemetry(id)!;
}
const broadcastTo = async (id: string) =>
  (
    await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { receiver_ids: [id] },
      priority: 'priority',
    })
  ).body;

describe('clock drift', () => {
  it('is not said of a right clock that was sent a broadcast which waited five minutes on the way', async () => {
    const agent = await startTestAgent(tc, 'rx-late', 'thon-1', { clock: controllerClock });
    agents.push(agent);
    await waitFor(async () => (await receiver('rx-late')).status === 'online', 'online');
    const back = new Promise<void>((r) => agent.once('connected', () => r()));
    agent.dropLink(2_000);
    await waitFor(async () => (await receiver('rx-late')).status === 'offline', 'the last will');
    const b = await broadcastTo('rx-late');
    moved += 5 * 60_000; // five minutes pass before it is back
    // Its health report as it takes the late command, before any fresh one (a receipt of its
    // acks) gives it a better sample: the report carries the estimate from the late command alone.
    const before = tc.controller.presence.latestTelemetry('rx-late');
    agent.once('ack', () => agent.reportHealthNow());
    await back;
    await waitFor(async () => tc.controller.presence.latestTelemetry('rx-late') !== before, 'the health report');
    const t = tc.controller.presence.latestTelemetry('rx-late')!;
    await waitFor(async () => (await coverageRow(tc, b.id, 'rx-late'))?.outcome === 'finished', 'played on return');
    expect(t.clock_offset_ms).toBeGreaterThan(4 * 60_000); // what the receiver estimated from the late command
    expect(await alerts('rx-late', 'open')).toEqual([]);
    // Its chart shows the judged offset, not the wait.
    const samples = (await tc.api('GET', '/api/receivers/rx-late/telemetry')).body as { data: any }[];
    expect(Math.abs(samples[0].data.clock_drift_ms)).toBeLessThan(5_000);
  });

  it('is said of a clock a minute ahead, once, and resolved when the clock is set right', async () => {
    const agent = await startTestAgent(tc, 'rx-off', 'thon-2', { clock: offClock });
    agents.push(agent);
    await waitFor(async () => (await receiver('rx-off')).status === 'online', 'online');
    skew = 60_000; // its clock ran ahead since it started
    const b = await broadcastTo('rx-off');
    await waitFor(async () => (await coverageRow(tc, b.id, 'rx-off'))?.outcome === 'finished', 'played');
    await report(agent, 'rx-off');
    await report(agent, 'rx-off');
    const open = await alerts('rx-off', 'open');
    expect(open).toHaveLength(1);
    expect(Number.parseInt(open[0].detail, 10)).toBeGreaterThan(55_000);
    skew = 0; // its clock is set right (NTP, or a technician)
    await report(agent, 'rx-off');
    expect(await alerts('rx-off', 'open')).toEqual([]);
    expect(await alerts('rx-off', 'resolved')).toHaveLength(1);
  });

  it('is said of a clock so far behind that it refuses every command as not yet valid, which is how it is known', async () => {
    skew = -200_000; // beyond the receivers' allowed skew (120 s)
    const agent = agents[1];
    const b = await broadcastTo('rx-off');
    // The controller sends it again while the receiver refuses it; the technician is told why.
    await waitFor(
      async () => (await coverageRow(tc, b.id, 'rx-off'))?.retrying === 'not_yet_valid',
      'refused as not yet valid',
    );
    await report(agent, 'rx-off');
    const open = await alerts('rx-off', 'open');
    expect(open).toHaveLength(1);
    expect(Number.parseInt(open[0].detail, 10)).toBeLessThan(-190_000);
  });
});
