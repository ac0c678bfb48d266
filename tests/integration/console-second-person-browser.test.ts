/**
 * Two officials at the urgent desk with `emergency.second_person` on, each in a real Chromium (one
 * on a phone): the official who asks for an emergency is not offered a confirm button she may not
 * use, her request stays before her until another leader has dealt with it, and she is told when
 * it has left the waiting list. An outsider (session 32) pressed the button, was refused, saw the
 * request vanish from her desk while it still waited, and sent it again: two copies of one
 * emergency waited on the other official's phone.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { startTestAgent } from '../helpers/agents.js';
import { startBrowser, type Browser } from '../helpers/browser.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';

let tc: TestController;
const browsers: Browser[] = [];
let agent: ReceiverAgent;
const PASSWORD = 'một-mật-khẩu-đủ-dài-42';

beforeAll(async () => {
  tc = await startTestController({ emergency: { second_person: true } } as any);
  for (const [username, display_name] of [
    ['lan', 'Nguyễn Thị Lan'],
    ['hung', 'Trần Văn Hùng'],
  ])
    await tc.controller.accounts.createUser(
      { username, display_name, role: 'approver', password: PASSWORD },
      { id: 'test' },
    );
  agent = await startTestAgent(tc, 'loa-dong-1', 'thon-1');
}, 90_000);
afterAll(async () => {
  await agent?.stop();
  for (const b of browsers) await b.close();
  await tc?.close();
});

/** Each official in a browser of her own (sessions are cookies), on the urgent desk. */
async function atTheDesk(username: string, size?: { width: number; height: number }) {
  const browser = await startBrowser();
  browsers.push(browser);
  const { page, errors } = await browser.visit(`${tc.url}/console/`, size);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForSelector('header.top');
  await page.goto(`${tc.url}/console/#/urgent`);
  await page.getByRole('heading', { name: 'Phát thông báo khẩn' }).waitFor();
  return { page, errors };
}

/** Asks, as an official does, for an emergency to Thôn Đông with these words. */
async function askForEmergency(page: Page, words: string) {
  await page.getByLabel('Thôn Đông').check();
  await page.getByLabel('Nội dung thông báo').fill(words);
  await page.getByLabel('Mức ưu tiên').selectOption('emergency');
  await page.getByRole('button', { name: 'Kiểm tra và gửi' }).click();
}

describe('an emergency that needs a second person', () => {
  it('waits before the official who asked, with no button she may not use, until another leader confirms it', async () => {
    const a = await atTheDesk('lan');
    await askForEmergency(a.page, 'Lũ đang lên, bà con thôn Đông di chuyển lên chỗ cao ngay.');
    const dialog = a.page.getByRole('alertdialog');
    await dialog.getByRole('heading', { name: 'Đang chờ một lãnh đạo khác xác nhận' }).waitFor({ timeout: 30_000 });
    const shownAt = Date.now();
    expect(await dialog.textContent()).toContain('cần người thứ hai xác nhận');
    expect(await a.page.getByRole('button', { name: /Xác nhận/ }).count()).toBe(0);
    expect(await dialog.getByRole('button', { name: 'Hủy yêu cầu' }).count()).toBe(1);
    // She cannot ask a second time while the first waits.
    expect(await a.page.getByRole('button', { name: 'Kiểm tra và gửi' }).isDisabled()).toBe(true);

    // Her own phone (another session of hers) lists it as hers, with no confirm button the
    // controller would refuse (a second outsider of session 32 found one there).
    const own = await atTheDesk('lan', { width: 390, height: 844 });
    const ownList = own.page.locator('section.waiting');
    await ownList.getByText('Yêu cầu của bạn: cần một lãnh đạo khác xác nhận').waitFor({ timeout: 15_000 });
    expect(await ownList.getByRole('button', { name: /Xác nhận/ }).count()).toBe(0);
    expect(await ownList.getByRole('button', { name: 'Hủy yêu cầu' }).count()).toBe(1);
    expect(own.errors).toEqual([]);

    // The other leader, on a phone, sees it waiting and confirms it.
    const b = await atTheDesk('hung', { width: 390, height: 844 });
    const waiting = b.page.locator('section.waiting');
    // As it appears, its buttons wait a moment (a request that moves under a finger is not the
    // one it meant); read at the first frame that shows it.
    const firstSeen = await b.page.waitForFunction(
      () => {
        const button = [...document.querySelectorAll('section.waiting button')].find((x) =>
          x.textContent?.includes('Xác nhận yêu cầu này'),
        ) as HTMLButtonElement | undefined;
        return button ? { disabled: button.disabled } : null;
      },
      undefined,
      { timeout: 15_000 },
    );
    expect(await firstSeen.jsonValue()).toEqual({ disabled: true });
    await waiting.getByRole('heading', { name: 'Đang chờ xác nhận (1)' }).waitFor({ timeout: 15_000 });
    expect(await waiting.textContent()).toContain('Nguyễn Thị Lan');
    // Words for the leader reading it, not the request's own "ask another leader".
    expect(await waiting.textContent()).toContain('Cần một lãnh đạo khác với người yêu cầu xác nhận');
    expect(await waiting.textContent()).not.toContain('Yêu cầu của bạn');
    // Her dialog has asked the waiting list since (every 5 s): her request is still before her.
    await a.page.waitForTimeout(Math.max(0, 6_000 - (Date.now() - shownAt)));
    expect(await a.page.getByRole('alertdialog').count()).toBe(1);
    expect(await a.page.locator('p.warning[role="status"]').count()).toBe(0);
    await waiting.getByRole('button', { name: 'Xác nhận yêu cầu này, phát ngay' }).click();
    await expect
      .poll(async () => (await tc.api('GET', '/api/broadcasts/confirmations')).body.length, { timeout: 10_000 })
      .toBe(0);

    // Her desk follows: the request is gone from before her, and she is told why it may be.
    await a.page.getByText('Trần Văn Hùng đã xác nhận yêu cầu của bạn: tin đã được phát').waitFor({ timeout: 15_000 });
    expect(await a.page.getByRole('alertdialog').count()).toBe(0);
    // Shown as sent, its words cleared: nothing ready to send the same emergency a second time.
    expect(await a.page.getByLabel('Nội dung thông báo').inputValue()).toBe('');
    await a.page.locator('[data-hamlet="thon-1"]').first().waitFor({ timeout: 15_000 });
    const sent = (await tc.api('GET', '/api/broadcasts?limit=5')).body as { priority: string }[];
    expect(sent.filter((x) => x.priority === 'emergency')).toHaveLength(1);
    // Asking for the very same emergency again, she is told it has just been sent (an outsider
    // sent one twice so, after a restart).
    await askForEmergency(a.page, 'Lũ đang lên, bà con thôn Đông di chuyển lên chỗ cao ngay.');
    await a.page.getByText('Chú ý: chính thông báo này').waitFor({ timeout: 30_000 });
    await a.page.getByRole('alertdialog').getByRole('button', { name: 'Hủy yêu cầu' }).click();
    expect([...a.errors, ...b.errors]).toEqual([]);
  }, 120_000);

  it('withdrawn by the other leader, tells the one who asked that it was not sent, her words kept', async () => {
    const a = await atTheDesk('lan');
    await askForEmergency(a.page, 'Cây đổ chắn đường liên thôn, bà con đi đường khác.');
    await a.page.getByRole('heading', { name: 'Đang chờ một lãnh đạo khác xác nhận' }).waitFor({ timeout: 30_000 });
    const waiting = (await tc.api('GET', '/api/broadcasts/confirmations')).body as { id: string }[];
    expect(waiting).toHaveLength(1);
    // The other leader withdraws it from his phone's list, and is told what he did.
    const b = await atTheDesk('hung', { width: 390, height: 844 });
    await b.page.locator('section.waiting').getByRole('button', { name: 'Hủy yêu cầu' }).click();
    await b.page.getByText('Đã hủy yêu cầu của Nguyễn Thị Lan: tin sẽ không được phát').waitFor({ timeout: 15_000 });
    await a.page.getByText('đã hủy yêu cầu của bạn: tin chưa được phát').waitFor({ timeout: 15_000 });
    expect(await a.page.getByLabel('Nội dung thông báo').inputValue()).toContain('Cây đổ');
  }, 60_000);

  it('lapsed on her desk and closed, still tells her when another leader had confirmed it', async () => {
    const a = await atTheDesk('lan');
    // Her browser's clock can be moved on: the dialog lapses on her desk while the controller
    // still holds the request (a leader confirming in its last seconds, the controller unreachable).
    await a.page.clock.install();
    await a.page.reload();
    await a.page.getByRole('heading', { name: 'Phát thông báo khẩn' }).waitFor();
    await askForEmergency(a.page, 'Sạt lở ở đồi thôn Đông, bà con tránh xa chân đồi.');
    await a.page.getByRole('heading', { name: 'Đang chờ một lãnh đạo khác xác nhận' }).waitFor({ timeout: 30_000 });
    await a.page.clock.fastForward('03:00');
    await a.page.getByRole('heading', { name: 'Đã hết thời gian chờ xác nhận' }).waitFor({ timeout: 10_000 });
    await a.page.getByRole('alertdialog').getByRole('button', { name: 'Đóng' }).click();
    const waiting = (await tc.api('GET', '/api/broadcasts/confirmations')).body as { id: string }[];
    expect(waiting).toHaveLength(1);
    expect((await tc.api('POST', `/api/broadcasts/confirmations/${waiting[0]!.id}/confirm`)).status).toBe(201);
    await a.page.getByText('đã xác nhận yêu cầu của bạn: tin đã được phát').waitFor({ timeout: 15_000 });
    expect(await a.page.getByLabel('Nội dung thông báo').inputValue()).toBe('');
  }, 60_000);

  it('is not offered as a live voice, which would wait on the air for the other leader', async () => {
    const a = await atTheDesk('lan');
    await a.page.getByLabel('Thôn Đông').check();
    await a.page.getByLabel('Nói trực tiếp qua micrô').check();
    await a.page.getByLabel('Mức ưu tiên').selectOption('emergency');
    await a.page.getByRole('button', { name: 'Kiểm tra và gửi' }).click();
    await a.page
      .getByText('Không thể nói trực tiếp khi tin khẩn cấp cần một lãnh đạo khác xác nhận')
      .waitFor({ timeout: 30_000 });
    expect(await a.page.getByRole('alertdialog').count()).toBe(0);
    expect((await tc.api('GET', '/api/broadcasts/confirmations')).body).toHaveLength(0);
    expect(a.errors).toEqual([]);
  }, 60_000);
});
