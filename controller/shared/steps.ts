/**
 * Long passes that give way. A pass written as a generator yields now and then (every few hundred
 * rows); run to its end at once where nothing else waits (the command-line verifier, tests), or in
 * slices of a few milliseconds in the controller, whose thread must keep sending emergencies and
 * storing acks while a year of proof is walked.
 */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

/** A pass that yields between pieces of its work; its return value is its result. */
export type Steps<T> = Generator<void, T, void>;

/** How many rows a pass handles between two yields: a few hundred microseconds of work. */
export const ROWS_PER_STEP = 256;

/** Runs the pass to its end, now. */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export interface SliceOptions {
  /** The longest run of the pass before other work gets a turn. */
  sliceMs: number;
  /** While this says more than 0 ms, the pass waits that long before its next slice (an emergency going out). */
  pausedForMs?: () => number;
}

/** Runs the pass in slices of the event loop; other work runs between them. */
export async function runInSlices<T>(steps: Steps<T>, { sliceMs, pausedForMs }: SliceOptions): Promise<T> {
  try {
    for (;;) {
      const until = performance.now() + sliceMs;
      let r = steps.next();
      while (!r.done && performance.now() < until) r = steps.next();
      if (r.done) return r.value;
      await nextTurn();
      for (let wait = pausedForMs?.() ?? 0; wait > 0; wait = pausedForMs?.() ?? 0) await sleep(wait);
    }
  } finally {
    // Ended by an error: the pass's open statements are closed (its for-of loops return).
    steps.return(undefined as never);
  }
}
