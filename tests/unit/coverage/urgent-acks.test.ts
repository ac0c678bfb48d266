/**
 * The acks of an emergency or a stop go first in the controller too (issue 22): at 5,000 simulated
 * receivers up to 41,000 other acks waited in the controller's inbox while an emergency's proof came
 * in. Real Ed25519 keys and signatures; the repository is a recorder, the outbox a real SQLite file.
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { AckInbox } from '../../../controller/coverage/ack-inbox.js';
import { AckIngestor } from '../../../controller/coverage/ack-ingestor.js';
import type { AcksRepository } from '../../../controller/coverage/acks-repository.js';
import { CommandPublisher } from '../../../controller/outbox/command-publisher.js';
import { OutboxRepository } from '../../../controller/outbox/outbox-repository.js';
import { openDatabase } from '../../../controller/db/database.js';
import { UrgentCommands, urgentAckTest } from '../../../controller/protocol/urgency.js';
import { PROTOCOL_VERSION, type Ack } from '../../../controller/protocol/index.js';
import { CommandSigner, ackDigest, signAck } from '../../../controller/protocol/signing.js';
import { systemClock } from '../../../controller/clock.js';
import { signedRun } from '../../helpers/signed-acks.js';

const log = pino({ level: 'silent' });
const bytes = (ack: object) => Buffer.from(JSON.stringify(ack));

/** One ack of `receiverId`, signed with `key`: a "received" of a new command unless `fields` say otherwise. */
const signedAck = (receiverId: string, key: KeyObject, fields: Partial<Ack>): Ack =>
  signAck(
    {
      v: PROTOCOL_VERSION,
      receiver_id: receiverId,
      seq: 1,
      command_id: randomUUID(),
      broadcast_id: null,
      stage: 'received',
      at: new Date().toISOString(),
      reason: null,
      detail: null,
      ...fields,
    } as Ack,
    key,
  );

/**
 * An ingestor whose stored acks are recorded, every receiver's key `pem`, with an emergency sent:
 * its command id is in the publisher's urgent commands.
 */
function ingestorWithEmergency(pem: string, gap_wait_ms?: number) {
  const stored: Ack[] = [];
  const urgent = new UrgentCommands();
  const emergencyId = randomUUID();
  urgent.note({ command_id: emergencyId, type: 'play', priority: 'emergency' });
  const ingestor = new AckIngestor({
    acks: {
      insertBatch: (acks: Ack[]) => {
        stored.push(...acks);
        return acks.map(() => true);
      },
    } as unknown as AcksRepository,
    publisher: {
      urgent,
      commandBroadcast: () => ({ broadcast_id: 'b-1' }),
      build: (body: object, target: object) => ({ ...body, target }),
      publishEphemeral: async () => {},
    } as unknown as CommandPublisher,
    keys: { receiverPems: () => [pem] },
    clock: systemClock,
    log,
    gap_wait_ms,
    tuning: { flush_ms: 5, max_batch: 2000, receipt_ms: 5 },
  });
  return { ingestor, stored, emergencyId };
}

describe('which commands are urgent', () => {
  it("remembers an emergency's plays and stops, not normal or priority plays, receipts or operations", () => {
    const urgent = new UrgentCommands();
    urgent.note({ command_id: 'e', type: 'play', priority: 'emergency' });
    urgent.note({ command_id: 's', type: 'stop' });
    urgent.note({ command_id: 'n', type: 'play', priority: 'normal' });
    urgent.note({ command_id: 'u', type: 'play', priority: 'priority' });
    urgent.note({ command_id: 'r', type: 'ack_receipt' });
    urgent.note({ command_id: 'o', type: 'op' });
    expect(['e', 's', 'n', 'u', 'r', 'o'].filter((id) => urgent.has(id))).toEqual(['e', 's']);
  });

  it('forgets the oldest first beyond 10,000', () => {
    const urgent = new UrgentCommands();
    for (let i = 0; i <= 10_000; i++) urgent.note({ command_id: `s-${i}`, type: 'stop' });
    expect(urgent.has('s-0')).toBe(false);
    expect(urgent.has('s-1')).toBe(true);
    expect(urgent.has('s-10000')).toBe(true);
  });
});

describe('the urgent commands a controller knows, across a restart', () => {
  it("notes each emergency play and stop it builds, and after a restart reads the day's from its outbox", () => {
    const dir = mkdtempSync(join(tmpdir(), 'urgent-'));
    try {
      const db = openDatabase(join(dir, 'c.sqlite'));
      const outbox = new OutboxRepository(db);
      const signer = CommandSigner.generate().signer;
      const publisher = new CommandPublisher(signer, { publish: async () => {} }, outbox, systemClock, log);
      // A day and an hour ago: too old for a restarted controller's list.
      const yesterday = new CommandPublisher(
        signer,
        { publish: async () => {} },
        outbox,
        { now: () => new Date(Date.now() - 25 * 3_600_000) } as typeof systemClock,
        log,
      );
      const inAnHour = new Date(Date.now() + 3_600_000);
      const play = (priority: string) =>
        publisher.build(
          {
            type: 'play',
            broadcast_id: randomUUID(),
            priority,
            media: {
              url: 'https://c/a.mp3',
              sha256: 'a'.repeat(64),
              size_bytes: 1,
              duration_ms: 1000,
              mime: 'audio/mpeg',
            },
            stream: null,
            play_at: null,
            volume_pct: 80,
            repeat_count: 1,
            repeat_interval_s: 0,
            drill: false,
          } as never,
          { kind: 'hamlet', id: 'thon-1' },
          inAnHour,
        );
      const emergency = play('emergency');
      const normal = play('normal');
      const stop = publisher.build({ type: 'stop', broadcast_id: null }, { kind: 'hamlet', id: 'thon-1' }, inAnHour);
      // Expired already: its acks may still come (a receiver back after a power cut), urgent all the same.
      const expiredStop = publisher.build(
        { type: 'stop', broadcast_id: null },
        { kind: 'hamlet', id: 'thon-1' },
        new Date(Date.now() - 1000),
      );
      const oldStop = yesterday.build({ type: 'stop', broadcast_id: null }, { kind: 'hamlet', id: 'thon-1' }, inAnHour);
      const made = [emergency, normal, stop, expiredStop, oldStop];
      expect(made.map((c) => publisher.urgent.has(c.command_id))).toEqual([true, false, true, true, false]);
      for (const c of made) publisher.store(c);
      db.close();

      // The restart: a new controller's list is read from the outbox (as controller/wiring/infrastructure.ts does).
      const reopened = openDatabase(join(dir, 'c.sqlite'));
      const again = new UrgentCommands();
      const aDayAgo = new Date(Date.now() - 24 * 3_600_000).toISOString();
      for (const id of new OutboxRepository(reopened).urgentCommandIds(aDayAgo)) again.add(id);
      reopened.close();
      expect(made.map((c) => again.has(c.command_id))).toEqual([true, false, true, true, false]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('which acks are urgent, read from their bytes', () => {
  const urgent = new UrgentCommands();
  urgent.note({ command_id: 'cmd-emergency', type: 'play', priority: 'emergency' });
  const test = urgentAckTest(urgent);
  const ack = (fields: object) => bytes({ v: 1, receiver_id: 'rx-1', seq: 3, ...fields });

  it("an urgent command's ack, and any saying what a stop ended", () => {
    expect(test(ack({ command_id: 'cmd-emergency', stage: 'received', reason: null }))).toBe(true);
    expect(test(ack({ command_id: 'cmd-normal', stage: 'failed', reason: 'stopped' }))).toBe(true);
  });

  it("not a normal command's, nor one with no command id, nor a cut-off payload", () => {
    expect(test(ack({ command_id: 'cmd-normal', stage: 'received', reason: null }))).toBe(false);
    expect(test(ack({ stage: 'received' }))).toBe(false);
    expect(test(Buffer.from('{"command_id":"cmd-emergen'))).toBe(false);
    // Another spelling is checked in its turn, not refused.
    expect(test(Buffer.from('{"command_id": "cmd-emergency"}'))).toBe(false);
  });

  it('with no list of commands, only the stopped ones', () => {
    expect(urgentAckTest(undefined)(ack({ command_id: 'cmd-emergency', reason: null }))).toBe(false);
    expect(urgentAckTest(undefined)(ack({ command_id: 'x', reason: 'stopped' }))).toBe(true);
  });
});

describe('the inbox with urgent acks', () => {
  const urgent = new UrgentCommands();
  urgent.note({ command_id: 'cmd-emergency', type: 'play', priority: 'emergency' });
  const ack = (receiverId: string, seq: number, commandId = 'cmd-normal') =>
    JSON.stringify({ v: 1, receiver_id: receiverId, seq, command_id: commandId });
  const recording = () => {
    const seen: string[] = [];
    const inbox = new AckInbox((items) => void seen.push(...items.map((i) => i.payload.toString())), log, urgent);
    return { seen, inbox, push: (receiverId: string, text: string) => inbox.push(receiverId, Buffer.from(text)) };
  };

  it('checks a receiver with an urgent ack before thousands that came first, its own earlier acks with it, in order', async () => {
    const { seen, push, inbox } = recording();
    for (let i = 0; i < 3000; i++) push(`rx-${i}`, ack(`rx-${i}`, 1));
    push('rx-7', ack('rx-7', 2, 'cmd-emergency'));
    push('rx-7', ack('rx-7', 3)); // after it: still this receiver's, still in order
    expect(await inbox.checkAll()).toBe(0);
    expect(seen.slice(0, 3)).toEqual([ack('rx-7', 1), ack('rx-7', 2, 'cmd-emergency'), ack('rx-7', 3)]);
    expect(seen).toHaveLength(3002);
    expect(new Set(seen).size).toBe(3002);
  });

  it('gives such a receiver one chunk first, then the rest of its backlog waits its turn behind the others', async () => {
    const { seen, push, inbox } = recording();
    for (let i = 0; i < 500; i++) push(`rx-${i}`, ack(`rx-${i}`, 1));
    push('rx-loud', ack('rx-loud', 1, 'cmd-emergency'));
    for (let k = 2; k <= 200; k++) push('rx-loud', ack('rx-loud', k));
    await inbox.checkAll();
    const loud = seen.map((text, i) => (text.includes('rx-loud') ? i : -1)).filter((i) => i >= 0);
    expect(loud.slice(0, 64)).toEqual([...Array(64).keys()]); // its first chunk first
    expect(loud[64]).toBeGreaterThan(seen.indexOf(ack('rx-499', 1))); // the rest after everyone else
    expect(seen.filter((t) => t.includes('rx-loud')).map((t) => JSON.parse(t).seq)).toEqual(
      [...Array(200).keys()].map((k) => k + 1),
    );
  });

  it('leaves a receiver with more than a chunk waiting where it is: its urgent ack waits behind its own backlog, in order', async () => {
    const { seen, push, inbox } = recording();
    for (let i = 0; i < 100; i++) push(`rx-${i}`, ack(`rx-${i}`, 1));
    for (let k = 1; k <= 100; k++) push('rx-busy', ack('rx-busy', k));
    push('rx-busy', ack('rx-busy', 101, 'cmd-emergency'));
    await inbox.checkAll();
    expect(seen.indexOf(ack('rx-busy', 1))).toBeGreaterThan(seen.indexOf(ack('rx-99', 1)));
    expect(seen.indexOf(ack('rx-busy', 101, 'cmd-emergency'))).toBe(seen.length - 1);
  });

  it('keeps room for urgent acks when the backlog is full', async () => {
    const { seen, push, inbox } = recording();
    for (let i = 0; i < 100_000; i++) push(`rx-${i % 5000}`, ack(`rx-${i % 5000}`, i));
    push('rx-late', ack('rx-late', 1)); // no room: left for its receiver to send again
    push('rx-late', ack('rx-late', 2, 'cmd-emergency'));
    await inbox.checkAll();
    expect(seen).toHaveLength(100_001);
    expect(seen).toContain(ack('rx-late', 2, 'cmd-emergency'));
    expect(seen).not.toContain(ack('rx-late', 1));
  });
});

describe('an ingestor with a flood waiting when an emergency is acknowledged', () => {
  const key = generateKeyPairSync('ed25519');
  const pem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it("stores the emergency's ack and a stopped ack before the flood that came in first", async () => {
    const { ingestor, stored, emergencyId } = ingestorWithEmergency(pem);
    // 2,000 receivers' whole-commune acks, then one receiver's emergency ack and another's stopped ack.
    for (let r = 0; r < 2000; r++)
      for (const a of signedRun(`rx-${r}`, key.privateKey, ['received', 'downloaded']))
        ingestor.handle(`rx-${r}`, bytes(a));
    const own = (receiverId: string, fields: Partial<Ack>) =>
      signedAck(receiverId, key.privateKey, { seq: 9, ...fields });
    ingestor.handle('rx-1500', bytes(own('rx-1500', { command_id: emergencyId })));
    ingestor.handle('rx-1999', bytes(own('rx-1999', { stage: 'failed', reason: 'stopped' })));
    await ingestor.flush();
    await ingestor.stop();
    expect(stored).toHaveLength(4002);
    const at = (receiverId: string, seq: number) =>
      stored.findIndex((a) => a.receiver_id === receiverId && a.seq === seq);
    // Each with its own two acks before it, in the order they came; the flood after them.
    expect(at('rx-1500', 1)).toBeLessThan(at('rx-1500', 9));
    expect(at('rx-1500', 9)).toBeLessThan(6);
    expect(at('rx-1999', 9)).toBeLessThan(6);
    expect(at('rx-0', 1)).toBeGreaterThan(5);
    expect(at('rx-0', 1)).toBeLessThan(at('rx-1', 1));
  });
});

describe("a new receiver's urgent ack behind its first acks", () => {
  const key = generateKeyPairSync('ed25519');
  const pem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it('reaches the gap tracker after them: no gap asked for, and the run checked with one signature', async () => {
    const { ingestor, emergencyId } = ingestorWithEmergency(pem, 100);
    ingestor.start();
    // A new receiver's first acks (0-3) and then its emergency's, chained to them as an agent chains.
    const run = signedRun('rx-new', key.privateKey, ['received', 'downloaded', 'started', 'finished'], 0);
    const emergencyAck = signedAck('rx-new', key.privateKey, {
      seq: 4,
      command_id: emergencyId,
      prev: ackDigest(run[3]),
    });
    // Behind 200 other receivers' acks, so that its first acks and its emergency's would fall in
    // different chunks were they not kept together.
    for (let r = 0; r < 200; r++)
      for (const a of signedRun(`rx-${r}`, key.privateKey, ['received', 'downloaded'], 0))
        ingestor.handle(`rx-${r}`, bytes(a));
    for (const a of [...run, emergencyAck]) ingestor.handle('rx-new', bytes(a));
    await new Promise((r) => setTimeout(r, 800)); // the gap wait several times over
    expect(ingestor.stats.stored).toBe(405);
    expect(ingestor.stats.gaps_asked).toBe(0);
    expect(ingestor.stats.gaps_given_up).toBe(0);
    expect(ingestor.door.stats.verified).toBe(201); // one per receiver's run
    await ingestor.stop();
  });
});

describe('while an emergency goes out (the moment acks give way)', () => {
  const key = generateKeyPairSync('ed25519');
  const pem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it('the inbox checks urgent receivers only, one chunk at a time, and the others once the moment is over', async () => {
    const urgent = new UrgentCommands();
    urgent.note({ command_id: 'cmd-emergency', type: 'play', priority: 'emergency' });
    const seen: string[] = [];
    let underWay = 0;
    let mostAtOnce = 0;
    const inbox = new AckInbox(
      async (items) => {
        mostAtOnce = Math.max(mostAtOnce, ++underWay);
        await new Promise((r) => setTimeout(r, 5));
        seen.push(...items.map((i) => i.receiverId));
        underWay--;
      },
      log,
      urgent,
    );
    let resumed = false;
    inbox.hold(500, () => (resumed = true));
    const ack = (receiverId: string, commandId: string) =>
      Buffer.from(JSON.stringify({ v: 1, receiver_id: receiverId, seq: 1, command_id: commandId }));
    for (let i = 0; i < 50; i++) inbox.push(`rx-normal-${i}`, ack(`rx-normal-${i}`, 'cmd-normal'));
    for (let i = 0; i < 200; i++) inbox.push(`rx-${i}`, ack(`rx-${i}`, 'cmd-emergency'));
    await new Promise((r) => setTimeout(r, 250));
    expect(resumed).toBe(false);
    expect(seen).toHaveLength(200);
    expect(seen.every((id) => !id.startsWith('rx-normal'))).toBe(true);
    expect(mostAtOnce).toBe(1);
    await new Promise((r) => setTimeout(r, 400));
    expect(resumed).toBe(true);
    expect(seen).toHaveLength(250);
  });

  it("the ingestor stores the emergency's own acks at once, and the others and every receipt after", async () => {
    const { ingestor, stored, emergencyId } = ingestorWithEmergency(pem);
    const receipts: string[] = [];
    (ingestor as unknown as { publisher: { publishEphemeral: () => Promise<void> } }).publisher.publishEphemeral =
      async () => void receipts.push('receipt');
    ingestor.giveWay(600);
    for (let r = 0; r < 20; r++)
      for (const a of signedRun(`rx-normal-${r}`, key.privateKey, ['received']))
        ingestor.handle(`rx-normal-${r}`, bytes(a));
    const emergencyAck = (receiverId: string) => signedAck(receiverId, key.privateKey, { command_id: emergencyId });
    for (let r = 0; r < 30; r++) ingestor.handle(`rx-${r}`, bytes(emergencyAck(`rx-${r}`)));
    await new Promise((r) => setTimeout(r, 300)); // half the moment
    expect(stored.map((a) => a.command_id)).toEqual(Array(30).fill(emergencyId));
    expect(receipts).toEqual([]); // receipts are no proof: they wait
    await new Promise((r) => setTimeout(r, 600));
    expect(stored).toHaveLength(50);
    expect(receipts.length).toBeGreaterThanOrEqual(50);
    await ingestor.stop();
  });
});
