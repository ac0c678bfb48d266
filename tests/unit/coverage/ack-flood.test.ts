/**
 * A flood of acks through the ingestor (issue 22): signatures verified off the controller's thread
 * a few chunks at a time, each receiver's acks still queued in the order they came, and the flood
 * stored in a few large transactions rather than one every 20 ms (each commit's fsync holds the
 * thread). Real Ed25519 keys and signatures; the repository is a recorder.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { AckInbox } from '../../../controller/coverage/ack-inbox.js';
import { AckIngestor } from '../../../controller/coverage/ack-ingestor.js';
import type { AcksRepository } from '../../../controller/coverage/acks-repository.js';
import type { CommandPublisher } from '../../../controller/outbox/command-publisher.js';
import { PROTOCOL_VERSION, type Ack, type AckStage } from '../../../controller/protocol/index.js';
import { ackDigest, signAck } from '../../../controller/protocol/signing.js';
import { systemClock } from '../../../controller/clock.js';

const log = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const STAGES: AckStage[] = ['received', 'downloaded', 'started', 'finished'];

describe('the ack inbox with checks that finish later', () => {
  it('hands over at most four chunks at a time, checks every ack once, and checkAll waits for the ones under way', async () => {
    let underWay = 0;
    let most = 0;
    const seen: string[] = [];
    const inbox = new AckInbox(async (items) => {
      underWay++;
      most = Math.max(most, underWay);
      await sleep(5);
      seen.push(...items.map((i) => i.receiverId));
      underWay--;
    }, log);
    for (let i = 0; i < 1000; i++) inbox.push(`rx-${i}`, Buffer.from('{}'));
    await sleep(20); // some under way
    expect(await inbox.checkAll()).toBe(0);
    expect(underWay).toBe(0);
    expect(most).toBeLessThanOrEqual(4);
    expect(new Set(seen).size).toBe(1000);
    expect(seen).toHaveLength(1000);
  });
});

describe('an ingestor taking a flood', () => {
  it("stores a flood in a few large transactions, each receiver's acks in the order they came, every one once", async () => {
    const receivers = 1000;
    const key = generateKeyPairSync('ed25519');
    const pem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const commandId = randomUUID();
    const batches: Ack[][] = [];
    const ingestor = new AckIngestor({
      acks: {
        insertBatch: (acks: Ack[]) => {
          batches.push(acks);
          return acks.length;
        },
      } as unknown as AcksRepository,
      publisher: {
        commandBroadcast: () => ({ broadcast_id: 'b-1' }),
        build: () => ({}),
        publishEphemeral: async () => {},
      } as unknown as CommandPublisher,
      keys: { receiverPems: () => [pem] },
      clock: systemClock,
      log,
    });
    const flood: [string, Buffer][] = [];
    for (let r = 0; r < receivers; r++) {
      let prev: string | undefined;
      STAGES.forEach((stage, i) => {
        const unsigned: Ack = {
          v: PROTOCOL_VERSION,
          receiver_id: `rx-${r}`,
          seq: i + 1,
          command_id: commandId,
          broadcast_id: null,
          stage,
          at: new Date(Date.UTC(2026, 11, 3, 8, 0, i)).toISOString(),
          reason: null,
          detail: null,
          ...(prev ? { prev } : {}),
        };
        prev = ackDigest(unsigned);
        flood.push([`rx-${r}`, Buffer.from(JSON.stringify(signAck(unsigned, key.privateKey)))]);
      });
    }
    // As a broker interleaves them: every receiver's "received", then every "downloaded"..., each
    // stage in a socket read of its own, so a receiver's acks are checked in different chunks.
    const started = performance.now();
    for (let s = 0; s < STAGES.length; s++) {
      for (const [id, payload] of flood.filter((_, i) => i % 4 === s)) ingestor.handle(id, payload);
      await new Promise((r) => setImmediate(r));
    }
    while (ingestor.stats.stored < receivers * 4 && performance.now() - started < 20_000) await sleep(10);
    const took = performance.now() - started;

    expect(ingestor.stats.stored).toBe(receivers * 4);
    expect(ingestor.door.stats.verified + ingestor.door.stats.vouched).toBe(receivers * 4);
    const stored = batches.flat();
    expect(new Set(stored.map((a) => `${a.receiver_id}/${a.seq}`)).size).toBe(receivers * 4);
    for (let r = 0; r < receivers; r++) {
      const seqs = stored.filter((a) => a.receiver_id === `rx-${r}`).map((a) => a.seq);
      expect(seqs, `rx-${r}`).toEqual([1, 2, 3, 4]);
    }
    // One transaction per 200 ms of the flood, or per 2,000 acks, at most; not one per 20 ms.
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(took / 200) + Math.ceil((receivers * 4) / 2000));
    await ingestor.stop();
  });
});
