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
import type mqtt from 'mqtt';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AedesBroker } from '../../controller/mqtt/aedes-broker.js';
import { CredentialTable, hashSecret } from '../../controller/mqtt/broker-credentials.js';
import { topics } from '../../controller/protocol/topics.js';
import { UrgentCommands } from '../../controller/protocol/urgency.js';
import { waitFor, waitForSteady } from '../helpers/wait.js';
import { connectReceivers, pausedController } from '../helpers/gate-clients.js';

let broker: AedesBroker | undefined;
const clients: mqtt.MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await broker?.stop();
  broker = undefined;
});

const RECEIVERS = 40;
const ACKS_EACH = 150;

/**
 * An aedes with the ack gate's marks low enough for 40 receivers to pass (the product's are 2,000
 * and 1,000), its paused controller and its receivers.
 */
async function gateWithClients(onControllerMessage: (payload: Buffer) => void, urgent?: UrgentCommands) {
  const secrets = Array.from({ length: RECEIVERS }, () => randomBytes(24).toString('base64url'));
  const table = new CredentialTable(
    'controller-secret',
    secrets.map((secret, i) => ({ id: `rx-${i}`, secret_hash: hashSecret(secret), hamlet_id: 'thon-1' })),
  );
  broker = new AedesBroker(table, pino({ level: 'silent' }), { host: '127.0.0.1', port: 0 }, undefined, {
    marks: { holdAbove: 200, releaseBelow: 100 },
    urgent,
  });
  const url = `mqtt://127.0.0.1:${await broker.start()}`;
  const controller = await pausedController(url, onControllerMessage);
  const receivers = await connectReceivers(url, secrets);
  clients.push(controller.client, ...receivers);
  return { broker, controller, receivers };
}

describe("the embedded broker's ack gate", () => {
  it('holds acks while their routing backlog is long, and answers and delivers every one once the controller takes acks in again', async () => {
    let received = 0;
    const { broker, controller, receivers } = await gateWithClients(() => received++);
    // Each receiver sends its whole backlog at once, as a receiver without the agent's pacing does.
    const total = RECEIVERS * ACKS_EACH;
    const payload = JSON.stringify({ pad: 'x'.repeat(2_000) });
    let answered = 0;
    receivers.forEach((r, i) => {
      for (let k = 0; k < ACKS_EACH; k++) r.publish(topics.ack(`rx-${i}`), payload, { qos: 1 }, () => answered++);
    });

    // Acks are answered until the backlog is long, then held.
    await waitFor(() => broker.heldAcks > 0, 'the gate holding acks', 20_000);
    expect(answered).toBeLessThan(total);

    // The controller reads again: every ack is answered and delivered, none lost.
    controller.resume();
    await waitFor(() => answered === total, 'every ack answered', 60_000);
    expect(broker.heldAcks).toBe(0);
    await waitFor(() => received === total, 'every ack delivered to the controller', 60_000);
  }, 120_000);

  it("lets an emergency's ack and a stopped ack through while it holds the others, and holds a normal one sent with them", async () => {
    const urgent = new UrgentCommands();
    urgent.note({ command_id: 'emergency-command', type: 'play', priority: 'emergency' });
    let delivered = 0;
    const { broker, controller, receivers } = await gateWithClients(() => delivered++, urgent);
    const flood = JSON.stringify({ command_id: 'normal-command', pad: 'x'.repeat(2_000) });
    // The last three send nothing before: aedes reads a client's packets in order, so an ack behind
    // one the gate holds waits for it (the agent has at most two others in flight before it).
    const flooding = RECEIVERS - 3;
    receivers.slice(0, flooding).forEach((r, i) => {
      for (let k = 0; k < ACKS_EACH; k++) r.publish(topics.ack(`rx-${i}`), flood, { qos: 1 });
    });
    // Held for good: the controller's socket is full, so the backlog no longer drains.
    await waitForSteady(() => broker.heldAcks, 'the gate holding acks for good', 100, 30_000);

    // As the agents write them (JSON.stringify): the emergency's ack names its command.
    const answered: string[] = [];
    const send = (i: number, ack: object, name: string) =>
      receivers[i].publish(topics.ack(`rx-${i}`), JSON.stringify(ack), { qos: 1 }, () => answered.push(name));
    const [e, st, n] = [flooding, flooding + 1, flooding + 2];
    send(e, { v: 1, receiver_id: `rx-${e}`, seq: 9, command_id: 'emergency-command', stage: 'received' }, 'emergency');
    send(st, { v: 1, receiver_id: `rx-${st}`, seq: 9, command_id: 'normal-command', reason: 'stopped' }, 'stopped');
    send(n, { v: 1, receiver_id: `rx-${n}`, seq: 9, command_id: 'normal-command', reason: null }, 'normal');
    await waitFor(() => answered.length >= 2, 'the urgent acks answered', 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(answered.sort()).toEqual(['emergency', 'stopped']); // the normal one is still held
    expect(broker.heldAcks).toBeGreaterThan(0);

    controller.resume();
    await waitFor(() => delivered === flooding * ACKS_EACH + 3, 'every ack delivered to the controller', 60_000);
    expect(answered).toContain('normal');
    expect(broker.heldAcks).toBe(0);
  }, 120_000);
});
