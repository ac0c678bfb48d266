/**
 * A command the controller publishes leaves for the broker at once, not when the controller's
 * thread is next free: an emergency confirmed during a flood of acks used to wait, written into a
 * corked socket, for the rest of its HTTP handler (the targets' commit, the audit entry, the
 * reply). A receiver in another process times its arrival while the controller's thread is busy.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../controller/protocol/topics.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';

let tc: TestController;
beforeAll(async () => {
  tc = await startTestController();
});
afterAll(() => tc?.close());

/** A bare receiver in a child process: prints "ready" once subscribed, then the wall-clock time of the first message. */
const RECEIVER = `
const mqtt = require('mqtt');
const [url, id, secret, topic] = process.argv.slice(1);
const c = mqtt.connect(url, { clientId: id, username: id, password: secret, protocolVersion: 4, reconnectPeriod: 0 });
c.on('message', () => { console.log(Date.now()); c.end(true, () => process.exit(0)); });
c.on('connect', () => c.subscribe(topic, { qos: 1 }, () => console.log('ready')));
c.on('error', (e) => { console.error(e.message); process.exit(1); });
`;

describe('publishing a command', () => {
  it('reaches a receiver while the thread that published it is still busy', async () => {
    const res = await tc.api('POST', '/api/receivers', { id: 'rx-now', hamlet_id: 'thon-1', name: 'Cụm loa đo giờ' });
    expect(res.status).toBe(201);
    const { secret } = res.body.agent_config;
    const topic = topics.hamletCommands('thon-1');
    const child = spawn(process.execPath, ['-e', RECEIVER, tc.controller.mqttUrl, 'rx-now', secret, topic], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe('ready');

    const sent = tc.controller.mqtt.publish(topic, JSON.stringify({ probe: true }), true);
    // The rest of a handler's work, on this thread, before it yields.
    const busyUntil = Date.now() + 500;
    while (Date.now() < busyUntil) {
      /* busy */
    }
    await sent;
    const arrivedAt = Number((await lines.next()).value);
    await once(child, 'exit');
    expect(arrivedAt).toBeLessThan(busyUntil);
  });
});
