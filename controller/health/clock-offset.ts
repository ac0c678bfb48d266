/**
 * A receiver's clock offset (its clock minus the controller's), judged from both directions so
 * that no delay passes for drift.
 *
 * - The receiver's own estimate (`clock_offset_ms`: the smallest "received minus issued" of the
 *   commands it took lately) is an upper bound: a command that waited on the way (queued by the
 *   broker while the link was down, or sent again to a receiver coming back) only makes it larger.
 *   A replayed broadcast that waited 5 minutes said "5 minutes ahead" of a receiver whose clock
 *   was right, and the alert opened (outsider, session 18).
 * - The telemetry's own `at`, against when the controller took it, is a lower bound: a message
 *   that waited on the way (a busy controller, a slow link) only makes it smaller.
 *
 * The offset is somewhere between the two; drift is judged on the value nearest zero, so a receiver
 * is said to be off only when both directions agree. When the fresh lower bound is above the
 * receiver's older estimate (its clock was stepped forward since), the fresh one wins.
 */
import type { Telemetry } from '../protocol/messages.js';

/** The offset in ms nearest zero that both bounds allow; positive: the receiver's clock is ahead. */
export function clockOffset(telemetry: Pick<Telemetry, 'at' | 'clock_offset_ms'>, receivedAt: Date): number {
  const lower = Date.parse(telemetry.at) - receivedAt.getTime();
  if (lower >= 0) return lower; // ahead by at least this much, whatever the receiver estimated
  const upper = telemetry.clock_offset_ms;
  if (upper !== undefined && upper < 0) return Math.max(upper, lower); // behind by at least |upper|
  return 0; // within what the delays on the way can explain
}
