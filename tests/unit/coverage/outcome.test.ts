import { describe, expect, it } from 'vitest';
import { outcomeOf, playWindowOver } from '../../../controller/coverage/outcome.js';
import type { PlayWindow } from '../../../controller/coverage/stage-columns.js';
import type { ReceiverStages } from '../../../controller/coverage/acks-repository.js';

const none: ReceiverStages = {
  receiver_id: 'rx-a',
  hamlet_id: 'thon-1',
  name: null,
  received_at: null,
  downloaded_at: null,
  started_at: null,
  finished_at: null,
  heard_at: null,
  failed_at: null,
  rejected_at: null,
  reason: null,
  retried_reason: null,
};
const t = '2026-11-25T21:00:01.000Z';
const expires = '2026-11-25T21:15:00.000Z';
// A two-minute item played once.
const window: PlayWindow = { expires_at: expires, duration_ms: 120_000, repeat_count: 1 };
const before = new Date('2026-11-25T21:10:00.000Z');
const after = new Date('2026-11-25T21:20:00.000Z');
const at = (iso: string) => new Date(iso);

describe('outcomeOf', () => {
  it.each([
    ['nothing yet, still valid', {}, before, 'waiting'],
    ['nothing, expired', {}, after, 'no_answer'],
    ['received only', { received_at: t }, after, 'received'],
    ['downloaded', { received_at: t, downloaded_at: t }, before, 'downloaded'],
    ['started', { received_at: t, downloaded_at: t, started_at: t }, before, 'playing'],
    ['finished', { received_at: t, downloaded_at: t, started_at: t, finished_at: t, heard_at: t }, after, 'finished'],
    ['finished, acks arrived out of order', { finished_at: t, heard_at: t }, before, 'finished'],
    // A bridge: the audio left it (RTP, a stream, FM), nobody confirmed sound.
    ['finished, only sent on', { received_at: t, started_at: t, finished_at: t }, after, 'sent'],
    ['only sent on, acks out of order', { finished_at: t }, before, 'sent'],
    [
      'failed after starting',
      { received_at: t, started_at: t, failed_at: t, reason: 'player_error' },
      before,
      'failed',
    ],
    ['rejected', { rejected_at: t, reason: 'expired' }, before, 'rejected'],
  ] as const)('%s -> %s', (_what, stages, now, outcome) => {
    expect(outcomeOf({ ...none, ...stages }, window, now)).toBe(outcome);
  });
});

describe('a receiver that started and never reported an end', () => {
  const started = { ...none, received_at: t, downloaded_at: t, started_at: t };
  // The latest it can end: started at the very last moment (expires_at), two minutes long.
  const lastEnd = Date.parse(expires) + 120_000;

  describe('once the play window is over (it may have started as late as expires_at, then played its length)', () => {
    it('is playing up to the end of the window and its grace, unfinished after, connected or not', () => {
      for (const presence of [undefined, 'online', 'offline']) {
        const s = { ...started, presence };
        expect(outcomeOf(s, window, new Date(lastEnd + 4 * 60_000)), String(presence)).toBe(
          presence === 'offline' ? 'unfinished' : 'playing',
        );
        expect(outcomeOf(s, window, new Date(lastEnd + 5 * 60_000 + 1)), String(presence)).toBe('unfinished');
      }
    });

    it('counts every repeat and the pauses between them', () => {
      const repeated: PlayWindow = { ...window, repeat_count: 3, repeat_interval_s: 60 };
      const end = Date.parse(expires) + 3 * 120_000 + 2 * 60_000;
      expect(outcomeOf(started, repeated, new Date(end + 4 * 60_000))).toBe('playing');
      expect(outcomeOf(started, repeated, new Date(end + 5 * 60_000 + 1))).toBe('unfinished');
      expect(playWindowOver(repeated, new Date(end + 4 * 60_000))).toBe(false);
      expect(playWindowOver(repeated, new Date(end + 5 * 60_000 + 1))).toBe(true);
    });

    it('gives a live stream (no length) hours past its window', () => {
      const live: PlayWindow = { expires_at: expires, duration_ms: null, repeat_count: 1 };
      expect(outcomeOf(started, live, at('2026-11-25T23:00:00.000Z'))).toBe('playing');
      expect(outcomeOf(started, live, at('2026-11-26T00:15:01.000Z'))).toBe('unfinished');
    });
  });

  describe('when it is known not to be connected', () => {
    const offline = { ...started, presence: 'offline' };
    // Its item (two minutes from t) would have ended at 21:02:01; its "finished" would be here 30 s later.
    it('is playing while its item may still sound, unfinished once it should have ended', () => {
      expect(outcomeOf(offline, window, at('2026-11-25T21:02:20.000Z'))).toBe('playing');
      expect(outcomeOf(offline, window, at('2026-11-25T21:02:32.000Z'))).toBe('unfinished');
      // Its state unknown (it never said) is not connected either; connected, it is still playing.
      expect(outcomeOf({ ...offline, presence: 'unknown' }, window, at('2026-11-25T21:02:32.000Z'))).toBe('unfinished');
      expect(outcomeOf({ ...offline, presence: 'online' }, window, at('2026-11-25T21:02:32.000Z'))).toBe('playing');
    });

    it('is unfinished at once for a live stream: it cannot play one without its link', () => {
      const live: PlayWindow = { expires_at: expires, duration_ms: null, repeat_count: 1 };
      expect(outcomeOf(offline, live, at('2026-11-25T21:00:05.000Z'))).toBe('unfinished');
      expect(outcomeOf({ ...offline, presence: 'online' }, live, at('2026-11-25T21:00:05.000Z'))).toBe('playing');
    });

    it('is not final: the window is not over, so a late end can still come', () => {
      expect(playWindowOver(window, at('2026-11-25T21:02:32.000Z'))).toBe(false);
    });
  });

  it('an end reported late wins (it played on alone and said so when it was back)', () => {
    const late = '2026-11-25T21:02:01.000Z';
    const farAfter = new Date(lastEnd + 60 * 60_000);
    for (const presence of ['offline', 'online']) {
      expect(outcomeOf({ ...started, presence, finished_at: late, heard_at: late }, window, farAfter)).toBe('finished');
      expect(outcomeOf({ ...started, presence, finished_at: late }, window, farAfter)).toBe('sent');
      expect(outcomeOf({ ...started, presence, failed_at: late, reason: 'player_error' }, window, farAfter)).toBe(
        'failed',
      );
    }
  });
});
