/**
 * A receiver back on a slow link gets what the broker kept for it in one burst: a broadcast's play,
 * then its stop, the stop's packet a moment after the play's. It must not start the play in
 * between: the desk stopped that broadcast, and for a fraction of a second the hamlet heard it
 * anyway, its row saying "stopped while playing" (seen in `stop-offline`, session 35). A broadcast
 * sent after the stop still plays.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { FileAgentStore } from '../../firmware-bridge/agent/agent-store.js';
import { SilentPlayer } from '../../firmware-bridge/agent/players.js';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow } from '../helpers/agents.js';
import { startSlowLink, type SlowLink } from '../helpers/slow-link.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let link: SlowLink;
let media: { id: string };
const agents: ReceiverAgent[] = [];

beforeAll(async () => {
  tc = await startTestController();
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
  link = await startSlowLink(tc.controller.mqttUrl);
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await link?.close();
  await tc?.close();
});

const send = async () => {
  const res = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-1'] } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};

describe('a stop in the burst a receiver gets when it comes back', () => {
  it('silences its play before it starts, on a slow link', async () => {
    const config = {
      ...(await enrolReceiver(tc.url, tc.token, 'rx-slow-link', 'thon-1', 'rx-slow-link')),
      mqtt_url: link.url,
      state_dir: join(tc.dir, 'rx-slow-link'),
    };
    const started: string[] = [];
    const agentOf = () => {
      const agent = new ReceiverAgent({
        config,
        store: new FileAgentStore(config.state_dir),
        player: new SilentPlayer(0.2),
        logger: pino({ level: 'silent' }),
      });
      agent.on('playing', (c: { broadcast_id: string }) => started.push(c.broadcast_id));
      agents.push(agent);
      return agent;
    };
    // Online once, and the audio cached: the play, when it comes, could start the moment it is read.
    const first = agentOf();
    await first.start();
    const warmup = await send();
    await waitFor(
      async () => (await coverageRow(tc, warmup, 'rx-slow-link'))?.outcome === 'finished',
      'warm-up',
      20_000,
    );
    await first.stop();
    await waitFor(
      async () => (await tc.api('GET', '/api/receivers/rx-slow-link')).body.status === 'offline',
      'offline',
    );

    // Away: a broadcast and its stop, then a stop of the hamlet after another, both queued at the broker.
    const stopped = await send();
    expect((await tc.api('POST', `/api/broadcasts/${stopped}/stop`, {})).status).toBe(202);
    const silenced = await send();
    expect((await tc.api('POST', '/api/broadcasts/stop', { hamlet_ids: ['thon-1'] })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 20)); // a later instant than the stop's
    const after = await send();

    await agentOf().start();
    await waitFor(
      async () => (await coverageRow(tc, after, 'rx-slow-link'))?.outcome === 'finished',
      'the later broadcast',
      30_000,
    );
    expect(started, 'what started after coming back').not.toContain(stopped);
    expect(started).not.toContain(silenced);
    expect(started).toContain(after);
    for (const id of [stopped, silenced]) {
      const row = await coverageRow(tc, id, 'rx-slow-link');
      // Stopped before it played: no start on record.
      expect(row, id).toMatchObject({ outcome: 'failed', reason: 'stopped' });
      expect(row.started_at, id).toBeNull();
    }
  }, 90_000);
});
