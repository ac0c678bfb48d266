import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../../../controller/coverage/coverage-service.js';
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
const before = new Date('2026-11-25T21:10:00.000Z');
const after = new Date('2026-11-25T21:20:00.000Z');

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
    expect(outcomeOf({ ...none, ...stages }, expires, now)).toBe(outcome);
  });
});
