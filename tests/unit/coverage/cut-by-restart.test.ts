import { describe, expect, it } from 'vitest';
import { cutByRestart } from '../../../controller/coverage/stage-columns.js';

// The one reading of "its restart has the last word": coverage, the as-run log, the console's and
// the exports' words and silent_from all follow it.
describe('cutByRestart', () => {
  const at = '2026-12-07T01:00:05.000Z';
  it('is true when the restart is its final word, failed or stopped', () => {
    expect(cutByRestart({ restarted_at: at, finished_at: null, failed_at: at })).toBe(true);
  });
  it('is false when it played again after the restart and then finished or failed', () => {
    const later = '2026-12-07T01:00:40.000Z';
    expect(cutByRestart({ restarted_at: at, finished_at: later, failed_at: null })).toBe(false);
    expect(cutByRestart({ restarted_at: at, finished_at: null, failed_at: later })).toBe(false);
  });
  it('is false with no restart, and while it has no final word yet', () => {
    expect(cutByRestart({ restarted_at: null, finished_at: null, failed_at: at })).toBe(false);
    expect(cutByRestart({ restarted_at: at, finished_at: null, failed_at: null })).toBe(false);
  });
});
