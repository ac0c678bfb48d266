/** The clock offset judged between the receiver's estimate (an upper bound) and its telemetry's arrival (a lower bound). */
import { describe, expect, it } from 'vitest';
import { clockOffset } from '../../../controller/health/clock-offset.js';

const received = new Date('2026-12-03T03:00:00.000Z');
const sentAt = (ms: number) => new Date(received.getTime() + ms).toISOString();

describe('clockOffset', () => {
  it('takes no wait on the way for drift', () => {
    expect(clockOffset({ at: sentAt(-300), clock_offset_ms: 300_000 }, received)).toBe(0); // a replayed command
    expect(clockOffset({ at: sentAt(-4_000) }, received)).toBe(0); // a telemetry that waited in a busy controller
  });

  it('says ahead from the telemetry, and behind from the receiver, by at least what each proves', () => {
    expect(clockOffset({ at: sentAt(60_000), clock_offset_ms: 60_400 }, received)).toBe(60_000);
    expect(clockOffset({ at: sentAt(-200_600), clock_offset_ms: -200_000 }, received)).toBe(-200_000);
    expect(clockOffset({ at: sentAt(-200_600) }, received)).toBe(0); // behind cannot be told without an estimate
  });

  it('trusts the fresh telemetry over an older estimate when they disagree (a clock stepped since)', () => {
    expect(clockOffset({ at: sentAt(-1_000), clock_offset_ms: -200_000 }, received)).toBe(-1_000);
    expect(clockOffset({ at: sentAt(30_000), clock_offset_ms: 10_000 }, received)).toBe(30_000);
  });
});
