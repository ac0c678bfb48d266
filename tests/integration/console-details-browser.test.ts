/**
 * Console details an outsider found (issue 24), in real Chromium against a real controller: the
 * bulletin editor's "Nghe thử" shows the words the voice will say, gone once the text changes;
 * an abbreviation saved through an API token names the token's person, not "token:<name>"; on a
 * 390 px phone no table heading breaks inside a word.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS } from '../../controller/accounts/permissions.js';
import { screenshot, startBrowser, type Browser } from '../helpers/browser.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';

let tc: TestController;
let browser: Browser;
const PASSWORD = 'một-mật-khẩu-đủ-dài-42';
const PHONE = { width: 390, height: 844 };
let approverId = '';

beforeAll(async () => {
  tc = await startTestController({ security: { login_rate_per_minute: 200 } } as any);
  browser = await startBrowser();
  approverId = (
    await tc.controller.accounts.createUser(
      { username: 'pho-chu-tich', display_name: 'Phó chủ tịch xã', role: 'approver', password: PASSWORD },
      { id: 'test' },
    )
  ).id;
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await tc?.close();
});

async function signIn(hash: string): Promise<{ page: Page; errors: string[] }> {
  await browser.context.clearCookies();
  const tracked = await browser.visit(`${tc.url}/console/`, PHONE);
  await tracked.page.getByLabel('Tên đăng nhập').fill('pho-chu-tich');
  await tracked.page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
  await tracked.page.getByRole('button', { name: 'Đăng nhập' }).click();
  await tracked.page.waitForSelector('header.top');
  await tracked.page.goto(`${tc.url}/console/#/${hash}`);
  return tracked;
}

describe('console details', () => {
  it('shows what the voice will say beside "Nghe thử" in the bulletin editor, and drops it when the text changes', async () => {
    const { page, errors } = await signIn('media');
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Soạn bản tin' }) });
    await form.getByLabel('Tiêu đề').fill('Họp dân');
    await form.getByLabel('Nội dung').fill('UBND xã họp lúc 8h.');
    await form.getByRole('button', { name: 'Nghe thử' }).click();
    await form.locator('audio').waitFor();
    const spoken = (await tc.api('POST', '/api/tts/normalize', { text: 'UBND xã họp lúc 8h.' })).body.spoken;
    await expect(form.getByRole('status').innerText()).resolves.toContain('Giọng đọc sẽ nói:');
    await expect(form.locator('blockquote').innerText()).resolves.toBe(spoken);
    expect(spoken).toContain('ủy ban nhân dân');
    await screenshot(page, 'bulletin-editor-will-say-phone');

    await form.getByLabel('Nội dung').fill('UBND xã họp lúc 9h.');
    expect(await form.locator('blockquote').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 90_000);

  it('names the person behind an API token that saved an abbreviation', async () => {
    const token = tc.controller.accounts.createToken(
      { name: 'o11appr', role: 'approver' },
      { id: approverId, permissions: ROLE_PERMISSIONS.approver as Set<any> },
    ).token;
    const saved = await tc.api(
      'PUT',
      '/api/tts/abbreviations/HTXNN',
      { reading: 'hợp tác xã nông nghiệp' },
      { authorization: `Bearer ${token}` },
    );
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ updated_by: 'token:o11appr', updated_by_name: 'Phó chủ tịch xã (o11appr)' });

    const { page, errors } = await signIn('media');
    const row = page.locator('[data-abbreviation="HTXNN"]');
    await expect(row.innerText()).resolves.toContain('Phó chủ tịch xã (o11appr) thêm');
    expect(await row.innerText()).not.toContain('token:');
    expect(errors).toEqual([]);
  }, 60_000);

  it('never breaks a table heading inside a word on a 390 px phone', async () => {
    const { page, errors } = await signIn('dashboard');
    await page.getByRole('columnheader', { name: 'Đã phát' }).waitFor();
    await screenshot(page, 'dashboard-headings-phone');
    // Each word of each visible heading sits on one line (a word split over two has two boxes).
    const broken = await page.evaluate(() => {
      const out: string[] = [];
      for (const th of document.querySelectorAll('th')) {
        const text = th.firstChild;
        if (!text || text.nodeType !== Node.TEXT_NODE || !th.getClientRects().length) continue;
        const words = text.textContent ?? '';
        let at = 0;
        for (const word of words.split(/\s+/).filter(Boolean)) {
          const start = words.indexOf(word, at);
          at = start + word.length;
          const range = document.createRange();
          range.setStart(text, start);
          range.setEnd(text, at);
          const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (tops.size > 1) out.push(word);
        }
      }
      return out;
    });
    expect(broken).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});
