/**
 * A withdrawn emergency, and a broker that forgot the stop it kept: the receiver lost its power
 * mid-emergency, staff stopped it, and the broker restarted meanwhile (the embedded one with the
 * controller, Mosquitto without persistence), so its session and the kept stop are gone. On-air
 * recovery takes the emergency up again when the power comes back; the controller answers the
 * receiver's "online" with the stops it has not taken, and the receiver's start waits for that
 * answer: the withdrawn alarm never sounds. Before, nothing sent the stop again, and it played in full.
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { FileAgentStore } from '../../firmware-bridge/agent/agent-store.js';
import { SilentPlayer } from '../../firmware-bridge/agent/players.js';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow } from '../helpers/agents.js';
import { broadcastConfirmed, startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

const agents: ReceiverAgent[] = [];
const controllers: TestController[] = [];

afterAll(async () => {
  for (const a of agents) await a.stop().catch(() => {});
  for (const c of controllers) await c.close().catch(() => {});
});

describe('a stop the broker forgot', () => {
  it('is sent again when the receiver comes back, before what it held from the power cut plays', async () => {
    const first = await startTestController({}, { keepDir: true });
    controllers.push(first);
    const media = await uploadReadyTone(first.url, first.token, first.dir, 1);
    const config = {
      ...(await enrolReceiver(first.url, first.token, 'rx-1', 'thon-1', 'rx-1')),
      state_dir: join(first.dir, 'rx-1'),
    };
    const receiver = (mqttUrl: string) => {
      const agent = new ReceiverAgent({
        config: { ...config, mqtt_url: mqttUrl },
        store: new FileAgentStore(config.state_dir),
        player: new SilentPlayer(8), // the 1 s tone lasts 8 s: still on air when the power goes
        logger: pino({ level: 'silent' }),
      });
      agents.push(agent);
      return agent;
    };
    const before = receiver(config.mqtt_url);
    await before.start();
    const on = new Promise((resolve) => before.once('playing', resolve));
    const sent = await broadcastConfirmed(first, {
      media_id: media.id,
      priority: 'emergency',
      target: { receiver_ids: ['rx-1'] },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const id = sent.body.id;
    await on;
    await before.stop(); // the power goes mid-play
    await waitFor(async () => (await first.api('GET', '/api/receivers/rx-1')).body.status === 'offline', 'offline');
    expect((await first.api('POST', `/api/broadcasts/${id}/stop`, {})).status).toBe(202);

    // The broker restarts: the controller with it (its embedded broker), or Mosquitto without persistence.
    await first.close();
    const again = await startTestController({}, { dir: first.dir, keepDir: true });
    controllers.push(again);

    const back = receiver(again.controller.mqttUrl);
    const started: string[] = [];
    back.on('playing', (c: { broadcast_id: string }) => started.push(c.broadcast_id));
    await back.start();
    await waitFor(async () => (await coverageRow(again, id, 'rx-1'))?.reason === 'stopped', 'stopped', 20_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(started, 'the withdrawn alarm sounded after the power came back').toEqual([]);
  }, 90_000);
});
