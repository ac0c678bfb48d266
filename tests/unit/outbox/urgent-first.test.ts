/**
 * Urgent first (issue 22): after an emergency or a stop goes out to a hamlet, ack receipts and
 * other courtesy messages wait their turn, so receivers take the urgent command before checking
 * thousands of receipts; the emergency itself, and commands that are not urgent, never wait.
 * And receipts go a few at a time, each signed when its turn comes.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { CommandPublisher } from '../../../controller/outbox/command-publisher.js';
import type { OutboxRepository, StoredCommand } from '../../../controller/outbox/outbox-repository.js';
import type { CommandSigner } from '../../../controller/protocol/signing.js';
import type { SignedCommand } from '../../../controller/protocol/messages.js';
import { AckIngestor } from '../../../controller/coverage/ack-ingestor.js';
import type { AcksRepository } from '../../../controller/coverage/acks-repository.js';
import { systemClock } from '../../../controller/clock.js';

const log = pino({ level: 'silent' });
const HOLD_MS = 300;

/** A broker link that records when each message went out, and answers each PUBACK after `ackMs`. */
function fakeBroker(ackMs = 0) {
  const sent: { topic: string; at: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    sent,
    maxInFlight: () => maxInFlight,
    async publish(topic: string) {
      sent.push({ topic, at: performance.now() });
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((r) => setTimeout(r, ackMs));
      inFlight--;
    },
  };
}

function publisherOn(broker: ReturnType<typeof fakeBroker>) {
  const repo = { markPublished: () => {} } as unknown as OutboxRepository;
  const publisher = new CommandPublisher({} as CommandSigner, broker, repo, systemClock, log);
  publisher.urgentFirstMs = HOLD_MS;
  return publisher;
}

const command = (type: 'play' | 'stop', priority: string, target: SignedCommand['target']) =>
  ({ type, priority, target, broadcast_id: 'b1', command_id: `c-${Math.random()}` }) as unknown as SignedCommand;
const stored = (c: SignedCommand): StoredCommand => ({
  id: c.command_id,
  broadcast_id: 'b1',
  type: c.type,
  topic: c.target.kind === 'hamlet' ? `tt/v1/cmd/hamlet/${c.target.id}` : `tt/v1/cmd/rx/${c.target.id}`,
  payload: JSON.stringify(c),
  created_at: new Date().toISOString(),
  expires_at: new Date(Date.now() + 60_000).toISOString(),
  published_at: null,
});
const receipt = (id: string) =>
  ({ type: 'ack_receipt', seqs: [1], target: { kind: 'receiver', id } }) as unknown as SignedCommand;

describe('urgent commands first', () => {
  it('holds receipts back for a moment after an emergency to a hamlet, never the emergency', async () => {
    const broker = fakeBroker();
    const publisher = publisherOn(broker);
    const start = performance.now();
    await publisher.publishStored(stored(command('play', 'emergency', { kind: 'hamlet', id: 'thon-1' })));
    await publisher.publishCourtesy(receipt('rx-1'));
    expect(broker.sent[0].topic).toBe('tt/v1/cmd/hamlet/thon-1');
    expect(broker.sent[0].at - start).toBeLessThan(HOLD_MS / 2);
    expect(broker.sent[1].at - start).toBeGreaterThanOrEqual(HOLD_MS - 5);
  });

  it('holds them after a stop to a hamlet, and after an emergency sent before its record is written', async () => {
    for (const urgent of [
      (p: CommandPublisher) => p.publishStored(stored(command('stop', 'normal', { kind: 'hamlet', id: 'thon-2' }))),
      (p: CommandPublisher) => p.publishEphemeral(command('play', 'emergency', { kind: 'hamlet', id: 'thon-2' })),
    ]) {
      const broker = fakeBroker();
      const publisher = publisherOn(broker);
      const start = performance.now();
      await urgent(publisher);
      await publisher.publishCourtesy(receipt('rx-2'));
      expect(broker.sent[1].at - start).toBeGreaterThanOrEqual(HOLD_MS - 5);
    }
  });

  it('does not hold them for a normal broadcast, nor for a command to one receiver', async () => {
    for (const c of [
      command('play', 'normal', { kind: 'hamlet', id: 'thon-1' }),
      command('play', 'emergency', { kind: 'receiver', id: 'rx-9' }),
    ]) {
      const broker = fakeBroker();
      const publisher = publisherOn(broker);
      const start = performance.now();
      await publisher.publishStored(stored(c));
      await publisher.publishCourtesy(receipt('rx-1'));
      expect(broker.sent[1].at - start).toBeLessThan(HOLD_MS / 2);
    }
  });

  it('lets held receipts go at once when the controller stops', async () => {
    const broker = fakeBroker();
    const publisher = publisherOn(broker);
    publisher.urgentFirstMs = 60_000;
    await publisher.publishStored(stored(command('play', 'emergency', { kind: 'hamlet', id: 'thon-1' })));
    const start = performance.now();
    const held = publisher.publishCourtesy(receipt('rx-1'));
    setTimeout(() => publisher.endCourtesyWait(), 50);
    await held;
    expect(performance.now() - start).toBeLessThan(1000);
    expect(broker.sent).toHaveLength(2);
  });
});

describe('receipts', () => {
  it('go a few at a time, every one of them, each signed when its turn comes', async () => {
    const broker = fakeBroker(2);
    const publisher = publisherOn(broker);
    let built = 0;
    publisher.build = ((body: object, target: SignedCommand['target']) => {
      built++;
      return { ...body, target } as SignedCommand;
    }) as CommandPublisher['build'];
    const ingestor = new AckIngestor({
      acks: {} as AcksRepository,
      publisher,
      keys: { receiverPems: () => [] },
      clock: systemClock,
      log,
    });
    const receipts = (ingestor as unknown as { receipts: Map<string, number[]> }).receipts;
    for (let i = 0; i < 1000; i++) receipts.set(`rx-${i}`, [1, 2]);
    const sending = (ingestor as unknown as { sendReceipts(): Promise<void> }).sendReceipts();
    // Signed in turns: the first turn's worth at once, not a thousand in one go.
    expect(built).toBeLessThanOrEqual(64);
    await sending;
    expect(broker.sent).toHaveLength(1000);
    expect(new Set(broker.sent.map((s) => s.topic)).size).toBe(1000);
    expect(broker.maxInFlight()).toBeLessThanOrEqual(64);
    await ingestor.stop();
  });
});
