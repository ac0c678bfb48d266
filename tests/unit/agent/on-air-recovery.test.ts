/** What a receiver does, after a crash, with what was on air or queued: never left "started" for ever. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { afterRestart } from '../../../firmware-bridge/agent/on-air-recovery.js';
import { CUT_BY_RESTART } from '../../../controller/protocol/messages.js';
import type { PlayCommand } from '../../../controller/protocol/index.js';

const dir = mkdtempSync(join(tmpdir(), 'on-air-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cached = join(dir, 'cached.mp3');
writeFileSync(cached, 'audio');

const now = new Date('2026-12-01T13:00:00.000Z'); // 20:00 in Việt Nam
const command = (over: Partial<PlayCommand> = {}) =>
  ({
    priority: 'normal',
    expires_at: '2026-12-01T13:30:00.000Z',
    media: { url: 'https://x/a.mp3', sha256: 'a'.repeat(64), size_bytes: 5, duration_ms: 20_000 },
    stream: null,
    ...over,
  }) as PlayCommand;

describe('afterRestart', () => {
  it('plays an emergency cut off mid-play again from the start, saying it was interrupted', () => {
    const v = afterRestart({ command: command({ priority: 'emergency' }), file: cached, started: true }, now);
    expect(v.playAgain).toBe(true);
    // A stop that takes it before it plays again says the restart cut it, and nothing sounded after.
    expect(v.stopDetail).toBe(`${CUT_BY_RESTART}; stopped before it played again`);
    expect(v.replay, 'a newer emergency may cut it (queue-order.ts)').toBe(true);
    expect(v.ack).toEqual({
      stage: 'interrupted',
      reason: 'player_error',
      detail: `${CUT_BY_RESTART}: playing it again from the start`,
    });
  });

  it('plays again an item that asks to resume, and fails one that does not, with the reason', () => {
    expect(
      afterRestart({ command: command({ on_preempt: 'resume' }), file: cached, started: true }, now).playAgain,
    ).toBe(true);
    const dropped = afterRestart({ command: command(), file: cached, started: true }, now);
    expect(dropped).toEqual({
      playAgain: false,
      ack: { stage: 'failed', reason: 'player_error', detail: CUT_BY_RESTART },
    });
  });

  it('plays a queued item that had not started, without an ack of its own', () => {
    // Not a replay: it never sounded, so a newer emergency does not cut it.
    expect(afterRestart({ command: command(), file: cached, started: false }, now)).toEqual({ playAgain: true });
  });

  it('fails what is past its window once the start’s wait is over (a stop kept for it comes first), and what lost its cached audio', () => {
    const late = command({ priority: 'emergency', expires_at: '2026-12-01T12:59:59.000Z' });
    expect(afterRestart({ command: late, file: cached, started: true }, now)).toEqual({
      playAgain: false,
      late: { reason: 'player_error', detail: `${CUT_BY_RESTART}; its window has ended` },
      stopDetail: `${CUT_BY_RESTART}; its window has ended`,
    });
    expect(afterRestart({ command: late, file: cached, started: false }, now)).toEqual({
      playAgain: false,
      late: { reason: 'expired_before_start', detail: null },
    });
    const gone = afterRestart(
      { command: command({ priority: 'emergency' }), file: join(dir, 'gone.mp3'), started: true },
      now,
    );
    expect(gone).toMatchObject({ playAgain: false, ack: { stage: 'failed', reason: 'storage_error' } });
  });

  it('joins a live stream again: it has no cached file to miss', () => {
    const live = command({ priority: 'emergency', media: null, stream: { url: 'https://x/live' } as never });
    expect(afterRestart({ command: live, file: '', started: true }, now).playAgain).toBe(true);
  });
});
