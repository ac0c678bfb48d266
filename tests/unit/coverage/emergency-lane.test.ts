/**
 * The ack side of the emergency lane (issue 22): acks are checked in slices, so a click arriving
 * during a flood waits for one slice, not the flood; while an emergency goes out, no ack is
 * checked and no receipt sent, and afterwards every one of them is.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { AckInbox } from '../../../controller/coverage/ack-inbox.js';
import { AckIngestor } from '../../../controller/coverage/ack-ingestor.js';
import type { AcksRepository } from '../../../controller/coverage/acks-repository.js';
import { CommandPublisher } from '../../../controller/outbox/command-publisher.js';
import type { OutboxRepository } from '../../../controller/outbox/outbox-repository.js';
import type { CommandSigner } from '../../../controller/protocol/signing.js';
import type { SignedCommand } from '../../../controller/protocol/messages.js';
import { systemClock } from '../../../controller/clock.js';

const log = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A check that costs `us` microseconds of the thread, as a signature check does. */
const busy = (us: number) => {
  const until = performance.now() + us / 1000;
  while (performance.now() < until);
};

describe('the ack inbox', () => {
  it('checks a flood in slices: a timer set after it runs before the flood is through, and every ack is checked', async () => {
    let checked = 0;
    const inbox = new AckInbox((items) => {
      busy(50 * items.length);
      checked += items.length;
    }, log);
    for (let i = 0; i < 2000; i++) inbox.push(`rx-${i}`, Buffer.from('{}'));
    expect(checked).toBe(0); // nothing checked inside the link's own callback
    const atTimer = await new Promise<number>((resolve) => setTimeout(() => resolve(checked), 0));
    expect(atTimer).toBeGreaterThan(0);
    expect(atTimer).toBeLessThan(2000); // the 100 ms of checks did not run in one go
    await sleep(1000);
    expect(checked).toBe(2000);
    expect(inbox.length).toBe(0);
  });

  it('keeps its own copy of a payload, not a view into the socket read it came in', async () => {
    const read = Buffer.alloc(64 * 1024, 0x20); // one socket read, many messages
    read.write('{"seq":1}', 100);
    let checked: Buffer | undefined;
    const inbox = new AckInbox((items) => {
      checked = items[0].payload;
    }, log);
    inbox.push('rx-1', read.subarray(100, 109));
    read.fill(0); // the read's memory reused
    await inbox.checkAll();
    expect(checked!.toString()).toBe('{"seq":1}');
    expect(checked!.buffer.byteLength).toBeLessThan(64 * 1024);
  });

  it('checks nothing while held, then everything, and says when it resumes', async () => {
    let checked = 0;
    let resumed = false;
    const inbox = new AckInbox((items) => {
      checked += items.length;
    }, log);
    inbox.hold(300, () => (resumed = true));
    for (let i = 0; i < 100; i++) inbox.push(`rx-${i}`, Buffer.from('{}'));
    await sleep(150);
    expect(checked).toBe(0);
    expect(inbox.held).toBe(true);
    await sleep(400);
    expect(resumed).toBe(true);
    expect(checked).toBe(100);
  });

  it('goes on past acks whose check throws, and checks each ack once', async () => {
    const seen: string[] = [];
    const inbox = new AckInbox((items) => {
      seen.push(...items.map((i) => i.receiverId));
      if (items.some((i) => i.receiverId === 'rx-bad')) throw new Error('the database is busy');
    }, log);
    for (const id of ['rx-1', 'rx-bad', 'rx-2']) inbox.push(id, Buffer.from('{}'));
    await sleep(50);
    for (let i = 0; i < 100; i++) inbox.push(`rx-later-${i}`, Buffer.from('{}')); // more than one chunk, after it
    await sleep(50);
    expect(seen.slice(0, 3)).toEqual(['rx-1', 'rx-bad', 'rx-2']);
    expect(seen.length).toBe(103);
    expect(new Set(seen).size).toBe(103);
    expect(inbox.length).toBe(0);
  });

  it('checks nothing from a slice scheduled just before the emergency began', async () => {
    let checked = 0;
    const inbox = new AckInbox((items) => {
      checked += items.length;
    }, log);
    for (let i = 0; i < 10; i++) inbox.push(`rx-${i}`, Buffer.from('{}')); // a slice is now scheduled
    inbox.hold(200, () => {});
    await sleep(100);
    expect(checked).toBe(0);
    await sleep(300);
    expect(checked).toBe(10);
  });

  it('gives a stopping controller a bounded time, and says how many it left for their receivers to resend', async () => {
    let checked = 0;
    const inbox = new AckInbox((items) => {
      busy(1000 * items.length); // 1 ms each
      checked += items.length;
    }, log);
    for (let i = 0; i < 500; i++) inbox.push(`rx-${i}`, Buffer.from('{}'));
    const dropped = await inbox.checkAll(50);
    expect(checked).toBeLessThan(500);
    expect(dropped).toBe(500 - checked);
    expect(inbox.length).toBe(0);
    inbox.stop();
  });

  it('checks everything at once when asked (a stopping controller), held or not', async () => {
    let checked = 0;
    const inbox = new AckInbox((items) => {
      checked += items.length;
    }, log);
    inbox.hold(10_000, () => {});
    for (let i = 0; i < 50; i++) inbox.push(`rx-${i}`, Buffer.from('{}'));
    await inbox.checkAll();
    expect(checked).toBe(50);
    inbox.stop();
  });
});

/** An ingestor whose receipts go to a broker answering each PUBACK after `ackMs`; `errors` collects what it logs as errors. */
function ingestorOn(ackMs: number) {
  const sent: string[] = [];
  const errors: string[] = [];
  const errorLog = pino({ level: 'error' }, { write: (line: string) => void errors.push(line) });
  const broker = {
    async publish(topic: string) {
      sent.push(topic);
      if (ackMs > 0) await sleep(ackMs);
    },
  };
  const publisher = new CommandPublisher(
    {} as CommandSigner,
    broker,
    { markPublished: () => {} } as unknown as OutboxRepository,
    systemClock,
    log,
  );
  publisher.build = ((body: object, target: SignedCommand['target']) =>
    ({ ...body, target }) as SignedCommand) as CommandPublisher['build'];
  const ingestor = new AckIngestor({
    acks: {} as AcksRepository,
    publisher,
    keys: { receiverPems: () => [] },
    clock: systemClock,
    log: errorLog,
  });
  const inside = ingestor as unknown as { receipts: Map<string, number[]>; sendReceipts(): Promise<void> };
  return { ingestor, sent, errors, receipts: inside.receipts, send: () => inside.sendReceipts() };
}

describe('an ingestor giving way to an emergency', () => {
  it('finishes a receipt round an emergency interrupts, when fewer receipts are left than turns waiting', async () => {
    const { ingestor, sent, errors, receipts, send } = ingestorOn(5);
    for (let i = 0; i < 70; i++) receipts.set(`rx-${i}`, [1]);
    const round = send(); // 64 receipts in flight at once, 6 left
    ingestor.giveWay(200); // every turn finds the emergency going out, and waits
    await round;
    expect(errors).toEqual([]);
    expect(sent).toHaveLength(70);
    await ingestor.stop();
  });

  it('sends no receipt while the emergency goes out, and every one after', async () => {
    const { ingestor, sent, receipts, send } = ingestorOn(0);
    for (let i = 0; i < 100; i++) receipts.set(`rx-${i}`, [1]);
    ingestor.giveWay(300);
    void send(); // the receipt timer firing during the emergency
    await sleep(150);
    expect(sent).toHaveLength(0);
    await sleep(400);
    expect(sent).toHaveLength(100);
    await ingestor.stop();
  });
});

describe('the ack inbox groups by receiver', () => {
  it("checks a receiver's acks together however many others came between them, in their order", async () => {
    const chunks: string[][] = [];
    const inbox = new AckInbox((items) => {
      chunks.push(items.map((i) => `${i.receiverId}:${i.payload}`));
    }, log);
    for (let seq = 1; seq <= 2; seq++) for (let r = 0; r < 40; r++) inbox.push(`rx-${r}`, Buffer.from(String(seq)));
    await inbox.checkAll();
    expect(chunks[0].slice(0, 4)).toEqual(['rx-0:1', 'rx-0:2', 'rx-1:1', 'rx-1:2']);
    expect(chunks.flat()).toHaveLength(80);
    inbox.stop();
  });

  it('takes a receiver with a backlog of its own a chunk at a time', async () => {
    const sizes: number[] = [];
    const inbox = new AckInbox((items) => {
      sizes.push(items.length);
    }, log);
    for (let i = 0; i < 1000; i++) inbox.push('rx-flood', Buffer.from('{}'));
    await inbox.checkAll();
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1000);
    inbox.stop();
  });
});
