/**
 * What the period report says of plays nobody's receiver got wrong (outsider's findings), against a
 * real controller and real agents: a broadcast a person stopped is "stopped", never "under way"
 * nor "not aired", and its hamlet was stopped, not failed; an item an emergency cut off likewise
 * once its window is over; minutes a bridge only sent on are not minutes heard. The JSON, the
 * XLSX, the PDF, the DOCX and the upward report say the same.
 */
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SilentPlayer,
  type Player,
  type PlayRequest,
  type StreamRequest,
} from '../../firmware-bridge/agent/players.js';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { readDocxText } from '../helpers/documents.js';
import { coverageRow, SendingPlayer, startTestAgent } from '../helpers/agents.js';
import { broadcastConfirmed, startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

const VN = 'Asia/Ho_Chi_Minh';
const localDate = (at: Date) => DateTime.fromJSDate(at, { zone: VN }).toISODate()!;
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
let tc: TestController;
const agents: ReceiverAgent[] = [];
let sentAt: Date;
let stopped: string;
let preempted: string;
let emergency: string;
let sentOnly: string;

/** Plays its first item long enough to be stopped or cut off (15 minutes), every later one at once. */
class FirstLongPlayer implements Player {
  private plays = 0;
  play(request: PlayRequest, signal: AbortSignal) {
    return new SilentPlayer(this.plays++ === 0 ? 30 : 0.01).play(request, signal);
  }
  playStream(request: StreamRequest, signal: AbortSignal) {
    return new SilentPlayer(0.01).playStream(request, signal);
  }
}

const outcomeOf = async (broadcastId: string, receiverId: string) => coverageRow(tc, broadcastId, receiverId);
/** The report of the local days from the broadcasts to the controller's now (the clock moves on below). */
const report = async (extra = '') => {
  const res = await tc.api(
    'GET',
    `/api/reports/period?kind=range&from=${localDate(sentAt)}&to=${localDate(clock.now())}${extra}`,
  );
  expect(res.status).toBe(200);
  return res;
};
const file = async (format: string) => {
  const res = await fetch(
    `${tc.url}/api/reports/period?kind=range&from=${localDate(sentAt)}&to=${localDate(clock.now())}&format=${format}`,
    { headers: { authorization: `Bearer ${tc.token}` } },
  );
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
};

beforeAll(async () => {
  tc = await startTestController({}, { overrides: { clock } });
  agents.push(
    await startTestAgent(tc, 'rx-a', 'thon-1', { player: new FirstLongPlayer() }),
    await startTestAgent(tc, 'rx-b', 'thon-2', { player: new FirstLongPlayer() }),
    await startTestAgent(tc, 'br-c', 'thon-3', { player: new SendingPlayer('fm: transmitter keyed; no receipt') }),
  );
  const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 30); // half a minute
  sentAt = clock.now();

  // A priority announcement to Thôn Đông, stopped by a person while it plays.
  const a = await broadcastConfirmed(tc, {
    media_id: media.id,
    target: { hamlet_ids: ['thon-1'] },
    priority: 'priority',
  });
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  stopped = a.body.id;
  await waitFor(async () => (await outcomeOf(stopped, 'rx-a'))?.outcome === 'playing', 'the announcement to play');
  expect((await tc.api('POST', `/api/broadcasts/${stopped}/stop`, {})).status).toBe(202);
  await waitFor(async () => (await outcomeOf(stopped, 'rx-a'))?.reason === 'stopped', 'the announcement to stop');

  // An ordinary item in Thôn Đoài, cut off by an emergency there (it is not played again).
  const b = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-2'] } });
  expect(b.status, JSON.stringify(b.body)).toBe(201);
  preempted = b.body.id;
  await waitFor(async () => (await outcomeOf(preempted, 'rx-b'))?.outcome === 'playing', 'the item to play');
  const e = await broadcastConfirmed(tc, {
    media_id: media.id,
    target: { hamlet_ids: ['thon-2'] },
    priority: 'emergency',
    repeat_count: 1,
  });
  expect(e.status, JSON.stringify(e.body)).toBe(201);
  emergency = e.body.id;
  await waitFor(async () => (await outcomeOf(preempted, 'rx-b'))?.reason === 'preempted', 'the item to be cut off');
  await waitFor(async () => (await outcomeOf(emergency, 'rx-b'))?.outcome === 'finished', 'the emergency to play');

  // An item in Thôn Nam, whose only receiver is a bridge's FM transmitter: sent, nobody confirms sound.
  const c = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-3'] } });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  sentOnly = c.body.id;
  await waitFor(async () => (await outcomeOf(sentOnly, 'br-c'))?.outcome === 'sent', 'the bridge to send it');
  await waitFor(() => agents.every((x) => x.pendingAckCount() === 0), 'every ack receipted');
}, 90_000);
afterAll(async () => {
  for (const a of agents) await a.stop();
  await tc?.close();
});

const hamlet = (r: any, id: string) => r.hamlets.find((h: any) => h.hamlet_id === id);

describe('a broadcast a person stopped', () => {
  it('is stopped at once, neither under way nor not aired, and its hamlet was stopped, not failed', async () => {
    const r = (await report()).body;
    // The item an emergency cut off is stopped too: every receiver of it has ended, it will not play.
    expect(r.totals).toMatchObject({ broadcasts: 2, stopped: 2, under_way: 0, not_aired: 0 });
    expect(hamlet(r, 'thon-1')).toMatchObject({
      broadcasts: 1,
      reached: 0,
      not_reached: { sent: 0, offline: 0, stopped: 1, failed: 0, waiting: 0 },
    });
    expect(r.urgent.find((u: any) => u.broadcast_id === stopped)).toMatchObject({
      hamlets_reached: 0,
      hamlets_not_reached: [{ hamlet_id: 'thon-1', name: 'Thôn Đông', reason: 'stopped' }],
    });
  });
});

describe('an item an emergency cut off', () => {
  it('once its window is over: not aired, its hamlet stopped, not failed; the stored rollups keep it', async () => {
    offsetMs = 2 * 3_600_000; // past every window and settled: the rollups are stored
    await report(); // computes and stores them
    expect(
      tc.controller.db
        .prepare('SELECT broadcast_id, hamlet_id, cut_off FROM broadcast_rollups ORDER BY hamlet_id')
        .all()
        .map((x: any) => [x.broadcast_id, x.hamlet_id, x.cut_off])
        .sort(),
    ).toEqual(
      [
        [stopped, 'thon-1', 1],
        [preempted, 'thon-2', 1],
        [emergency, 'thon-2', 0],
        [sentOnly, 'thon-3', 0],
      ].sort(),
    );
    const r = (await report()).body; // read from the stored rollups
    expect(r.totals).toMatchObject({ broadcasts: 2, stopped: 2, under_way: 0, not_aired: 0 });
    expect(hamlet(r, 'thon-2')).toMatchObject({
      broadcasts: 2,
      reached: 1, // the emergency
      not_reached: { sent: 0, offline: 0, stopped: 1, failed: 0, waiting: 0 },
    });
    expect(hamlet(r, 'thon-1').not_reached).toMatchObject({ stopped: 1, failed: 0 });
  });
});

describe('minutes a bridge only sent on', () => {
  it('are on air but not heard: said apart in totals and by category, priority and source', async () => {
    const r = (await report()).body;
    // Half a minute each: the emergency heard in Thôn Đoài, the item only sent in Thôn Nam.
    expect(r.totals).toMatchObject({ minutes: 1, minutes_heard: 0.5, minutes_sent_only: 0.5, receivers_sent: 1 });
    expect(r.by_category).toEqual({
      uncategorised: { broadcasts: 2, minutes: 1, minutes_heard: 0.5, minutes_sent_only: 0.5 },
    });
    expect(r.by_priority).toEqual({
      emergency: { broadcasts: 1, minutes: 0.5, minutes_heard: 0.5, minutes_sent_only: 0 },
      normal: { broadcasts: 1, minutes: 0.5, minutes_heard: 0, minutes_sent_only: 0.5 },
    });
    expect(hamlet(r, 'thon-3')).toMatchObject({ reached: 0, not_reached: { sent: 1, failed: 0 } });
  });
});

describe('the documents', () => {
  it('PDF, DOCX and XLSX say stopped, not faulty, and never call minutes only sent heard', async () => {
    const pdf = (await new PDFParse({ data: await file('pdf') }).getText()).text.replace(/\s+/g, ' ');
    // The English table headers keep their words whole (an outsider saw "House holds", "Receiv ers").
    const enPdf = (await new PDFParse({ data: await file('pdf&lang=en') }).getText()).text.replace(/\s+/g, ' ');
    expect(enPdf).toContain('Households');
    expect(enPdf).not.toMatch(/House holds|Receiv ers|Broadca sts/);
    const docx = await readDocxText(await file('docx'));
    for (const [where, body] of [
      ['PDF', pdf],
      ['DOCX', docx],
    ] as const) {
      for (const words of [
        'Trong kỳ đã phát 2 lượt; thời lượng nghe được (cụm loa xác nhận đã phát ra loa) 0,5 phút.',
        'Ngoài ra 0,5 phút chỉ xác nhận đã gửi đi',
        '2 lượt đã bị dừng, hủy hoặc bị tin khẩn cấp cắt ngang trước khi cụm loa nào phát hết',
        'tin khẩn cấp cắt ngang',
      ])
        expect(body, `${where}: ${words}`).toContain(words);
      expect(body, where).not.toMatch(/cụm loa lỗi[:)]/); // no hamlet said faulty
      expect(body, where).not.toContain('tổng thời lượng');
    }
    // Whole table cells (a PDF's text may interleave a wrapped cell with its neighbours).
    expect(docx).toContain('Thôn Đông (bị dừng hoặc bị tin khẩn cấp cắt ngang)');
    expect(docx).toContain('bị dừng hoặc bị tin khẩn cấp cắt ngang: 1');
    const en = await readDocxText(await file('docx&lang=en'));
    expect(en).toContain('Thôn Đông (stopped by a person or cut off by an emergency)');
    expect(en).toContain('heard (a receiver confirmed its loudspeaker played them): 0.5 minutes');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await file('xlsx')) as any);
    const summary = Object.fromEntries(
      wb
        .getWorksheet('Tổng hợp')!
        .getSheetValues()
        .filter(Boolean)
        .map((row: any) => [row[1], row[2]]),
    );
    expect(summary).toMatchObject({
      'Số lượt bị dừng hoặc bị tin khẩn cấp cắt ngang trước khi cụm loa nào phát hết (không tính là lỗi)': 2,
      'Số phút nghe được (cụm loa xác nhận đã phát ra loa)': 0.5,
      'Số phút chỉ xác nhận đã gửi đi, chưa xác nhận nghe': 0.5,
    });
    const hamlets = wb.getWorksheet('Theo thôn')!;
    const headers = hamlets.getRow(1).values as string[];
    const stoppedColumn = headers.indexOf('bị dừng hoặc bị tin khẩn cấp cắt ngang');
    expect(stoppedColumn).toBeGreaterThan(0);
    expect(hamlets.getRow(2).getCell(stoppedColumn).value).toBe(1); // Thôn Đông
    expect(hamlets.getRow(2).getCell(headers.indexOf('cụm loa lỗi')).value).toBe(0);
  }, 60_000);

  it('the upward report carries the same figures', () => {
    const period = tc.controller.reports.period('range', undefined, localDate(sentAt), localDate(clock.now()));
    const doc = tc.controller.upward.payload(period) as any;
    expect(doc.totals).toMatchObject({ stopped: 2, minutes_heard: 0.5, minutes_sent_only: 0.5 });
    expect(doc.hamlets.find((h: any) => h.hamlet_id === 'thon-1').not_reached).toMatchObject({ stopped: 1, failed: 0 });
  });
});
