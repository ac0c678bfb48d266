/**
 * The urgent desk's tiles after a stop, in Chromium on a phone: a broadcast ended by a person's
 * stop is said "stopped as ordered", not "ended, but NOT everywhere" as if it had failed; a
 * hamlet whose receiver lost its power mid-play reads "stop sent, not confirmed", not "playing"
 * beside the stop panel's "waiting for the receivers"; and the tiles of the last send are still
 * there when the official comes back to the desk from another page (an outsider found them gone).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { startTestAgent } from '../helpers/agents.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { logIn, screenshot, startBrowser, type Browser } from '../helpers/browser.js';
import { startTestController, TEST_ADMIN_PASSWORD, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let browser: Browser;
let media: { id: string };
const agents: ReceiverAgent[] = [];

beforeAll(async () => {
  tc = await startTestController();
  browser = await startBrowser();
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
  agents.push(await startTestAgent(tc, 'rx-doai', 'thon-2', { speed: 60 }));
  agents.push(await startTestAgent(tc, 'rx-nam', 'thon-3', { speed: 60 }));
}, 90_000);

afterAll(async () => {
  for (const a of agents) await a.stop().catch(() => {});
  await browser?.close();
  await tc?.close();
});

describe('the urgent desk after a stop', () => {
  it('says "stopped as ordered", shows a stop awaited on the tile, and keeps the tiles across pages', async () => {
    const { page, errors } = await browser.visit(`${tc.url}/console/`);
    await page.setViewportSize({ width: 390, height: 844 });
    await logIn(page, 'admin', TEST_ADMIN_PASSWORD);
    await page.goto(`${tc.url}/console/#/urgent`);
    const send = async (hamlet: string) => {
      await page.getByRole('heading', { name: 'Phát thông báo khẩn' }).waitFor();
      await page.getByLabel(hamlet).check();
      await page.getByLabel('Tệp âm thanh có sẵn').check();
      await page.getByLabel('Tệp âm thanh', { exact: true }).selectOption(media.id);
      await page.getByLabel('Mức ưu tiên').selectOption('priority');
      await page.getByRole('button', { name: 'Kiểm tra và gửi' }).click();
      await page.getByLabel(hamlet).uncheck();
    };

    // Stopped while every receiver could take it: the summary says it was stopped, not a failure.
    await send('Thôn Đoài');
    await page.locator('[data-hamlet="thon-2"][data-state="playing"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'DỪNG TẤT CẢ LOA' }).click();
    const ended = page.getByRole('status').filter({ hasText: 'Đã kết thúc: đã dừng theo lệnh' });
    await ended.waitFor({ timeout: 30_000 });
    expect(await ended.textContent()).toContain('Thôn đã nghe trọn trước khi dừng: 0/1');
    expect(await page.locator('main').textContent()).not.toContain('CHƯA phát đủ');

    // A receiver loses its power mid-play, and the stop goes out: the tile says the stop is awaited.
    await send('Thôn Nam');
    await page.locator('[data-hamlet="thon-3"][data-state="playing"]').waitFor({ timeout: 30_000 });
    await agents[1].stop(); // the power goes
    await waitFor(async () => (await tc.api('GET', '/api/receivers/rx-nam')).body.status === 'offline', 'offline');
    await page.getByRole('button', { name: 'DỪNG TẤT CẢ LOA' }).click();
    const tile = page.locator('[data-hamlet="thon-3"][data-state="stop_sent"]');
    await tile.waitFor({ timeout: 30_000 });
    expect(await tile.textContent()).toContain('Đã gửi lệnh dừng, chưa xác nhận');
    expect(await tile.textContent()).toContain('Chưa xác nhận lệnh dừng: 1');
    expect(await tile.textContent()).not.toContain('Đang phát');
    await screenshot(page, 'urgent-tile-stop-awaited-phone');

    // Away to the dashboard and back: the last send's tiles are still there.
    await page.goto(`${tc.url}/console/#/dashboard`);
    await page.getByRole('heading', { name: 'Tổng quan' }).waitFor();
    await page.goto(`${tc.url}/console/#/urgent`);
    await page.locator('[data-hamlet="thon-3"][data-state="stop_sent"]').waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
  }, 120_000);
});
