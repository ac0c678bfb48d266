/**
 * Ack receipts go a few at a time, each signed when its turn comes (issue 22): thousands signed and
 * written in one go held the controller's event loop for 0.4-0.9 s and filled its link, and an
 * emergency published meanwhile waited behind them. One round at a time, so the limit holds
 * overall; a stopping controller gives its last receipts a moment, not for ever.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { CommandPublisher } from '../../../controller/outbox/command-publisher.js';
import type { OutboxRepository } from '../../../controller/outbox/outbox-repository.js';
import type { CommandSigner } from '../../../controller/protocol/signing.js';
import type { SignedCommand } from '../../../controller/protocol/messages.js';
import { AckIngestor } from '../../../controller/coverage/ack-ingestor.js';
import type { AcksRepository } from '../../../controller/coverage/acks-repository.js';
import { systemClock } from '../../../controller/clock.js';

const log = pino({ level: 'silent' });

/** A broker link that records each message and answers its PUBACK after `ackMs` (never, when null). */
function fakeBroker(ackMs: number | null) {
  const sent: { topic: string; payload: string }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    sent,
    maxInFlight: () => maxInFlight,
    async publish(topic: string, payload: string) {
      sent.push({ topic, payload });
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      if (ackMs === null) return new Promise<void>(() => {});
      await new Promise((r) => setTimeout(r, ackMs));
      inFlight--;
    },
  };
}

function ingestorOn(broker: ReturnType<typeof fakeBroker>) {
  const repo = { markPublished: () => {} } as unknown as OutboxRepository;
  const publisher = new CommandPublisher({} as CommandSigner, broker, repo, systemClock, log);
  const signed = { count: 0 };
  // Counts signatures: a receipt is built (signed) just before it is published.
  publisher.build = ((body: object, target: SignedCommand['target']) => {
    signed.count++;
    return { ...body, target } as SignedCommand;
  }) as CommandPublisher['build'];
  const ingestor = new AckIngestor({
    acks: {} as AcksRepository,
    publisher,
    keys: { receiverPems: () => [] },
    clock: systemClock,
    log,
  });
  const inside = ingestor as unknown as { receipts: Map<string, number[]>; sendReceipts(): Promise<void> };
  return { ingestor, signed, receipts: inside.receipts, send: () => inside.sendReceipts() };
}

describe('ack receipts', () => {
  it('go a few at a time, every one of them, each signed when its turn comes', async () => {
    const broker = fakeBroker(2);
    const { ingestor, signed, receipts, send } = ingestorOn(broker);
    for (let i = 0; i < 1000; i++) receipts.set(`rx-${i}`, [1, 2]);
    const sending = send();
    expect(signed.count).toBeLessThanOrEqual(64); // not a thousand signatures in one go
    await sending;
    expect(broker.sent).toHaveLength(1000);
    expect(new Set(broker.sent.map((s) => s.topic)).size).toBe(1000);
    expect(broker.maxInFlight()).toBeLessThanOrEqual(64);
    await ingestor.stop();
  });

  it('go one round at a time: acks stored meanwhile wait for the next round, one receipt per receiver', async () => {
    const broker = fakeBroker(5);
    const { ingestor, receipts, send } = ingestorOn(broker);
    for (let i = 0; i < 300; i++) receipts.set(`rx-${i}`, [1]);
    const first = send();
    // More acks stored, and the receipt timer firing again twice, while the first round is under way.
    for (let i = 0; i < 300; i++) receipts.set(`rx-${i}`, [2, 3]);
    const again = [send(), send()];
    await Promise.all([first, ...again]);
    expect(broker.maxInFlight()).toBeLessThanOrEqual(64);
    expect(broker.sent).toHaveLength(600); // two rounds of 300, not three or more
    const second = broker.sent.slice(300).map((s) => (JSON.parse(s.payload) as { seqs: number[] }).seqs);
    expect(second.every((seqs) => seqs.join() === '2,3')).toBe(true);
    await ingestor.stop();
  });

  it('do not hold up a stopping controller whose broker does not answer', async () => {
    const broker = fakeBroker(null);
    const { ingestor, signed, receipts } = ingestorOn(broker);
    for (let i = 0; i < 500; i++) receipts.set(`rx-${i}`, [1]);
    const start = performance.now();
    await ingestor.stop();
    expect(performance.now() - start).toBeLessThan(5000);
    const signedAtStop = signed.count;
    expect(signedAtStop).toBeLessThanOrEqual(64); // stuck behind the unanswered ones, none signed after
    await new Promise((r) => setTimeout(r, 100));
    expect(signed.count).toBe(signedAtStop);
  });
});
