/**
 * A broadcast's command leaves for the broker at once, not when the controller's thread is next
 * free: an emergency confirmed during a flood of acks used to wait, written into a corked socket,
 * for the rest of its HTTP handler (the targets' commit, the audit entry, the reply). A receiver
 * in another process times the command's arrival while the thread that sent it is still busy.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../controller/protocol/topics.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';

let tc: TestController;
beforeAll(async () => {
  tc = await startTestController();
});
afterAll(() => tc?.close());

/**
 * A bare receiver in a child process: prints "ready" once subscribed, then the wall-clock time of
 * the first message. It tries to connect a few times: an external broker reloads its password
 * file just after the enrolment.
 */
const RECEIVER = `
const mqtt = require('mqtt');
const [url, id, secret, topic] = process.argv.slice(1);
async function main() {
  for (let attempt = 1; ; attempt++) {
    try {
      const c = await mqtt.connectAsync(url, { clientId: id, username: id, password: secret, protocolVersion: 4, reconnectPeriod: 0 });
      c.on('message', () => { console.log(Date.now()); c.end(true, () => process.exit(0)); });
      await c.subscribeAsync(topic, { qos: 1 });
      console.log('ready');
      return;
    } catch (err) {
      if (attempt === 20) { console.error(err.message); process.exit(1); }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
main();
`;

describe('sending a broadcast', () => {
  it("puts its command on the wire before the sending thread's remaining work is done", async () => {
    const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
    const res = await tc.api('POST', '/api/receivers', { id: 'rx-now', hamlet_id: 'thon-1', name: 'Cụm loa đo giờ' });
    expect(res.status).toBe(201);
    let child: ChildProcess | undefined;
    try {
      child = spawn(
        process.execPath,
        [
          '-e',
          RECEIVER,
          tc.controller.mqttUrl,
          'rx-now',
          res.body.agent_config.secret,
          topics.hamletCommands('thon-1'),
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      expect((await lines.next()).value).toBe('ready');

      // An emergency (allowed at any hour), sent as the confirmation desk sends it; the service
      // publishes before it returns, and this thread then stays busy, as under a flood of acks.
      const sent = tc.controller.broadcasts.create(
        { media_id: media.id, target: { hamlet_ids: ['thon-1'] }, priority: 'emergency', volume_pct: 100 },
        { id: 'admin', ip: '127.0.0.1' },
      );
      const busyUntil = Date.now() + 2000;
      while (Date.now() < busyUntil) {
        /* busy */
      }
      await sent;
      const arrivedAt = Number((await lines.next()).value);
      await once(child, 'exit');
      expect(arrivedAt).toBeLessThan(busyUntil);
    } finally {
      if (child && child.exitCode === null) child.kill();
    }
  });
});
