/**
 * A withdrawn emergency whose window closed while its receiver was dark: the power went mid-play,
 * a person stopped it, and the power came back after the emergency's latest start. The receiver
 * does not play it again (its window is over) and takes the stop the broker kept; its record says
 * "stopped", as for a receiver back within the window, not a player error. An outsider's coverage,
 * as-run log and period report counted such a hamlet as a receiver fault ("the receiver restarted
 * while this played; its window has ended"): the receiver had settled the item before the stop came.
 * Nor is its share played counted up to when it took the stop: it fell silent with the power.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DateTime } from 'luxon';
import { afterAll, describe, expect, it } from 'vitest';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, receiverWithPower } from '../helpers/agents.js';
import { broadcastConfirmed, startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

const agents: ReceiverAgent[] = [];
let tc: TestController | undefined;

afterAll(async () => {
  for (const a of agents) await a.stop().catch(() => {});
  await tc?.close();
});

describe('a stop taken after the window closed', () => {
  it('reads as stopped, not as the receiver’s fault', async () => {
    tc = await startTestController();
    const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 20);
    // The 20 s tone plays 20 s: still on air when the power goes.
    const receiver = await receiverWithPower(tc, 'rx-1', 'thon-1', 1, agents);
    const before = receiver();
    await before.start();
    const on = new Promise((resolve) => before.once('playing', resolve));
    const sent = await broadcastConfirmed(tc, {
      media_id: media.id,
      priority: 'emergency',
      repeat_count: 1,
      expires_in_s: 10,
      target: { receiver_ids: ['rx-1'] },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const id = sent.body.id;
    await on;
    await before.stop(); // the power goes mid-play
    await waitFor(async () => (await tc!.api('GET', '/api/receivers/rx-1')).body.status === 'offline', 'offline');
    expect((await tc.api('POST', `/api/broadcasts/${id}/stop`, {})).status).toBe(202);

    // The power comes back after the emergency's latest start.
    const wait = Date.parse(sent.body.expires_at) + 500 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const back = receiver();
    const started: string[] = [];
    back.on('playing', (c: { broadcast_id: string }) => started.push(c.broadcast_id));
    await back.start();
    await waitFor(async () => (await coverageRow(tc!, id, 'rx-1'))?.outcome === 'failed', 'settled', 20_000);
    expect(await coverageRow(tc, id, 'rx-1')).toMatchObject({
      outcome: 'failed',
      reason: 'stopped',
      restarted_at: expect.any(String), // its restart cut it: said beside the stop
      cut_by_restart: true, // and has the last word: nothing sounded after it
    });
    expect(started).toEqual([]);

    const day = DateTime.fromISO(sent.body.created_at, { zone: 'Asia/Ho_Chi_Minh' }).toISODate();
    const log = (await tc.api('GET', `/api/reports/as-run?kind=week&date=${day}`)).body;
    const row = log.rows.find((r: { broadcast_id: string }) => r.broadcast_id === id);
    expect(row).toMatchObject({
      outcome: 'failed',
      reason: 'stopped',
      restarted_at: expect.any(String),
      cut_by_restart: true,
    });
    // It fell silent with the power, not when it came back and took the stop: the log says when.
    expect(row.silent_from).toEqual(expect.any(String));
    expect(Date.parse(row.silent_from)).toBeLessThan(Date.parse(sent.body.expires_at));
    expect(Date.parse(row.ended_at)).toBeGreaterThan(Date.parse(sent.body.expires_at));
    const words = (await tc.api('GET', `/api/reports/as-run?kind=week&date=${day}&format=csv`)).body as string;
    const line = words.split('\r\n').find((l) => l.includes('rx-1'))!;
    expect(line).toContain('bị dừng theo lệnh khi cụm loa đang mất kết nối, không phát lại');
    expect(line).not.toContain('bị dừng khi đang phát');
    // What it did confirm: it started, and never said it finished (not a blank "Mức xác nhận").
    expect(line).toContain('cụm loa báo đã bắt đầu phát, không báo phát hết');
    // It fell silent with the power, a second or two into its 20 s, not when it took the stop:
    // the share played is not claimed up to its return (about half the tone).
    const period = (await tc.api('GET', `/api/reports/period?kind=week&date=${day}`)).body;
    const hamlet = period.hamlets.find((h: { hamlet_id: string }) => h.hamlet_id === 'thon-1');
    expect(hamlet.not_reached.stopped).toBe(1);
    expect(hamlet.share_played).toBeLessThan(30);
    // The store's last check was made at the start, before any of these acks: the report says how
    // many it did not cover, not only "intact: 0 checked" (an outsider read that as verified).
    const stored = (period.integrity.acks_checked as number) + (period.integrity.acks_unchecked as number);
    expect(period.integrity.acks_unchecked).toBeGreaterThan(0);
    expect(stored).toBeGreaterThanOrEqual(6); // received, downloaded, started; then the stop's and the play's on return
    const pdf = await fetch(`${tc.url}/api/reports/period?kind=week&date=${day}&format=pdf`, {
      headers: { authorization: `Bearer ${tc.token}` },
    });
    expect(pdf.status).toBe(200);
    const file = join(tc.dir, 'bao-cao.pdf');
    writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const text = (await promisify(execFile)('pdftotext', [file, '-'])).stdout.replace(/\s+/g, ' ');
    expect(text).toMatch(/\d+ xác nhận lưu sau lần kiểm tra đó chưa được kiểm tra/);
  }, 90_000);
});
