/**
 * A connection without a CONNACK in time is let go, but only once the loop has read its sockets:
 * a receiver whose loop was busy past the deadline, with the CONNACK already waiting unread, keeps
 * its connection. The CONNACK here is a line on a loopback socket, in the kernel's buffer before
 * this process's loop is held.
 */
import { EventEmitter, once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { watchConnack } from '../../../firmware-bridge/agent/connack-deadline.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** What watchConnack reads of an mqtt.js client: its events, `connected`, and the attempt's stream. */
function fakeClient() {
  const client = Object.assign(new EventEmitter(), {
    connected: false,
    disconnecting: false,
    destroyed: 0,
    stream: { destroy: () => client.destroyed++ },
  });
  return client;
}

/** The broker's CONNACK arriving, as mqtt.js reports it. */
function connack(client: ReturnType<typeof fakeClient>) {
  client.emit('packetreceive', { cmd: 'connack' });
  client.connected = true;
  client.emit('connect');
}

/** Holds this process's loop, as 10,000 simulated receivers (or a small board hashing a file) can. */
const holdLoop = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Two ends of a loopback TCP connection, both open. */
async function socketPair(): Promise<[Socket, Socket]> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  const near = connect((server.address() as { port: number }).port, '127.0.0.1');
  await once(near, 'connect');
  const [far] = (await accepted) as [Socket];
  cleanups.push(() => (near.destroy(), far.destroy(), server.close()));
  return [near, far];
}

describe('letting a connection without a CONNACK go', () => {
  it('keeps a connection whose CONNACK came in time but waited unread behind a busy loop', async () => {
    const [near, far] = await socketPair();
    const client = fakeClient();
    near.on('data', () => connack(client));
    let timedOut = 0;
    watchConnack(
      client as unknown as MqttClient,
      () => timedOut++,
      () => 300,
    );
    far.write('connack'); // in the kernel's buffer at once: only the loop's read is to come
    holdLoop(800); // past the 300 ms deadline
    await new Promise((r) => setTimeout(r, 100));
    expect(client.connected).toBe(true);
    expect(timedOut).toBe(0);
    expect(client.destroyed).toBe(0);
  });

  it('lets one go that had no CONNACK, and waits longer on the next attempt', async () => {
    const client = fakeClient();
    const asked: [number, number | undefined][] = [];
    let timedOut = 0;
    watchConnack(
      client as unknown as MqttClient,
      () => timedOut++,
      (n, last) => (asked.push([n, last]), 100),
    );
    await new Promise((r) => setTimeout(r, 250));
    expect(timedOut).toBe(1);
    expect(client.destroyed).toBe(1);
    // mqtt.js closes that link and opens the next attempt: its deadline is asked with one timed out.
    client.emit('close');
    client.emit('reconnect');
    expect(asked.at(-1)![0]).toBe(1);
    await new Promise((r) => setTimeout(r, 30));
    connack(client);
    await new Promise((r) => setTimeout(r, 200));
    expect(timedOut).toBe(1); // connected in time: not let go
    // The next attempt after a connection starts again from the first deadline, knowing how long that one took.
    client.connected = false;
    client.emit('close');
    client.emit('reconnect');
    const [n, last] = asked.at(-1)!;
    expect(n).toBe(0);
    expect(last).toBeGreaterThanOrEqual(20);
    expect(last).toBeLessThan(1_000);
    connack(client);
  });
});
