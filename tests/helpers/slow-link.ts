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

/**
 * `holdMs`: each connection is accepted at once but passes nothing for that long (a link that
 * answers, and carries nothing yet: the receiver's CONNACK is late).
 */
export async function startSlowLink(brokerUrl: string, speed: LinkSpeed, holdMs = 0): Promise<SlowLink> {
  const broker = new URL(brokerUrl);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => client.destroy());
    const relay = () => {
      if (client.destroyed) return;
      const upstream = connect(Number(broker.port), broker.hostname);
      sockets.add(upstream);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      for (const s of [client, upstream]) s.on('error', end).on('close', end);
      client.pipe(upstream); // what the receiver sent meanwhile waited in the socket
      pipeSlowly(upstream, client, speed);
    };
    if (holdMs > 0) setTimeout(relay, holdMs);
    else relay();
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
