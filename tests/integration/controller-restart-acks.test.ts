/**
 * A controller killed after it took an ack in but before it stored it: with an external broker the
 * receiver's link stays up and the broker counts the ack delivered, so it came back only when the
 * receiver's resend came round, 20-30 s later (an outsider saw emergency acks stored 28 s late,
 * 2026-12-05). The controller now announces each boot (retained, with a last will); a receiver that
 * sees a new boot sends its unreceipted acks again at once. Real Mosquitto, a real agent, the
 * controller's own MQTT client; and the whole controller, on either broker, announcing itself.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../controller/clock.js';
import { ControllerMqtt } from '../../controller/mqtt/mqtt-client.js';
import { CommandSigner } from '../../controller/protocol/signing.js';
import {
  CONTROLLER_STATUS_TOPIC,
  controllerStatusSchema,
  controllerSubscriptions,
  PROTOCOL_VERSION,
  topics,
} from '../../controller/protocol/index.js';
import { FileAgentStore } from '../../firmware-bridge/agent/agent-store.js';
import { SilentPlayer } from '../../firmware-bridge/agent/players.js';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { startMosquitto, startMosquittoWithOneReceiver } from '../helpers/mosquitto.js';
import { startTestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const log = pino({ level: 'silent' });
const PASSWORD = 'controller-broker-secret-for-this-test';
const RX_SECRET = 'receiver-secret-1-for-this-test';

/** The controller's MQTT client on Mosquitto, as the product runs it there; `seqs` gets each ack's number. */
async function controllerOn(url: string, seqs: number[]): Promise<ControllerMqtt> {
  const link = new ControllerMqtt(
    { username: '_controller', password: PASSWORD, clientId: 'tt-controller-test', keepSession: true, announce: true },
    log,
    systemClock,
  );
  await link.start(url, controllerSubscriptions, (topic, payload) => {
    if (topic === topics.ack('rx-1')) seqs.push(JSON.parse(payload.toString()).seq);
  });
  return link;
}

/** The process dies: no DISCONNECT, no goodbye, so the broker sends the last will. */
function kill(link: ControllerMqtt): void {
  const client = (link as unknown as { client: mqtt.MqttClient }).client;
  client.options.reconnectPeriod = 0;
  client.stream.destroy();
  client.end(true);
}

/** A real agent for rx-1 whose own resend never comes round here (an hour): only the controller's announcement brings an ack again. */
async function agentOn(url: string, controllerKey: string, stateDir: string): Promise<ReceiverAgent> {
  const agent = new ReceiverAgent({
    config: {
      receiver_id: 'rx-1',
      hamlet_id: 'thon-1',
      mqtt_url: url,
      secret: RX_SECRET,
      controller_public_keys: [controllerKey],
      state_dir: stateDir,
      player: { kind: 'silent', speed: 1 },
      max_clock_skew_s: 120,
      telemetry_interval_s: 3600,
    },
    store: new FileAgentStore(stateDir),
    player: new SilentPlayer(0.01),
    logger: log,
    resend_after_ms: 3_600_000,
  });
  await agent.start();
  cleanups.push(() => agent.stop());
  return agent;
}

/** A signed stop for rx-1: the receiver takes it and acknowledges it (its ack 0). */
function stopFor(signer: CommandSigner) {
  const now = Date.now();
  return signer.sign({
    v: PROTOCOL_VERSION,
    command_id: randomUUID(),
    issued_at: new Date(now).toISOString(),
    expires_at: new Date(now + 600_000).toISOString(),
    target: { kind: 'receiver' as const, id: 'rx-1' },
    type: 'stop' as const,
    broadcast_id: null,
  });
}

/** Mosquitto with rx-1 enrolled, in a folder of its own. */
async function mosquittoFor(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const mosquitto = await startMosquittoWithOneReceiver(dir, PASSWORD, RX_SECRET);
  cleanups.push(() => mosquitto.broker.stop());
  return { dir, ...mosquitto };
}

describe('a controller killed holding acks it had not stored', () => {
  it('gets them again from the receivers as soon as it is back, not at their next resend', async () => {
    const { dir, url } = await mosquittoFor('tt-restart-acks-');

    const firstSeen: number[] = [];
    const first = await controllerOn(url, firstSeen);
    const { signer } = CommandSigner.generate();
    await agentOn(url, signer.publicKeyPem, join(dir, 'agent'));

    // A stop the receiver takes and acknowledges (ack 0); the controller takes the ack in, sends no receipt, and dies.
    await first.publish(topics.receiverCommands('rx-1'), JSON.stringify(stopFor(signer)));
    await waitFor(() => firstSeen.includes(0), 'the ack at the first controller');
    // Nonsense on the controller's availability topic changes nothing and harms nothing.
    for (const junk of ['{not json', '{"v":1,"state":"online","boot":""}', '{"v":9}', 'x'.repeat(70_000)])
      await first.publish(CONTROLLER_STATUS_TOPIC, junk);
    await new Promise((r) => setTimeout(r, 300));
    expect(firstSeen).toEqual([0]);
    kill(first);

    const secondSeen: number[] = [];
    const second = await controllerOn(url, secondSeen);
    cleanups.push(() => second.stop());
    expect(second.boot).not.toBe(first.boot);
    await waitFor(() => secondSeen.includes(0), 'the unstored ack at the controller started again', 10_000);

    // The same controller losing its link and coming back is no new boot: nothing is sent again.
    const client = (second as unknown as { client: mqtt.MqttClient }).client;
    client.stream.destroy();
    await waitFor(() => client.connected, 'the controller connected again');
    await new Promise((r) => setTimeout(r, 1500));
    expect(secondSeen.filter((s) => s === 0)).toHaveLength(1);
  }, 40_000);
});

describe("the controller's availability", () => {
  it('is retained for every receiver to hear, and only the controller can say it', async () => {
    const tc = await startTestController();
    cleanups.push(() => tc.close());
    const config = await enrolReceiver(tc.url, tc.token, 'rx-watch', 'thon-1', 'rx-watch');
    const rx = await mqtt.connectAsync(config.mqtt_url, {
      clientId: 'rx-watch',
      username: 'rx-watch',
      password: config.secret,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    cleanups.push(() => rx.endAsync(true));
    const heard: unknown[] = [];
    rx.on('message', (topic, payload) => {
      if (topic === CONTROLLER_STATUS_TOPIC) heard.push(controllerStatusSchema.parse(JSON.parse(payload.toString())));
    });
    const granted = await rx.subscribeAsync(CONTROLLER_STATUS_TOPIC, { qos: 1 });
    expect(granted[0].qos).toBe(1);
    await waitFor(() => heard.length > 0, "the controller's retained availability");
    expect(heard[0]).toMatchObject({ state: 'online', boot: tc.controller.mqtt.boot });
    // A receiver may only listen: it cannot speak for the controller.
    const forged = { v: PROTOCOL_VERSION, state: 'online', boot: 'forged', at: new Date().toISOString() };
    const forging = rx.publishAsync(CONTROLLER_STATUS_TOPIC, JSON.stringify(forged), { qos: 1, retain: true });
    // Denied: the embedded broker closes the connection; Mosquitto answers and drops it.
    await Promise.race([forging.catch(() => {}), new Promise((r) => setTimeout(r, 1000))]);
    await new Promise((r) => setTimeout(r, 500));
    expect(heard).not.toContainEqual(expect.objectContaining({ boot: 'forged' }));
  }, 30_000);
});

describe('a broker restarted without its sessions', () => {
  it('gets the acks a receiver sent before the controller was back on it, when the controller announces its new session', async () => {
    const { dir, port, broker, url } = await mosquittoFor('tt-broker-restart-acks-');
    const seen: number[] = [];
    const controller = await controllerOn(url, seen);
    cleanups.push(() => controller.stop());
    const { signer } = CommandSigner.generate();
    const agent = await agentOn(url, signer.publicKeyPem, join(dir, 'agent'));
    await controller.publish(topics.receiverCommands('rx-1'), JSON.stringify(stopFor(signer)));
    await waitFor(() => seen.includes(0), 'the ack at the controller');

    // Mosquitto restarts (no persistence: every session gone); the controller comes back after
    // the receiver, whose ack, sent again on its new link, then goes to no one.
    const client = (controller as unknown as { client: mqtt.MqttClient }).client;
    client.options.reconnectPeriod = 0; // held off until the receiver is back
    await broker.stop();
    const again = await startMosquitto(dir, port);
    cleanups.push(() => again.stop());
    await waitFor(() => agent.connected, 'the receiver back on the broker', 10_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.filter((s) => s === 0)).toHaveLength(1); // its resend on the new link reached no one
    client.options.reconnectPeriod = 1000;
    client.reconnect();
    await waitFor(() => client.connected, 'the controller back on the broker', 10_000);
    // Its announcement names a new session: the receiver sends the ack again at once.
    await waitFor(() => seen.filter((s) => s === 0).length === 2, 'the ack sent again to the controller', 3_000);

    // The controller's own link then drops and comes back, its session kept (its last will names
    // the session before): nothing is sent twice.
    client.stream.destroy();
    await waitFor(() => !client.connected, 'the controller off its link');
    await waitFor(() => client.connected, 'the controller connected again', 10_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen.filter((s) => s === 0)).toHaveLength(2);
  }, 40_000);
});
