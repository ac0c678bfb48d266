/**
 * A slow link between a receiver and its broker, as a weak mobile connection is: a TCP relay that
 * passes what the broker sends in small pieces, one every few milliseconds (the receiver's own
 * packets go through at once). What the broker sends back to back then arrives spread out, packet
 * after packet, as it does in a hamlet at the edge of coverage.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface SlowLink {
  /** The relay's address: give it to the receiver as its broker. */
  url: string;
  close(): Promise<void>;
}

export async function startSlowLink(brokerUrl: string, o = { pieceBytes: 100, everyMs: 10 }): Promise<SlowLink> {
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
    // The broker's bytes, queued and let out a piece at a time.
    let pending = Buffer.alloc(0);
    let timer: NodeJS.Timeout | undefined;
    const drip = () => {
      timer = undefined;
      if (pending.length === 0 || client.destroyed) return;
      client.write(pending.subarray(0, o.pieceBytes));
      pending = pending.subarray(o.pieceBytes);
      if (pending.length > 0) timer = setTimeout(drip, o.everyMs);
    };
    upstream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      timer ??= setTimeout(drip, o.everyMs);
    });
    client.on('close', () => clearTimeout(timer));
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
