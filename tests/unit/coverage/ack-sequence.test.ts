import { describe, expect, it } from 'vitest';
import { AckSequence } from '../../../controller/coverage/ack-sequence.js';

const seq = () => new AckSequence({ wait_ms: 30_000, max_asks: 3 });

describe('AckSequence', () => {
  it('asks for nothing while numbers arrive in order, or out of order within the wait', () => {
    const s = seq();
    for (const n of [4, 5, 7, 6, 8]) s.observe('rx-a', n, 0);
    expect(s.due(60_000)).toEqual([]);
  });

  it('asks for a gap still open after the wait, once per wait, from the first missing number', () => {
    const s = seq();
    s.observe('rx-a', 0, 0);
    s.observe('rx-a', 2, 1_000);
    expect(s.due(30_000)).toEqual([]);
    expect(s.due(31_000)).toEqual([{ receiver_id: 'rx-a', from_seq: 1, asks: 1 }]);
    expect(s.due(40_000)).toEqual([]);
    expect(s.due(61_000)).toEqual([{ receiver_id: 'rx-a', from_seq: 1, asks: 2 }]);
    s.observe('rx-a', 1, 62_000);
    expect(s.due(200_000)).toEqual([]);
  });

  it('waits while the missing numbers keep coming in (an emergency ack sent ahead of a backlog), and asks once they stop', () => {
    const s = seq();
    s.observe('rx-a', 0, 0);
    s.observe('rx-a', 10, 1_000); // the emergency's ack, ahead of 1-9
    for (let n = 1; n <= 5; n++) s.observe('rx-a', n, n * 8_000); // the backlog drains slowly
    expect(s.due(45_000)).toEqual([]); // open 44 s, but the last missing number came 5 s ago
    expect(s.due(71_000)).toEqual([{ receiver_id: 'rx-a', from_seq: 6, asks: 1 }]); // 31 s without one
    for (let n = 6; n <= 9; n++) s.observe('rx-a', n, 72_000);
    expect(s.due(200_000)).toEqual([]);
  });

  it('never gives up a gap whose numbers still come in after stalls, however many asks the stalls cost', () => {
    const s = seq();
    s.observe('rx-a', 0, 0);
    s.observe('rx-a', 10, 0);
    let now = 0;
    for (let n = 1; n <= 9; n++) {
      // Each missing number comes in only after a stall long enough to be asked for, and for the
      // give-up's wait after the ask.
      now += 31_000;
      expect(s.due(now)).toHaveLength(1);
      now += 31_000;
      expect(s.giveUp(now)).toEqual([]);
      s.observe('rx-a', n, now);
    }
    expect(s.due(now + 200_000)).toEqual([]);
  });

  it('gives a gap up after the last ask, and goes on from the next number seen', () => {
    const s = seq();
    s.observe('rx-a', 0, 0);
    s.observe('rx-a', 3, 0);
    for (const t of [30_000, 60_000, 90_000]) expect(s.due(t)).toHaveLength(1);
    expect(s.giveUp(95_000)).toEqual([]); // the third ask has not had its wait yet
    expect(s.giveUp(120_000)).toEqual([{ receiver_id: 'rx-a', missing: [1, 2] }]);
    s.observe('rx-a', 4, 100_000);
    expect(s.due(300_000)).toEqual([]);
  });

  it('follows a receiver that starts counting again from zero (its state wiped)', () => {
    const s = seq();
    s.observe('rx-a', 500, 0);
    s.observe('rx-a', 0, 1_000);
    s.observe('rx-a', 1, 1_000);
    expect(s.due(100_000)).toEqual([]);
  });

  it('takes a redelivered first ack (0) for an old one, not for a receiver counting again', () => {
    const s = seq();
    for (const n of [0, 1, 2, 3]) s.observe('rx-a', n, 0);
    s.observe('rx-a', 0, 20_000, true); // its receipt was slow: the receiver sent it again
    s.observe('rx-a', 4, 21_000);
    for (const t of [60_000, 90_000, 120_000, 150_000]) expect(s.due(t)).toEqual([]);
    expect(s.giveUp(200_000)).toEqual([]);
  });
});
