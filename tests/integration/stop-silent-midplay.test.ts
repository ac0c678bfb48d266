/**
 * A receiver that went silent mid-play (its power cut) and was stopped meanwhile: once its item
 * would have ended it is "unfinished", and it takes the item up again when the power comes back
 * unless it takes the stop first. So the stop stays "sent, not confirmed" in its coverage row, and
 * the desk's "now playing" keeps the broadcast, none playing, the stop awaited (an outsider's desk
 * said "nothing plays anywhere" and the row had dropped the stop, the receiver still dark).
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { OFFLINE_END_SLACK_MS } from '../../controller/coverage/outcome.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { logIn, screenshot, startBrowser } from '../helpers/browser.js';
import {
  broadcastConfirmed,
  startTestController,
  TEST_ADMIN_PASSWORD,
  type TestController,
} from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
let tc: TestController;
let media: { id: string };
const agents: ReceiverAgent[] = [];

beforeAll(async () => {
  tc = await startTestController({}, { overrides: { clock } });
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
}, 60_000);

afterAll(async () => {
  for (const a of agents) await a.stop().catch(() => {});
  await tc?.close();
});

describe('a receiver silent mid-play, stopped meanwhile', () => {
  it('keeps the stop unconfirmed in coverage and in "now playing" once its item would have ended', async () => {
    const rx = await startTestAgent(tc, 'rx-dark', 'thon-1', { speed: 30 }); // the 1 s tone lasts 30 s
    agents.push(rx);
    const on = new Promise((resolve) => rx.once('playing', resolve));
    // An emergency: a receiver plays it again from the start when its power comes back.
    const b = await broadcastConfirmed(tc, {
      media_id: media.id,
      priority: 'emergency',
      repeat_count: 1,
      target: { receiver_ids: ['rx-dark'] },
    });
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    await on;
    await waitFor(async () => (await coverageRow(tc, b.body.id, 'rx-dark'))?.outcome === 'playing', 'playing');
    await rx.stop(); // the power goes
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-dark')).body.status === 'offline', 'offline');
    expect((await tc.api('POST', `/api/broadcasts/${b.body.id}/stop`, {})).status).toBe(202);

    // Its item would have ended by now: "unfinished", and the stop still said.
    offsetMs = 2_000 + OFFLINE_END_SLACK_MS + 5_000;
    expect(await coverageRow(tc, b.body.id, 'rx-dark')).toMatchObject({
      outcome: 'unfinished',
      stop_sent_at: expect.any(String),
    });
    const coverage = (await tc.api('GET', `/api/broadcasts/${b.body.id}/coverage`)).body;
    expect(coverage.totals).toMatchObject({ stop_unconfirmed: 1 });
    const now = (await tc.api('GET', '/api/coverage/now')).body;
    expect(now.hamlets.find((h: { hamlet_id: string }) => h.hamlet_id === 'thon-1').playing).toMatchObject([
      {
        broadcast_id: b.body.id,
        receivers_playing: 0,
        receivers_stop_unconfirmed: 1,
        stop_sent_at: expect.any(String),
      },
    ]);
    // The as-run log says it too.
    const day = DateTime.fromISO(b.body.created_at, { zone: 'Asia/Ho_Chi_Minh' }).toISODate();
    const log = (await tc.api('GET', `/api/reports/as-run?kind=week&date=${day}`)).body;
    const row = log.rows.find((r: { broadcast_id: string }) => r.broadcast_id === b.body.id);
    expect(row).toMatchObject({ outcome: 'unfinished', stop_sent_at: expect.any(String) });

    // On a phone: the dashboard says none plays it and the stop waits; the desk does not say "nothing plays".
    const browser = await startBrowser();
    try {
      const { page, errors } = await browser.visit(`${tc.url}/console/`);
      await page.setViewportSize({ width: 390, height: 844 });
      await logIn(page, 'admin', TEST_ADMIN_PASSWORD);
      await page.goto(`${tc.url}/console/#/dashboard`);
      const dong = page.locator('tr', { has: page.getByRole('rowheader', { name: 'Thôn Đông' }) });
      await dong.filter({ hasText: 'chưa xác nhận dừng' }).waitFor({ timeout: 15_000 });
      expect(await dong.textContent()).toMatch(
        /đã gửi lệnh dừng lúc \d\d:\d\d:\d\d; 1 cụm loa mất kết nối giữa chừng, chưa xác nhận dừng \(có thể phát lại khi có điện trở lại, đến \d\d:\d\d/,
      );
      expect(await dong.textContent()).not.toContain('0/1');
      await page.goto(`${tc.url}/console/#/urgent`);
      await page.getByText('Đã gửi lệnh dừng, đang chờ cụm loa xác nhận: Thôn Đông.').waitFor({ timeout: 15_000 });
      expect(await page.getByText('Hiện không thôn nào đang phát.').count()).toBe(0);
      await screenshot(page, 'urgent-stop-awaited-silent-phone');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
