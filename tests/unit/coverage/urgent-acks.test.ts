/**
 * The acks of an emergency or a stop go first in the controller too (issue 22): at 5,000 simulated
 * receivers up to 41,000 other acks waited in the controller's inbox while an emergency's proof came
 * in. Real Ed25519 keys and signatures; the repository is a recorder.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { AckInbox } from '../../../controller/coverage/ack-inbox.js';
import { AckIngestor } from '../../../controller/coverage/ack-ingestor.js';
import type { AcksRepository } from '../../../controller/coverage/acks-repository.js';
import { urgentAckTest } from '../../../controller/coverage/urgent-acks.js';
import { CommandPublisher } from '../../../controller/outbox/command-publisher.js';
import { OutboxRepository } from '../../../controller/outbox/outbox-repository.js';
import { openDatabase } from '../../../controller/db/database.js';
import { UrgentCommands } from '../../../controller/outbox/urgent-commands.js';
import { PROTOCOL_VERSION, type Ack } from '../../../controller/protocol/index.js';
import { CommandSigner, signAck } from '../../../controller/protocol/signing.js';
import { systemClock } from '../../../controller/clock.js';
import { signedRun } from '../../helpers/signed-acks.js';

const log = pino({ level: 'silent' });
const bytes = (ack: object) => Buffer.from(JSON.stringify(ack));

describe('which commands are urgent', () => {
  it("remembers an emergency's plays and stops, not normal or urgent-priority plays, receipts or operations", () => {
    const urgent = new UrgentCommands();
    urgent.note({ command_id: 'e', type: 'play', priority: 'emergency' });
    urgent.note({ command_id: 's', type: 'stop' });
    urgent.note({ command_id: 'n', type: 'play', priority: 'normal' });
    urgent.note({ command_id: 'u', type: 'play', priority: 'urgent' });
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
  it('notes each emergency play and stop it builds, and after a restart reads the unexpired ones from its outbox', () => {
    const dir = mkdtempSync(join(tmpdir(), 'urgent-'));
    try {
      const db = openDatabase(join(dir, 'c.sqlite'));
      const outbox = new OutboxRepository(db);
      const publisher = new CommandPublisher(
        CommandSigner.generate().signer,
        { publish: async () => {} },
        outbox,
        systemClock,
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
      const expiredStop = publisher.build(
        { type: 'stop', broadcast_id: null },
        { kind: 'hamlet', id: 'thon-1' },
        new Date(Date.now() - 1000),
      );
      expect([emergency, normal, stop].map((c) => publisher.urgent.has(c.command_id))).toEqual([true, false, true]);
      for (const c of [emergency, normal, stop, expiredStop]) publisher.store(c);
      db.close();

      // The restart: a new controller's list is read from the outbox (as controller/wiring/infrastructure.ts does).
      const again = new UrgentCommands();
      for (const c of new OutboxRepository(openDatabase(join(dir, 'c.sqlite'))).urgentCommands(
        new Date().toISOString(),
      ))
        again.note(c);
      expect([emergency, normal, stop, expiredStop].map((c) => again.has(c.command_id))).toEqual([
        true,
        false,
        true,
        false,
      ]);
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
  it('checks an urgent ack that came after thousands of others before them, and every ack once', async () => {
    const seen: string[] = [];
    const urgent = new UrgentCommands();
    urgent.note({ command_id: 'cmd-emergency', type: 'play', priority: 'emergency' });
    const inbox = new AckInbox(
      (items) => {
        seen.push(...items.map((i) => i.payload.toString()));
      },
      log,
      urgent,
    );
    const ack = (receiverId: string, commandId: string) =>
      JSON.stringify({ v: 1, receiver_id: receiverId, seq: 1, command_id: commandId });
    for (let i = 0; i < 3000; i++) inbox.push(`rx-${i}`, Buffer.from(ack(`rx-${i}`, 'cmd-normal')));
    inbox.push('rx-7', Buffer.from(ack('rx-7', 'cmd-emergency'))); // a receiver with a normal ack waiting too
    expect(await inbox.checkAll()).toBe(0);
    expect(seen.indexOf(ack('rx-7', 'cmd-emergency'))).toBe(0);
    expect(seen).toHaveLength(3001);
    expect(new Set(seen).size).toBe(3001);
  });
});

describe('an ingestor with a flood waiting when an emergency is acknowledged', () => {
  const key = generateKeyPairSync('ed25519');
  const pem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it("stores the emergency's ack and a stopped ack before the flood that came in first", async () => {
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
      tuning: { flush_ms: 5, max_batch: 2000, receipt_ms: 5 },
    });
    // 2,000 receivers' whole-commune acks, then one receiver's emergency ack and another's stopped ack.
    for (let r = 0; r < 2000; r++)
      for (const a of signedRun(`rx-${r}`, key.privateKey, ['received', 'downloaded']))
        ingestor.handle(`rx-${r}`, bytes(a));
    const own = (receiverId: string, fields: Partial<Ack>): Ack =>
      signAck(
        {
          v: PROTOCOL_VERSION,
          receiver_id: receiverId,
          seq: 9,
          command_id: randomUUID(),
          broadcast_id: null,
          stage: 'received',
          at: new Date().toISOString(),
          reason: null,
          detail: null,
          ...fields,
        },
        key.privateKey,
      );
    ingestor.handle('rx-1500', bytes(own('rx-1500', { command_id: emergencyId })));
    ingestor.handle('rx-1999', bytes(own('rx-1999', { stage: 'failed', reason: 'stopped' })));
    await ingestor.flush();
    await ingestor.stop();
    expect(stored).toHaveLength(4002);
    const at = (receiverId: string, seq: number) =>
      stored.findIndex((a) => a.receiver_id === receiverId && a.seq === seq);
    expect(at('rx-1500', 9)).toBeLessThan(2);
    expect(at('rx-1999', 9)).toBeLessThan(2);
    expect(at('rx-0', 1)).toBeGreaterThan(1); // the flood after them, in the order it came
    expect(at('rx-0', 1)).toBeLessThan(at('rx-1', 1));
  });
});
