/**
 * The console never shows "heard" for what was only sent, in real Chromium against a real
 * controller and agents: Thôn Đông has only a bridge's group (its player can only say the audio
 * left it, evidence 'sent', as the RTP, stream and FM drivers do); Thôn Đoài a receiver with its
 * own loudspeaker. The urgent desk's tile, its summary and the coverage page say "sent, not
 * confirmed heard" for the first and "heard" only for the second.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { coverageRow, SendingPlayer, startTestAgent } from '../helpers/agents.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { checkAccessibility, screenshot, startBrowser, type Browser } from '../helpers/browser.js';
import { broadcastConfirmed, startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

const RTP = 'rtp pcmu: sent to 1 address (239.1.1.1:5004); no receipt from devices';
const PASSWORD = 'một-mật-khẩu-đủ-dài-42';

let tc: TestController;
let browser: Browser;
let media: { id: string; title: string };
const agents: ReceiverAgent[] = [];

beforeAll(async () => {
  tc = await startTestController();
  browser = await startBrowser();
  await tc.controller.accounts.createUser(
    { username: 'chu-tich', display_name: 'Chủ tịch xã', role: 'approver', password: PASSWORD },
    { id: 'test' },
  );
  agents.push(await startTestAgent(tc, 'br-rtp-dong', 'thon-1', { player: new SendingPlayer(RTP) }));
  agents.push(await startTestAgent(tc, 'rx-loa-doai', 'thon-2'));
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
}, 90_000);
afterAll(async () => {
  for (const a of agents) await a.stop();
  await browser?.close();
  await tc?.close();
});

async function loggedIn(path: string): Promise<{ page: Page; errors: string[] }> {
  await browser.context.clearCookies();
  const tracked = await browser.visit(`${tc.url}/console/`);
  const { page } = tracked;
  await page.getByLabel('Tên đăng nhập').fill('chu-tich');
  await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForSelector('header.top');
  await page.goto(`${tc.url}/console/#/${path}`);
  return tracked;
}

describe('a hamlet whose only receiver is a bridge that sent the audio', () => {
  it('the urgent desk shows it sent, not confirmed heard: never done, never counted as heard', async () => {
    const { page, errors } = await loggedIn('urgent');
    await page.getByRole('heading', { name: 'Phát thông báo khẩn' }).waitFor();
    await page.getByLabel('Thôn Đông').check();
    await page.getByLabel('Tệp âm thanh có sẵn').check();
    await page.getByLabel('Tệp âm thanh', { exact: true }).selectOption(media.id);
    await page.getByLabel('Mức ưu tiên').selectOption('priority');
    await page.getByRole('button', { name: 'Kiểm tra và gửi' }).click();
    const tile = page.locator('[data-hamlet="thon-1"][data-state="sent"]');
    await tile.waitFor({ timeout: 30_000 });
    expect(await tile.textContent()).toContain('Đã phát đi, chưa xác nhận nghe');
    expect(await tile.textContent()).toContain('Chỉ phát đi, chưa xác nhận nghe: 1');
    const summary = page.getByRole('status').filter({ hasText: 'CHƯA phát đủ' });
    await summary.waitFor({ timeout: 15_000 });
    expect(await summary.textContent()).toContain('Thôn đã nghe: 0/1');
    expect(await summary.textContent()).toContain('1 cụm loa chỉ xác nhận đã phát đi');
    const body = await page.locator('main').textContent();
    expect(body).not.toContain('Hoàn tất');
    expect(body).not.toContain('Đã phát xong');
    await screenshot(page, 'urgent-sent-unconfirmed');

    const latest = (await tc.api('GET', '/api/broadcasts?limit=1')).body[0];
    await page.goto(`${tc.url}/console/#/coverage/${latest.id}`);
    await page.getByRole('heading', { name: 'Kết quả phát theo thôn' }).waitFor();
    const row = page.locator('tbody tr', { hasText: 'Thôn Đông' }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain('Đã phát đi, chưa xác nhận nghe');
    expect(await row.textContent()).not.toContain('Đã nghe');
    const main = await page.locator('main').textContent();
    expect(main).toContain('0 thôn, 0 hộ đã nghe');
    expect(main).toContain('1 cụm loa chỉ xác nhận đã phát đi, chưa xác nhận có người nghe: 1 thôn, 100 hộ');
    expect(main).toContain(`br-rtp-dong (Thôn Đông): đã phát đi, chưa xác nhận nghe cụm loa báo: ${RTP}`);
    expect(await checkAccessibility(page)).toEqual([]);
    await screenshot(page, 'coverage-sent-unconfirmed');
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('while a hamlet with a loudspeaker of its own is shown heard', async () => {
    const res = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-2'] } });
    expect(res.status).toBe(201);
    await waitFor(async () => (await coverageRow(tc, res.body.id, 'rx-loa-doai'))?.outcome === 'finished', 'heard');
    const { page, errors } = await loggedIn(`coverage/${res.body.id}`);
    await page.getByRole('heading', { name: 'Kết quả phát theo thôn' }).waitFor();
    const row = page.locator('tbody tr', { hasText: 'Thôn Đoài' }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain('Đã nghe');
    expect(await row.textContent()).not.toContain('chưa xác nhận');
    expect(await page.locator('main').textContent()).toContain('1 thôn, 80 hộ đã nghe');
    // Nobody left to list: it says so, not an empty heading.
    expect(await page.locator('main').textContent()).toContain('Mọi cụm loa được gửi đều đã phát trọn bản tin.');
    // On a phone the hamlet's card leaves out the zero counts: what it heard, not six lines of 0.
    await page.setViewportSize({ width: 390, height: 844 });
    const shown = (await row.locator('td:visible').allTextContents()).map((c) => c.trim());
    expect(shown).toEqual(['80', '1 / 1']);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('a hamlet where one receiver finished and an emergency cut the other off', () => {
  it('is "partly heard", and the cut-off receiver is no failure of its own', async () => {
    const quick = await startTestAgent(tc, 'rx-nam-1', 'thon-3');
    const slow = await startTestAgent(tc, 'rx-nam-2', 'thon-3', { speed: 20 }); // the 1 s tone plays 20 s
    agents.push(quick, slow);
    const playing = new Promise<void>((r) => slow.once('playing', () => r()));
    const normal = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-3'] } });
    expect(normal.status).toBe(201);
    await playing;
    await waitFor(async () => (await coverageRow(tc, normal.body.id, 'rx-nam-1'))?.outcome === 'finished', 'one heard');
    const emergency = await broadcastConfirmed(tc, {
      media_id: media.id,
      target: { receiver_ids: ['rx-nam-2'] },
      priority: 'emergency',
      repeat_count: 1,
    });
    expect(emergency.status).toBe(201);
    await waitFor(async () => (await coverageRow(tc, normal.body.id, 'rx-nam-2'))?.reason === 'preempted', 'cut off');

    const { page, errors } = await loggedIn(`coverage/${normal.body.id}`);
    await page.getByRole('heading', { name: 'Kết quả phát theo thôn' }).waitFor();
    const row = page.locator('tbody tr', { hasText: 'Thôn Nam' }).first();
    await row.waitFor();
    const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
    // Households, finished, sent only, playing or waiting its turn, failed, stopped or cut off, unfinished, offline, no answer.
    expect(cells).toEqual(['60', '1 / 2', '0', '0', '0', '1', '0', '0', '0']);
    expect(await row.locator('th').textContent()).toContain('Nghe một phần');
    expect(await row.locator('th').textContent()).not.toContain('Đã nghe');
    const main = await page.locator('main').textContent();
    expect(main).toContain('Trong đó 1 thôn (60 hộ) chỉ nghe một phần');
    expect(main).toContain('Cụm loa chưa phát xong');
    expect(main).toContain('rx-nam-2 (Thôn Nam): bị tin khẩn cắt ngang khi đang phát');
    expect(await page.getByRole('columnheader', { name: 'Bị dừng hoặc tin khẩn cắt ngang' }).count()).toBe(1);
    expect(await checkAccessibility(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();

    // The emergency's own coverage on a phone: the result comes into view below the list, named.
    const phone = await loggedIn(`coverage/${emergency.body.id}`);
    await phone.page.setViewportSize({ width: 390, height: 844 });
    await phone.page.goto(`${tc.url}/console/#/coverage`);
    const heading = phone.page.getByRole('heading', { name: 'Kết quả phát theo thôn' });
    await heading.waitFor();
    // Scrolled back up to the list, the official taps the same broadcast again (its address does not change).
    await phone.page.evaluate(() => window.scrollTo(0, 0));
    await phone.page
      .locator('tbody tr', { hasText: 'Khẩn cấp' })
      .first()
      .getByRole('button', { name: 'Xem kết quả' })
      .click();
    await waitFor(
      async () => {
        const box = await heading.boundingBox();
        return box !== null && box.y >= 0 && box.y < 844;
      },
      'the result in view on a phone',
      20_000,
    ); // a loaded CI machine once took longer than 10 s
    expect(await phone.page.locator('section[aria-labelledby="cv-h"]').textContent()).toContain('Khẩn cấp');
    expect(phone.errors).toEqual([]);
    await phone.page.close();
  }, 90_000);
});
