/**
 * The console counts by the controller's clock, not the browser's. An official's phone ten minutes
 * fast once showed an urgent confirmation as lapsed the moment it opened (countdown 0, the confirm
 * button disabled) while the controller would still have accepted it; CI's night run found it, with
 * the browser's clock apart from the controller's. Here the browser's clock is moved on purpose,
 * both ways, in real Chromium against a real controller and receiver. Beside it, the waiting list
 * of the same desk, which named only the hamlets with receivers.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { startTestAgent } from '../helpers/agents.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { startBrowser, type Browser } from '../helpers/browser.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';

let tc: TestController;
let browser: Browser;
let agent: ReceiverAgent;
const PASSWORD = 'một-mật-khẩu-đủ-dài-42';
let media: { id: string; title: string };

beforeAll(async () => {
  tc = await startTestController();
  browser = await startBrowser();
  await tc.controller.accounts.createUser(
    { username: 'chu-tich', display_name: 'Chủ tịch xã', role: 'approver', password: PASSWORD },
    { id: 'test' },
  );
  agent = await startTestAgent(tc, 'rx-dong', 'thon-1');
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
}, 90_000);
afterAll(async () => {
  await agent?.stop();
  await browser?.close();
  await tc?.close();
});

/** The browser's wall clock set this far from the controller's (time flows on from there). */
async function browserClockOff(ms: number): Promise<void> {
  const time = new Date(Date.now() + ms);
  // The helper installs Playwright's clock already under `npm run test:night`; a second install is refused.
  await browser.context.clock.install({ time }).catch(() => undefined);
  await browser.context.clock.setSystemTime(time);
}

/** The console, signed in as the commune's chairman (an approver). */
async function signIn(): Promise<Page> {
  await browser.context.clearCookies();
  const { page } = await browser.visit(`${tc.url}/console/`);
  await page.getByLabel('Tên đăng nhập').fill('chu-tich');
  await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForSelector('header.top');
  return page;
}

async function openConfirmation(): Promise<Page> {
  const page = await signIn();
  await page.goto(`${tc.url}/console/#/urgent`);
  await page.getByRole('heading', { name: 'Phát thông báo khẩn' }).waitFor();
  await page.getByLabel('Toàn xã').check(); // the whole commune asks for a confirmation
  await page.getByLabel('Tệp âm thanh có sẵn').check();
  await page.getByLabel('Tệp âm thanh', { exact: true }).selectOption(media.id);
  await page.getByLabel('Mức ưu tiên').selectOption('priority');
  await page.getByRole('button', { name: 'Kiểm tra và gửi' }).click();
  await page.getByRole('alertdialog').waitFor({ timeout: 30_000 });
  return page;
}

const secondsShown = async (page: Page) =>
  Number((await page.getByRole('alertdialog').locator('.countdown').textContent())!.match(/\d+/)![0]);

describe('the console counts by the controller clock', () => {
  it('a phone ten minutes fast still gets the whole confirmation time, and confirming sends', async () => {
    await browserClockOff(10 * 60_000);
    const page = await openConfirmation();
    const before = (await tc.api('GET', '/api/broadcasts?limit=100')).body.length;
    expect(await secondsShown(page)).toBeGreaterThan(100); // of 120, not 0
    const confirm = page.getByRole('alertdialog').getByRole('button', { name: 'Xác nhận, phát ngay' });
    expect(await confirm.isEnabled()).toBe(true);
    await confirm.click();
    await page.locator('[data-hamlet="thon-1"][data-state="done"]').waitFor({ timeout: 30_000 });
    expect((await tc.api('GET', '/api/broadcasts?limit=100')).body.length).toBe(before + 1);
    await page.close();
  }, 90_000);

  it('a phone ten minutes slow does not count past the confirmation time', async () => {
    await browserClockOff(-10 * 60_000);
    const page = await openConfirmation();
    const seconds = await secondsShown(page);
    expect(seconds).toBeGreaterThan(100);
    expect(seconds).toBeLessThanOrEqual(120); // not 720
    await page.getByRole('alertdialog').getByRole('button', { name: 'Hủy' }).click();
    await page.close();
  }, 90_000);
});

describe("the urgent desk's waiting list (an outsider's finding)", () => {
  it('a confirmation waiting for another official names the hamlets asked for that have no receiver', async () => {
    const asked = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1', 'thon-3'] }, // Thôn Nam has no receiver in this file
      priority: 'emergency',
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const page = await signIn();
    await page.goto(`${tc.url}/console/#/urgent`);
    const waiting = page.locator('section.waiting');
    await waiting.getByRole('heading', { name: /Đang chờ xác nhận/ }).waitFor({ timeout: 15_000 });
    expect(await waiting.locator('.warning', { hasText: 'KHÔNG nghe thấy' }).textContent()).toMatch(
      /KHÔNG nghe thấy \(không có cụm loa nào đã đăng ký\): Thôn Nam/,
    );
    // What will be said can be read (its title: spoken text's opening words) and heard from the list.
    expect(await waiting.locator('.waiting-title').textContent()).toBe(`Nội dung: ${media.title}`);
    const audio = waiting.locator('audio');
    expect(await audio.getAttribute('src')).toBe(`/api/media/${media.id}/audio`);
    const loads = await audio.evaluate(
      (a: HTMLAudioElement) =>
        new Promise<boolean>((resolve) => {
          a.addEventListener('loadedmetadata', () => resolve(true));
          a.addEventListener('error', () => resolve(false));
          a.preload = 'metadata';
          a.load();
          setTimeout(() => resolve(a.readyState > 0), 10_000);
        }),
    );
    expect(loads).toBe(true);
    // The time left counts down in the list too, and the request can be withdrawn from there.
    expect(await waiting.locator('.countdown').textContent()).toMatch(/Còn \d+ giây để xác nhận/);
    await waiting.getByRole('button', { name: 'Hủy yêu cầu' }).click();
    await waiting.waitFor({ state: 'detached' });
    expect((await tc.api('GET', '/api/broadcasts/confirmations')).body).toEqual([]);
    await page.close();
  }, 60_000);

  it('the coverage page follows its address: another broadcast named there is shown without a reload', async () => {
    const one = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-1'] } });
    const two = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { hamlet_ids: ['thon-1', 'thon-3'] }, // Thôn Nam: a row of its own (no receiver)
    });
    expect([one.status, two.status]).toEqual([201, 201]);
    const page = await signIn();
    await page.goto(`${tc.url}/console/#/coverage/${one.body.id}`);
    const table = page.locator('section[aria-labelledby="cv-h"] table');
    await table.waitFor();
    expect(await table.textContent()).not.toContain('Thôn Nam');
    await page.evaluate((id) => (location.hash = `#/coverage/${id}`), two.body.id);
    await expect.poll(async () => await table.textContent(), { timeout: 15_000 }).toContain('Thôn Nam');
    await page.goBack();
    await expect.poll(async () => await table.textContent(), { timeout: 15_000 }).not.toContain('Thôn Nam');
    await page.close();
  }, 60_000);
});
