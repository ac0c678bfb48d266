/**
 * Mosquitto loses a SIGHUP that arrives while it reloads: the controller writes its files once per
 * burst of enrolments and reloads, then reloads once more when the changes stop (issue 22: 10 of
 * 1,000 receivers enrolled in quick batches stayed unknown to the broker).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { followCredentialChanges, SETTLE_RELOAD_MS } from '../../../controller/mqtt/mosquitto-files.js';

afterEach(() => vi.useRealTimers());

describe('following credential changes with Mosquitto', () => {
  it('writes once per burst, and reloads once more after the last burst', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] });
    const done: string[] = [];
    const follow = followCredentialChanges(
      () => done.push('write+reload'),
      () => done.push('reload'),
      () => done.push('error'),
    );
    for (let i = 0; i < 10; i++) follow.changed(); // a batch of ten enrolments in one turn
    await vi.advanceTimersByTimeAsync(100);
    for (let i = 0; i < 10; i++) follow.changed(); // the next batch, during the first reload
    await vi.advanceTimersByTimeAsync(SETTLE_RELOAD_MS - 1);
    expect(done).toEqual(['write+reload', 'write+reload']);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toEqual(['write+reload', 'write+reload', 'reload']);
    await vi.advanceTimersByTimeAsync(10 * SETTLE_RELOAD_MS);
    expect(done).toHaveLength(3);
  });

  it('reports a failed write and still follows the next change', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] });
    const errors: unknown[] = [];
    let writes = 0;
    const follow = followCredentialChanges(
      () => {
        if (++writes === 1) throw new Error('disk full');
      },
      () => {},
      (err) => errors.push(err),
    );
    follow.changed();
    await vi.advanceTimersByTimeAsync(10);
    follow.changed();
    await vi.advanceTimersByTimeAsync(10);
    expect(writes).toBe(2);
    expect(errors).toHaveLength(1);
  });
});
