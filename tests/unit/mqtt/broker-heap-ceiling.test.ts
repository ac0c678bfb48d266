/**
 * The embedded broker's thread does not inherit the controller's 256 MB heap ceiling: at 10,000
 * receivers it ran out under it, and every receiver was cut off until the thread restarted.
 */
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { brokerHeapCeilingMb } from '../../../controller/mqtt/embedded-broker.js';

describe("the broker thread's heap ceiling", () => {
  it('is at least 512 MB, and never below the process own', () => {
    expect(brokerHeapCeilingMb()).toBeGreaterThanOrEqual(512);
    expect(brokerHeapCeilingMb()).toBeGreaterThanOrEqual(Math.round(getHeapStatistics().heap_size_limit / 2 ** 20));
  });
});
