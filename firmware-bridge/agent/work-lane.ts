/**
 * The order in which a receiver does what arrives, and how much of it at a time. An emergency or a
 * stop is handled before anything already waiting; a receipt, which only lets the receiver drop
 * acks from its disk, after everything else. Work runs in slices, one per turn of the event loop,
 * each after that turn's input has been read, so the link is read while a backlog is worked off,
 * and an emergency that arrives behind it is taken at once. A slice lasts as long as the rest of
 * the turn took (between MIN_SLICE_MS and MAX_SLICE_MS): the backlog and the input share the
 * processor half and half, and neither starves the other.
 *
 * A backlog comes after a reconnection (the broker hands over what it kept) or, in the simulator,
 * from thousands of receivers sharing one process. One lane per process: the simulator's receivers
 * share it as they share the processor; a real receiver has a process of its own.
 */
export type Turn = 'first' | 'then' | 'last';

const MIN_SLICE_MS = 2;
const MAX_SLICE_MS = 50;
const ORDER: Turn[] = ['first', 'then', 'last'];

class Fifo {
  private items: (() => void)[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(task: () => void): void {
    this.items.push(task);
  }
  shift(): (() => void) | undefined {
    const task = this.items[this.head];
    if (task === undefined) return undefined;
    this.items[this.head++] = undefined as never;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return task;
  }
}

const queues: Record<Turn, Fifo> = { first: new Fifo(), then: new Fifo(), last: new Fifo() };
let scheduled = false;
/** When the last slice ended: the rest of the turn since then is the input's share. */
let lastSliceEnd = 0;

/** Runs `task` in its turn: after the waiting tasks of its own and earlier turns, in the order given. */
export function inTurn(turn: Turn, task: () => void): void {
  queues[turn].push(task);
  if (!scheduled) {
    scheduled = true;
    lastSliceEnd = performance.now();
    setImmediate(runSlice);
  }
}

/** Tasks waiting in the lane (for tests). */
export function waitingInLane(): number {
  return ORDER.reduce((n, turn) => n + queues[turn].length, 0);
}

function nextTask(): (() => void) | undefined {
  for (const turn of ORDER) if (queues[turn].length > 0) return queues[turn].shift();
  return undefined;
}

function runSlice(): void {
  const start = performance.now();
  const until = start + Math.min(MAX_SLICE_MS, Math.max(MIN_SLICE_MS, start - lastSliceEnd));
  // At least one task per slice, so that a slow task cannot stall the lane.
  for (let task = nextTask(); task; task = performance.now() < until ? nextTask() : undefined) {
    try {
      task();
    } catch {
      // Each task reports its own failure (see its caller); the lane goes on.
    }
  }
  lastSliceEnd = performance.now();
  if (waitingInLane() === 0) scheduled = false;
  // Scheduled from inside an immediate, it runs on the next turn, after that turn's input.
  else setImmediate(runSlice);
}
