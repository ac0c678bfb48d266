/**
 * The commune's public page in real Chromium: no console errors, no accessibility violations
 * (axe-core, WCAG 2.1 AA), readable on a phone, the urgent item first and its player working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { checkAccessibility, screenshot, startBrowser, type Browser } from '../helpers/browser.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';

let tc: TestController;
let browser: Browser;

beforeAll(async () => {
  tc = await startTestController();
  browser = await startBrowser();
  await enrolReceiver(tc.url, tc.token, 'rx-web', 'thon-1', 'rx-web');
  for (const [title, priority] of [
    ['Lịch thu gom rác thải', 'normal'],
    ['Cảnh báo mưa lớn & lũ quét <khẩn>', 'priority'],
  ] as const) {
    const b = await tc.api('POST', '/api/bulletins', {
      title,
      category: 'commune_notice',
      text: `${title}. Bà con chú ý theo dõi.`,
    });
    await tc.api('POST', `/api/bulletins/${b.body.id}/submit`);
    await tc.api('POST', `/api/bulletins/${b.body.id}/approve`);
    expect(
      (await tc.api('POST', `/api/bulletins/${b.body.id}/broadcast`, { target: { hamlet_ids: ['thon-1'] }, priority }))
        .status,
    ).toBe(201);
  }
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await tc?.close();
});

describe('the public page in a browser', () => {
  it('has no console errors and no accessibility violations, on a phone and a desktop', async () => {
    for (const [name, width] of [
      ['public-page-phone', 360],
      ['public-page-desktop', 1280],
    ] as const) {
      const { page, errors } = await browser.visit(`${tc.url}/public/`, { width });
      await expect(page.locator('h1')).toBeDefined();
      expect(await page.locator('html').getAttribute('lang')).toBe('vi');
      const headings = await page.locator('article h3').allTextContents();
      expect(headings).toEqual(['Cảnh báo mưa lớn & lũ quét <khẩn>', 'Lịch thu gom rác thải']);
      expect(await checkAccessibility(page)).toEqual([]);
      // The player loads the audio when asked to.
      const duration = await page
        .locator('audio')
        .first()
        .evaluate(async (el: HTMLAudioElement) => {
          el.preload = 'metadata';
          el.load();
          await new Promise((resolve, reject) => {
            el.addEventListener('loadedmetadata', resolve, { once: true });
            el.addEventListener('error', () => reject(new Error(`audio error ${el.error?.code}`)), { once: true });
          });
          return el.duration;
        });
      expect(duration).toBeGreaterThan(1);
      await screenshot(page, name);
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 60_000);
});
