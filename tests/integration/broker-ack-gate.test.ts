/**
 * The embedded broker holds its PUBACK to receivers' acks while its routing backlog is long
 * (controller/mqtt/ack-gate.ts): aedes answers before it routes, so without the gate a controller
 * slow to take acks in left every ack read and answered in the broker's heap (94,000 at 10,000
 * receivers, and the broker's thread ran out). What the gate saves is measured by the scale bench;
 * this checks, with real aedes and real clients on 127.0.0.1, that it engages when the backlog is
 * long and that an ack it holds is never lost nor held for ever: the controller's client stops
 * reading its socket while 40 receivers send their backlogs at once, then reads again.
 */
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AedesBroker } from '../../controller/mqtt/aedes-broker.js';
import { CONTROLLER_USERNAME } from '../../controller/mqtt/broker-acl.js';
import { CredentialTable, hashSecret } from '../../controller/mqtt/broker-credentials.js';
import { controllerSubscriptions, topics } from '../../controller/protocol/topics.js';
import { waitFor } from '../helpers/wait.js';

let broker: AedesBroker | undefined;
const clients: mqtt.MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await broker?.stop();
  broker = undefined;
});

const RECEIVERS = 40;
const ACKS_EACH = 150;

describe("the embedded broker's ack gate", () => {
  it('holds acks while their routing backlog is long, and answers and delivers every one once the controller takes acks in again', async () => {
    const secrets = Array.from({ length: RECEIVERS }, () => randomBytes(24).toString('base64url'));
    const table = new CredentialTable(
      'controller-secret',
      secrets.map((secret, i) => ({ id: `rx-${i}`, secret_hash: hashSecret(secret), hamlet_id: 'thon-1' })),
    );
    // Marks low enough for 40 receivers to pass (the product's are 2,000 and 1,000).
    broker = new AedesBroker(table, pino({ level: 'silent' }), { host: '127.0.0.1', port: 0 }, undefined, {
      holdAbove: 200,
      releaseBelow: 100,
    });
    const port = await broker.start();
    const url = `mqtt://127.0.0.1:${port}`;
    const controller = await mqtt.connectAsync(url, {
      clientId: 'controller',
      username: CONTROLLER_USERNAME,
      password: 'controller-secret',
      protocolVersion: 4,
    });
    clients.push(controller);
    let received = 0;
    controller.on('message', () => received++);
    await controller.subscribeAsync(controllerSubscriptions[1], { qos: 1 });
    // The controller stops taking acks in: its socket is no longer read.
    const stream = (controller as unknown as { stream: NodeJS.ReadableStream }).stream;
    stream.pause();

    // Each receiver sends its whole backlog at once, as a receiver without the agent's pacing does.
    const total = RECEIVERS * ACKS_EACH;
    const payload = JSON.stringify({ pad: 'x'.repeat(2_000) });
    let answered = 0;
    await Promise.all(
      secrets.map(async (secret, i) => {
        const receiver = await mqtt.connectAsync(url, {
          clientId: `rx-${i}`,
          username: `rx-${i}`,
          password: secret,
          protocolVersion: 4,
        });
        clients.push(receiver);
        for (let k = 0; k < ACKS_EACH; k++)
          receiver.publish(topics.ack(`rx-${i}`), payload, { qos: 1 }, () => answered++);
      }),
    );

    // Acks are answered until the backlog is long, then held.
    await waitFor(() => broker!.heldAcks > 0, 'the gate holding acks', 20_000);
    expect(answered).toBeLessThan(total);

    // The controller reads again: every ack is answered and delivered, none lost.
    stream.resume();
    await waitFor(() => answered === total, 'every ack answered', 60_000);
    expect(broker.heldAcks).toBe(0);
    await waitFor(() => received === total, 'every ack delivered to the controller', 60_000);
  }, 120_000);
});
