/** Which emergency cuts what, and the order items wait in (queue-order.ts). */
import { describe, expect, it } from 'vitest';
import { byTurn, emergencyCuts } from '../../../firmware-bridge/agent/queue-order.js';
import type { PlayCommand } from '../../../controller/protocol/index.js';

const now = new Date('2026-12-01T13:00:00.000Z'); // 20:00 in Việt Nam
const command = (over: Partial<PlayCommand> = {}) =>
  ({
    priority: 'normal',
    issued_at: '2026-12-01T12:50:00.000Z',
    expires_at: '2026-12-01T13:30:00.000Z',
    media: { url: 'https://x/a.mp3', sha256: 'a'.repeat(64), size_bytes: 5, duration_ms: 20_000 },
    stream: null,
    ...over,
  }) as PlayCommand;
const older = command({ priority: 'emergency', issued_at: '2026-12-01T12:53:00.000Z' });
const newer = command({ priority: 'emergency', issued_at: '2026-12-01T13:00:00.000Z' });
/** What afterRestart gives an emergency it plays again from its start (on-air-recovery.test.ts). */
const replay = { replay: true } as const;

describe('emergencyCuts', () => {
  it('cuts anything below an emergency', () => {
    expect(emergencyCuts({ command: command() }, newer, now)).toBe(true);
    expect(emergencyCuts({ command: command({ priority: 'priority' }) }, newer, now)).toBe(true);
    expect(emergencyCuts({ command: command() }, command({ priority: 'priority' }), now)).toBe(false);
  });
  it('cuts an older emergency replayed after a restart, not a fresh one, nor a replay issued after it', () => {
    expect(emergencyCuts({ command: older, restart: replay }, newer, now)).toBe(true);
    expect(emergencyCuts({ command: older }, newer, now)).toBe(false); // two fresh ones: each heard whole
    expect(emergencyCuts({ command: newer, restart: replay }, older, now)).toBe(false);
    // Only queued at the restart (never sounded): not a replay.
    expect(emergencyCuts({ command: older, restart: {} }, newer, now)).toBe(false);
  });
  it('cuts nothing with an emergency past its window: it would only fail, and the warning it cut is lost', () => {
    const expired = { ...newer, expires_at: '2026-12-01T12:59:00.000Z' };
    expect(emergencyCuts({ command: older, restart: replay }, expired, now)).toBe(false);
    expect(emergencyCuts({ command: command() }, expired, now)).toBe(false);
  });
});

describe('byTurn', () => {
  const sorted = (items: { command: PlayCommand; restart?: typeof replay }[]) =>
    [...items].sort((a, b) => byTurn(a, b, now)).map((i) => i.command);
  it('puts a newer emergency ahead of an older one waiting to be replayed (it came in the start’s wait)', () => {
    expect(sorted([{ command: older, restart: replay }, { command: newer }])).toEqual([newer, older]);
  });
  it('keeps two fresh emergencies as they came, and levels in their order', () => {
    const normal = command();
    expect(sorted([{ command: normal }, { command: older }, { command: newer }])).toEqual([older, newer, normal]);
  });
});
