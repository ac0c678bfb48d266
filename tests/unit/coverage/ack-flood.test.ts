/**
 * A flood of acks through the ingestor (issue 22): signatures verified off the controller's thread
 * a few chunks at a time, each receiver's acks still queued in the order they came, and the flood
 * stored in a few large transactions rather than one every 20 ms (each commit's fsync holds the
 * thread). Real Ed25519 keys and signatures; the repository is a recorder.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { AckInbox } from '../../../controller/coverage/ack-inbox.js';
import { AckIngestor } from '../../../controller/coverage/ack-ingestor.js';
import type { AcksRepository } from '../../../controller/coverage/acks-repository.js';
import type { CommandPublisher } from '../../../controller/outbox/command-publisher.js';
import type { Ack, AckStage } from '../../../controller/protocol/index.js';
import { systemClock } from '../../../controller/clock.js';
import { signedRun } from '../../helpers/signed-acks.js';

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

describe('a stopping inbox with checks that finish later', () => {
  it('checks nothing more once checkAll has given up (a check finishing does not start another slice)', async () => {
    let checked = 0;
    const inbox = new AckInbox(async (items) => {
      await sleep(10);
      checked += items.length;
    }, log);
    for (let i = 0; i < 2000; i++) inbox.push(`rx-${i}`, Buffer.from('{}'));
    await sleep(5); // four chunks under way
    inbox.stop();
    const dropped = await inbox.checkAll(30);
    const atReturn = checked;
    expect(atReturn).toBeLessThan(2000);
    expect(dropped).toBe(2000 - atReturn);
    await sleep(100);
    expect(checked).toBe(atReturn);
  });
});

/** An ingestor whose stored batches and receipts are recorded; every receiver's key is `pem`. */
function recordingIngestor(
  pem: string,
  tuning = { flush_ms: 5, max_batch: 2000, receipt_ms: 5 },
  gap_wait_ms?: number,
) {
  const batches: Ack[][] = [];
  const receipted: string[] = [];
  /** As the acks table's key: a redelivered ack makes no second row. */
  const rows = new Set<string>();
  const ingestor = new AckIngestor({
    acks: {
      insertBatch: (acks: Ack[]) => {
        batches.push(acks);
        return acks.map((a) => {
          const key = `${a.receiver_id}/${a.command_id}/${a.stage}`;
          return !rows.has(key) && Boolean(rows.add(key));
        });
      },
    } as unknown as AcksRepository,
    publisher: {
      commandBroadcast: () => ({ broadcast_id: 'b-1' }),
      build: (body: { seqs: number[]; refused?: unknown[] }, target: { id: string }) => ({ ...body, target }),
      publishEphemeral: async (c: { target: { id: string }; seqs: number[]; refused?: unknown[] }) => {
        receipted.push(`${c.target.id}:${c.seqs.join(',')}${c.refused ? ' refused' : ''}`);
      },
    } as unknown as CommandPublisher,
    keys: { receiverPems: () => [pem] },
    clock: systemClock,
    log,
    tuning,
    gap_wait_ms,
  });
  return { ingestor, batches, receipted };
}

describe('an ingestor whose checks finish out of order or fail', () => {
  const key = generateKeyPairSync('ed25519');
  const pem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it("queues a receiver's acks in the order they came when a later chunk's check finishes first", async () => {
    const { ingestor, batches } = recordingIngestor(pem);
    const check = ingestor.door.check.bind(ingestor.door);
    let calls = 0;
    // The first chunk's verdicts come 50 ms late, the second's at once.
    ingestor.door.check = async (acks) => {
      const verdicts = await check(acks);
      if (calls++ === 0) await sleep(50);
      return verdicts;
    };
    const [first, second] = signedRun('rx-1', key.privateKey, ['received', 'downloaded']);
    ingestor.handle('rx-1', Buffer.from(JSON.stringify(first)));
    await sleep(10); // the first chunk is under way
    ingestor.handle('rx-1', Buffer.from(JSON.stringify(second)));
    await sleep(150);
    expect(batches.flat().map((a) => a.seq)).toEqual([1, 2]);
    await ingestor.stop();
  });

  it('neither stores nor refuses acks whose check itself failed: not receipted, so their receiver sends them again', async () => {
    const { ingestor, batches, receipted } = recordingIngestor(pem);
    const check = ingestor.door.check.bind(ingestor.door);
    let failures = 1;
    ingestor.door.check = (acks) => (failures-- > 0 ? Promise.reject(new Error('thread pool')) : check(acks));
    const run = signedRun('rx-1', key.privateKey, STAGES);
    for (const a of run) ingestor.handle('rx-1', Buffer.from(JSON.stringify(a)));
    await sleep(50);
    expect(batches).toEqual([]);
    expect(receipted).toEqual([]);
    expect(Object.values(ingestor.stats.refused).reduce((a, b) => a + b, 0)).toBe(0);
    for (const a of run) ingestor.handle('rx-1', Buffer.from(JSON.stringify(a))); // resent
    await sleep(50);
    expect(batches.flat().map((a) => a.seq)).toEqual([1, 2, 3, 4]);
    expect(receipted).toEqual(['rx-1:1,2,3,4']);
    await ingestor.stop();
  });
});

describe('an ingestor taking a flood', () => {
  it("stores a flood in a few large transactions, each receiver's acks in the order they came, every one once", async () => {
    const receivers = 1000;
    const key = generateKeyPairSync('ed25519');
    const pem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    // The controller's own timings: a batch stored 20 ms after its first ack, receipts every 250 ms.
    const { ingestor, batches } = recordingIngestor(pem, { flush_ms: 20, max_batch: 2000, receipt_ms: 250 });
    const flood: [string, Buffer][] = [];
    for (let r = 0; r < receivers; r++)
      for (const ack of signedRun(`rx-${r}`, key.privateKey, STAGES))
        flood.push([`rx-${r}`, Buffer.from(JSON.stringify(ack))]);
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

describe("an ingestor watching a receiver's ack numbers", () => {
  const key = generateKeyPairSync('ed25519');
  const pem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it("asks for no gap when a new receiver's first ack (0) comes again after the ones that followed it", async () => {
    // A slow receipt: the receiver sent its ack 0 again after 1..4 were stored. Read as a receiver
    // counting again, it once turned 1..3 into a gap given up as lost (2026-12-05 bench).
    const { ingestor } = recordingIngestor(pem, undefined, 300);
    ingestor.start();
    const [first, ...rest] = signedRun('rx-1', key.privateKey, STAGES, 0);
    const [next] = signedRun('rx-1', key.privateKey, ['received'], 4); // the next command's
    for (const a of [first, ...rest]) ingestor.handle('rx-1', Buffer.from(JSON.stringify(a)));
    await sleep(50);
    ingestor.handle('rx-1', Buffer.from(JSON.stringify(first))); // sent again
    await sleep(50);
    ingestor.handle('rx-1', Buffer.from(JSON.stringify(next)));
    await sleep(1_500); // the gap wait five times over
    expect(ingestor.stats.stored).toBe(5);
    expect(ingestor.stats.duplicates).toBe(1);
    expect(ingestor.stats.gaps_asked).toBe(0);
    expect(ingestor.stats.gaps_given_up).toBe(0);
    await ingestor.stop();
  });
});
