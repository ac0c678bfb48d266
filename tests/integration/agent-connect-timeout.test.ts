/**
 * A receiver whose CONNECT is stuck (a broker's listen queue overflowed as a whole fleet came back:
 * the kernel took the handshake, the broker never read the packet) lets that connection go and
 * tries again: after 8 s before it ever connected, after 4 s once it knows its link is fast, and
 * longer on each attempt after, so that a slow link still gets through. With mqtt.js's 30 s, 1,254
 * of 10,000 simulated receivers came back 37 s after a Mosquitto restart. Real Mosquitto, behind a
 * relay that swallows the connections it is told to.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectTimeoutMs } from '../../firmware-bridge/agent/connack-deadline.js';
import { mosquittoAvailable, startMosquittoWithOneReceiver } from '../helpers/mosquitto.js';
import { agentOnBroker } from '../helpers/agents.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const RX_SECRET = 'receiver-secret-1-for-this-test';

/**
 * A TCP relay to the broker that accepts its first `swallow` connections (and as many more as
 * `swallowNext` says) and never answers them; records how long each was held open.
 */
async function swallowingRelay(brokerPort: number, swallow: number) {
  const held: number[] = [];
  let seen = 0;
  let toSwallow = swallow;
  const sockets: Socket[] = [];
  const server: Server = createServer((client: Socket) => {
    seen++;
    if (toSwallow > 0) {
      toSwallow--;
      const opened = Date.now();
      sockets.push(client);
      client.on('error', () => {});
      client.on('close', () => held.push(Date.now() - opened));
      client.resume(); // read and drop, answer nothing: a CONNECT no broker will see
      return;
    }
    sockets.push(client);
    const upstream = connect(brokerPort, '127.0.0.1');
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.pipe(upstream).pipe(client);
    for (const s of [client, upstream]) s.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise((r) => server.close(r));
  });
  const port = (server.address() as { port: number }).port;
  const swallowNext = (n: number) => (toSwallow = n);
  return { url: `mqtt://127.0.0.1:${port}`, held, connections: () => seen, swallowNext };
}

/** Real Mosquitto with one receiver enrolled, the relay in front of it, and that receiver's agent (not started). */
async function agentBehindRelay(swallow: number) {
  const dir = mkdtempSync(join(tmpdir(), 'tt-connect-timeout-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const { port, broker } = await startMosquittoWithOneReceiver(
    dir,
    'controller-broker-secret-for-this-test',
    RX_SECRET,
  );
  cleanups.push(() => broker.stop());
  const relay = await swallowingRelay(port, swallow);
  const agent = agentOnBroker({ mqttUrl: relay.url, secret: RX_SECRET, stateDir: join(dir, 'agent') });
  return { relay, agent };
}

describe('how long a receiver waits for its CONNACK', () => {
  it('is short at first, longer after each attempt that timed out, and short again after the longest', () => {
    const inTurn = (last?: number) => [0, 1, 2, 3, 4, 5].map((n) => connectTimeoutMs(n, last));
    // Never connected: the link is unknown.
    expect(inTurn()).toEqual([8_000, 15_000, 30_000, 8_000, 15_000, 30_000]);
    // Its last connection took 40 ms (a wired link): a stuck one is let go after 4 s.
    expect(inTurn(40)).toEqual([4_000, 15_000, 30_000, 4_000, 15_000, 30_000]);
    // A slow link that needed 2.2 s, and one that needed 5 s: three times that, at most 8 s.
    expect(connectTimeoutMs(0, 2_200)).toBe(6_600);
    expect(connectTimeoutMs(0, 5_000)).toBe(8_000);
  });

  it.skipIf(!mosquittoAvailable())(
    'lets a stuck connection go, waits longer on the next, and connects',
    async () => {
      const { relay, agent } = await agentBehindRelay(2);
      await agent.start();
      cleanups.push(() => agent.stop());
      // 8 s, 1-3 s before trying again, 15 s, 1-3 s: connected on the third connection.
      await waitFor(() => agent.connected, 'the agent connected past two stuck connections', 40_000);
      expect(relay.connections()).toBe(3);
      expect(relay.held).toHaveLength(2);
      // Each let go when its own timeout ran out (slack for a busy machine, well short of the next step).
      expect(relay.held[0]).toBeGreaterThanOrEqual(7_000);
      expect(relay.held[0]).toBeLessThan(11_000);
      expect(relay.held[1] - relay.held[0]).toBeGreaterThan(5_000);
      expect(relay.held[1]).toBeLessThan(18_000);
    },
    60_000,
  );

  it.skipIf(!mosquittoAvailable())(
    'a receiver that has connected quickly lets a stuck reconnection go after 4 s and is told of it',
    async () => {
      const { relay, agent } = await agentBehindRelay(0);
      let timedOut = 0;
      agent.on('connect-timed-out', () => timedOut++);
      await agent.start();
      cleanups.push(() => agent.stop());
      await waitFor(() => agent.connected, 'the agent connected', 10_000);
      // Its broker goes away and comes back crowded: the first connection after is stuck.
      relay.swallowNext(1);
      agent.dropLink(200);
      await waitFor(() => relay.held.length === 1, 'the stuck reconnection let go', 20_000);
      // Let go when its 4 s ran out: not the 8 s of a receiver that never connected.
      expect(relay.held[0]).toBeGreaterThanOrEqual(3_500);
      expect(relay.held[0]).toBeLessThan(6_500);
      expect(timedOut).toBe(1);
      await waitFor(() => agent.connected, 'the agent connected again', 10_000);
      expect(relay.connections()).toBe(3);
    },
    40_000,
  );
});
