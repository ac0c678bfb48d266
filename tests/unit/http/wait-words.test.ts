/** How long to wait after a 429, in words in each language (no English in the Vietnamese). */
import { describe, expect, it } from 'vitest';
import { waitWords } from '../../../controller/http/errors.js';

describe('waitWords', () => {
  it.each([
    [400, '1 giây', '1 second'],
    [1_000, '1 giây', '1 second'],
    [1_200, '2 giây', '2 seconds'],
    [59_000, '59 giây', '59 seconds'],
    [60_000, '1 phút', '1 minute'],
    [61_000, '2 phút', '2 minutes'],
    [600_000, '10 phút', '10 minutes'],
  ])('says %i ms as "%s" and "%s"', (ms, vi, en) => {
    expect(waitWords(ms)).toEqual({ vi, en });
  });
});
