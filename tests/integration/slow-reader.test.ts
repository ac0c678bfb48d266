/**
 * A receiver that stops reading its socket (a hung board, a saturated 4G link) must not stall
 * delivery to the others: its broker session fills, theirs do not, and an emergency still
 * reaches every other receiver at once.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { topics } from '../../controller/protocol/topics.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { uploadReadyTone } from '../helpers/audio.js';
import {
  brokerClientAsController,
  broadcastConfirmed,
  startTestController,
  type TestController,
} from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
const agents: ReceiverAgent[] = [];
let stuck: MqttClient;

beforeAll(async () => {
  tc = await startTestController();
  agents.push(await startTestAgent(tc, 'rx-ok-1', 'thon-1'), await startTestAgent(tc, 'rx-ok-2', 'thon-2'));
  const config = await enrolReceiver(tc.url, tc.token, 'rx-stuck', 'thon-1', 'rx-stuck');
  stuck = await mqtt.connectAsync(tc.controller.mqttUrl, {
    clientId: 'rx-stuck',
    username: 'rx-stuck',
    password: config.secret,
    protocolVersion: 4,
    clean: false,
    reconnectPeriod: 0,
  });
  await stuck.subscribeAsync(topics.hamletCommands('thon-1'), { qos: 1 });
  // From now on it reads nothing: TCP backs up to the broker.
  (stuck as any).stream.pause();
});
afterAll(async () => {
  for (const a of agents) await a.stop();
  (stuck as any)?.stream?.destroy();
  await tc?.close();
});

describe('a receiver that stops reading', () => {
  it('does not stall delivery to the others, and an emergency still reaches them', async () => {
    const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
    // Megabytes to the stuck receiver's hamlet (refused as malformed by those who read them):
    // its TCP window and its broker queue fill and stay full.
    const controllerClient = await brokerClientAsController(tc);
    const filler = JSON.stringify({ filler: 'x'.repeat(60_000) });
    await Promise.all(
      Array.from({ length: 200 }, () =>
        controllerClient.publishAsync(topics.hamletCommands('thon-1'), filler, { qos: 1 }),
      ),
    );
    await controllerClient.endAsync();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const b = await tc.api('POST', '/api/broadcasts', {
        media_id: media.id,
        target: { hamlet_ids: ['thon-1'] },
        expires_in_s: 600,
      });
      expect(b.status).toBe(201);
      ids.push(b.body.id);
    }
    await waitFor(
      async () => (await coverageRow(tc, ids.at(-1)!, 'rx-ok-1')).outcome === 'finished',
      'the healthy receiver of the same hamlet to keep up',
      60_000,
    );
    const emergency = await broadcastConfirmed(tc, {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1', 'thon-2'] },
      priority: 'emergency',
      repeat_count: 1,
    });
    expect(emergency.status).toBe(201);
    for (const id of ['rx-ok-1', 'rx-ok-2']) {
      await waitFor(
        async () => ['playing', 'finished'].includes((await coverageRow(tc, emergency.body.id, id)).outcome),
        `${id} to start the emergency`,
        20_000,
      );
    }
    expect((await coverageRow(tc, emergency.body.id, 'rx-stuck')).outcome).toBe('waiting');
    expect(tc.controller.health()).toMatchObject({ mqtt_connected: true });
  }, 120_000);
});
