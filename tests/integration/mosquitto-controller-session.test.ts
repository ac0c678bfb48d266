/**
 * With an external Mosquitto, the controller keeps its session across a restart: an ack a receiver
 * sends while the controller is away is queued for it by the broker and delivered when it is back,
 * not answered and dropped (its receiver would send it again only 20-30 s later: an outsider saw an
 * emergency's acks stored 34 s late after killing the controller, 2026-12-05). Real Mosquitto from
 * Debian, the controller's own MQTT client, a bare receiver on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ControllerMqtt } from '../../controller/mqtt/mqtt-client.js';
import { controllerSubscriptions, topics } from '../../controller/protocol/topics.js';
import { systemClock } from '../../controller/clock.js';
import { startMosquittoWithOneReceiver } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("the controller's session on an external Mosquitto", () => {
  it('gets the acks sent while it was away as soon as it is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-session-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const password = 'controller-broker-secret-for-this-test';
    const { broker, url } = await startMosquittoWithOneReceiver(dir, password, 'receiver-secret-1');
    cleanups.push(() => broker.stop());
    const log = pino({ level: 'silent' });
    const startController = async (seen: number[]) => {
      const link = new ControllerMqtt(
        { username: '_controller', password, clientId: 'tt-controller-test', keepSession: true },
        log,
        systemClock,
      );
      await link.start(url, controllerSubscriptions, (topic, payload) => {
        if (topic === topics.ack('rx-1')) seen.push(JSON.parse(payload.toString()).seq);
      });
      return link;
    };
    const first: number[] = [];
    const before = await startController(first);
    const rx = await mqtt.connectAsync(url, {
      clientId: 'rx-1',
      username: 'rx-1',
      password: 'receiver-secret-1',
      protocolVersion: 4,
    });
    cleanups.push(() => rx.endAsync(true));
    const send = (seq: number) => rx.publishAsync(topics.ack('rx-1'), JSON.stringify({ seq }), { qos: 1 });
    await send(1);
    await waitFor(() => first.includes(1), 'the first ack at the controller');
    await before.stop(); // the controller goes away
    await send(2); // answered by the broker meanwhile
    const second: number[] = [];
    const after = await startController(second);
    cleanups.push(() => after.stop());
    await waitFor(() => second.includes(2), 'the ack sent while the controller was away', 5_000);
    expect(second).not.toContain(1);
  }, 30_000);
});
