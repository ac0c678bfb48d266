/**
 * The console's reading of one hamlet's coverage (controller/console/lib/hamlet-state.js): the
 * coverage table shows receivers that started and reported no end in a column of their own, and
 * the urgent desk's tile says "unfinished", not "offline", for a hamlet whose only receiver died
 * mid-item, now that `totals.offline` counts such receivers too.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the console's plain JavaScript module has no type declarations.
import { hamletCounts, hamletHeard, hamletState } from '../../../controller/console/lib/hamlet-state.js';

const zero = {
  targeted: 0,
  finished: 0,
  sent: 0,
  playing: 0,
  holding: 0,
  unfinished: 0,
  failed: 0,
  rejected: 0,
  waiting: 0,
  no_answer: 0,
  offline: 0,
  stopped: 0,
  preempted: 0,
};
type Row = { receiver_id: string; outcome: string; online: boolean };
const hamlet = (totals: Partial<typeof zero>, receivers: Row[]) => ({ totals: { ...zero, ...totals }, receivers });

describe('a hamlet whose only receiver died mid-item', () => {
  const h = hamlet({ targeted: 1, started: 1, unfinished: 1, offline: 1 } as Partial<typeof zero>, [
    { receiver_id: 'rx-1', outcome: 'unfinished', online: false },
  ]);

  it('is counted unfinished in the coverage table, not all zeros, and not "no answer"', () => {
    expect(hamletCounts(h)).toEqual({ in_progress: 0, failed: 0, stopped: 0, unfinished: 1, offline: 1, no_answer: 0 });
  });

  it('shows the unfinished state on the urgent desk, not offline', () => {
    expect(hamletState(h)).toBe('unfinished');
  });
});

describe('a hamlet with a receiver gone mid-item and one connected that has not answered', () => {
  const h = hamlet({ targeted: 2, unfinished: 1, waiting: 1, offline: 1 }, [
    { receiver_id: 'rx-1', outcome: 'unfinished', online: false },
    { receiver_id: 'rx-2', outcome: 'waiting', online: true },
  ]);

  it('is waiting (the unanswered one is connected), not offline', () => {
    expect(hamletState(h)).toBe('waiting');
  });

  it('counts the connected unanswered one as not answered yet', () => {
    expect(hamletCounts(h)).toMatchObject({ unfinished: 1, offline: 1, no_answer: 1 });
  });
});

describe('a hamlet whose unanswered receivers are all not connected', () => {
  it('is offline, as before', () => {
    const h = hamlet({ targeted: 2, waiting: 2, offline: 2 }, [
      { receiver_id: 'rx-1', outcome: 'waiting', online: false },
      { receiver_id: 'rx-2', outcome: 'waiting', online: false },
    ]);
    expect(hamletState(h)).toBe('offline');
    expect(hamletCounts(h)).toMatchObject({ offline: 2, no_answer: 0 });
  });
});

describe('a hamlet whose broadcast an emergency cut off', () => {
  it('counts the cut-off receivers with the stopped, never as failed, and says so on the desk', () => {
    const h = hamlet({ targeted: 2, failed: 2, preempted: 2 }, []);
    expect(hamletCounts(h)).toMatchObject({ failed: 0, stopped: 2 });
    expect(hamletState(h)).toBe('preempted');
  });

  it('still counts a receiver that failed on its own as failed beside one cut off', () => {
    const h = hamlet({ targeted: 2, failed: 2, preempted: 1 }, []);
    expect(hamletCounts(h)).toMatchObject({ failed: 1, stopped: 1 });
    expect(hamletState(h)).toBe('failed');
  });
});

describe('whether a hamlet heard it', () => {
  it('is "all" only when every receiver finished, "part" when some did', () => {
    expect(hamletHeard(hamlet({ targeted: 20, finished: 20 }, []))).toBe('all');
    expect(hamletHeard(hamlet({ targeted: 20, finished: 2, failed: 18, preempted: 18 }, []))).toBe('part');
    expect(hamletHeard(hamlet({ targeted: 20, sent: 20 }, []))).toBe('none');
    expect(hamletHeard(hamlet({ targeted: 0 }, []))).toBe('none');
  });
});

describe('a hamlet where a stop went out and its receivers have not taken it yet', () => {
  // They may still start the item before the stop reaches them (a receiver 25 s late played 8 s
  // of an emergency the desk called stopped, session 19): "stop sent", never "stopped".
  it('says the stop was sent, not that it stopped', () => {
    const h = hamlet({ targeted: 2, waiting: 2, offline: 1, stop_unconfirmed: 2 } as Partial<typeof zero>, [
      { receiver_id: 'rx-1', outcome: 'waiting', online: false },
      { receiver_id: 'rx-2', outcome: 'waiting', online: true },
    ]);
    expect(hamletState(h)).toBe('stop_sent');
  });

  it('is stopped once every receiver has taken the stop', () => {
    const h = hamlet({ targeted: 2, failed: 2, stopped: 2 }, [
      { receiver_id: 'rx-1', outcome: 'failed', online: true },
      { receiver_id: 'rx-2', outcome: 'failed', online: true },
    ]);
    expect(hamletState(h)).toBe('stopped');
  });

  it('is playing while one of them plays it anyway', () => {
    const h = hamlet({ targeted: 2, playing: 1, waiting: 1, stop_unconfirmed: 1 } as Partial<typeof zero>, [
      { receiver_id: 'rx-1', outcome: 'playing', online: true },
      { receiver_id: 'rx-2', outcome: 'waiting', online: true },
    ]);
    expect(hamletState(h)).toBe('playing');
  });
});

describe('a hamlet whose receivers hold the broadcast while an emergency plays first', () => {
  it('counts them in progress, with those playing, not in no column (an outsider saw 871 of 1,000 in none)', () => {
    const h = hamlet({ targeted: 4, finished: 1, playing: 1, holding: 2 }, [
      { receiver_id: 'rx-1', outcome: 'finished', online: true },
      { receiver_id: 'rx-2', outcome: 'playing', online: true },
      { receiver_id: 'rx-3', outcome: 'downloaded', online: true },
      { receiver_id: 'rx-4', outcome: 'received', online: true },
    ]);
    const n = hamletCounts(h);
    expect(n).toMatchObject({ in_progress: 3, failed: 0, no_answer: 0 });
    const columns = h.totals.finished + h.totals.sent + n.in_progress + n.failed + n.stopped + n.unfinished;
    expect(columns + n.no_answer + n.offline).toBe(h.totals.targeted);
  });
});

describe('a hamlet whose receiver lost its power mid-play', () => {
  it('counts it not connected, not also in progress: the columns still add up to those it was sent to', () => {
    const h = hamlet({ targeted: 3, finished: 1, playing: 2, offline: 1 } as Partial<typeof zero>, [
      { receiver_id: 'rx-1', outcome: 'finished', online: true },
      { receiver_id: 'rx-2', outcome: 'playing', online: true },
      { receiver_id: 'rx-3', outcome: 'playing', online: false },
    ]);
    const n = hamletCounts(h);
    expect(n).toMatchObject({ in_progress: 1, offline: 1, no_answer: 0 });
    const columns = h.totals.finished + h.totals.sent + n.in_progress + n.failed + n.stopped + n.unfinished;
    expect(columns + n.no_answer + n.offline).toBe(h.totals.targeted);
    expect(hamletState(h)).toBe('playing');
  });
});

describe('a hamlet where a person’s stop waits for every receiver still playing it', () => {
  it('says the stop is awaited, not "playing" (a power cut: they play by their last report)', () => {
    const h = hamlet(
      { targeted: 3, playing: 2, unfinished: 1, offline: 3, stop_unconfirmed: 3 } as Partial<typeof zero>,
      [
        { receiver_id: 'rx-1', outcome: 'playing', online: false },
        { receiver_id: 'rx-2', outcome: 'playing', online: false },
        { receiver_id: 'rx-3', outcome: 'unfinished', online: false },
      ],
    );
    expect(hamletState(h)).toBe('stop_sent');
  });

  it('still says "playing" while a receiver plays that no stop was sent to', () => {
    const h = hamlet({ targeted: 2, playing: 2, stop_unconfirmed: 0 } as Partial<typeof zero>, [
      { receiver_id: 'rx-1', outcome: 'playing', online: true },
      { receiver_id: 'rx-2', outcome: 'playing', online: true },
    ]);
    expect(hamletState(h)).toBe('playing');
  });
});
