/**
 * Real Chromium for browser tests: Debian's chromium driven by playwright-core (browser downloads
 * do not work here; .ci/run installs the Debian package). Every page opened through `visit`
 * records console errors and failed requests, and `checkAccessibility` runs axe-core on it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  Boolean,
) as string[];
export const SCREENSHOT_DIR = join(process.cwd(), '.tmp', 'screenshots');

export interface Browser {
  context: BrowserContext;
  /** Opens a page and starts recording what goes wrong on it. */
  visit(url: string, options?: { width?: number; height?: number }): Promise<TrackedPage>;
  close(): Promise<void>;
}

export interface TrackedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

export async function startBrowser(): Promise<Browser> {
  const { existsSync } = await import('node:fs');
  const executablePath = CANDIDATES.find((p) => existsSync(p));
  if (!executablePath)
    throw new Error("Chromium not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH");
  const profile = mkdtempSync(join(tmpdir(), 'tt-chromium-'));
  // Under `npm run test:night` (libfaketime) Chromium crawls with the preloaded library: start it
  // on the true clock and give its pages the same moved wall clock as the controller instead.
  const fakedClock = (process.env.LD_PRELOAD ?? '').includes('faketime');
  const env = fakedClock
    ? (Object.fromEntries(
        Object.entries(process.env).filter(([k]) => k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME')),
      ) as Record<string, string>)
    : undefined;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    ...(env ? { env } : {}),
    headless: true,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // A fake microphone (a beep) that needs no permission prompt: for the live-voice test.
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  });
  if (fakedClock) await context.clock.install({ time: new Date() });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    context,
    async visit(url, options = {}) {
      const page = await context.newPage();
      if (options.width) await page.setViewportSize({ width: options.width, height: options.height ?? 800 });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url, { waitUntil: 'load' });
      return { page, errors };
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** axe-core's WCAG 2.1 A/AA rules on the page as it is now: the violations, summarised. */
export async function checkAccessibility(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join('; ')}`,
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Logs a person into the console already open on `page`, as they would: the form's labels, then its button. */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForSelector('header.top');
}
