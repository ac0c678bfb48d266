/**
 * A receiver that dies mid-item and never comes back: coverage must not say "playing" for ever.
 * Once its item should have ended and it is not connected it is "unfinished" (not final: it may
 * have played on alone and report later), and once the play window is over it is settled as
 * unfinished: the broadcast is complete, nobody counts it heard. The urgent desk's event stream
 * shows the change without an ack arriving. The controller's clock is the test's to move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let media: { id: string };
let shiftMs = 0;
const clock = { now: () => new Date(Date.now() + shiftMs) };
const agents: ReceiverAgent[] = [];

beforeAll(async () => {
  tc = await startTestController({}, { overrides: { clock } });
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 2);
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await tc?.close();
});

/** Reads a broadcast's event stream until `until` holds; the events so far. */
async function readEvents(path: string, until: (events: { event: string; data: any }[]) => boolean, timeoutMs: number) {
  const res = await fetch(tc.url + path, {
    headers: { authorization: `Bearer ${tc.token}` },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const events: { event: string; data: any }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
    if (until(events)) break;
  }
  return events;
}

const presence = async (id: string) => (await tc.api('GET', `/api/receivers/${id}`)).body.status;

describe('a receiver that dies mid-item', () => {
  it('is unfinished once its item should have ended, not playing for ever; settled when the window is over', async () => {
    // Slow: the 2 s item takes 40 s on this receiver, so it is surely mid-item when it dies.
    const dying = await startTestAgent(tc, 'rx-dies', 'thon-1', { speed: 20 });
    agents.push(dying);
    const alive = await startTestAgent(tc, 'rx-lives', 'thon-1', { speed: 20 });
    agents.push(alive);
    await waitFor(async () => (await presence('rx-dies')) === 'online', 'online');
    const sent = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-1'] } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const id = sent.body.id as string;
    await waitFor(
      async () =>
        (await coverageRow(tc, id, 'rx-dies'))?.outcome === 'playing' &&
        (await coverageRow(tc, id, 'rx-lives'))?.outcome === 'playing',
      'both to start',
    );

    // It dies: no end reported, its link gone.
    await dying.stop();
    await waitFor(async () => (await presence('rx-dies')) === 'offline', 'the broker to see it gone');
    // Its item may still be sounding (it could play on alone): playing, for now.
    expect((await coverageRow(tc, id, 'rx-dies')).outcome).toBe('playing');

    // The desk watches; once it has its first picture a minute passes (the 2 s item long over),
    // and no ack comes: the stream says it on its own within a heartbeat.
    const events = await readEvents(
      `/api/broadcasts/${id}/events`,
      (e) => {
        if (e.length > 0) shiftMs = 60_000;
        return e.some((x) => x.event === 'coverage' && x.data.totals.unfinished === 1);
      },
      25_000,
    );
    const coverage = events.filter((e) => e.event === 'coverage');
    expect(coverage[0]!.data.totals).toMatchObject({ playing: 2, unfinished: 0 });
    const last = coverage.at(-1)!.data;
    expect(last.totals).toMatchObject({ targeted: 2, playing: 1, unfinished: 1, finished: 0 });
    // Not final: it may still report, so the stream goes on.
    expect(last.complete).toBe(false);
    expect(events.some((e) => e.event === 'complete')).toBe(false);
    const row = await coverageRow(tc, id, 'rx-dies');
    expect(row).toMatchObject({ outcome: 'unfinished', online: false });
    // The one still connected may still be playing: it stays so until the window is over.
    expect((await coverageRow(tc, id, 'rx-lives')).outcome).toBe('playing');

    // Past the window (the latest start, its length, the grace): settled as unfinished, never heard.
    const expires = Date.parse(last.expires_at);
    shiftMs = expires + 2_000 + 5 * 60_000 + 60_000 - Date.now();
    const over = (await tc.api('GET', `/api/broadcasts/${id}/coverage`)).body;
    expect(over.complete).toBe(true);
    expect(over.totals).toMatchObject({ finished: 0, playing: 0, unfinished: 2 });
    expect(over.hamlets_reached).toBe(0);

    // The as-run log says so too, in the broadcast's own week (wherever the test's hour falls).
    const created = (await tc.api('GET', `/api/broadcasts/${id}`)).body.created_at as string;
    const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(created));
    const asRun = (await tc.api('GET', `/api/reports/as-run?kind=week&date=${date}`)).body;
    const outcomes = asRun.rows.filter((r: any) => r.broadcast_id === id).map((r: any) => r.outcome);
    expect(outcomes).toEqual(['unfinished', 'unfinished']);
  }, 90_000);
});
