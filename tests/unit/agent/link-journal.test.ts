import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LinkJournal } from '../../../firmware-bridge/agent/link-journal.js';

function journal() {
  const lines: Record<string, unknown>[] = [];
  let now = 0;
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { j: new LinkJournal(log, () => now), lines, later: (ms: number) => (now += ms) };
}

describe("the receiver's journal of its link", () => {
  it('says a failure once, not at every attempt, and again after five minutes with how many it did not say', () => {
    const { j, lines, later } = journal();
    for (let i = 0; i < 100; i++) {
      j.failed('connect ECONNREFUSED 127.0.0.1:1883');
      later(2_000);
    }
    // 100 attempts over 200 s: one line.
    expect(lines.map((l) => l.msg)).toEqual(['mqtt error']);
    later(100_000);
    j.failed('connect ECONNREFUSED 127.0.0.1:1883');
    expect(lines[1]).toMatchObject({ msg: 'mqtt error', err: 'connect ECONNREFUSED 127.0.0.1:1883', repeated: 99 });
  });

  it('says a different failure at once', () => {
    const { j, lines } = journal();
    j.failed('connect ECONNREFUSED 127.0.0.1:1883');
    j.failed('connect ETIMEDOUT 10.0.0.1:8883');
    j.failed('connect ECONNREFUSED 127.0.0.1:1883');
    expect(lines.map((l) => l.err)).toEqual([
      'connect ECONNREFUSED 127.0.0.1:1883',
      'connect ETIMEDOUT 10.0.0.1:8883',
      'connect ECONNREFUSED 127.0.0.1:1883',
    ]);
  });

  it('says the connection that ends it, with the attempts that failed before; then a failure is new again', () => {
    const { j, lines } = journal();
    for (let i = 0; i < 7; i++) j.failed('connect ECONNREFUSED 127.0.0.1:1883');
    j.connected(12);
    expect(lines[1]).toMatchObject({
      level: 30,
      msg: 'connected to the broker',
      session: 12,
      failed_attempts: 7,
      last_error: 'connect ECONNREFUSED 127.0.0.1:1883',
    });
    j.connected(13);
    expect(lines[2]).not.toHaveProperty('failed_attempts');
    j.failed('connect ECONNREFUSED 127.0.0.1:1883');
    expect(lines).toHaveLength(4);
  });
});
