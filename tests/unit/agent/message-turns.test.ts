/**
 * The link's messages are handled in short slices of the event loop, the network read between
 * them: a burst of commands does not
 * keep the agent (or the simulator's thousands of agents in one process) from reading the network,
 * where an emergency may be waiting.
 */
import { describe, expect, it } from 'vitest';
import { createServer, connect } from 'node:net';
import { inTurn } from '../../../firmware-bridge/agent/message-turns.js';

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('message turns', () => {
  it('reads the network between two handlers, and runs every handler in order', async () => {
    const server = createServer((socket) => socket.on('data', () => socket.end('emergency')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const done: number[] = [];
    let handledWhenRead = -1;
    const socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.once('data', () => (handledWhenRead = done.length));
    for (let i = 0; i < 100; i++)
      inTurn(() => {
        busy(2);
        done.push(i);
      });
    socket.write('ping'); // answered while the handlers run
    await new Promise((r) => setTimeout(r, 1000));
    expect(done).toEqual([...Array(100).keys()]);
    // Read long before the 200 ms of handlers were through (in one batch it would read 100).
    expect(handledWhenRead).toBeGreaterThanOrEqual(0);
    expect(handledWhenRead).toBeLessThan(50);
    socket.destroy();
    server.close();
  });
});
