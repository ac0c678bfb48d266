/**
 * The big stop button (a stop of every hamlet, or of chosen ones) marks no broadcast stopped, yet
 * what it silenced will not play on: the period report says "stopped" at once, not "under way"
 * until the item's window closes (an outsider's finding), and the hamlet was stopped, not failed.
 * A real controller and agent; the report is read while the item's window is still open.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { SilentPlayer } from '../../firmware-bridge/agent/players.js';
import { FailingPlayer } from '../../firmware-bridge/simulator/fleet.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

const localDate = (at: Date) => DateTime.fromJSDate(at, { zone: 'Asia/Ho_Chi_Minh' }).toISODate()!;
let tc: TestController;
/** The controller's clock runs this far ahead of the real one (the last test moves past a window). */
let aheadMs = 0;
const clock = { now: () => new Date(Date.now() + aheadMs) };
let agent: ReceiverAgent;
let failing: ReceiverAgent;

beforeAll(async () => {
  tc = await startTestController({}, { overrides: { clock } });
  agent = await startTestAgent(tc, 'rx-a', 'thon-1', { speed: 30 }); // a minute for a 2 s tone: still sounding when stopped
  // Thôn Đoài's amplifier fails every play.
  failing = await startTestAgent(tc, 'rx-b', 'thon-2', { player: new FailingPlayer(new SilentPlayer(0.01), 1) });
}, 60_000);
afterAll(async () => {
  await agent?.stop();
  await failing?.stop();
  await tc?.close();
});

const report = async (from: Date) =>
  (await tc.api('GET', `/api/reports/period?kind=range&from=${localDate(from)}&to=${localDate(clock.now())}`)).body;

describe('a stop of hamlets in the period report', () => {
  it('an item silenced by the stop button is stopped at once, not under way, and its hamlet not failed', async () => {
    const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 2);
    const sentAt = new Date();
    const b = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1'] },
      expires_in_s: 3600, // its window stays open through the test
    });
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    await waitFor(async () => (await coverageRow(tc, b.body.id, 'rx-a'))?.outcome === 'playing', 'the item to play');
    const before = await report(sentAt);
    expect(before.totals).toMatchObject({ under_way: 1, stopped: 0 });
    // Under way is "not counted yet": not in the receivers' figures, nor in the hamlet's share played.
    expect(before.totals).toMatchObject({ receivers_targeted: 0, receivers_finished: 0 });
    const playing = before.hamlets.find((h: { hamlet_id: string }) => h.hamlet_id === 'thon-1');
    expect(playing).toMatchObject({ broadcasts: 1, share_played: null });
    expect(playing.not_reached).toMatchObject({ waiting: 1 });
    // The broadcast itself says so too: a stop of another hamlet is not its stop; a stop of its own hamlet is.
    const read = async () => (await tc.api('GET', `/api/broadcasts/${b.body.id}`)).body;
    expect((await tc.api('POST', '/api/broadcasts/stop', { hamlet_ids: ['thon-2'] })).status).toBe(202);
    expect(await read()).toMatchObject({ stopped_at: null, stop_all_sent_at: null, hamlets_stopped: [] });
    const stop = await tc.api('POST', '/api/broadcasts/stop', { hamlet_ids: ['thon-1'] });
    expect(stop.status).toBe(202);
    const sent = (await tc.api('GET', `/api/broadcasts/${b.body.id}`)).body;
    expect(sent.stopped_at).toBeNull(); // its own stop (POST /api/broadcasts/{id}/stop) was never pressed
    expect(Date.parse(sent.stop_all_sent_at)).toBeGreaterThan(sentAt.getTime());
    expect(sent.hamlets_stopped).toEqual([{ hamlet_id: 'thon-1', stop_sent_at: sent.stop_all_sent_at }]);
    await waitFor(async () => (await coverageRow(tc, b.body.id, 'rx-a'))?.reason === 'stopped', 'the item to stop');
    const after = await report(sentAt);
    expect(after.totals).toMatchObject({ broadcasts: 0, under_way: 0, stopped: 1, not_aired: 0 });
    // Stopped is counted neither as aired nor against the receivers: not in their figures either.
    expect(after.totals).toMatchObject({ receivers_targeted: 0, receivers_finished: 0 });
    // A receiver enrolled that never connected is said so, not given a bare 0 %.
    expect(
      (await tc.api('POST', '/api/receivers', { id: 'rx-silent', hamlet_id: 'thon-3', name: 'Im lặng' })).status,
    ).toBe(201);
    const withSilent = await report(sentAt);
    const uptimeOf = (id: string) => withSilent.receivers.find((r: { receiver_id: string }) => r.receiver_id === id);
    expect(uptimeOf('rx-silent')).toMatchObject({ enrolled: true, never_connected: true });
    expect(uptimeOf('rx-a')).toMatchObject({ enrolled: true, never_connected: false });
    const hamlet = after.hamlets.find((h: { hamlet_id: string }) => h.hamlet_id === 'thon-1');
    expect(hamlet.not_reached).toMatchObject({ stopped: 1, failed: 0, waiting: 0 });
  }, 60_000);

  it('a stop after receivers failed on their own leaves their fault a fault; an item every receiver ended is not under way; a failure is no share played', async () => {
    const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 2);
    const sentAt = new Date();
    const stoppedBefore = (await report(sentAt)).totals.stopped; // the test above's, on the same day
    const b = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-2'] },
      expires_in_s: 3600,
    });
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    await waitFor(async () => (await coverageRow(tc, b.body.id, 'rx-b'))?.outcome === 'failed', 'the play to fail');
    const thonDoai = (r: any) => r.hamlets.find((h: { hamlet_id: string }) => h.hamlet_id === 'thon-2');
    const failed = await report(sentAt);
    // Its window is open, but its only receiver has ended it: it will not play, it is not "under way".
    expect(failed.totals).toMatchObject({ under_way: 0, stopped: stoppedBefore });
    expect(thonDoai(failed).not_reached).toMatchObject({ failed: 1, waiting: 0, stopped: 0 });
    expect(thonDoai(failed).share_played).toBe(0);
    // The stop button, pressed afterwards, does not turn the fault into a stop.
    expect((await tc.api('POST', '/api/broadcasts/stop', { hamlet_ids: ['thon-2'] })).status).toBe(202);
    // Nor does the broadcast's record: it had ended there before the stop (an outsider saw finished emergencies "stopped").
    expect((await tc.api('GET', `/api/broadcasts/${b.body.id}`)).body).toMatchObject({
      hamlets_stopped: [],
      stop_all_sent_at: null,
    });
    const after = await report(sentAt);
    expect(after.totals).toMatchObject({ under_way: 0, stopped: stoppedBefore });
    expect(thonDoai(after).not_reached).toMatchObject({ failed: 1, stopped: 0 });
  }, 60_000);

  it('an item stopped in one hamlet and not yet taken in another is under way, not stopped: it may still play there', async () => {
    const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 2);
    const sentAt = new Date();
    // Thôn Đông's receiver plays it slowly; Thôn Nam's (rx-silent, above) has never connected.
    const b = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1', 'thon-3'] },
      priority: 'priority',
      expires_in_s: 3600,
    });
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    await waitFor(async () => (await coverageRow(tc, b.body.id, 'rx-a'))?.outcome === 'playing', 'Thôn Đông plays it');
    const before = (await report(sentAt)).totals;
    // Stopped in one of its two hamlets: the broadcast says where, and is not stopped everywhere.
    expect((await tc.api('POST', '/api/broadcasts/stop', { hamlet_ids: ['thon-1'] })).status).toBe(202);
    const half = (await tc.api('GET', `/api/broadcasts/${b.body.id}`)).body;
    expect(half.stop_all_sent_at).toBeNull();
    expect(half.hamlets_stopped.map((h: { hamlet_id: string }) => h.hamlet_id)).toEqual(['thon-1']);
    expect((await tc.api('POST', '/api/broadcasts/stop', {})).status).toBe(202);
    await waitFor(async () => (await coverageRow(tc, b.body.id, 'rx-a'))?.reason === 'stopped', 'Thôn Đông stops');
    const r = await report(sentAt);
    expect(r.totals.stopped).toBe(before.stopped);
    expect(r.totals.under_way).toBe(before.under_way);
    const urgent = r.urgent.find((u: { broadcast_id: string }) => u.broadcast_id === b.body.id);
    expect(urgent.hamlets_not_reached).toEqual([
      { hamlet_id: 'thon-1', name: 'Thôn Đông', reason: 'stopped' },
      { hamlet_id: 'thon-3', name: 'Thôn Nam', reason: 'waiting' },
    ]);
  }, 60_000);

  it('a hamlet whose receiver was not connected when the stop button was pressed: the stop is said sent and not confirmed, and the report keeps the item under way there (it may still start)', async () => {
    const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 2);
    const sentAt = new Date();
    // thon-3's only receiver (rx-silent, above) has never connected.
    const b = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-3'] },
      priority: 'priority',
      expires_in_s: 3600,
    });
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    expect((await coverageRow(tc, b.body.id, 'rx-silent'))?.outcome).toBe('waiting');
    await new Promise((r) => setTimeout(r, 20)); // a later instant than the item's
    expect((await tc.api('POST', '/api/broadcasts/stop', {})).status).toBe(202);
    // Not "stopped before it played": it has not taken the stop, and a receiver that gets the item
    // before its stop may start it meanwhile (session 19). It says the stop went out.
    const row = await coverageRow(tc, b.body.id, 'rx-silent');
    expect(row).toMatchObject({ outcome: 'waiting', reason: null, retrying: null });
    expect(row.stop_sent_at).toEqual(expect.any(String));
    const coverage = (await tc.api('GET', `/api/broadcasts/${b.body.id}/coverage`)).body;
    expect(coverage.totals).toMatchObject({ stopped: 0, stop_unconfirmed: 1 });
    // Not "stopped" in the report either: it may still start there (outsider, session 20).
    const during = await report(sentAt);
    const urgent = during.urgent.find((u: { broadcast_id: string }) => u.broadcast_id === b.body.id);
    expect(urgent.hamlets_not_reached).toEqual([{ hamlet_id: 'thon-3', name: 'Thôn Nam', reason: 'waiting' }]);
    expect(during.totals.under_way).toBeGreaterThanOrEqual(1);
    // Once nobody can start it any more (its window closed), a person's stop is what ended it there.
    aheadMs = Date.parse(b.body.expires_at) - Date.now() + 1000;
    const after = await report(sentAt);
    const ended = after.urgent.find((u: { broadcast_id: string }) => u.broadcast_id === b.body.id);
    expect(ended.hamlets_not_reached).toEqual([{ hamlet_id: 'thon-3', name: 'Thôn Nam', reason: 'stopped' }]);
  }, 60_000);
});
