/**
 * A receiver re-enrolled (new secret) reconnects at once; the controller's request to end the old
 * session reaches the broker's thread a moment later. That request must end only a session opened
 * with the old secret: CI caught, under load, the new session cut off instead, and the receiver's
 * acks went unanswered. Real aedes, real MQTT clients on 127.0.0.1.
 */
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AedesBroker } from '../../controller/mqtt/aedes-broker.js';
import { CredentialTable, hashSecret } from '../../controller/mqtt/broker-credentials.js';
import { waitFor } from '../helpers/wait.js';

let broker: AedesBroker | undefined;
const clients: mqtt.MqttClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.endAsync(true);
  await broker?.stop();
});

const credential = (secret: string, hamlet_id = 'thon-1') => ({
  id: 'rx-1',
  secret_hash: hashSecret(secret),
  hamlet_id,
});

async function start(table: CredentialTable): Promise<number> {
  broker = new AedesBroker(table, pino({ level: 'silent' }), { host: '127.0.0.1', port: 0 });
  return broker.start();
}

async function connect(port: number, secret: string): Promise<mqtt.MqttClient> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    clientId: 'rx-1',
    username: 'rx-1',
    password: secret,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  clients.push(client);
  return client;
}

describe("ending a receiver's session after its credential changed", () => {
  it('ends a session opened with the old secret', async () => {
    const table = new CredentialTable('controller-secret', [credential('old-secret')]);
    const port = await start(table);
    const old = await connect(port, 'old-secret');
    table.set('rx-1', credential('new-secret'));
    broker!.disconnectClient('rx-1');
    await waitFor(() => !old.connected, 'the old session to end');
  });

  it('keeps a session already opened with the new secret when the request comes late', async () => {
    const table = new CredentialTable('controller-secret', [credential('old-secret')]);
    const port = await start(table);
    table.set('rx-1', credential('new-secret'));
    const renewed = await connect(port, 'new-secret');
    broker!.disconnectClient('rx-1');
    await new Promise((r) => setTimeout(r, 300));
    expect(renewed.connected).toBe(true);
  });

  it('ends a session whose hamlet changed, and one whose receiver was revoked', async () => {
    const table = new CredentialTable('controller-secret', [credential('secret')]);
    const port = await start(table);
    const moved = await connect(port, 'secret');
    table.set('rx-1', credential('secret', 'thon-2'));
    broker!.disconnectClient('rx-1');
    await waitFor(() => !moved.connected, 'the session of the old hamlet to end');
    const again = await connect(port, 'secret');
    table.set('rx-1', null);
    broker!.disconnectClient('rx-1');
    await waitFor(() => !again.connected, 'the revoked session to end');
  });
});
