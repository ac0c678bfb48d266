import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlayCommand } from '../../../controller/protocol/index.js';
import { DueHold } from '../../../firmware-bridge/agent/due-hold.js';
import type { ReconnectBacklog } from '../../../firmware-bridge/agent/reconnect-backlog.js';

const due = (id: string) => ({ command: { broadcast_id: id } as PlayCommand });

describe('what is due, while the broker hands over what it kept', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits, looks again, and the journal says when the wait began and how long it took, once each', () => {
    let waitMs = 5_000;
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    let looks = 0;
    const hold = new DueHold({ waitMs: () => waitMs, linked: true } as unknown as ReconnectBacklog, log, () => looks++);
    expect(hold.holds([due('b-1')])).toBe(true);
    expect(hold.holds([due('b-1')])).toBe(true); // one timer, one line
    vi.advanceTimersByTime(100);
    expect(looks).toBe(1);
    expect(hold.holds([due('b-1')])).toBe(true);
    waitMs = 0;
    expect(hold.holds([due('b-1')])).toBe(false);
    expect(hold.holds([due('b-1')])).toBe(false);
    expect(lines.map((l) => l.msg)).toEqual([
      'holding what is due until the commands the broker kept are in (a stop may be among them)',
      'the commands the broker kept are in: playing what is due',
    ]);
    expect(lines[0]).toMatchObject({ broadcast_ids: ['b-1'] });
    expect(lines[1]).toHaveProperty('waited_ms');
  });

  it('says so when the wait ended at its limit with no broker reached, not that the kept commands are in', () => {
    let waitMs = 10_000;
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const hold = new DueHold({ waitMs: () => waitMs, linked: false } as unknown as ReconnectBacklog, log, () => {});
    expect(hold.holds([due('b-1')])).toBe(true);
    waitMs = 0;
    expect(hold.holds([due('b-1')])).toBe(false);
    hold.stop();
    expect(lines[1]).toMatchObject({ level: 40 });
    expect(lines[1].msg).toMatch(/^no broker reached in time: playing what is due from the receiver's store/);
  });

  it('holds nothing when nothing is due, or there is no backlog to wait for; stop clears the timer', () => {
    const log = pino({ level: 'silent' });
    let looks = 0;
    expect(new DueHold(undefined, log, () => looks++).holds([due('b-1')])).toBe(false);
    const hold = new DueHold({ waitMs: () => 1_000 } as ReconnectBacklog, log, () => looks++);
    expect(hold.holds([])).toBe(false);
    expect(hold.holds([due('b-1')])).toBe(true);
    hold.stop();
    vi.advanceTimersByTime(1_000);
    expect(looks).toBe(0);
  });
});
