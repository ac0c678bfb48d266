/**
 * The embedded broker's thread keeps a copy of the controller's urgent commands (an emergency's
 * plays, stops: controller/protocol/urgency.ts), given at its start and as they are noted, and its
 * ack gate lets their acks through while it holds the others. Real worker thread, real aedes, real
 * clients on 127.0.0.1, the gate's marks set low (as in broker-ack-gate.test.ts): the controller's
 * client stops reading its socket while receivers send their backlogs, so the gate holds for good.
 */
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../../controller/mqtt/embedded-broker.js';
import { CONTROLLER_USERNAME } from '../../controller/mqtt/broker-acl.js';
import { hashSecret, type ReceiverCredential } from '../../controller/mqtt/broker-credentials.js';
import { UrgentCommands } from '../../controller/protocol/urgency.js';
import { controllerSubscriptions, topics } from '../../controller/protocol/topics.js';
import { waitFor, waitForSteady } from '../helpers/wait.js';
import { connectReceivers, pausedController } from '../helpers/gate-clients.js';

let broker: EmbeddedBroker | undefined;
const clients: mqtt.MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await broker?.stop();
  broker = undefined;
});

const FLOODING = 37;
const ACKS_EACH = 150;

describe("the embedded broker's copy of the urgent commands", () => {
  it('lets the acks of urgent commands noted before and after its start through its held gate, and holds a normal one', async () => {
    const secrets = Array.from({ length: FLOODING + 3 }, () => randomBytes(24).toString('base64url'));
    const receivers: ReceiverCredential[] = secrets.map((secret, i) => ({
      id: `rx-${i}`,
      secret_hash: hashSecret(secret),
      hamlet_id: 'thon-1',
    }));
    const urgent = new UrgentCommands();
    urgent.note({ command_id: 'stop-before-start', type: 'stop' });
    broker = new EmbeddedBroker(
      {
        controllerSecret: 'controller-secret',
        all: () => receivers,
        one: (id) => receivers.find((r) => r.id === id),
      },
      pino({ level: 'silent' }),
      { host: '127.0.0.1', port: 0 },
      { holdAbove: 200, releaseBelow: 100 },
    );
    broker.followUrgent(urgent);
    const url = `mqtt://127.0.0.1:${await broker.start()}`;
    urgent.note({ command_id: 'emergency-after-start', type: 'play', priority: 'emergency' });

    let delivered = 0;
    const controller = await pausedController(url, () => delivered++);
    const rx = await connectReceivers(url, secrets);
    clients.push(controller.client, ...rx);

    let floodAnswered = 0;
    const flood = JSON.stringify({ command_id: 'normal-command', pad: 'x'.repeat(2_000) });
    for (let i = 0; i < FLOODING; i++)
      for (let k = 0; k < ACKS_EACH; k++)
        rx[i].publish(topics.ack(`rx-${i}`), flood, { qos: 1 }, () => floodAnswered++);
    // Held for good: no answer for a while, and not every ack answered.
    await waitForSteady(() => floodAnswered, 'the gate holding acks for good');
    expect(floodAnswered).toBeLessThan(FLOODING * ACKS_EACH);

    const answered: string[] = [];
    const send = (i: number, commandId: string) =>
      rx[i].publish(
        topics.ack(`rx-${i}`),
        JSON.stringify({ v: 1, receiver_id: `rx-${i}`, seq: 1, command_id: commandId, stage: 'received' }),
        { qos: 1 },
        () => answered.push(commandId),
      );
    send(FLOODING, 'stop-before-start');
    send(FLOODING + 1, 'emergency-after-start');
    send(FLOODING + 2, 'normal-command');
    await waitFor(() => answered.length >= 2, 'the urgent acks answered', 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(answered.sort()).toEqual(['emergency-after-start', 'stop-before-start']);

    controller.resume();
    await waitFor(() => delivered === FLOODING * ACKS_EACH + 3, 'every ack delivered to the controller', 90_000);
    expect(answered).toContain('normal-command');
  }, 180_000);

  it('answers no ack before the controller takes acks, nor while it is away, and delivers each once it is back', async () => {
    const secret = randomBytes(24).toString('base64url');
    const receivers: ReceiverCredential[] = [{ id: 'rx-0', secret_hash: hashSecret(secret), hamlet_id: 'thon-1' }];
    broker = new EmbeddedBroker(
      { controllerSecret: 'controller-secret', all: () => receivers, one: (id) => receivers.find((r) => r.id === id) },
      pino({ level: 'silent' }),
      { host: '127.0.0.1', port: 0 },
    );
    const url = `mqtt://127.0.0.1:${await broker.start()}`;
    const rx = await mqtt.connectAsync(url, {
      clientId: 'rx-0',
      username: 'rx-0',
      password: secret,
      protocolVersion: 4,
    });
    clients.push(rx);
    const answered: number[] = [];
    const send = (seq: number) =>
      rx.publish(topics.ack('rx-0'), JSON.stringify({ v: 1, receiver_id: 'rx-0', seq }), { qos: 1 }, () =>
        answered.push(seq),
      );
    // A controller restarting: the broker is up, the controller not yet subscribed.
    send(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(answered).toEqual([]);
    const connectController = async () => {
      const controller = await mqtt.connectAsync(url, {
        clientId: 'controller',
        username: CONTROLLER_USERNAME,
        password: 'controller-secret',
        protocolVersion: 4,
      });
      const delivered: number[] = [];
      controller.on('message', (_topic, payload) => delivered.push(JSON.parse(payload.toString()).seq));
      await controller.subscribeAsync([...controllerSubscriptions], { qos: 1 });
      return { controller, delivered };
    };
    const first = await connectController();
    await waitFor(() => first.delivered.includes(1), 'the held ack delivered once the controller took acks', 10_000);
    expect(answered).toEqual([1]);
    // The controller goes away (killed): acks are held again until it is back.
    await first.controller.endAsync(true);
    await new Promise((r) => setTimeout(r, 300));
    send(2);
    await new Promise((r) => setTimeout(r, 500));
    expect(answered).toEqual([1]);
    const second = await connectController();
    clients.push(second.controller);
    await waitFor(
      () => second.delivered.includes(2),
      'the ack sent meanwhile delivered to the controller back',
      10_000,
    );
    expect(answered).toEqual([1, 2]);
  }, 60_000);
});
