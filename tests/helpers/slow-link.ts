/**
 * A slow link between a receiver and its broker, as a weak mobile connection is: a TCP relay that
 * passes what the broker sends slowly (slow-pipe.ts); the receiver's own packets go through at once.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { pipeSlowly, type LinkSpeed } from '../../firmware-bridge/conformance/slow-pipe.js';

export interface SlowLink {
  /** The relay's address: give it to the receiver as its broker. */
  url: string;
  close(): Promise<void>;
}

export async function startSlowLink(brokerUrl: string, speed: LinkSpeed): Promise<SlowLink> {
  const broker = new URL(brokerUrl);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(broker.port), broker.hostname);
    for (const s of [client, upstream]) sockets.add(s);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) s.on('error', end).on('close', end);
    client.pipe(upstream);
    pipeSlowly(upstream, client, speed);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `mqtt://127.0.0.1:${port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
