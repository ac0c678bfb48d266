/**
 * The embedded broker runs in a worker thread: if that thread dies, the controller says so and
 * starts it again on the same port, and its own client and the receivers get back on.
 */
import mqtt from 'mqtt';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestController, onExternalBroker, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';
import { PROTOCOL_VERSION, topics } from '../../controller/protocol/topics.js';

let tc: TestController;
beforeAll(async () => {
  if (!onExternalBroker) tc = await startTestController();
});
afterAll(() => tc?.close());

describe.skipIf(onExternalBroker)('the embedded broker worker', () => {
  it('is restarted on the same port after it dies, and everyone reconnects', async () => {
    const agent = (await tc.api('POST', '/api/receivers', { id: 'rx-phoenix', hamlet_id: 'thon-1', name: 'P' })).body
      .agent_config;
    const broker = tc.controller.broker!;
    await waitFor(() => broker.connectedClients === 1, 'the controller connected');
    // Online before the crash, on a connection that does not come back: the dead broker sends no last will.
    const before = await mqtt.connectAsync(tc.controller.mqttUrl, {
      clientId: 'rx-phoenix',
      username: 'rx-phoenix',
      password: agent.secret,
      reconnectPeriod: 0,
    });
    before.on('error', () => {});
    const online = {
      v: PROTOCOL_VERSION,
      receiver_id: 'rx-phoenix',
      state: 'online',
      session: 1,
      at: new Date().toISOString(),
    };
    await before.publishAsync(topics.status('rx-phoenix'), JSON.stringify(online), { qos: 1, retain: true });
    const status = async () => (await tc.api('GET', '/api/receivers/rx-phoenix')).body.status;
    await waitFor(async () => (await status()) === 'online', 'online before the crash');
    const worker = (broker as unknown as { worker: Worker }).worker;
    await worker.terminate(); // as a crash would end it
    await waitFor(() => !tc.controller.mqtt.connected, 'the controller noticed');
    await waitFor(() => tc.controller.mqtt.connected, 'the controller back on its broker', 15_000);
    expect((broker as unknown as { worker: Worker }).worker).not.toBe(worker);
    expect(await status()).toBe('offline');
    // Credentials issued before the crash still hold: the new worker has the whole table.
    const client = await mqtt.connectAsync(tc.controller.mqttUrl, {
      clientId: 'rx-phoenix',
      username: 'rx-phoenix',
      password: agent.secret,
      reconnectPeriod: 0,
    });
    expect(client.connected).toBe(true);
    await waitFor(() => broker.connectedClients === 2, 'both counted');
    await client.endAsync();
    before.end(true);
  }, 30_000);
});
