/**
 * The controller on a real, external Mosquitto: it keeps Mosquitto's password and ACL files in
 * step with enrolments and revocations, and Mosquitto then enforces the same permission table
 * as the embedded broker. A whole broadcast runs through it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROLLER_STATUS_TOPIC, topics } from '../../controller/protocol/topics.js';
import { Fleet } from '../../firmware-bridge/simulator/fleet.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { startControllerMosquitto, type startMosquitto } from '../helpers/mosquitto.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let broker: Awaited<ReturnType<typeof startMosquitto>>;
let fleet: Fleet;
let port: number;
let controllerPassword: string;
const clients: MqttClient[] = [];

async function connect(username: string, password: string, clientId = username) {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    username,
    password,
    clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 3000,
  });
  clients.push(c);
  return c;
}
const refused = (username: string, password: string) =>
  connect(username, password).then(
    () => false,
    () => true,
  );

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tt-mosq-'));
  const own = await startControllerMosquitto(dir);
  ({ broker, port, password: controllerPassword } = own);
  tc = await startTestController({ mqtt: own.mqtt }, { dir });
  fleet = new Fleet({
    controllerUrl: tc.url,
    token: tc.token,
    hamlets: ['thon-1', 'thon-2'],
    perHamlet: 2,
    stateDir: join(dir, 'agents'),
    store: 'file',
    speed: 0.05,
  });
  await fleet.start();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})));
  await fleet?.stop();
  await tc?.close();
  await broker?.stop();
});

describe('external Mosquitto', () => {
  it('carries a whole broadcast: only the chosen hamlet plays, every ack is stored', async () => {
    expect(tc.controller.health()).toMatchObject({ broker: 'external', mqtt_connected: true });
    const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
    const b = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-2'] } });
    expect(b.status).toBe(201);
    const coverage = await waitFor(async () => {
      const c = (await tc.api('GET', `/api/broadcasts/${b.body.id}/coverage`)).body;
      return c.totals.finished === 2 ? c : undefined;
    }, 'both thon-2 receivers to finish');
    expect(coverage.hamlets.map((h: any) => h.hamlet_id)).toEqual(['thon-2']);
    await waitFor(() => fleet.agents.every((a) => a.pendingAckCount() === 0), 'receipts through Mosquitto');
  });

  it("refuses wrong credentials and does not let one receiver take over another's session", async () => {
    const alice = await tc.api('POST', '/api/receivers', { id: 'rx-alice', hamlet_id: 'thon-1', name: 'Alice' });
    const bob = await tc.api('POST', '/api/receivers', { id: 'rx-bob', hamlet_id: 'thon-2', name: 'Bob' });
    const aliceSecret = alice.body.agent_config.secret;
    await waitFor(
      () =>
        connect('rx-alice', aliceSecret).then(
          (c) => c.endAsync().then(() => true),
          () => false,
        ),
      'Mosquitto to reload its files',
      10_000,
      200,
    );
    expect(await refused('rx-alice', 'wrong')).toBe(true);
    expect(await refused('rx-nobody', aliceSecret)).toBe(true);
    const a = await connect('rx-alice', aliceSecret);
    // use_username_as_clientid: Bob asking for Alice's client id still gets his own session.
    await connect('rx-bob', bob.body.agent_config.secret, 'rx-alice');
    await new Promise((r) => setTimeout(r, 300));
    expect(a.connected).toBe(true);
  });

  it("delivers to a receiver only its own and its hamlet's commands, even when it subscribes to #", async () => {
    const alice = await tc.api('POST', '/api/receivers/rx-alice/enrol');
    const secret = alice.body.agent_config.secret;
    const client = await waitFor(
      () => connect('rx-alice', secret).catch(() => undefined),
      'the rotated secret to be accepted',
      10_000,
      200,
    );
    const received: string[] = [];
    client.on('message', (topic) => received.push(topic));
    await client.subscribeAsync(['#', '$SYS/#', 'tt/v1/#'], { qos: 1 }).catch(() => {});
    const controller = await brokerClientAsControllerExternal();
    for (const t of [
      topics.receiverCommands('rx-alice'),
      topics.hamletCommands('thon-1'),
      topics.receiverCommands('rx-bob'),
      topics.hamletCommands('thon-2'),
    ]) {
      await controller.publishAsync(t, '{}', { qos: 1 });
    }
    await waitFor(() => received.length >= 2, 'own topics to arrive');
    await new Promise((r) => setTimeout(r, 300));
    expect(received.filter((t) => t.startsWith('tt/v1/cmd/')).sort()).toEqual([
      topics.hamletCommands('thon-1'),
      topics.receiverCommands('rx-alice'),
    ]);
    // And the controller's availability, retained for every receiver.
    expect(received).toContain(CONTROLLER_STATUS_TOPIC);
    // Its rules load without a warning at start or at the enrolment's reload: a technician reading
    // Mosquitto's log in an outage must not take a warning on every start for the fault.
    expect(broker.log()).toMatch(/Reloading config/);
    expect(broker.log()).not.toMatch(/[Ww]arning: ACL pattern/);
  });

  it("drops a receiver's publish on another receiver's topic: nothing reaches the controller", async () => {
    const alice = await tc.api('POST', '/api/receivers/rx-alice/enrol');
    const client = await waitFor(
      () => connect('rx-alice', alice.body.agent_config.secret).catch(() => undefined),
      'reload',
      10_000,
      200,
    );
    const before = tc.controller.health().acks;
    const ack = {
      v: 1,
      receiver_id: 'rx-bob',
      seq: 0,
      command_id: crypto.randomUUID(),
      broadcast_id: null,
      stage: 'finished',
      at: new Date().toISOString(),
      reason: null,
      detail: null,
    };
    await client.publishAsync(topics.ack('rx-bob'), JSON.stringify(ack), { qos: 1 });
    await client.publishAsync(topics.hamletCommands('thon-1'), '{"forged":true}', { qos: 1 });
    await new Promise((r) => setTimeout(r, 500));
    const after = tc.controller.health().acks;
    expect(after.unknown_command + after.malformed + after.stored).toBe(
      before.unknown_command + before.malformed + before.stored,
    );
  });

  it('refuses a revoked receiver once Mosquitto has reloaded', async () => {
    const carol = await tc.api('POST', '/api/receivers', { id: 'rx-carol', hamlet_id: 'thon-1', name: 'Carol' });
    const secret = carol.body.agent_config.secret;
    await waitFor(
      () =>
        connect('rx-carol', secret).then(
          () => true,
          () => false,
        ),
      'enrolment to reach Mosquitto',
      10_000,
      200,
    );
    expect((await tc.api('DELETE', '/api/receivers/rx-carol')).status).toBe(204);
    await waitFor(() => refused('rx-carol', secret), 'revocation to reach Mosquitto', 10_000, 200);
  });
});

async function brokerClientAsControllerExternal() {
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    username: '_controller',
    password: controllerPassword,
    clientId: 'test-publisher',
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  clients.push(c);
  return c;
}
