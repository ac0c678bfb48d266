/**
 * The receiver's work lane (firmware-bridge/agent/work-lane.ts): an emergency or a stop before what
 * already waits, a receipt after it, and the link read between slices of a backlog.
 */
import { describe, expect, it } from 'vitest';
import { inTurn, waitingInLane } from '../../../firmware-bridge/agent/work-lane.js';

const laneEmpty = async () => {
  while (waitingInLane() > 0) await new Promise((r) => setTimeout(r, 1));
};
const busy = (ms: number) => {
  for (const until = performance.now() + ms; performance.now() < until;);
};

describe('the work lane', () => {
  it('runs the first turn before what waits, the last after it, each in the order given', async () => {
    const ran: string[] = [];
    inTurn('last', () => ran.push('receipt 1'));
    inTurn('then', () => ran.push('normal 1'));
    inTurn('first', () => ran.push('emergency 1'));
    inTurn('then', () => ran.push('normal 2'));
    inTurn('last', () => ran.push('receipt 2'));
    inTurn('first', () => ran.push('stop 1'));
    await laneEmpty();
    expect(ran).toEqual(['emergency 1', 'stop 1', 'normal 1', 'normal 2', 'receipt 1', 'receipt 2']);
  });

  it('lets the event loop read its input between slices of a backlog', async () => {
    const ran: string[] = [];
    for (let i = 0; i < 100; i++)
      inTurn('then', () => {
        busy(1);
        ran.push('work');
      });
    // Input that arrives meanwhile: in one go, the backlog would take 100 ms before it.
    setTimeout(() => ran.push('input'), 0);
    await laneEmpty();
    expect(ran).toHaveLength(101);
    expect(ran.indexOf('input')).toBeLessThan(20);
  });

  it('goes on after a task that throws', async () => {
    const ran: string[] = [];
    inTurn('then', () => {
      throw new Error('broken handler');
    });
    inTurn('then', () => ran.push('next'));
    await laneEmpty();
    expect(ran).toEqual(['next']);
  });
});
