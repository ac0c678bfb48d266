/**
 * A receiver the broker refuses once keeps trying. An outsider saw 20 of 1,000 simulated receivers
 * stay offline for good: enrolled a moment before Mosquitto reloaded its password file, each was
 * refused once ("Not authorized"), and mqtt.js stops reconnecting after a refused CONNACK unless
 * told otherwise. And a receiver whose connection completes while it stops lets it go quietly.
 * Real aedes, a real agent, on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AedesBroker } from '../../controller/mqtt/aedes-broker.js';
import { CredentialTable, hashSecret } from '../../controller/mqtt/broker-credentials.js';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { agentOnBroker } from '../helpers/agents.js';
import { waitFor } from '../helpers/wait.js';

let broker: AedesBroker | undefined;
let agent: ReceiverAgent | undefined;
let dir: string | undefined;
afterEach(async () => {
  await agent?.stop();
  await broker?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a receiver refused by the broker', () => {
  it('connects once its credential reaches the broker, however many times it was refused before', async () => {
    const secret = randomBytes(24).toString('base64url');
    // The broker does not know the receiver yet: every attempt is refused, and counted.
    const table = new CredentialTable('controller-secret', []);
    let refusals = 0;
    const authenticate = table.authenticate.bind(table);
    table.authenticate = (clientId, username, password) => {
      const principal = authenticate(clientId, username, password);
      if (!principal) refusals++;
      return principal;
    };
    broker = new AedesBroker(table, pino({ level: 'silent' }), { host: '127.0.0.1', port: 0 });
    const port = await broker.start();
    dir = mkdtempSync(join(tmpdir(), 'tt-refused-'));
    agent = agentOnBroker({ mqttUrl: `mqtt://127.0.0.1:${port}`, secret, stateDir: dir });
    await agent.start(false);
    // Refused twice: the first attempt and a reconnection after it (1-3 s apart).
    await waitFor(() => refusals >= 2, 'the receiver to be refused and to try again', 10_000);
    expect(agent.connected).toBe(false);
    table.set('rx-1', { id: 'rx-1', secret_hash: hashSecret(secret), hamlet_id: 'thon-1' });
    await waitFor(() => agent!.connected, 'the receiver to connect once it is known', 10_000);
  }, 30_000);

  it('stops without crashing when a connection completes while it says goodbye', async () => {
    // A reconnection that lands during stop() (a broker back from a crash as the fleet stops) used
    // to run the connect handler on a link already let go, and threw: the simulated fleet of
    // 10,000 receivers died of it (2026-12-04 18:10 UTC). The event is raised by hand at that moment.
    const secret = randomBytes(24).toString('base64url');
    const table = new CredentialTable('controller-secret', []);
    table.set('rx-1', { id: 'rx-1', secret_hash: hashSecret(secret), hamlet_id: 'thon-1' });
    broker = new AedesBroker(table, pino({ level: 'silent' }), { host: '127.0.0.1', port: 0 });
    const port = await broker.start();
    dir = mkdtempSync(join(tmpdir(), 'tt-stop-'));
    const stopping = agentOnBroker({ mqttUrl: `mqtt://127.0.0.1:${port}`, secret, stateDir: dir });
    await stopping.start(false);
    await waitFor(() => stopping.connected, 'the receiver to connect', 10_000);
    const client = (stopping as unknown as { link: { client: import('mqtt').MqttClient } }).link.client;
    const stopped = stopping.stop();
    expect(() => client.emit('connect', { cmd: 'connack', returnCode: 0, sessionPresent: false })).not.toThrow();
    await stopped;
  }, 30_000);
});
