import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// `npm run test:night` (tests/run-at-hour.sh) runs the suite under libfaketime. Two of its
// settings keep that run honest and alive; this file checks them from inside the run.
const underFaketime = (process.env.LD_PRELOAD ?? '').includes('faketime');

describe.skipIf(!underFaketime)('the night run (npm run test:night)', () => {
  it("does not let libfaketime lock stat() across processes (a killed controller hung every later process's start)", () => {
    expect(process.env.NO_FAKE_STAT).toBe('1');
  });

  it('moves every process to the same wall clock (an offset, not a start time each process restarts)', () => {
    expect(process.env.FAKETIME).toMatch(/^[+-]\d+$/);
    // A child started now reads the clock this process reads, not the run's start time again.
    const before = Date.now();
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(Date.now()))'], {
      encoding: 'utf8',
    });
    const after = Date.now();
    const childNow = Number(child.stdout);
    expect(childNow).toBeGreaterThanOrEqual(before - 1000);
    expect(childNow).toBeLessThanOrEqual(after + 1000);
  });
});
