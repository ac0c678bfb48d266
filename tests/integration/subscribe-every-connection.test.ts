/**
 * A link that closes between the broker's CONNACK and its SUBACK leaves Mosquitto a session
 * (clean: false) with no subscriptions; the next connection is told the session is present, and
 * mqtt.js, which remembers the topics it once asked for, asked again skips them. The client is
 * then connected and deaf: after a Mosquitto restart under 10,000 simulated receivers, 101-215 were
 * online at the controller and heard no command, an emergency included (2026-12-05). Both the
 * agent and the controller's own client subscribe on every connection. Real Mosquitto, behind a
 * relay that cuts a connection the moment its client sends SUBSCRIBE.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../controller/clock.js';
import { ControllerMqtt } from '../../controller/mqtt/mqtt-client.js';
import { controllerSubscriptions, topics } from '../../controller/protocol/index.js';
import { startMosquitto, startMosquittoWithOneReceiver } from '../helpers/mosquitto.js';
import { agentOnBroker } from '../helpers/agents.js';
import { onExternalBroker, startTestController } from '../helpers/test-controller.js';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { SilentPlayer } from '../../firmware-bridge/agent/players.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const PASSWORD = 'controller-broker-secret-for-this-test';
const RX_SECRET = 'receiver-secret-1-for-this-test';
/** The first byte of an MQTT SUBSCRIBE packet (type 8, flags 0010). */
const SUBSCRIBE = 0x82;

/** A TCP relay to the broker; `cutNextSubscribe()` has it close the next connection that sends SUBSCRIBE, before the broker sees it. */
async function relayTo(brokerPort: number): Promise<{ url: string; cutNextSubscribe(): void; cuts(): number }> {
  let armed = false;
  let cuts = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(brokerPort, '127.0.0.1');
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => {
      if (armed && chunk[0] === SUBSCRIBE) {
        armed = false;
        cuts++;
        return end();
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    for (const s of [client, upstream]) s.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  const port = (server.address() as { port: number }).port;
  return { url: `mqtt://127.0.0.1:${port}`, cutNextSubscribe: () => (armed = true), cuts: () => cuts };
}

async function mosquitto(dir: string) {
  const started = await startMosquittoWithOneReceiver(dir, PASSWORD, RX_SECRET);
  const port = started.port;
  let broker = started.broker;
  cleanups.push(() => broker.stop());
  return {
    port,
    /** Killed and started again: every session and retained message gone (no persistence). */
    async restart() {
      const gone = new Promise((r) => broker.process.once('exit', r));
      broker.process.kill('SIGKILL');
      await gone;
      broker = await startMosquitto(dir, port);
    },
  };
}

/** A bare client with the controller's account, to publish as the controller does. */
async function asController(port: number) {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    clientId: 'test-publisher',
    username: '_controller',
    password: PASSWORD,
    reconnectPeriod: 0,
  });
  cleanups.push(() => client.endAsync(true));
  return client;
}

describe('a link cut between CONNACK and SUBACK', () => {
  it('leaves the agent subscribed on its next connection, not online and deaf', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-subscribe-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const broker = await mosquitto(dir);
    const relay = await relayTo(broker.port);
    relay.cutNextSubscribe(); // the agent's first connection: the broker keeps a session with nothing in it
    const arrived: string[] = [];
    const agent = agentOnBroker({
      mqttUrl: relay.url,
      secret: RX_SECRET,
      stateDir: join(dir, 'agent'),
      onCommandArrived: (topic) => arrived.push(topic),
    });
    await agent.start();
    cleanups.push(() => agent.stop());
    await waitFor(() => relay.cuts() === 1 && agent.connected, 'the cut, and the agent back', 15_000);

    const controller = await asController(broker.port);
    // Its own topic and its hamlet's: a command on either reaches it (it refuses this one, unsigned).
    await waitFor(
      async () => {
        await controller.publishAsync(topics.receiverCommands('rx-1'), '{"probe":1}', { qos: 1 });
        await controller.publishAsync(topics.hamletCommands('thon-1'), '{"probe":2}', { qos: 1 });
        await new Promise((r) => setTimeout(r, 200));
        return arrived.includes(topics.receiverCommands('rx-1')) && arrived.includes(topics.hamletCommands('thon-1'));
      },
      'the agent hears its topics',
      10_000,
    );
    expect(relay.cuts()).toBe(1);
  }, 40_000);

  it("leaves the controller's own client subscribed to acks after a broker restart, not connected and deaf", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-subscribe-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const broker = await mosquitto(dir);
    const relay = await relayTo(broker.port);
    const acks: string[] = [];
    const link = new ControllerMqtt(
      { username: '_controller', password: PASSWORD, clientId: '_controller', keepSession: true, announce: true },
      pino({ level: 'silent' }),
      systemClock,
    );
    await link.start(relay.url, controllerSubscriptions, (topic, payload) => {
      if (topic === topics.ack('rx-1')) acks.push(payload.toString());
    });
    cleanups.push(() => link.stop());
    // The broker restarts (its sessions gone); the controller's first SUBSCRIBE after it is cut.
    relay.cutNextSubscribe();
    await broker.restart();
    await waitFor(() => relay.cuts() === 1, 'the cut', 15_000);
    await waitFor(() => link.connected, 'the controller back', 15_000);

    const receiver = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
      clientId: 'rx-1',
      username: 'rx-1',
      password: RX_SECRET,
      reconnectPeriod: 0,
    });
    cleanups.push(() => receiver.endAsync(true));
    await waitFor(
      async () => {
        await receiver.publishAsync(topics.ack('rx-1'), '{"probe":true}', { qos: 1 });
        await new Promise((r) => setTimeout(r, 200));
        return acks.length > 0;
      },
      'the controller hears acks',
      10_000,
    );
    expect(relay.cuts()).toBe(1);
  }, 40_000);
});

// aedes answers a subscription its rules refuse with 0x80 (Mosquitto grants it and delivers nothing).
describe.skipIf(onExternalBroker)('a subscription the broker refuses', () => {
  it('leaves an agent moved to another hamlet "online" at the controller, the refusal said in its log', async () => {
    const tc = await startTestController();
    cleanups.push(() => tc.close());
    const config = await enrolReceiver(tc.url, tc.token, 'rx-moved', 'thon-1', 'rx-moved');
    const errors: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => errors.push(JSON.parse(line).msg) });
    // Its agent still asks for Thôn Đoài's commands (moved in the controller, not yet on the device).
    const agent = new ReceiverAgent({
      config: { ...config, hamlet_id: 'thon-2', state_dir: join(tc.dir, 'rx-moved') },
      player: new SilentPlayer(0.01),
      logger,
    });
    await agent.start();
    cleanups.push(() => agent.stop());
    await waitFor(
      async () => (await tc.api('GET', '/api/receivers/rx-moved')).body.status === 'online',
      'online at the controller',
      10_000,
    );
    expect(errors).toContain('subscription refused by the broker');
  }, 30_000);
});
