/**
 * Coverage proof and reports on a simulated fleet with a failing, an offline, a late and a
 * never-enrolled receiver, hamlets without receivers and a daily schedule still to come: every
 * figure of a week, a month and a year report matches a hand computation; the as-run log names
 * every receiver's outcome; the XLSX, PDF and DOCX open, say the same, carry the Decree 30
 * elements and their signature inside; the activity report reaches a stand-in provincial server
 * after a refused first attempt.
 */
import { createHash, createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { signAck } from '../../controller/protocol/signing.js';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import type { Player } from '../../firmware-bridge/agent/players.js';
import type { Ack } from '../../controller/protocol/messages.js';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { startTestAgent } from '../helpers/agents.js';
import { readDocxText } from '../helpers/documents.js';
import { uploadReadyTone } from '../helpers/audio.js';
import {
  broadcastConfirmed,
  startTestController,
  testHamlets,
  type TestController,
} from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let offsetMs = 0;
const VN = 'Asia/Ho_Chi_Minh';
/** The commune's date of an instant: reports are periods of local days, not UTC ones. */
const localDate = (at: Date) => DateTime.fromJSDate(at, { zone: VN }).toISODate()!;
let broadcastsSentAt: Date;
const clock = { now: () => new Date(Date.now() + offsetMs) };
let tc: TestController;
const agents: ReceiverAgent[] = [];
const province: { body: string; headers: IncomingMessage['headers'] }[] = [];
let provinceRefuses = 0;
const provincial = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    province.push({ body, headers: req.headers });
    if (provinceRefuses-- > 0) return res.writeHead(503).end('bảo trì');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ receipt: 'HT-2026-000123' }));
  });
});

/** A speaker whose amplifier is broken: every play fails. */
const brokenPlayer: Player = {
  play: () => Promise.reject(new Error('amplifier does not answer')),
  playStream: () => Promise.reject(new Error('amplifier does not answer')),
};

let health: { broadcast_id: string };
let silent: { id: string };
const HAMLETS = [
  ...testHamlets,
  {
    id: 'thon-10',
    name: 'Thôn Mười',
    households: 50,
    population: 150,
    receivers: [{ id: 'rx-5', name: 'Loa chưa lắp' }],
  },
];
const DOCUMENT = {
  parent_body: 'UBND huyện Thử',
  issuer: 'UBND xã Thử Nghiệm',
  number_symbol: 'BC-UBND',
  place: 'Thử Nghiệm',
  signer_title: 'TM. Ủy ban nhân dân\nChủ tịch',
  signer_name: 'Nguyễn Văn A',
  recipients: ['UBND huyện (để báo cáo)', 'Lưu: VT'],
};
let rx3: Awaited<ReturnType<typeof enrolReceiver>>;
let urgent: { id: string };

beforeAll(async () => {
  await new Promise<void>((r) => provincial.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(provincial.address() as { port: number }).port}/api/tt-activity`;
  tc = await startTestController(
    {
      hamlets: HAMLETS,
      reporting: { provincial_url: url, document: DOCUMENT },
      console: { weekly_targets: { health: 1, law: 1 } },
    } as any,
    { overrides: { clock } },
  );
  agents.push(
    await startTestAgent(tc, 'rx-1', 'thon-1'),
    await startTestAgent(tc, 'rx-2', 'thon-1', { player: brokenPlayer }),
  );
  rx3 = await enrolReceiver(tc.url, tc.token, 'rx-3', 'thon-2', 'rx-3'); // offline all along
  const late = await startTestAgent(tc, 'rx-4', 'thon-2', { connect: false }); // comes online after the broadcast
  agents.push(late);

  // A health bulletin to every hamlet.
  broadcastsSentAt = clock.now();
  const b = await tc.api('POST', '/api/bulletins', {
    title: 'Tiêm chủng',
    category: 'health',
    text: 'Lịch tiêm chủng tháng này.',
  });
  await tc.api('POST', `/api/bulletins/${b.body.id}/submit`);
  await tc.api('POST', `/api/bulletins/${b.body.id}/approve`);
  // Every hamlet with receivers is the whole commune: it is confirmed first.
  const asked = await tc.api('POST', `/api/bulletins/${b.body.id}/broadcast`, {
    target: { hamlet_ids: ['thon-1', 'thon-2'] },
    expires_in_s: 600,
  });
  expect(asked.status).toBe(202);
  health = { broadcast_id: (await tc.api('POST', asked.body.confirmation.confirm_url)).body.id };
  await late.start();
  // An emergency to the whole commune (two of its four hamlets have no enrolled receiver), and a drill (never counted).
  const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
  urgent = (
    await broadcastConfirmed(tc, {
      media_id: media.id,
      target: { all: true },
      priority: 'emergency',
      repeat_count: 1,
      expires_in_s: 600,
    })
  ).body;
  await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-1'] }, drill: true });
  // Sent to the broken receiver and the offline one only: nobody plays it.
  silent = (
    await broadcastConfirmed(tc, {
      media_id: media.id,
      target: { receiver_ids: ['rx-2', 'rx-3'] },
      priority: 'normal',
      expires_in_s: 600,
    })
  ).body;
  // A daily law programme six hours from now: its next occurrences are sent ahead, but have not played.
  const later = DateTime.fromJSDate(clock.now(), { zone: VN }).plus({ hours: 6 }).toFormat('HH:mm');
  const daily = await tc.api('POST', '/api/schedules', {
    name: 'Pháp luật hằng ngày',
    media_id: media.id,
    category: 'law',
    target: { hamlet_ids: ['thon-1'] },
    priority: 'normal',
    start_time: later,
    recurrence: { kind: 'daily' },
    accept_conflicts: true,
  });
  expect(daily.status, JSON.stringify(daily.body)).toBe(201);
  await waitFor(
    async () =>
      (
        tc.controller.db.prepare('SELECT count(*) AS n FROM broadcasts WHERE play_at IS NOT NULL').get() as {
          n: number;
        }
      ).n >= 1,
    "the schedule's next occurrence is sent ahead",
  );

  const settled = async (id: string, n: number) =>
    waitFor(
      async () => {
        const c = (await tc.api('GET', `/api/broadcasts/${id}/coverage`)).body;
        return c.totals.finished + c.totals.failed === n ? c : undefined;
      },
      `broadcast ${id} to settle`,
      30_000,
    );
  await settled(health.broadcast_id, 3);
  await settled(urgent.id, 3); // rx-1 and rx-4 finish, rx-2 fails; rx-3 never answers
  await settled(silent.id, 1);
  offsetMs = 3_600_000; // an hour later: rx-3 never answered
}, 90_000);
afterAll(async () => {
  for (const a of agents) await a.stop();
  await tc?.close();
  provincial.close();
});

describe('coverage figures', () => {
  /** The figures of any period holding the broadcasts, computed by hand from the fleet above. */
  const expectHandComputed = (r: any) => {
    // Health bulletin (Đông, Đoài): rx-1 finished, rx-2 failed (amplifier), rx-3 no answer, rx-4 finished late.
    // Emergency (whole commune): the same four; Nam has no receiver, Mười only one never enrolled.
    // The silent one (rx-2, rx-3): nobody played it. The drill is apart; the daily law programme has not played yet.
    expect(r.totals).toEqual({
      broadcasts: 2,
      not_aired: 1,
      under_way: 0,
      stopped: 0,
      drills: 1,
      minutes: expect.any(Number),
      minutes_heard: r.totals.minutes, // every minute on air was heard: no bridge here
      minutes_sent_only: 0,
      receivers_targeted: 4 + 4 + 2,
      receivers_finished: 2 + 2,
      receivers_sent: 0,
      households_reached_per_broadcast: 100 + 80,
      households_total: 100 + 80 + 60 + 50,
    });
    expect(r.totals.minutes).toBeGreaterThan(0);
    const one = { broadcasts: 1, minutes: expect.any(Number), minutes_heard: expect.any(Number), minutes_sent_only: 0 };
    expect(r.by_category).toEqual({ health: one, uncategorised: one });
    expect(r.by_priority).toEqual({ normal: one, emergency: one });
    expect(r.by_source).toEqual({ bulletin: one, manual: one });
    // Every hamlet, in the commune's order (thon-10 after thon-3), reached or with why not.
    expect(r.hamlets.map((h: any) => h.hamlet_id)).toEqual(['thon-1', 'thon-2', 'thon-3', 'thon-10']);
    const byHamlet = Object.fromEntries(r.hamlets.map((h: any) => [h.hamlet_id, h]));
    expect(byHamlet['thon-1']).toMatchObject({
      receivers: 2,
      broadcasts: 3,
      reached: 2,
      // rx-2's player error stays a failure: only a stop or an emergency's cut is said apart.
      not_reached: { no_receiver: 0, offline: 0, stopped: 0, failed: 1 },
    });
    // rx-1 played 2 of the 5 plays given in Đông whole; rx-2 next to nothing (it fails a few ms after starting).
    expect(byHamlet['thon-1'].share_played).toBeGreaterThanOrEqual(40);
    expect(byHamlet['thon-1'].share_played).toBeLessThan(42);
    expect(byHamlet['thon-2']).toMatchObject({
      receivers: 2,
      broadcasts: 3,
      reached: 2,
      not_reached: { no_receiver: 0, offline: 1, failed: 0 },
      share_played: 40,
    });
    expect(byHamlet['thon-3']).toMatchObject({
      receivers: 0,
      broadcasts: 1,
      reached: 0,
      not_reached: { no_receiver: 1, offline: 0, failed: 0 },
      share_played: null,
    });
    expect(byHamlet['thon-10']).toMatchObject({
      receivers: 0,
      broadcasts: 1,
      reached: 0,
      not_reached: { no_receiver: 1, offline: 0, failed: 0 },
      share_played: null,
    });
    expect(r.urgent).toEqual([
      expect.objectContaining({
        priority: 'emergency',
        hamlets_targeted: 4,
        hamlets_reached: 2,
        households_reached: 180,
        population_reached: 700,
        receivers_targeted: 4,
        receivers_finished: 2,
        hamlets_not_reached: [
          { hamlet_id: 'thon-3', name: 'Thôn Nam', reason: 'no_receiver' },
          { hamlet_id: 'thon-10', name: 'Thôn Mười', reason: 'no_receiver' },
        ],
      }),
    ]);
    // Weeks: the broadcasts' week had health but not law; a week still to come is not judged.
    const now = clock.now().toISOString();
    const own = r.weeks.find((w: any) => w.categories.health === 1);
    expect(own.missing).toEqual(['law']);
    expect(own.status).toBe(DateTime.fromISO(own.from).plus({ weeks: 1 }).toISO()! > now ? 'in_progress' : 'missing');
    // The fleet was enrolled this week: every week before it is "not started", never "missing". A
    // week begun since (the test's clock runs hours ahead: sent late on a Sunday in Việt Nam, the
    // report is read on the Monday) is judged like any other.
    for (const w of r.weeks) {
      if (w.from > now) expect(w).toMatchObject({ status: 'future', missing: [] });
      else if (w.from > own.from) expect(['in_progress', 'missing']).toContain(w.status);
      else if (w !== own) expect(w).toMatchObject({ status: 'not_started', missing: [] });
    }
    expect(r.integrity).toMatchObject({ ok: true, problems: 0 });
    // Receivers in the commune's order; the one never enrolled has no uptime, not 0 %.
    expect(r.receivers.map((x: any) => x.receiver_id)).toEqual(['rx-1', 'rx-2', 'rx-3', 'rx-4', 'rx-5']);
    expect(r.receivers.find((x: any) => x.receiver_id === 'rx-3')).toMatchObject({ enrolled: true, uptime_pct: 0 });
    expect(r.receivers.find((x: any) => x.receiver_id === 'rx-5')).toMatchObject({
      enrolled: false,
      uptime_pct: null,
      hamlet: 'Thôn Mười',
    });
    // Online since its enrolment a minute ago: all of its time, not a sliver of the period.
    expect(r.receivers.find((x: any) => x.receiver_id === 'rx-1').uptime_pct).toBeGreaterThan(90);
  };

  it('a period before the network existed judges nothing and counts no receiver; minutes add up; bad periods are refused, not computed', async () => {
    const june = (await tc.api('GET', '/api/reports/period?kind=month&date=2026-06-15')).body;
    expect(june.totals).toMatchObject({ broadcasts: 0, not_aired: 0, drills: 0, minutes: 0 });
    expect(june.weeks.every((w: any) => w.status === 'not_started' && w.missing.length === 0)).toBe(true);
    expect(june.receivers.every((x: any) => x.enrolled === false && x.uptime_pct === null)).toBe(true);
    expect(june.hamlets.every((h: any) => h.receivers === 0)).toBe(true);
    // The minutes by category, priority and source add up to the total (rounded to tenths together).
    const r = (await tc.api('GET', `/api/reports/period?kind=month&date=${localDate(broadcastsSentAt)}`)).body;
    for (const table of [r.by_category, r.by_priority, r.by_source]) {
      expect(Math.round(Object.values(table).reduce((n: number, x: any) => n + x.minutes, 0) * 10) / 10).toBe(
        r.totals.minutes,
      );
    }
    // Centuries would exhaust the box's memory: refused, and the controller still answers.
    const huge = await tc.api('GET', '/api/reports/period?kind=range&from=0001-01-01&to=9999-12-31&format=pdf');
    expect(huge.status).toBe(422);
    expect(huge.body.error.code).toBe('report_range_too_long');
    const future = await tc.api('GET', '/api/reports/period?kind=year&date=2099-01-01');
    expect(future.status).toBe(422);
    expect(future.body.error.message).toContain('chưa bắt đầu');
    const half = await tc.api('GET', '/api/reports/period?kind=range&from=2026-12-01');
    expect(half.body.error).toMatchObject({ code: 'report_range_incomplete', field: 'to' });
    // from and to without kind are a range (they gave the week before, silently).
    const dated = await tc.api('GET', '/api/reports/as-run?from=2026-11-01&to=2026-11-03');
    expect(dated.status).toBe(200);
    expect(dated.body.period).toMatchObject({ kind: 'range' });
    expect(dated.body.period.label).toContain('01/11/2026');
    // from and to with another kind: said, not ignored.
    const mixed = await tc.api('GET', '/api/reports/as-run?kind=week&from=2026-11-01&to=2026-11-03');
    expect(mixed.status).toBe(422);
    expect(mixed.body.error).toMatchObject({ code: 'report_dates_need_range', field: 'kind' });
    expect(mixed.body.error.message).toContain('range');
    expect((await tc.api('GET', '/api/system/health')).status).toBe(200);
  });

  it('match the hand computation in a week, a month and a year report', async () => {
    const date = localDate(broadcastsSentAt);
    for (const kind of ['week', 'month', 'year']) {
      const r = (await tc.api('GET', `/api/reports/period?kind=${kind}&date=${date}`)).body;
      expect(r.period.kind).toBe(kind);
      expectHandComputed(r);
    }
  });

  it("the as-run log names each receiver's outcome, the source and the operator", async () => {
    const log = (await tc.api('GET', `/api/reports/as-run?kind=week&date=${localDate(broadcastsSentAt)}`)).body;
    const row = (b: string, rx: string) => log.rows.find((x: any) => x.broadcast_id === b && x.receiver_id === rx);
    expect(row(health.broadcast_id, 'rx-1')).toMatchObject({
      source: 'bulletin',
      category: 'health',
      outcome: 'finished',
      started_at: expect.any(String),
      ended_at: expect.any(String),
    });
    expect(row(health.broadcast_id, 'rx-2')).toMatchObject({ outcome: 'failed', reason: 'player_error' });
    expect(row(health.broadcast_id, 'rx-3')).toMatchObject({ outcome: 'no_answer', received_at: null });
    expect(row(health.broadcast_id, 'rx-4')).toMatchObject({ outcome: 'finished' });
    expect(row(urgent.id, 'rx-1')).toMatchObject({
      priority: 'emergency',
      confirmed_by: expect.any(String),
      operator: expect.any(String),
    });
    expect(log.rows.filter((x: any) => x.drill)).toHaveLength(2); // the drill, on both receivers of Thôn Đông
    expect(row(silent.id, 'rx-2')).toMatchObject({ outcome: 'failed', hamlet: 'Thôn Đông', receiver: 'rx-2' });
    // What is still to come has not played: it is not in the log.
    expect(log.rows.filter((x: any) => x.schedule === 'Pháp luật hằng ngày')).toEqual([]);
    expect(log.rows).toHaveLength(4 + 4 + 2 + 2);
  });
});

describe('rollups', () => {
  it("keep a settled broadcast's figures, and a late ack (store and forward) updates them", async () => {
    offsetMs = 3 * 3_600_000; // the broadcasts have settled: their figures are stored
    const month = `/api/reports/period?kind=month&date=${localDate(broadcastsSentAt)}`;
    const before = (await tc.api('GET', month)).body;
    expect(before.totals.receivers_finished).toBe(4);
    expect(
      (tc.controller.db.prepare('SELECT count(*) AS n FROM broadcast_rollups').get() as { n: number }).n,
    ).toBeGreaterThan(0);
    // rx-3 played the health bulletin while its link was down; its signed acks arrive now.
    const commandId = (
      tc.controller.db
        .prepare("SELECT id FROM commands WHERE broadcast_id = ? AND topic LIKE '%thon-2'")
        .get(health.broadcast_id) as { id: string }
    ).id;
    const key = createPrivateKey(rx3.ack_signing_key!);
    ['received', 'downloaded', 'started', 'finished'].forEach((stage, seq) => {
      const unsigned: Ack = {
        v: 1,
        receiver_id: 'rx-3',
        seq,
        command_id: commandId,
        broadcast_id: health.broadcast_id,
        stage: stage as Ack['stage'],
        at: new Date().toISOString(),
        reason: null,
        detail: null,
      };
      const ack = signAck(unsigned, key);
      tc.controller.acks.handle('rx-3', Buffer.from(JSON.stringify(ack)));
    });
    // And one numbered 6: acks 4 and 5 of rx-3 never arrived.
    const stray: Ack = {
      v: 1,
      receiver_id: 'rx-3',
      seq: 6,
      command_id: commandId,
      broadcast_id: health.broadcast_id,
      stage: 'rejected',
      at: new Date().toISOString(),
      reason: 'expired',
      detail: null,
    };
    tc.controller.acks.handle('rx-3', Buffer.from(JSON.stringify(signAck(stray, key))));
    await tc.controller.acks.flush();
    expect((await tc.api('GET', '/api/coverage/gaps')).body).toEqual([
      { receiver_id: 'rx-3', from_seq: 4, to_seq: 5, missing: 2 },
    ]);
    // A receiver asked to resend does so and says how many acks it still holds.
    const later = offsetMs;
    offsetMs = 0; // the receiver checks the command's time against its own clock
    const resent = await tc.api('POST', '/api/receivers/rx-1/ops', { op: 'resend_acks' });
    offsetMs = later;
    expect(resent.body).toMatchObject({
      status: 'ok',
      data: { resent: expect.any(Number), next_seq: expect.any(Number) },
    });
    const after = (await tc.api('GET', month)).body;
    expect(after.totals.receivers_finished).toBe(5);
    expect(after.hamlets.find((h: any) => h.hamlet_id === 'thon-2').share_played).toBe(60); // rx-3's health bulletin now counts: 3 of 5 plays
  });
});

describe('exports', () => {
  const get = (query: string) =>
    fetch(`${tc.url}/api/reports/period?kind=month&date=${localDate(broadcastsSentAt)}&${query}`, {
      headers: { authorization: `Bearer ${tc.token}` },
    });
  const monthSlug = () => `thang-${DateTime.fromJSDate(broadcastsSentAt, { zone: VN }).toFormat('MM-yyyy')}`;
  /** The standalone verifier on a file, with the published key: exit status and what it said. */
  const verifyFile = async (bytes: Buffer, name: string) => {
    const file = join(tc.dir, name);
    writeFileSync(file, bytes);
    const pem = join(tc.dir, 'public-key.pem');
    writeFileSync(pem, tc.controller.signer.publicKeyPem);
    return promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      'controller/proof/verify-cli.ts',
      '--keys',
      pem,
      '--report',
      file,
    ]).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e) => ({ code: e.code as number, out: `${e.stdout}${e.stderr}` }),
    );
  };
  const tamper = (bytes: Buffer, at: number) => {
    const copy = Buffer.from(bytes);
    copy[at] ^= 1;
    return copy;
  };

  it('XLSX: numbers as numbers, words not codes, local times, named by the local month, signed inside', async () => {
    const xlsx = await get('format=xlsx');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toBe(`attachment; filename="bao-cao-${monthSlug()}.xlsx"`);
    const bytes = Buffer.from(await xlsx.arrayBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as any);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Tổng hợp',
      'Theo chuyên mục',
      'Theo tuần',
      'Theo thôn',
      'Cụm loa',
      'Tin khẩn',
      'Nhật ký phát',
    ]);
    const summary = wb.getWorksheet('Tổng hợp')!;
    expect(summary.getRow(3).values).toEqual([undefined, 'Số lượt phát', 2]);
    expect(summary.getRow(4).values).toEqual([undefined, 'Số lượt đã ra lệnh nhưng không cụm loa nào phát', 1]);
    // Every figure a number a spreadsheet can add up, never "58/70" as text.
    const hamlets = wb.getWorksheet('Theo thôn')!;
    expect(hamlets.getRow(5).values).toEqual([undefined, 'Thôn Mười', 50, 0, 1, 0, 0, 1, 0, 0, 0, 0]); // share played: none (empty)
    const urgentRow = wb.getWorksheet('Tin khẩn')!.getRow(2).values as unknown[];
    expect(urgentRow.slice(3, 8)).toEqual([4, 2, 180, 4, 2]);
    const log = wb.getWorksheet('Nhật ký phát')!;
    expect(log.rowCount).toBe(1 + 12);
    const heading = (log.getRow(1).values as string[]).join('|');
    expect(heading).toContain('Kết quả');
    expect(heading).not.toMatch(/broadcast_id|outcome/);
    const cells = log.getSheetValues().flat().map(String).join('|');
    expect(cells).toContain('phát xong');
    expect(cells).toContain('lỗi bộ phát hoặc bộ khuếch đại');
    expect(cells).not.toMatch(/\b(finished|manual|player_error|token:)/);
    expect(cells).toMatch(/\d\d:\d\d \d\d\/\d\d\/\d{4}/); // local time, as people write it
    // Signed inside: the file alone and the published key say so; one byte changed, not.
    expect(await verifyFile(bytes, 'bao-cao.xlsx')).toMatchObject({ code: 0 });
    expect((await verifyFile(tamper(bytes, Math.floor(bytes.length / 2)), 'sua.xlsx')).code).toBe(1);
  }, 30_000);

  it('PDF and DOCX: a báo cáo as Decree 30/2020 lays it out, the same figures, signed inside; PNG pages for a person', async () => {
    const pdf = await get('format=pdf');
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="bao-cao-${monthSlug()}.pdf"`);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    const text = (await new PDFParse({ data: bytes }).getText()).text.replace(/\s+/g, ' ');
    const docx = Buffer.from(await (await get('format=docx')).arrayBuffer());
    const xml = await readDocxText(docx);
    const made = DateTime.fromJSDate(clock.now(), { zone: VN });
    for (const [where, body] of [
      ['PDF', text],
      ['DOCX', xml],
    ] as const) {
      for (const element of [
        'UBND HUYỆN THỬ',
        'UBND XÃ THỬ NGHIỆM',
        '/BC-UBND',
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập - Tự do - Hạnh phúc',
        `Thử Nghiệm, ngày ${made.toFormat('dd')} tháng ${made.toFormat('MM')} năm ${made.year}`,
        'BÁO CÁO',
        'Kết quả hoạt động truyền thanh cơ sở tháng',
        'TM. ỦY BAN NHÂN DÂN',
        'Nơi nhận:',
        'UBND huyện (để báo cáo);',
        'Lưu: VT.',
        'CHỦ TỊCH',
        'Nguyễn Văn A',
        'UBND xã Thử Nghiệm báo cáo',
        'Trong kỳ đã phát 2 lượt',
        '1 lượt đã ra lệnh nhưng không cụm loa nào phát được',
        'Thôn Mười',
        'chưa có cụm loa đã đăng ký: 1',
        'Y tế, sức khỏe',
        'Thôn Nam (chưa có cụm loa đã đăng ký)',
      ])
        expect(body, `${where}: ${element}`).toContain(element);
      expect(body, where).not.toMatch(/\b(thon-\d+|uncategorised|no_receiver|manual|finished)\b/);
      expect(body, where).not.toContain('CẢNH BÁO');
    }
    expect(await verifyFile(bytes, 'bao-cao.pdf')).toMatchObject({ code: 0 });
    expect((await verifyFile(tamper(bytes, 200), 'sua.pdf')).code).toBe(1);
    expect((await verifyFile(tamper(bytes, bytes.length - 20), 'sua2.pdf')).code).toBe(1);
    expect(await verifyFile(docx, 'bao-cao.docx')).toMatchObject({ code: 0 });
    expect((await verifyFile(tamper(docx, 100), 'sua.docx')).code).toBe(1);
    // The header signature still holds for the file as sent.
    const sha256 = pdf.headers.get('x-report-sha256')!;
    expect(
      (await tc.api('POST', '/api/reports/verify', { sha256, signature: pdf.headers.get('x-report-signature')! })).body
        .ok,
    ).toBe(true);
    // Pages a person can look at.
    const { mkdirSync } = await import('node:fs');
    const out = join(process.cwd(), '.tmp', 'reports');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'bao-cao-thang.pdf'), bytes);
    writeFileSync(join(out, 'bao-cao-thang.docx'), docx);
    await promisify(execFile)('pdftoppm', [
      '-png',
      '-r',
      '60',
      join(out, 'bao-cao-thang.pdf'),
      join(out, 'bao-cao-thang'),
    ]);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(out).filter((f) => f.endsWith('.png')).length).toBeGreaterThan(0);
    // Page numbers from the second page on.
    const page2 = (
      await promisify(execFile)('pdftotext', ['-f', '2', '-l', '2', join(out, 'bao-cao-thang.pdf'), '-'])
    ).stdout.trim();
    expect(page2.split('\n')[0].trim()).toBe('2');
    // The national name on one line (the decree sets it so), not broken before "NAM".
    const page1 = (
      await promisify(execFile)('pdftotext', ['-layout', '-f', '1', '-l', '1', join(out, 'bao-cao-thang.pdf'), '-'])
    ).stdout;
    expect(page1.split('\n').some((line) => line.includes('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'))).toBe(true);
  }, 60_000);

  it('CSV: the as-run log in words and local time; the machine export keeps its field names; English on request', async () => {
    const csv = await get('format=csv');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="nhat-ky-phat-${monthSlug()}.csv"`);
    const csvBytes = Buffer.from(await csv.arrayBuffer());
    expect([...csvBytes.subarray(0, 3)], 'a byte-order mark: Excel reads UTF-8').toEqual([0xef, 0xbb, 0xbf]);
    expect([...csvBytes.subarray(3, 6)], 'one byte-order mark, not two').not.toEqual([0xef, 0xbb, 0xbf]);
    const csvText = csvBytes.toString('utf8').slice(1);
    const lines = csvText.trim().split('\r\n');
    // A title naming the commune and the period: files of different periods do not look alike.
    expect(lines[0]).toMatch(/^"Nhật ký phát — Xã Thử Nghiệm — tháng \d\d\/\d{4}"$/);
    expect(lines[1]).toMatch(/^"?Giờ phát dự kiến"?,"?Ra lệnh lúc"?,"?Nội dung phát"?,"?Nguồn"?,/);
    expect(lines.join('\n')).toMatch(/\d\d:\d\d:\d\d \d\d\/\d\d\/\d{4}/); // to the second: how long it played
    expect(lines.join('\n')).toContain('không trả lời trước khi hết hạn');
    // The as-run log's own address gives the same file when asked for CSV (it answered JSON: outsider F).
    const asRun = await fetch(
      `${tc.url}/api/reports/as-run?kind=month&date=${localDate(broadcastsSentAt)}&format=csv`,
      { headers: { authorization: `Bearer ${tc.token}` } },
    );
    expect(asRun.headers.get('content-type')).toContain('text/csv');
    expect(asRun.headers.get('x-report-sha256')).toMatch(/^[0-9a-f]{64}$/);
    const asRunLines = Buffer.from(await asRun.arrayBuffer())
      .toString('utf8')
      .slice(1)
      .trim()
      .split('\r\n');
    expect(asRunLines.slice(0, -1)).toEqual(lines.slice(0, -1)); // the signature row differs only in its time
    // The JSON is signed as well.
    const json = await get('format=json');
    const sha = createHash('sha256')
      .update(Buffer.from(await json.arrayBuffer()))
      .digest('hex');
    expect(json.headers.get('x-report-sha256')).toBe(sha);
    expect(
      (await tc.api('POST', '/api/reports/verify', { sha256: sha, signature: json.headers.get('x-report-signature')! }))
        .body.ok,
    ).toBe(true);
    // The title, the header, 12 rows, and the controller's signature in a last row of its own.
    expect(lines).toHaveLength(1 + 1 + 12 + 1);
    expect(lines.at(-1)).toMatch(
      /^"Chữ ký số của bộ điều khiển \(kiểm tra tệp: npm run verify-proof.*",TT-SIGNATURE [0-9a-f]{16}:/,
    );
    expect(lines.slice(0, -1).join('\n')).not.toMatch(/\b(finished|manual|player_error|emergency)\b/);
    // A saved copy is checked from the file alone; one changed cell, or the label, is not the commune's.
    expect(await verifyFile(csvBytes, 'nhat-ky.csv')).toMatchObject({ code: 0 });
    const edited = Buffer.from(csvText.replace('không trả lời trước khi hết hạn', 'phát xong'), 'utf8');
    expect((await verifyFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), edited]), 'sua.csv')).code).toBe(1);
    const relabelled = Buffer.from(csvBytes.toString('utf8').replace('Chữ ký số', 'Chu ky so'), 'utf8');
    expect((await verifyFile(relabelled, 'sua2.csv')).code).toBe(1);
    const raw = (await (await get('format=csv_raw')).text()).trim().split('\r\n');
    expect(raw[0]).toMatch(/^broadcast_id,occurrence_id,/);
    expect(raw).toHaveLength(1 + 12);
    const en = await get('format=csv&lang=en');
    expect(en.headers.get('content-disposition')).toBe(`attachment; filename="nhat-ky-phat-${monthSlug()}-en.csv"`);
    expect((await en.text()).split('\r\n')[1]).toMatch(
      /^\uFEFF?"?Scheduled"?,"?Issued"?,"?What was broadcast"?,"?Source"?,/,
    );

    const bad = await tc.api('GET', '/api/reports/period?kind=range&from=2026-12-10&to=2026-12-01');
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('to');
  }, 30_000);
});

describe('upward reporting', () => {
  it('retries until the province accepts, keeps what was sent, and the document verifies', async () => {
    // At start the controller queued yesterday's report by itself.
    // (Two when the commune's midnight passed while this file ran: a day's report for each.)
    const auto = (await tc.api('GET', '/api/reports/upward')).body;
    expect(auto.length).toBeGreaterThanOrEqual(1);
    for (const a of auto) expect(Date.parse(a.period_to)).toBeLessThanOrEqual(clock.now().getTime());
    provinceRefuses = 1;
    // The local days from the broadcasts to now (the clock is hours ahead by now, which can be
    // the next day in Việt Nam): never the day the controller queued by itself.
    const queued = await tc.api('POST', '/api/reports/upward', {
      kind: 'range',
      from: localDate(broadcastsSentAt),
      to: localDate(clock.now()),
    });
    expect(queued.status).toBe(202);
    expect(queued.body, JSON.stringify(queued.body)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status: 503,
    });
    offsetMs += 2 * 60_000;
    await tc.controller.upward.tick();
    const [row] = (await tc.api('GET', '/api/reports/upward')).body.filter((x: any) => x.id === queued.body.id);
    expect(row).toMatchObject({ status: 'accepted', attempts: 2, remote_ref: 'HT-2026-000123' });

    // The delivery of this report (a day's report may have gone out around it).
    const delivery = [...province].reverse().find((p) => p.headers['x-tt-report-sha256'] === row.sha256);
    expect(delivery, 'the accepted report reached the province').toBeDefined();
    const sent = JSON.parse(delivery!.body);
    expect(sent.format).toBe('tt-activity/1');
    expect(sent.commune).toEqual({ id: 'test-commune', name: 'Xã Thử Nghiệm' });
    expect(sent.totals.broadcasts).toBe(2);
    expect(sent.receivers.find((x: any) => x.receiver_id === 'rx-3')).toMatchObject({ status: 'unknown' });
    const { signature, ...doc } = sent;
    const key = createPublicKey(tc.controller.signer.publicKeyPem);
    expect(verify(null, Buffer.from(canonicalize(doc)!, 'utf8'), key, Buffer.from(signature.value, 'base64'))).toBe(
      true,
    );
  });

  it('a check asked for by hand is the one coverage and reports then state', async () => {
    // They were two: ten checks by hand that found an altered ack left coverage stating an older
    // check, and after a restart it stated none for 20 s (outsider, 2026-12-04).
    const db = new Database(join(tc.dir, 'data', 'controller.sqlite'), { readonly: true });
    const { id } = db.prepare('SELECT id FROM broadcasts ORDER BY created_at DESC LIMIT 1').get() as { id: string };
    db.close();
    const checkedAt = async () => (await tc.api('GET', `/api/broadcasts/${id}/coverage`)).body.integrity.checked_at;
    const before = await checkedAt();
    expect(before).not.toBeNull();
    offsetMs += 60_000;
    const byHand = await tc.api('GET', '/api/coverage/verify');
    expect(byHand.status).toBe(200);
    expect(byHand.body.ok).toBe(true);
    const afterCoverageCheck = await checkedAt();
    expect(Date.parse(afterCoverageCheck)).toBeGreaterThan(Date.parse(before));
    offsetMs += 60_000;
    expect((await tc.api('GET', '/api/audit/verify')).status).toBe(200);
    const report = (await tc.api('GET', `/api/reports/period?kind=month&date=${localDate(broadcastsSentAt)}`)).body;
    expect(Date.parse(report.integrity.checked_at)).toBeGreaterThan(Date.parse(afterCoverageCheck));
    expect(Date.parse(await checkedAt())).toBeGreaterThan(Date.parse(afterCoverageCheck));
  });

  // Last: it leaves the store tampered with.
  it('a report made after someone edited the acks with another tool says so at once, not from the check before', async () => {
    expect(
      (await tc.api('GET', `/api/reports/period?kind=month&date=${localDate(broadcastsSentAt)}`)).body.integrity.ok,
    ).toBe(true);
    const outside = new Database(join(tc.dir, 'data', 'controller.sqlite'));
    const forgedOf = outside
      .prepare(
        "SELECT broadcast_id FROM acks WHERE chain_seq = (SELECT min(chain_seq) FROM acks WHERE stage = 'finished')",
      )
      .get() as { broadcast_id: string };
    const other = outside
      .prepare('SELECT id FROM broadcasts WHERE id != ? ORDER BY created_at DESC LIMIT 1')
      .get(forgedOf.broadcast_id) as { id: string } | undefined;
    outside.exec('DROP TRIGGER IF EXISTS acks_no_update');
    const changed = outside
      .prepare(
        // A forged time of play. (Not a forged stage: the receiver may have sent that stage too,
        // and the store keeps one row per stage, so such an edit can fail on its own.)
        "UPDATE acks SET at = '2020-01-01T00:00:00.000Z' WHERE chain_seq = (SELECT min(chain_seq) FROM acks WHERE stage = 'finished')",
      )
      .run().changes;
    outside.close();
    expect(changed).toBe(1);
    // The broadcast's own coverage says so at once (the edit is seen: the check runs again), naming its altered acks (operators cannot run the
    // admin check; its page said "heard" with no warning, outsider session 19).
    const coverage = (await tc.api('GET', `/api/broadcasts/${forgedOf.broadcast_id}/coverage`)).body;
    expect(coverage.integrity).toMatchObject({ ok: false });
    expect(coverage.integrity.altered_here).toBe(1); // one row edited: one ack, however many findings
    if (other) {
      const elsewhere = (await tc.api('GET', `/api/broadcasts/${other.id}/coverage`)).body;
      expect(elsewhere.integrity).toMatchObject({ ok: false, altered_here: 0 });
    }
    const after = (await tc.api('GET', `/api/reports/period?kind=month&date=${localDate(broadcastsSentAt)}`)).body;
    expect(after.integrity).toMatchObject({ ok: false });
    expect(after.integrity.problems).toBeGreaterThan(0);
    // The admin page's check says which log and row, in words (it said only "the log was altered").
    const verdict = (await tc.api('GET', '/api/audit/verify')).body;
    expect(verdict.ok).toBe(false);
    expect(verdict.findings.some((f: { where: string }) => /^acks #\d+/.test(f.where))).toBe(true);
    expect(verdict.findings[0].vi).not.toBe(verdict.findings[0].en);
    // The documents say it before their figures, not only in their last section.
    const file = async (format: string) =>
      Buffer.from(
        await (
          await fetch(`${tc.url}/api/reports/period?kind=month&date=${localDate(broadcastsSentAt)}&format=${format}`, {
            headers: { authorization: `Bearer ${tc.token}` },
          })
        ).arrayBuffer(),
      );
    const pdf = (await new PDFParse({ data: await file('pdf') }).getText()).text.replace(/\s+/g, ' ');
    const docx = await readDocxText(await file('docx'));
    for (const [where, body] of [
      ['PDF', pdf],
      ['DOCX', docx],
    ] as const) {
      const warning = body.indexOf('CẢNH BÁO: dữ liệu xác nhận phát đã bị sửa');
      expect(warning, where).toBeGreaterThan(0);
      expect(warning, where).toBeLessThan(body.indexOf('Trong kỳ đã phát'));
    }
    // The as-run log rests on the same records: its JSON and its CSV say so too, above the table.
    const asRun = (await tc.api('GET', `/api/reports/as-run?kind=month&date=${localDate(broadcastsSentAt)}`)).body;
    expect(asRun.integrity).toMatchObject({ ok: false });
    const csvLines = (await file('csv')).toString('utf8').split('\r\n');
    expect(csvLines[1]).toContain('CẢNH BÁO: dữ liệu xác nhận phát đã bị sửa');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await file('xlsx')) as any);
    expect(String(wb.getWorksheet('Tổng hợp')!.getRow(2).getCell(2).value)).toContain('CẢNH BÁO');
  });
});
