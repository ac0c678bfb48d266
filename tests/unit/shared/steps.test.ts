/** Long passes run in slices: other work runs between them, a pause holds them, an error closes them. */
import { describe, expect, it } from 'vitest';
import { runInSlices, runToEnd, type Steps } from '../../../controller/shared/steps.js';

/** A pass of `n` steps, each about `stepMs` of busy work; records when each step ran. */
function* busyPass(n: number, stepMs: number, ran: number[], closed?: { done: boolean }): Steps<number> {
  try {
    for (let i = 0; i < n; i++) {
      const until = performance.now() + stepMs;
      while (performance.now() < until);
      ran.push(performance.now());
      yield;
    }
    return n;
  } finally {
    if (closed) closed.done = true;
  }
}

describe('runInSlices', () => {
  it('gives the event loop turns between slices and returns the pass result', async () => {
    const ran: number[] = [];
    let turns = 0;
    let done = false;
    const tick = () => {
      if (done) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    // 60 steps of 1 ms: at least 7 slices of 8 ms.
    const result = await runInSlices(busyPass(60, 1, ran), { sliceMs: 8 });
    done = true;
    expect(result).toBe(60);
    expect(ran).toHaveLength(60);
    expect(turns).toBeGreaterThanOrEqual(5);
  });

  it('takes no slice while paused, then goes on', async () => {
    const ran: number[] = [];
    const pausedUntil = performance.now() + 150;
    const started = performance.now();
    await runInSlices(busyPass(30, 1, ran), { sliceMs: 8, pausedForMs: () => pausedUntil - performance.now() });
    // The first slice runs before the pause is looked at; everything after it waits for the pause's end.
    const afterFirstSlice = ran.filter((t) => t - started > 20);
    expect(afterFirstSlice.length).toBeGreaterThan(0);
    expect(Math.min(...afterFirstSlice)).toBeGreaterThanOrEqual(pausedUntil - 1);
  });

  it('rejects with the pass error', async () => {
    function* failing(): Steps<number> {
      yield* busyPass(20, 1, []);
      throw new Error('a row could not be read');
    }
    await expect(runInSlices(failing(), { sliceMs: 8 })).rejects.toThrow('a row could not be read');
  });

  it('closes a pass it stops running midway (its open statements end)', async () => {
    const closed = { done: false };
    const ran: number[] = [];
    const pausedForMs = () => {
      throw new Error('stopping');
    };
    await expect(runInSlices(busyPass(100, 1, ran, closed), { sliceMs: 8, pausedForMs })).rejects.toThrow('stopping');
    expect(ran.length).toBeLessThan(100);
    expect(closed.done).toBe(true);
  });
});

describe('runToEnd', () => {
  it('runs the whole pass at once', () => {
    const ran: number[] = [];
    expect(runToEnd(busyPass(5, 0, ran))).toBe(5);
    expect(ran).toHaveLength(5);
  });
});
