import { describe, expect, it } from 'vitest';
// @ts-expect-error: the console's plain JavaScript module has no type declarations.
import { repeatsPlayed } from '../../../controller/console/lib/receiver-detail.js';

describe("the console's reading of a receiver's own words", () => {
  it('reads how many plays of a repeated item it gave in full, and keeps what follows', () => {
    expect(repeatsPlayed('played 1 of 3 times')).toEqual({ played: 1, times: 3, rest: null });
    expect(repeatsPlayed('played 2 of 3 times; cut at 12.5 s')).toEqual({ played: 2, times: 3, rest: 'cut at 12.5 s' });
    expect(repeatsPlayed('played 1 of 3 times, then: amplifier fault')).toEqual({
      played: 1,
      times: 3,
      rest: 'amplifier fault',
    });
  });

  it('leaves any other text to be said as the receiver said it', () => {
    expect(repeatsPlayed('rtp pcmu: sent to 1 address')).toBeNull();
    expect(repeatsPlayed(null)).toBeNull();
    expect(repeatsPlayed('played 1 of 3 times and more')).toBeNull();
  });
});
