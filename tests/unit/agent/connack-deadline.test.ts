/**
 * A connection without a CONNACK in time is let go, but only once the loop has read its sockets:
 * a receiver whose loop was busy past the deadline, with the CONNACK already waiting unread, keeps
 * its connection. The CONNACK here is a line from a child process, ready in its pipe while this
 * process's loop is held.
 */
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { watchConnack } from '../../../firmware-bridge/agent/connack-deadline.js';

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

/** Holds this process's loop, as 10,000 simulated receivers (or a small board hashing a file) can. */
const holdLoop = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** A CONNACK that arrives `afterMs` from now on a real pipe: the child prints a line then. */
function connackAfter(client: ReturnType<typeof fakeClient>, afterMs: number) {
  const child = spawn('sh', ['-c', `sleep ${afterMs / 1000}; echo connack`]);
  child.stdout.on('data', () => {
    client.connected = true;
    client.emit('connect');
  });
  return once(child, 'exit');
}

describe('letting a connection without a CONNACK go', () => {
  it('keeps a connection whose CONNACK came in time but waited unread behind a busy loop', async () => {
    const client = fakeClient();
    let timedOut = 0;
    watchConnack(
      client as unknown as MqttClient,
      () => timedOut++,
      () => 300,
    );
    const exited = connackAfter(client, 100);
    holdLoop(800); // past the 300 ms deadline; the CONNACK is in the pipe at 100 ms
    await exited;
    await new Promise((r) => setTimeout(r, 50));
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
    client.connected = true;
    client.emit('connect');
    await new Promise((r) => setTimeout(r, 200));
    expect(timedOut).toBe(1); // connected in time: not let go
    // The next attempt after a connection starts again from the first deadline, knowing how long that one took.
    client.connected = false;
    client.emit('close');
    client.emit('reconnect');
    const [n, last] = asked.at(-1)!;
    expect(n).toBe(0);
    expect(last).toBeGreaterThanOrEqual(20);
    expect(last).toBeLessThan(100);
    client.connected = true;
    client.emit('connect');
  });
});
