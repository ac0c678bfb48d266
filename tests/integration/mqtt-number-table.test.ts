/**
 * No MQTT library in this project fills mqtt-packet's table of 65,536 two-byte Buffers: by default
 * the first packet written builds it, 7 MB of heap in every process and thread that speaks MQTT
 * (found in a heap snapshot of the controller at rest, 2026-12-04: 6.3 MB of Buffer objects out of
 * 40 MB). Real aedes, the controller's own client and a real agent exchange packets in this thread.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AedesBroker } from '../../controller/mqtt/aedes-broker.js';
import { CONTROLLER_USERNAME } from '../../controller/mqtt/broker-acl.js';
import { CredentialTable, hashSecret } from '../../controller/mqtt/broker-credentials.js';
import { ControllerMqtt } from '../../controller/mqtt/mqtt-client.js';
import { controllerSubscriptions, topics } from '../../controller/protocol/topics.js';
import { FileAgentStore } from '../../firmware-bridge/agent/agent-store.js';
import { SilentPlayer } from '../../firmware-bridge/agent/players.js';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { waitFor } from '../helpers/wait.js';

const numberTable = createRequire(import.meta.url)('mqtt-packet/numbers.js').cache as Record<number, Buffer>;

let broker: AedesBroker | undefined;
let controller: ControllerMqtt | undefined;
let agent: ReceiverAgent | undefined;
let dir: string | undefined;
afterEach(async () => {
  await agent?.stop();
  await controller?.stop();
  await broker?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("mqtt-packet's number table", () => {
  it('stays empty while the broker, the controller and a receiver exchange packets with message ids', async () => {
    const secret = randomBytes(24).toString('base64url');
    const table = new CredentialTable('controller-secret', [
      { id: 'rx-1', secret_hash: hashSecret(secret), hamlet_id: 'thon-1' },
    ]);
    broker = new AedesBroker(table, pino({ level: 'silent' }), { host: '127.0.0.1', port: 0 });
    const port = await broker.start();
    const heard: string[] = [];
    controller = new ControllerMqtt(
      { username: CONTROLLER_USERNAME, password: 'controller-secret', clientId: 'controller-test' },
      pino({ level: 'silent' }),
    );
    await controller.start(`mqtt://127.0.0.1:${port}`, controllerSubscriptions, (topic) => heard.push(topic));
    dir = mkdtempSync(join(tmpdir(), 'tt-number-table-'));
    const { publicKey } = generateKeyPairSync('ed25519');
    agent = new ReceiverAgent({
      config: {
        receiver_id: 'rx-1',
        hamlet_id: 'thon-1',
        mqtt_url: `mqtt://127.0.0.1:${port}`,
        secret,
        controller_public_keys: [publicKey.export({ type: 'spki', format: 'pem' }).toString()],
        state_dir: dir,
        player: { kind: 'silent', speed: 1 },
        max_clock_skew_s: 120,
        telemetry_interval_s: 60,
      },
      store: new FileAgentStore(dir),
      player: new SilentPlayer(0.01),
      logger: pino({ level: 'silent' }),
    });
    await agent.start(false);
    // The receiver's retained status (QoS 1: a message id each way) reaches the controller.
    await waitFor(() => heard.some((t) => t.includes('rx-1')), "the receiver's status at the controller", 10_000);
    // A command with a message id the other way (not a valid command: the receiver just drops it).
    await controller.publish(topics.receiverCommands('rx-1'), '{}');
    expect(Object.keys(numberTable)).toHaveLength(0);
  }, 30_000);
});
