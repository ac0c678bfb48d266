/**
 * Coverage proof and reports on a simulated fleet with a failing, an offline and a late
 * receiver: figures match a hand-computed expectation; the as-run log names every receiver's
 * outcome; the XLSX and PDF exports open and say the same; exports are signed; the activity
 * report reaches a stand-in provincial server after a refused first attempt.
 */
import { createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { signAck } from '../../controller/protocol/signing.js';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
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
import { uploadReadyTone } from '../helpers/audio.js';
import { broadcastConfirmed, startTestController, type TestController } from '../helpers/test-controller.js';
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
let rx3: Awaited<ReturnType<typeof enrolReceiver>>;
let urgent: { id: string };

beforeAll(async () => {
  await new Promise<void>((r) => provincial.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(provincial.address() as { port: number }).port}/api/tt-activity`;
  tc = await startTestController({ reporting: { provincial_url: url }, console: { weekly_targets: { health: 1, law: 1 } } } as any, { overrides: { clock } });
  agents.push(await startTestAgent(tc, 'rx-1', 'thon-1'), await startTestAgent(tc, 'rx-2', 'thon-1', { player: brokenPlayer }));
  rx3 = await enrolReceiver(tc.url, tc.token, 'rx-3', 'thon-2', 'rx-3'); // offline all along
  const late = await startTestAgent(tc, 'rx-4', 'thon-2', { connect: false }); // comes online after the broadcast
  agents.push(late);

  // A health bulletin to every hamlet.
  broadcastsSentAt = clock.now();
  const b = await tc.api('POST', '/api/bulletins', { title: 'Tiêm chủng', category: 'health', text: 'Lịch tiêm chủng tháng này.' });
  await tc.api('POST', `/api/bulletins/${b.body.id}/submit`);
  await tc.api('POST', `/api/bulletins/${b.body.id}/approve`);
  // Every hamlet with receivers is the whole commune: it is confirmed first.
  const asked = await tc.api('POST', `/api/bulletins/${b.body.id}/broadcast`, { target: { hamlet_ids: ['thon-1', 'thon-2'] }, expires_in_s: 600 });
  expect(asked.status).toBe(202);
  health = { broadcast_id: (await tc.api('POST', asked.body.confirmation.confirm_url)).body.id };
  await late.start();
  // An emergency to Thôn Đông, and a drill (never counted).
  const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
  urgent = (await broadcastConfirmed(tc, { media_id: media.id, target: { hamlet_ids: ['thon-1'] }, priority: 'emergency', repeat_count: 1, expires_in_s: 600 })).body;
  await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-1'] }, drill: true });

  const settled = async (id: string, n: number) => waitFor(async () => {
    const c = (await tc.api('GET', `/api/broadcasts/${id}/coverage`)).body;
    return c.totals.finished + c.totals.failed === n ? c : undefined;
  }, `broadcast ${id} to settle`, 30_000);
  await settled(health.broadcast_id, 3);
  await settled(urgent.id, 2);
  offsetMs = 3_600_000; // an hour later: rx-3 never answered
}, 90_000);
afterAll(async () => {
  for (const a of agents) await a.stop();
  await tc?.close();
  provincial.close();
});

describe('coverage figures', () => {
  it('match the hand-computed expectation', async () => {
    const r = (await tc.api('GET', '/api/reports/period?kind=month')).body;
    // Health: rx-1 finished, rx-2 failed (amplifier), rx-3 no answer, rx-4 finished late. Emergency: rx-1 finished, rx-2 failed.
    expect(r.totals).toEqual({
      broadcasts: 2, drills: 1, minutes: expect.any(Number), receivers_targeted: 6, receivers_finished: 3,
      households_reached_per_broadcast: (180 + 100) / 2, households_total: 240,
    });
    expect(r.by_category).toEqual({ health: { broadcasts: 1, minutes: expect.any(Number) }, uncategorised: { broadcasts: 1, minutes: expect.any(Number) } });
    expect(r.by_priority).toMatchObject({ normal: { broadcasts: 1 }, emergency: { broadcasts: 1 } });
    const byHamlet = Object.fromEntries(r.hamlets.map((h: any) => [h.hamlet_id, h]));
    // rx-1 whole, rx-2 next to nothing (its broken amplifier fails a few ms after starting), twice.
    expect(byHamlet['thon-1']).toMatchObject({ broadcasts: 2, reached: 2 });
    expect(byHamlet['thon-1'].share_played).toBeGreaterThanOrEqual(50);
    expect(byHamlet['thon-1'].share_played).toBeLessThan(52);
    expect(byHamlet['thon-2']).toMatchObject({ broadcasts: 1, reached: 1, share_played: 50 }); // rx-4 whole, rx-3 nothing
    expect(byHamlet['thon-3']).toMatchObject({ broadcasts: 0, reached: 0, share_played: null });
    expect(r.urgent).toEqual([expect.objectContaining({ priority: 'emergency', hamlets_targeted: 1, hamlets_reached: 1, households_reached: 100, population_reached: 400, receivers_targeted: 2, receivers_finished: 1 })]);
    expect(r.weeks.find((w: any) => w.categories.health === 1).missing).toEqual(['law']); // the week of the health bulletin
    expect(r.weeks.every((w: any) => w.missing.includes('law'))).toBe(true);
    expect(r.integrity).toMatchObject({ ok: true, problems: 0 });
    expect(r.receivers.map((x: any) => x.receiver_id).sort()).toEqual(['rx-1', 'rx-2', 'rx-3', 'rx-4']);
    expect(r.receivers.find((x: any) => x.receiver_id === 'rx-3').uptime_pct).toBe(0);
  });

  it('the as-run log names each receiver\'s outcome, the source and the operator', async () => {
    const log = (await tc.api('GET', '/api/reports/as-run?kind=week')).body;
    const row = (b: string, rx: string) => log.rows.find((x: any) => x.broadcast_id === b && x.receiver_id === rx);
    expect(row(health.broadcast_id, 'rx-1')).toMatchObject({ source: 'bulletin', category: 'health', outcome: 'finished', started_at: expect.any(String), ended_at: expect.any(String) });
    expect(row(health.broadcast_id, 'rx-2')).toMatchObject({ outcome: 'failed', reason: 'player_error' });
    expect(row(health.broadcast_id, 'rx-3')).toMatchObject({ outcome: 'no_answer', received_at: null });
    expect(row(health.broadcast_id, 'rx-4')).toMatchObject({ outcome: 'finished' });
    expect(row(urgent.id, 'rx-1')).toMatchObject({ priority: 'emergency', confirmed_by: expect.any(String), operator: expect.any(String) });
    expect(log.rows.filter((x: any) => x.drill)).toHaveLength(2); // the drill, on both receivers of Thôn Đông
  });
});

describe('rollups', () => {
  it('keep a settled broadcast\'s figures, and a late ack (store and forward) updates them', async () => {
    offsetMs = 3 * 3_600_000; // the broadcasts have settled: their figures are stored
    const before = (await tc.api('GET', '/api/reports/period?kind=month')).body;
    expect(before.totals.receivers_finished).toBe(3);
    expect((tc.controller.db.prepare('SELECT count(*) AS n FROM broadcast_rollups').get() as { n: number }).n).toBeGreaterThan(0);
    // rx-3 played the health bulletin while its link was down; its signed acks arrive now.
    const commandId = (tc.controller.db.prepare("SELECT id FROM commands WHERE broadcast_id = ? AND topic LIKE '%thon-2'").get(health.broadcast_id) as { id: string }).id;
    const key = createPrivateKey(rx3.ack_signing_key!);
    ['received', 'downloaded', 'started', 'finished'].forEach((stage, seq) => {
      const unsigned: Ack = { v: 1, receiver_id: 'rx-3', seq, command_id: commandId, broadcast_id: health.broadcast_id, stage: stage as Ack['stage'], at: new Date().toISOString(), reason: null, detail: null };
      const ack = signAck(unsigned, key);
      tc.controller.acks.handle('rx-3', Buffer.from(JSON.stringify(ack)));
    });
    // And one numbered 6: acks 4 and 5 of rx-3 never arrived.
    const stray: Ack = { v: 1, receiver_id: 'rx-3', seq: 6, command_id: commandId, broadcast_id: health.broadcast_id, stage: 'rejected', at: new Date().toISOString(), reason: 'expired', detail: null };
    tc.controller.acks.handle('rx-3', Buffer.from(JSON.stringify(signAck(stray, key))));
    tc.controller.acks.flush();
    expect((await tc.api('GET', '/api/coverage/gaps')).body).toEqual([{ receiver_id: 'rx-3', from_seq: 4, to_seq: 5, missing: 2 }]);
    // A receiver asked to resend does so and says how many acks it still holds.
    const later = offsetMs;
    offsetMs = 0; // the receiver checks the command's time against its own clock
    const resent = await tc.api('POST', '/api/receivers/rx-1/ops', { op: 'resend_acks' });
    offsetMs = later;
    expect(resent.body).toMatchObject({ status: 'ok', data: { resent: expect.any(Number), next_seq: expect.any(Number) } });
    const after = (await tc.api('GET', '/api/reports/period?kind=month')).body;
    expect(after.totals.receivers_finished).toBe(4);
    expect(after.hamlets.find((h: any) => h.hamlet_id === 'thon-2').share_played).toBe(100);
  });
});

describe('exports', () => {
  it('XLSX, PDF and CSV open, carry the same figures, and are signed', async () => {
    const xlsx = await fetch(`${tc.url}/api/reports/period?kind=month&format=xlsx`, { headers: { authorization: `Bearer ${tc.token}` } });
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as any);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Theo chuyên mục', 'Theo tuần', 'Theo thôn', 'Cụm loa', 'Tin khẩn', 'Nhật ký phát']);
    const summary = wb.getWorksheet('Tổng hợp')!;
    expect(summary.getRow(3).values).toEqual([undefined, 'Số lượt phát', 2]);
    expect(wb.getWorksheet('Nhật ký phát')!.rowCount).toBe(1 + 6 + 2); // header, 6 live pairs, the drill's 2

    const pdf = await fetch(`${tc.url}/api/reports/period?kind=month&format=pdf`, { headers: { authorization: `Bearer ${tc.token}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    const text = (await new PDFParse({ data: bytes }).getText()).text;
    expect(text).toContain('Báo cáo hoạt động truyền thanh cơ sở');
    expect(text).toContain('Thôn Đông (100 hộ): nghe được 2/2 lượt');
    expect(text).toContain('Y tế, sức khỏe');

    // The signature holds for the file as sent, and not for another.
    const sha256 = pdf.headers.get('x-report-sha256')!;
    const signature = pdf.headers.get('x-report-signature')!;
    expect((await tc.api('POST', '/api/reports/verify', { sha256, signature })).body.ok).toBe(true);
    expect((await tc.api('POST', '/api/reports/verify', { sha256: xlsx.headers.get('x-report-sha256'), signature })).body.ok).toBe(false);
    // And from the command line, on the file as received; one changed byte fails it.
    const file = join(tc.dir, 'bao-cao.pdf');
    writeFileSync(file, bytes);
    const cli = (f: string) => promisify(execFile)('npx', ['tsx', 'controller/cli/admin.ts', 'verify', '--file', f, '--signature', signature],
      { env: { ...process.env, TT_CONFIG: 'config/commune.example.yaml', TT_DATA_DIR: join(tc.dir, 'data') } });
    expect(JSON.parse((await cli(file)).stdout)).toMatchObject({ signature_valid: true, sha256 });
    bytes[bytes.length - 10] ^= 1;
    writeFileSync(file, bytes);
    await expect(cli(file)).rejects.toMatchObject({ code: 1 });

    const csv = await fetch(`${tc.url}/api/reports/period?kind=month&format=csv`, { headers: { authorization: `Bearer ${tc.token}` } });
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^(\uFEFF)?broadcast_id,occurrence_id,/);
    expect(lines).toHaveLength(9);

    const bad = await tc.api('GET', '/api/reports/period?kind=range&from=2026-12-10&to=2026-12-01');
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('to');
  }, 30_000);
});

describe('upward reporting', () => {
  it('retries until the province accepts, keeps what was sent, and the document verifies', async () => {
    // At start the controller queued yesterday's report by itself.
    const auto = (await tc.api('GET', '/api/reports/upward')).body;
    expect(auto).toHaveLength(1);
    expect(Date.parse(auto[0].period_to)).toBeLessThanOrEqual(Date.now());
    provinceRefuses = 1;
    // The local days from the broadcasts to now (the clock is hours ahead by now, which can be
    // the next day in Việt Nam): never the day the controller queued by itself.
    const queued = await tc.api('POST', '/api/reports/upward', { kind: 'range', from: localDate(broadcastsSentAt), to: localDate(clock.now()) });
    expect(queued.status).toBe(202);
    expect(queued.body, JSON.stringify(queued.body)).toMatchObject({ status: 'pending', attempts: 1, last_status: 503 });
    offsetMs += 2 * 60_000;
    await tc.controller.upward.tick();
    const [row] = (await tc.api('GET', '/api/reports/upward')).body.filter((x: any) => x.id === queued.body.id);
    expect(row).toMatchObject({ status: 'accepted', attempts: 2, remote_ref: 'HT-2026-000123' });

    const sent = JSON.parse(province.at(-1)!.body);
    expect(sent.format).toBe('tt-activity/1');
    expect(sent.commune).toEqual({ id: 'test-commune', name: 'Xã Thử Nghiệm' });
    expect(sent.totals.broadcasts).toBe(2);
    expect(sent.receivers.find((x: any) => x.receiver_id === 'rx-3')).toMatchObject({ status: 'unknown' });
    const { signature, ...doc } = sent;
    const key = createPublicKey(tc.controller.signer.publicKeyPem);
    expect(verify(null, Buffer.from(canonicalize(doc)!, 'utf8'), key, Buffer.from(signature.value, 'base64'))).toBe(true);
    expect(province.at(-1)!.headers['x-tt-report-sha256']).toBe(row.sha256);
  });
});
