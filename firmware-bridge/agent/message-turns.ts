/**
 * Hands the link's messages to their handlers in short slices of the event loop, with the network
 * read between each. mqtt.js emits every message of a socket read at once; handled in that same
 * turn (or in one batch of setImmediate callbacks, which Node runs without reading the network in
 * between), a burst of commands holds the thread, and a message arriving meanwhile — an emergency —
 * is not even read until the whole burst is handled. One agent per receiver sees little of this;
 * the simulator's thousands of agents in one process see all of it, and so it is shared by every
 * agent in a process: they take turns, as receivers with processors of their own would not need to.
 */

/** A slice's length: long enough to keep the batching's throughput, short enough to read the network often. */
const SLICE_MS = 5;
const waiting: (() => void)[] = [];
let next = 0;
let scheduled = false;

/** Runs `work` on a later turn, after the work handed over before it. */
export function inTurn(work: () => void): void {
  waiting.push(work);
  if (!scheduled) {
    scheduled = true;
    setImmediate(runSlice);
  }
}

function runSlice(): void {
  const until = performance.now() + SLICE_MS;
  do {
    const work = waiting[next++];
    try {
      work();
    } catch {
      // A handler's own errors are its business (the link's handlers catch theirs); the turns go on.
    }
  } while (next < waiting.length && performance.now() < until);
  if (next === waiting.length) {
    waiting.length = 0;
    next = 0;
    scheduled = false;
    return;
  }
  if (next >= 1024) {
    waiting.splice(0, next);
    next = 0;
  }
  // Scheduled from inside an immediate, the next slice runs on the next turn: the network is read first.
  setImmediate(runSlice);
}
