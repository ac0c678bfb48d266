/**
 * An emergency, and a receiver whose power went mid-play, before anyone pressed stop: once its
 * item would have ended it is "unfinished", silent, yet it plays the emergency again from the
 * start when the power comes back, while the item is valid. "Now playing" keeps it (none playing,
 * `receivers_may_replay`), the dashboard and the urgent desk say it may sound again, and the desk's
 * stop withdraws it: the receiver takes the stop at power-back and stays silent. An outsider's
 * desk said "nothing plays" over such a hamlet, with no word that the alarm would come back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { OFFLINE_END_SLACK_MS } from '../../controller/coverage/outcome.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, receiverWithPower, startTestAgent } from '../helpers/agents.js';
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

interface Entry {
  broadcast_id: string;
  receivers_playing: number;
  receivers_stop_unconfirmed: number;
  receivers_may_replay: number;
}

async function nowIn(hamlet: string): Promise<Entry[]> {
  const now = (await tc.api('GET', '/api/coverage/now')).body;
  return now.hamlets.find((h: { hamlet_id: string }) => h.hamlet_id === hamlet)?.playing ?? [];
}

describe('a receiver silent mid-emergency, not stopped', () => {
  it('is listed as one that may play again, and the desk’s stop withdraws it before the power comes back', async () => {
    // The 1 s tone lasts 30 s: still on air when the power goes.
    const receiver = await receiverWithPower(tc, 'rx-dark', 'thon-1', 30, agents);
    const before = receiver();
    await before.start();
    const on = new Promise((resolve) => before.once('playing', resolve));
    const sent = await broadcastConfirmed(tc, {
      media_id: media.id,
      priority: 'emergency',
      repeat_count: 1,
      target: { receiver_ids: ['rx-dark'] },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const id = sent.body.id;
    await on;
    await waitFor(async () => (await coverageRow(tc, id, 'rx-dark'))?.outcome === 'playing', 'playing');
    await before.stop(); // the power goes
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-dark')).body.status === 'offline', 'offline');

    // Its item would have ended by now: silent, "unfinished", and it may sound again.
    offsetMs = 2_000 + OFFLINE_END_SLACK_MS + 5_000;
    expect(await coverageRow(tc, id, 'rx-dark')).toMatchObject({ outcome: 'unfinished' });
    expect(await nowIn('thon-1')).toMatchObject([
      { broadcast_id: id, receivers_playing: 0, receivers_stop_unconfirmed: 0, receivers_may_replay: 1 },
    ]);

    const browser = await startBrowser();
    try {
      const { page, errors } = await browser.visit(`${tc.url}/console/`);
      await page.setViewportSize({ width: 390, height: 844 });
      await logIn(page, 'admin', TEST_ADMIN_PASSWORD);
      await page.goto(`${tc.url}/console/#/dashboard`);
      const dong = page.locator('tr', { has: page.getByRole('rowheader', { name: 'Thôn Đông' }) });
      await dong.filter({ hasText: 'mất kết nối giữa chừng' }).waitFor({ timeout: 15_000 });
      expect(await dong.textContent()).toMatch(
        /1 cụm loa mất kết nối giữa chừng: nếu do mất điện, sẽ phát lại từ đầu khi có điện trở lại \(đến \d\d:\d\d/,
      );

      // The desk: nothing sounds now, and it says what will sound again; its stop withdraws it.
      await page.goto(`${tc.url}/console/#/urgent`);
      await page
        .getByText(/Có thể phát lại khi có điện trở lại, đến \d\d:\d\d.*: «.*» ở: Thôn Đông/)
        .waitFor({ timeout: 15_000 });
      expect(await page.getByText('Hiện không thôn nào đang phát.').count()).toBe(0);
      await screenshot(page, 'urgent-may-replay-phone');
      await page.getByRole('button', { name: 'DỪNG TẤT CẢ LOA' }).click();
      await page.getByText('Đã gửi lệnh dừng, đang chờ cụm loa xác nhận: Thôn Đông.').waitFor({ timeout: 15_000 });
      expect(await page.getByText(/Có thể phát lại khi có điện trở lại/).count()).toBe(0);
      expect(await nowIn('thon-1')).toMatchObject([
        { broadcast_id: id, receivers_stop_unconfirmed: 1, receivers_may_replay: 0 },
      ]);

      // The power comes back: the receiver takes the stop and the alarm does not sound again.
      const back = receiver();
      const started: string[] = [];
      back.on('playing', (c: { broadcast_id: string }) => started.push(c.broadcast_id));
      await back.start();
      await waitFor(async () => (await nowIn('thon-1')).length === 0, 'the stop taken', 20_000);
      await page.getByText('Hiện không thôn nào đang phát.').waitFor({ timeout: 20_000 });
      await page.getByText('Không còn gì đang phát hay có thể phát lại ở Thôn Đông.').waitFor({ timeout: 20_000 });
      expect(started, 'the withdrawn alarm sounded after the power came back').toEqual([]);
      // Away from the desk and back, in the same tab: what the stop did is still said.
      await page.goto(`${tc.url}/console/#/dashboard`);
      await page.goto(`${tc.url}/console/#/urgent`);
      await page.getByText('Không còn gì đang phát hay có thể phát lại ở Thôn Đông.').waitFor({ timeout: 20_000 });
      // Its record: stopped while dark, its restart's words the last (not "stopped while playing").
      const row = await coverageRow(tc, id, 'rx-dark');
      expect(row).toMatchObject({
        outcome: 'failed',
        reason: 'stopped',
        restarted_at: row.failed_at,
        cut_by_restart: true,
        silent_from: expect.any(String), // its link went with the power, before it came back
      });
      expect(Date.parse(row.silent_from)).toBeLessThan(Date.parse(row.restarted_at));
      await page.goto(`${tc.url}/console/#/coverage/${id}`);
      const line = page.locator('li', { hasText: 'rx-dark' });
      await line.filter({ hasText: 'mất kết nối, không phát lại' }).waitFor({ timeout: 15_000 });
      expect(await line.textContent()).not.toContain('the receiver restarted');
      expect(await line.textContent()).toMatch(/im lặng từ \d\d:\d\d.* \(mất kết nối\)/);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});

describe('the desk’s stop of one broadcast', () => {
  it('stops that broadcast, wherever it plays, and leaves the rest on air', async () => {
    const one = await startTestAgent(tc, 'rx-one', 'thon-2', { speed: 60 });
    const other = await startTestAgent(tc, 'rx-other', 'thon-3', { speed: 60 });
    agents.push(one, other);
    const send = async (receiver: string) => {
      const b = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { receiver_ids: [receiver] } });
      expect(b.status, JSON.stringify(b.body)).toBe(201);
      return b.body.id as string;
    };
    const first = await send('rx-one');
    const second = await send('rx-other');
    await waitFor(async () => (await nowIn('thon-2')).length + (await nowIn('thon-3')).length === 2, 'both play');

    const browser = await startBrowser();
    try {
      const { page, errors } = await browser.visit(`${tc.url}/console/`);
      await page.setViewportSize({ width: 390, height: 844 });
      await logIn(page, 'admin', TEST_ADMIN_PASSWORD);
      await page.goto(`${tc.url}/console/#/urgent`);
      const line = page.locator('.now-sounding p', { hasText: 'Thôn Đoài' });
      await line.waitFor({ timeout: 15_000 });
      await line.getByRole('button', { name: 'Dừng tin này' }).click();
      await page
        .getByText(/Đã gửi lệnh dừng «.*» tới mọi cụm loa được gửi tin này \(ở: Thôn Đoài\)/)
        .waitFor({ timeout: 15_000 });
      await waitFor(async () => (await coverageRow(tc, first, 'rx-one'))?.reason === 'stopped', 'stopped', 15_000);
      expect((await coverageRow(tc, second, 'rx-other'))?.outcome).toBe('playing');
      // Its line leaves, and once the receiver's ack is in, so does "waiting for the receivers".
      await page.locator('.now-sounding p', { hasText: 'Thôn Đoài' }).waitFor({ state: 'detached', timeout: 20_000 });
      await page.getByText('đang chờ cụm loa xác nhận: Thôn Đoài').waitFor({ state: 'detached', timeout: 20_000 });
      // And the press says the receivers confirmed it (it said "waiting" for ever).
      await page.getByText('Không còn gì đang phát hay có thể phát lại ở Thôn Đoài.').waitFor({ timeout: 20_000 });
      expect(await page.locator('section.stop-panel').textContent()).not.toContain('đang chờ');
      expect(await page.locator('.now-sounding p', { hasText: 'Thôn Nam' }).count()).toBe(1);
      await screenshot(page, 'urgent-stop-one-phone');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
