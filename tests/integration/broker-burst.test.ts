/**
 * A burst of messages that nobody subscribes to, queued behind slow deliveries, used to make
 * aedes' emitter recurse until the stack overflowed and took the controller down with it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { AedesBroker } from '../../controller/mqtt/aedes-broker.js';

let broker: AedesBroker | undefined;
afterEach(async () => {
  await broker?.stop();
});

/** An embedded broker that lets everyone in, on a free port of 127.0.0.1. */
async function startBroker(): Promise<AedesBroker> {
  broker = new AedesBroker(
    { authenticate: () => undefined, refresh: () => undefined, versionOf: () => undefined },
    pino({ level: 'silent' }),
    {
      host: '127.0.0.1',
      port: 0,
    },
  );
  await broker.start();
  return broker;
}

describe('embedded broker under a burst', () => {
  it('delivers 50,000 unsubscribed messages queued behind slow ones without a stack overflow', async () => {
    const mq = ((await startBroker()).instance as any).mq;
    mq.on('slow/topic', (_p: unknown, done: () => void) => setTimeout(done, 20));
    for (let i = 0; i < 100; i++) mq.emit({ topic: 'slow/topic' });
    let completed = 0;
    const all = new Promise<void>((resolve) => {
      for (let i = 0; i < 50_000; i++) {
        mq.emit({ topic: i % 2 ? 'tt/v1/rx/rx-a/status' : '$SYS/x/unrelated' }, () => {
          if (++completed === 50_000) resolve();
        });
      }
    });
    await all;
    expect(completed).toBe(50_000);
  });
});

describe('the command lane', () => {
  it('routes a command at once while the delivery slots are all held by a flood of acks', async () => {
    const mq = ((await startBroker()).instance as any).mq;
    // Acks to a controller that reads slowly: each holds its slot for a while.
    mq.on('tt/v1/rx/+/ack', (_p: unknown, done: () => void) => setTimeout(done, 300));
    let acksRouted = 0;
    for (let i = 0; i < 1000; i++) mq.emit({ topic: `tt/v1/rx/rx-${i}/ack` }, () => acksRouted++);
    expect(mq.length).toBeGreaterThan(0); // queued behind the limit
    const t0 = performance.now();
    const heard = new Promise<number>((resolve) =>
      mq.on('tt/v1/cmd/hamlet/thon-1', (_p: unknown, done: () => void) => {
        resolve(performance.now() - t0);
        done();
      }),
    );
    mq.emit({ topic: 'tt/v1/cmd/hamlet/thon-1' });
    expect(await heard).toBeLessThan(100);
    expect(acksRouted).toBeLessThan(1000);
  });
});

describe('the command lane and the delivery limit', () => {
  it('a command routed past a full limit leaves the limit whole: the next ack waits for a slot, with no "leak" warning', async () => {
    const mq = ((await startBroker()).instance as any).mq;
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      // Every slot held by an ack whose delivery has not finished (a full socket).
      const held: (() => void)[] = [];
      const routed: string[] = [];
      mq.on('tt/v1/rx/+/ack', (p: { payload: string }, done: () => void) => {
        routed.push(p.payload);
        held.push(done);
      });
      for (let i = 0; i < mq.concurrency; i++) mq.emit({ topic: 'tt/v1/rx/rx-a/ack', payload: `ack-${i}` });
      expect(mq.current).toBe(mq.concurrency);
      // An emergency takes the lane and is done; the acks still hold every slot.
      await new Promise<void>((resolve) =>
        mq.emit({ topic: 'tt/v1/cmd/hamlet/thon-1', payload: 'emergency' }, resolve),
      );
      mq.emit({ topic: 'tt/v1/rx/rx-a/ack', payload: 'ack-late' });
      await new Promise((r) => setTimeout(r, 20));
      expect(routed).not.toContain('ack-late');
      expect(mq.current).toBe(mq.concurrency);
      // One slot frees: the waiting ack takes it.
      held.shift()!();
      await new Promise((r) => setTimeout(r, 20));
      expect(routed).toContain('ack-late');
      expect(mq.current).toBe(mq.concurrency);
      expect(warnings.filter((w) => w.includes('MqEmitter'))).toEqual([]);
      for (const done of held.splice(0)) done();
    } finally {
      process.off('warning', onWarning);
    }
  });
});
