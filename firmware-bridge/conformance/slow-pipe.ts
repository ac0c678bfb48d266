/**
 * A weak mobile link, one way: what `from` sends reaches `to` a piece at a time, one piece every
 * few milliseconds, so packets a broker sends back to back arrive spread out, as they do in a
 * hamlet at the edge of coverage. The kit's relay uses it for `stop_in_backlog`; tests use it too.
 */
import type { Socket } from 'node:net';

export interface LinkSpeed {
  pieceBytes: number;
  everyMs: number;
}

/**
 * A link of about 1 KB/s, where stops kept behind their plays were once heard (session 36): the
 * stop's few hundred bytes put about 0.4 s between it and its play, so a device that starts at
 * once cannot pass by being a little slow to start.
 */
export const SLOW_LINK: LinkSpeed = { pieceBytes: 100, everyMs: 100 };

export function pipeSlowly(from: Socket, to: Socket, speed: LinkSpeed): void {
  let pending = Buffer.alloc(0);
  let timer: NodeJS.Timeout | undefined;
  const drip = () => {
    timer = undefined;
    if (pending.length === 0 || to.destroyed) return;
    to.write(pending.subarray(0, speed.pieceBytes));
    pending = pending.subarray(speed.pieceBytes);
    if (pending.length > 0) timer = setTimeout(drip, speed.everyMs);
  };
  from.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    timer ??= setTimeout(drip, speed.everyMs);
  });
  to.on('close', () => clearTimeout(timer));
  from.on('close', () => clearTimeout(timer));
}
