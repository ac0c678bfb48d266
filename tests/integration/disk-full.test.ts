/**
 * A full disk, for real: the controller's data folder is a small tmpfs, filled to the last byte.
 * Ordinary work fails with a clear 507 and loses nothing; an emergency still goes out and plays;
 * its record, the audit entries and every ack are stored once the disk has room again.
 * Mounting needs root (as in CI); elsewhere the test says why it is skipped.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { broadcastConfirmed, startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let media: { id: string };
const agents: ReceiverAgent[] = [];
const disk = mkdtempSync(join(tmpdir(), 'tt-small-disk-'));
const filler = join(disk, 'filler.bin');
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', disk], { stdio: 'ignore' });
  mounted = true;
} catch {
  console.warn('disk-full test skipped: mounting a tmpfs needs root (CI runs as root)');
}

beforeAll(async () => {
  if (!mounted) return;
  tc = await startTestController({ data_dir: join(disk, 'data') });
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
  for (const id of ['rx-full-1', 'rx-full-2'])
    agents.push(await startTestAgent(tc, id, 'thon-1', { speed: 0.05, resend_after_ms: 1000 }));
  await waitFor(
    async () => (await tc.api('GET', '/api/receivers/rx-full-2')).body.status === 'online',
    'receivers online',
  );
});
afterAll(async () => {
  rmSync(filler, { force: true });
  await Promise.all(agents.map((a) => a.stop()));
  await tc?.close();
  if (mounted) execFileSync('umount', ['-l', disk]);
  rmSync(disk, { recursive: true, force: true });
});

/** Writes a file until the disk says "no space left". */
function fillTheDisk(): void {
  const fd = openSync(filler, 'w');
  const block = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, block);
  } catch (err) {
    expect((err as { code: string }).code).toBe('ENOSPC');
  } finally {
    closeSync(fd);
  }
  // The last few bytes too.
  const fd2 = openSync(filler, 'a');
  try {
    for (;;) writeSync(fd2, Buffer.alloc(512));
  } catch {
    // full
  } finally {
    closeSync(fd2);
  }
}
const makeRoom = () => rmSync(filler, { force: true });

describe.skipIf(!mounted)('a full disk', () => {
  it('refuses ordinary work with a clear 507, sends an emergency anyway, and stores everything once there is room', async () => {
    fillTheDisk();

    // Ordinary work: refused, saying what is wrong and what to do, in Vietnamese first.
    const normal = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-1'] } });
    expect(normal.status).toBe(507);
    expect(normal.body.error.code).toBe('disk_full');
    expect(normal.body.error.message).toContain('Ổ đĩa');
    expect(normal.body.error.message_en).toContain('disk is full');

    // The emergency: confirmation asked and given, the receivers play it.
    const playing = agents.map(
      (a) =>
        new Promise<string>((resolve) =>
          a.on(
            'playing',
            (c: { broadcast_id: string; priority: string }) => c.priority === 'emergency' && resolve(c.broadcast_id),
          ),
        ),
    );
    const sent = await broadcastConfirmed(tc, {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1'] },
      priority: 'emergency',
    });
    expect(sent.status).toBe(201);
    expect(sent.body.recorded).toBe(false);
    expect(sent.body.warning.code).toBe('disk_full_emergency_sent');
    const id = sent.body.id as string;
    expect(await Promise.all(playing)).toEqual([id, id]);

    const status = (await tc.api('GET', '/api/system/status')).body;
    expect(status.storage.disk_full_since).not.toBeNull();
    expect(status.storage.writes_waiting).toBeGreaterThanOrEqual(2); // the confirmation request's audit entry and the broadcast

    // Room again: the record, the audit entries and every ack are stored.
    makeRoom();
    await waitFor(
      async () => (await tc.api('GET', '/api/system/status')).body.storage.writes_waiting === 0,
      'deferred writes stored',
      20_000,
    );
    for (const rx of ['rx-full-1', 'rx-full-2']) {
      await waitFor(async () => (await coverageRow(tc, id, rx))?.outcome === 'finished', `${rx}'s acks stored`, 20_000);
    }
    await waitFor(() => agents.every((a) => a.pendingAckCount() === 0), 'every ack receipted', 20_000);
    const audit = (await tc.api('GET', '/api/audit?limit=50')).body.map((e: { action: string }) => e.action);
    expect(audit).toEqual(
      expect.arrayContaining(['broadcast.confirmation_requested', 'broadcast.created', 'broadcast.confirmed']),
    );
    const verify = await tc.api('GET', '/api/audit/verify');
    expect(verify.body.ok).toBe(true);
    expect((await tc.api('GET', '/api/system/status')).body.storage.disk_full_since).toBeNull();
    expect(tc.controller.db.pragma('integrity_check', { simple: true })).toBe('ok');
  }, 60_000);
});
