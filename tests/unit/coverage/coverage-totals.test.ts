/**
 * A broadcast's coverage from the stages its receivers reported: a receiver that only sent the
 * audio on (a bridge: RTP, a stream, FM) is counted apart from the heard ones, its hamlet is not
 * reached, and every targeted receiver still lands in exactly one settled outcome.
 */
import { describe, expect, it } from 'vitest';
import { CoverageService } from '../../../controller/coverage/coverage-service.js';
import type { AcksRepository, ReceiverStages } from '../../../controller/coverage/acks-repository.js';
import type { Broadcast, BroadcastsReadModel } from '../../../controller/broadcasts/broadcasts-read-model.js';
import type { Hamlet, HamletsReadModel } from '../../../controller/hamlets/hamlets-read-model.js';
import type { Clock } from '../../../controller/clock.js';
import type { Db } from '../../../controller/db/database.js';

const ID = '743e6f7f-8e6d-45db-b7b7-67063682e957';
const t = '2026-11-25T21:00:01.000Z';
const expires = '2026-11-25T21:15:00.000Z';
const after = new Date('2026-11-25T21:20:00.000Z');

const hamlet = (id: string, households: number): Hamlet => ({
  id,
  name: `Thôn ${id}`,
  households,
  population: households * 4,
  lat: null,
  lon: null,
  quiet_start: null,
  quiet_end: null,
  created_at: t,
});
const hamlets = [hamlet('thon-1', 100), hamlet('thon-2', 80), hamlet('thon-3', 60), hamlet('thon-4', 40)];

const stages = (receiver_id: string, hamlet_id: string, s: Partial<ReceiverStages>): ReceiverStages => ({
  receiver_id,
  hamlet_id,
  name: receiver_id,
  presence: 'online',
  received_at: t,
  downloaded_at: null,
  started_at: null,
  finished_at: null,
  heard_at: null,
  failed_at: null,
  rejected_at: null,
  reason: null,
  retried_reason: null,
  detail: null,
  ...s,
});

function coverage(rows: ReceiverStages[], now = after) {
  const broadcast = { id: ID, expires_at: expires, target_json: JSON.stringify({ all: true }) } as Broadcast;
  const service = new CoverageService({
    broadcasts: { get: () => broadcast, targetsOf: () => [] } as BroadcastsReadModel,
    acks: {
      stagesOf: () => rows,
      playWindowOf: () => ({ expires_at: expires, duration_ms: 60_000, repeat_count: 1 }),
    } as unknown as AcksRepository,
    hamlets: {
      get: (id: string) => hamlets.find((h) => h.id === id),
      list: () => hamlets,
      missing: () => [],
    } as HamletsReadModel,
    clock: { now: () => now } as Clock,
    db: { prepare: () => ({ all: () => [] }) } as unknown as Db, // no stop-alls
  });
  return service.ofBroadcast(ID);
}

describe('coverage totals with receivers that only sent the audio on', () => {
  const rtp = 'rtp pcmu: sent to 2 addresses (239.1.1.1:5004, 239.1.1.2:5004); no receipt from devices';
  const c = coverage([
    // Thôn 1: a loudspeaker heard it, and a bridge sent it on: reached (by the loudspeaker).
    stages('rx-1a', 'thon-1', { started_at: t, finished_at: t, heard_at: t }),
    stages('br-1', 'thon-1', { started_at: t, finished_at: t, detail: rtp }),
    // Thôn 2: only a bridge, which sent it: not reached, said apart.
    stages('br-2', 'thon-2', { started_at: t, finished_at: t, detail: rtp }),
    // Thôn 3: a receiver that failed, and one that never answered.
    stages('rx-3a', 'thon-3', { started_at: t, failed_at: t, reason: 'player_error' }),
    stages('rx-3b', 'thon-3', { received_at: null, presence: 'offline' }),
  ]);

  it('counts sent apart from finished (heard), and keeps every receiver in one settled outcome', () => {
    expect(c.totals).toMatchObject({ targeted: 5, finished: 1, sent: 2, failed: 1, no_answer: 1, waiting: 0 });
    const { targeted, finished, sent, failed, rejected, no_answer } = c.totals;
    expect(targeted).toBe(finished + sent + failed + rejected + no_answer);
    expect(c.complete).toBe(true);
  });

  it("gives each receiver its outcome, and a bridge's detail with it", () => {
    const receivers = c.hamlets.flatMap((h) => h.receivers) as {
      receiver_id: string;
      outcome: string;
      detail: string | null;
    }[];
    expect(Object.fromEntries(receivers.map((r) => [r.receiver_id, r.outcome]))).toEqual({
      'rx-1a': 'finished',
      'br-1': 'sent',
      'br-2': 'sent',
      'rx-3a': 'failed',
      'rx-3b': 'no_answer',
    });
    expect(receivers.find((r) => r.receiver_id === 'br-2')!.detail).toBe(rtp);
  });

  it('reaches only the hamlets a loudspeaker confirmed; a hamlet with only a bridge is sent only, its households not reached', () => {
    const byId = Object.fromEntries(c.hamlets.map((h) => [h.hamlet_id, h]));
    expect(byId['thon-1']).toMatchObject({ reached: true, sent_only: false, totals: { finished: 1, sent: 1 } });
    expect(byId['thon-2']).toMatchObject({ reached: false, sent_only: true, totals: { finished: 0, sent: 1 } });
    expect(byId['thon-3']).toMatchObject({ reached: false, sent_only: false });
    expect(c).toMatchObject({
      hamlets_targeted: 4,
      hamlets_reached: 1,
      households_reached: 100,
      hamlets_sent_only: 1,
      households_sent_only: 80,
    });
    expect(c.without_receivers.map((h) => h.hamlet_id)).toEqual(['thon-4']);
  });

  it('is not complete while a receiver may still answer', () => {
    const rows = [stages('br-2', 'thon-2', { finished_at: t }), stages('rx-3a', 'thon-3', { received_at: null })];
    const open = coverage(rows, new Date('2026-11-25T21:10:00.000Z'));
    expect(open.totals).toMatchObject({ sent: 1, waiting: 1, no_answer: 0 });
    expect(open.complete).toBe(false);
    const closed = coverage(rows);
    expect(closed.totals).toMatchObject({ sent: 1, waiting: 0, no_answer: 1 });
    expect(closed.complete).toBe(true);
  });
});

describe('coverage totals while receivers hold the broadcast and have not started it', () => {
  it('counts them as holding it (downloading, or waiting behind an emergency), so every receiver is in one outcome', () => {
    const rows = [
      stages('rx-1a', 'thon-1', {}), // received
      stages('rx-1b', 'thon-1', { downloaded_at: t }), // ready, its turn not come
      stages('rx-1c', 'thon-1', { downloaded_at: t, started_at: t }),
    ];
    const open = coverage(rows, new Date('2026-11-25T21:00:30.000Z'));
    expect(open.totals).toMatchObject({ targeted: 3, holding: 2, playing: 1, waiting: 0 });
    const { targeted, finished, sent, playing, holding, unfinished, failed, rejected, waiting, no_answer } =
      open.totals;
    expect(targeted).toBe(finished + sent + playing + holding + unfinished + failed + rejected + waiting + no_answer);
  });
});

describe('coverage totals with a receiver that started and never reported an end', () => {
  // A one-minute item; expires 21:15, so every play of it has ended by 21:16 and the grace by 21:21.
  const rows = [
    stages('rx-1a', 'thon-1', { started_at: t, finished_at: t, heard_at: t }),
    stages('rx-1b', 'thon-1', { started_at: t, presence: 'offline' }),
  ];

  it('counts it unfinished, not playing, once it should have ended and is not connected: not final yet', () => {
    const c = coverage(rows, new Date('2026-11-25T21:05:00.000Z'));
    expect(c.totals).toMatchObject({ targeted: 2, finished: 1, playing: 0, unfinished: 1 });
    expect(c.complete).toBe(false);
    const receivers = c.hamlets.flatMap((h) => h.receivers) as { receiver_id: string; outcome: string }[];
    expect(receivers.find((r) => r.receiver_id === 'rx-1b')!.outcome).toBe('unfinished');
  });

  it('is complete once the play window and its grace are over, connected or not', () => {
    const online = [rows[0]!, { ...rows[1]!, presence: 'online' }];
    expect(coverage(online, new Date('2026-11-25T21:05:00.000Z')).totals).toMatchObject({ playing: 1, unfinished: 0 });
    const over = coverage(online, new Date('2026-11-25T21:21:01.000Z'));
    expect(over.totals).toMatchObject({ finished: 1, playing: 0, unfinished: 1 });
    expect(over.complete).toBe(true);
    // Heard where it finished; the unfinished one is never counted as heard.
    expect(over).toMatchObject({ hamlets_reached: 1, households_reached: 100 });
  });
});

describe('coverage totals: receivers not connected now', () => {
  // 21:05, the one-minute item over 30 s ago: a receiver gone mid-item is unfinished.
  const at = new Date('2026-11-25T21:05:00.000Z');

  it('counts an unfinished receiver that is not connected as offline: a hamlet whose only receiver died is not all zeros', () => {
    const c = coverage([stages('rx-2a', 'thon-2', { started_at: t, presence: 'offline' })], at);
    expect(c.totals).toMatchObject({ targeted: 1, unfinished: 1, offline: 1, waiting: 0, no_answer: 0 });
    expect(c.hamlets[0]!.totals).toMatchObject({ unfinished: 1, offline: 1 });
  });

  it('still counts the unanswered that are not connected, and never a connected or finished one', () => {
    const c = coverage(
      [
        stages('rx-1a', 'thon-1', { received_at: null, presence: 'offline' }),
        stages('rx-1b', 'thon-1', { received_at: null }),
        stages('rx-1c', 'thon-1', { started_at: t, finished_at: t, heard_at: t, presence: 'offline' }),
        stages('rx-1d', 'thon-1', { started_at: t, presence: 'unknown' }),
      ],
      at,
    );
    expect(c.totals).toMatchObject({ waiting: 2, finished: 1, unfinished: 1, offline: 2 });
  });
});
