/**
 * The console speaks to people (issue 19, second part), in real Chromium against a real
 * controller: every message a page shows, errors included, is in words (no ids, codes, paths or
 * the server's English); saving says so and a fixed field loses its error; the audio library
 * holds what people put there, not every preview; an approved bulletin can be scheduled; a
 * lunar schedule shows on its day with its lunar date; the audit log and the controller's
 * status read as words. Screenshots of each role's main task, desktop and phone, land in
 * .tmp/screenshots.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { toLunar } from '../../controller/programme/lunar-calendar.js';
import { startTestAgent } from '../helpers/agents.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { checkAccessibility, screenshot, startBrowser, type Browser } from '../helpers/browser.js';
import {
  startTestController,
  TEST_ADMIN_PASSWORD,
  testHamlets,
  type TestController,
} from '../helpers/test-controller.js';

let tc: TestController;
let browser: Browser;
const agents: ReceiverAgent[] = [];
const PASSWORD = 'một-mật-khẩu-đủ-dài-42';
let media: { id: string; title: string };
const RECEIVERS = ['loa-dong-1', 'loa-doai-1'];

beforeAll(async () => {
  tc = await startTestController({ security: { login_rate_per_minute: 200 } });
  browser = await startBrowser();
  await tc.controller.accounts.createUser(
    { username: 'chu-tich', display_name: 'Chủ tịch xã', role: 'approver', password: PASSWORD },
    { id: 'test' },
  );
  await tc.controller.accounts.createUser(
    { username: 'ky-thuat', display_name: 'Kỹ thuật viên', role: 'technician', password: PASSWORD },
    { id: 'test' },
  );
  await tc.controller.accounts.createUser(
    { username: 'bien-tap', display_name: 'Biên tập viên', role: 'operator', password: PASSWORD },
    { id: 'test' },
  );
  agents.push(await startTestAgent(tc, RECEIVERS[0], 'thon-1'));
  agents.push(await startTestAgent(tc, RECEIVERS[1], 'thon-2'));
  // Named as a technician names them (the helper names a receiver by its id).
  await tc.api('PATCH', `/api/receivers/${RECEIVERS[0]}`, { name: 'Loa nhà văn hóa thôn Đông' });
  await tc.api('PATCH', `/api/receivers/${RECEIVERS[1]}`, { name: 'Loa chợ thôn Đoài' });
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 2);
}, 90_000);
afterAll(async () => {
  for (const a of agents) await a.stop();
  await browser?.close();
  await tc?.close();
});

async function signIn(
  username: string,
  path: string,
  size?: { width: number; height: number },
): Promise<{ page: Page; errors: string[] }> {
  await browser.context.clearCookies();
  const tracked = await browser.visit(`${tc.url}/console/`, size);
  const { page } = tracked;
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(username === 'admin' ? TEST_ADMIN_PASSWORD : PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForSelector('header.top');
  await page.goto(`${tc.url}/console/#/${path}`);
  await page.locator('main h1').waitFor();
  return tracked;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const PATH = /(^|[\s"'(])\/(tmp|var|home|work|srv|etc|usr|opt|root)\//;
/** Words only English has: a server message that reached a Vietnamese page untranslated. */
const ENGLISH = /\b(the|must|expected|received|invalid|error|failed|cannot|should|not found|required)\b/i;
/** A code ("start_time", "hamlet.updated"): the API adds field codes in brackets for programs; the console leaves them out. */
const CODE = /\b[a-z]+(?:_[a-z]+)+\b|\b[a-z]+\.[a-z_]+\b/;

/** What is wrong with a text shown to a person: an id, a path, English, a bare code. */
function problemsOf(text: string): string[] {
  const bare = text; // brackets are read too: a code in brackets is still a code to a person
  const ids = [...testHamlets.map((h) => h.id), ...RECEIVERS].filter((id) =>
    new RegExp(`(^|[^\\w-])${id}($|[^\\w-])`).test(bare),
  );
  return [
    ...(UUID.test(text) ? [`an id: ${text}`] : []),
    ...ids.map((id) => `the id ${id}: ${text}`),
    ...(PATH.test(text) ? [`a path: ${text}`] : []),
    ...(ENGLISH.test(bare) ? [`English: ${text}`] : []),
    ...(CODE.test(text) ? [`a code: ${text}`] : []),
  ];
}

/** Every message on the page now: alerts, statuses, errors, notices, hints and dialogs. */
async function messagesOn(page: Page): Promise<string[]> {
  return page
    .locator('main')
    .locator('[role="alert"], [role="status"], [role="alertdialog"], .error, .notice, .hint, .saved')
    .allTextContents();
}

describe('every message is in words', () => {
  it('errors the pages reach, the audit log and the status read as words: no ids, codes, paths or English', async () => {
    // A hamlet silent all day: any schedule there is refused, naming it.
    expect((await tc.api('PATCH', '/api/hamlets/thon-2', { quiet_start: '00:00', quiet_end: '23:59' })).status).toBe(
      200,
    );
    const { page, errors } = await signIn('admin', 'programme');
    const seen: string[] = [];
    const collect = async (where: string) => seen.push(...(await messagesOn(page)).map((m) => `${where}: ${m}`));

    // Programme: a schedule in quiet hours, refused by the server.
    const form = page.locator('form[aria-labelledby="sf-h"]');
    await form.getByLabel('Tên').fill('Tin đêm');
    await form.locator('select[name="media_id"]').selectOption(media.id);
    await form.getByLabel('Thôn Đoài').check();
    await form.getByRole('button', { name: 'Lưu lịch' }).click();
    await form.locator('.error').first().waitFor();
    expect(await form.locator('.error').first().textContent()).toContain('Thôn Đoài');
    expect((await tc.api('PATCH', '/api/hamlets/thon-2', { quiet_start: null, quiet_end: null })).status).toBe(200);
    await collect('programme');

    // Media: a file that is not audio.
    await page.goto(`${tc.url}/console/#/media`);
    const notAudio = join(tc.dir, 'ghi-chu.mp3');
    writeFileSync(notAudio, 'đây không phải âm thanh '.repeat(200));
    const upload = page.locator('form[aria-labelledby="up-h"]');
    await upload.getByLabel('Tệp âm thanh').setInputFiles(notAudio);
    await upload.getByRole('button', { name: 'Tải lên' }).click();
    await upload.locator('.error').waitFor();
    await collect('media');

    // Receivers: an id already taken.
    await page.goto(`${tc.url}/console/#/receivers`);
    const enrol = page.locator('form[aria-labelledby="en-h"]');
    await enrol.getByLabel('Mã cụm loa').fill(RECEIVERS[0]);
    await enrol.getByLabel('Tên').fill('Loa trùng mã');
    await enrol.getByRole('button', { name: 'Đăng ký' }).click();
    await enrol.locator('.error').waitFor();
    await collect('receivers');

    // Administration: a username already taken; then the audit log and the status.
    await page.goto(`${tc.url}/console/#/admin`);
    const user = page.locator('form[aria-labelledby="nu-h"]');
    await user.locator('input[name="username"]').fill('chu-tich');
    await user.locator('input[name="display_name"]').fill('Người trùng tên');
    await user.locator('input[name="password"]').fill('một-mật-khẩu-khác-đủ-dài');
    await user.getByRole('button', { name: 'Tạo tài khoản' }).click();
    await user.locator('.error').waitFor();
    await collect('admin');
    await page.locator('section[aria-labelledby="au-h"] tbody tr').first().waitFor();
    const audit = await page
      .locator(
        'section[aria-labelledby="au-h"] tbody td:nth-child(3), section[aria-labelledby="au-h"] tbody td:nth-child(2)',
      )
      .allTextContents();
    expect(audit.length).toBeGreaterThan(5);
    seen.push(...audit.map((a) => `audit: ${a}`));
    expect(audit).toContain('Sửa thôn'); // the quiet hours set above, in words
    await page.locator('.facts dt').first().waitFor();
    const facts = await page.locator('.facts').allTextContents();
    expect(facts.join(' ')).toContain('Kết nối tới máy chủ tin nhắn');
    seen.push(...facts.map((f) => `status: ${f}`));

    // And what every other page says as it opens.
    for (const path of ['dashboard', 'urgent', 'coverage', `receivers/${RECEIVERS[0]}`, 'media']) {
      await page.goto(`${tc.url}/console/#/${path}`);
      await page.waitForTimeout(1_000);
      await collect(path.split('/')[0]);
    }
    const problems = seen.flatMap(problemsOf);
    expect(problems, 'messages that are not words').toEqual([]);
    // The check itself finds what it looks for.
    expect(problemsOf('Trường start_time: Invalid string /tmp/x thon-1').length).toBeGreaterThanOrEqual(4);
    expect(await checkAccessibility(page)).toEqual([]);
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]); // the refusals asked for above
    await page.close();
  }, 120_000);
});

describe('forms say what happened', () => {
  it('saving says so, and a field error goes once the field is fixed', async () => {
    const { page, errors } = await signIn('bien-tap', 'programme');
    const form = page.locator('form[aria-labelledby="sf-h"]');
    await form.getByRole('button', { name: 'Lưu lịch' }).click();
    const nameError = form.locator('.field.has-error').filter({ has: page.getByLabel('Tên') });
    await nameError.waitFor();
    await form.getByLabel('Tên').fill('Bản tin trưa');
    expect(await nameError.count(), 'the name error stays after the name was typed').toBe(0);
    await form.locator('select[name="media_id"]').selectOption(media.id);
    await form.getByLabel('Thôn Đông').check();
    await form.getByLabel('Giờ bắt đầu').fill('11:15');
    await form.getByRole('button', { name: 'Lưu lịch' }).click();
    await form.getByText('Đã lưu lịch "Bản tin trưa".').waitFor();
    expect(await form.locator('.error').count()).toBe(0);
    // The list says when it plays next.
    const row = page.locator('section[aria-labelledby="sl-h"] li').filter({ hasText: 'Bản tin trưa' });
    await row.waitFor();
    expect(await row.textContent()).toMatch(
      /Hằng ngày.*Lần phát tới: \d\d:\d\d \d\d\/\d\d\/\d{4} \(ngày \d+\/\d+ âm lịch\)/s,
    );
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('the audio library and bulletins', () => {
  it('previews and urgent speech stay out of the library; an approved bulletin is in it and can be scheduled', async () => {
    // A preview and an urgent text both make speech.
    const preview = await fetch(`${tc.url}/api/tts/preview`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tc.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Thử giọng đọc một chút' }),
    });
    expect(preview.status).toBe(200);
    const bulletin = (
      await tc.api('POST', '/api/bulletins', {
        title: 'Lịch tiêm phòng dại',
        category: 'health',
        text: 'Thứ bảy này tiêm phòng dại cho chó mèo tại nhà văn hóa.',
      })
    ).body;
    expect((await tc.api('POST', `/api/bulletins/${bulletin.id}/submit`)).status).toBe(200);
    expect((await tc.api('POST', `/api/bulletins/${bulletin.id}/approve`)).status).toBe(200);
    const approved = (await tc.api('GET', `/api/bulletins/${bulletin.id}`)).body;
    const all = (await tc.api('GET', '/api/media?scope=all')).body as { id: string; origin: string; title: string }[];
    expect(all.some((m) => m.origin === 'speech')).toBe(true);

    const { page, errors } = await signIn('bien-tap', 'media');
    const library = page.locator('section[aria-labelledby="ml-h"] tbody');
    await library.locator('tr').first().waitFor();
    const titles = await library.locator('tr').allTextContents();
    expect(titles.join('\n')).not.toContain('Thử giọng đọc');
    expect(titles.some((t) => t.includes('Lịch tiêm phòng dại') && t.includes('Bản tin đã duyệt'))).toBe(true);
    expect(titles.some((t) => t.includes(media.title))).toBe(true);

    await page
      .locator(`tr[data-bulletin="${bulletin.id}"]`)
      .getByRole('link', { name: 'Lên lịch phát bản tin này' })
      .click();
    const form = page.locator('form[aria-labelledby="sf-h"]');
    await form.waitFor();
    expect(await form.locator('select[name="media_id"]').inputValue()).toBe(approved.media_id);
    expect(await form.getByLabel('Tên').inputValue()).toBe('Lịch tiêm phòng dại');
    await form.getByLabel('Thôn Đoài').check();
    await form.getByLabel('Giờ bắt đầu').fill('16:40');
    await form.getByRole('button', { name: 'Lưu lịch' }).click();
    await form.getByText('Đã lưu lịch "Lịch tiêm phòng dại".').waitFor();
    const schedules = (await tc.api('GET', '/api/schedules')).body as { name: string; media_id: string }[];
    expect(schedules).toContainEqual(
      expect.objectContaining({ name: 'Lịch tiêm phòng dại', media_id: approved.media_id }),
    );
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});

describe('lunar schedules', () => {
  it('show on their day in the week calendar, with the lunar date, and the list says which day is next', async () => {
    const zone = 'Asia/Ho_Chi_Minh';
    const inTwoDays = DateTime.now().setZone(zone).plus({ days: 2 });
    const lunar = toLunar({ year: inTwoDays.year, month: inTwoDays.month, day: inTwoDays.day });
    const made = await tc.api('POST', '/api/schedules', {
      name: 'Tin rằm',
      media_id: media.id,
      target: { hamlet_ids: ['thon-1'] },
      priority: 'normal',
      start_time: '10:05',
      recurrence: { kind: 'lunar_monthly', days: [lunar.day] },
      accept_conflicts: true,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const { page, errors } = await signIn('bien-tap', 'programme');
    const day = page.locator(`.week .day[data-date="${inTwoDays.toISODate()}"]`);
    await day.waitFor();
    expect(await day.textContent()).toContain('Tin rằm');
    expect(await day.locator('h3').textContent()).toContain(`${lunar.day}/${lunar.month} âm lịch`);
    const row = page.locator('section[aria-labelledby="sl-h"] li').filter({ hasText: 'Tin rằm' });
    const text = await row.textContent();
    expect(text).toContain(`Hằng tháng âm lịch, ngày ${lunar.day}`);
    expect(text).toMatch(new RegExp(`Lần phát tới: .*${inTwoDays.toFormat('dd/MM/yyyy')}`));
    expect(text).toContain(`(ngày ${lunar.day}/${lunar.month} âm lịch)`);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('the urgent desk, as the outsider found it', () => {
  it('"Hủy" withdraws the confirmation; a hamlet without receivers has its own tile; the confirmation names it', async () => {
    const { page, errors } = await signIn('chu-tich', 'urgent');
    await page.getByLabel('Thôn Đông').check();
    await page.getByLabel('Thôn Nam').check();
    await page.getByLabel('Nội dung thông báo').fill('Mời bà con họp tổ dân phố lúc tám giờ tối nay.');
    await page.getByLabel('Mức ưu tiên').selectOption('emergency');
    await page.getByRole('button', { name: 'Kiểm tra và gửi' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor({ timeout: 30_000 });
    expect(await dialog.textContent()).toContain('Thôn Nam');
    expect((await tc.api('GET', '/api/broadcasts/confirmations')).body).toHaveLength(1);
    // The desk's own open confirmation is not listed a second time with a second confirm button.
    expect(await page.getByRole('button', { name: 'Xác nhận, phát ngay' }).count()).toBe(1);
    await dialog.getByRole('button', { name: 'Hủy' }).click();
    await expect.poll(async () => (await tc.api('GET', '/api/broadcasts/confirmations')).body.length).toBe(0);
    // Sent for real: Thôn Nam's tile says it has no receiver; Thôn Đông's hears it.
    await page.getByRole('button', { name: 'Kiểm tra và gửi' }).click();
    await page.getByRole('alertdialog').waitFor({ timeout: 30_000 });
    await page.getByRole('alertdialog').getByRole('button', { name: 'Xác nhận, phát ngay' }).click();
    await page.locator('[data-hamlet="thon-3"][data-state="no_receiver"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-hamlet="thon-1"][data-state="done"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-hamlet="thon-3"]').textContent()).toContain('Không có cụm loa');
    const audit = (await tc.api('GET', '/api/audit?limit=30')).body.map((e: { action: string }) => e.action);
    expect(audit).toContain('broadcast.confirmation_cancelled');
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('on a phone, tables are cards: no cell squeezed letter by letter, the approve button within reach', async () => {
    const b = (
      await tc.api('POST', '/api/bulletins', {
        title: 'Thông báo nạo vét kênh mương',
        category: 'agriculture',
        text: 'Sáng thứ bảy các hộ ra nạo vét kênh mương nội đồng.',
      })
    ).body;
    await tc.api('POST', `/api/bulletins/${b.id}/submit`);
    const { page, errors } = await signIn('chu-tich', 'media', { width: 360, height: 740 });
    const row = page.locator(`tr[data-bulletin="${b.id}"]`);
    await row.waitFor();
    const narrow = await page
      .locator('table.wide td')
      .evaluateAll((cells) =>
        cells
          .filter((c) => c.textContent!.trim().length > 3 && c.getBoundingClientRect().width < 80)
          .map((c) => c.textContent!.trim()),
      );
    expect(narrow, 'cells squeezed narrower than a word').toEqual([]);
    const approve = await row.getByRole('button', { name: 'Duyệt' }).boundingBox();
    expect(approve!.x + approve!.width).toBeLessThanOrEqual(360);
    expect(await row.locator('td').first().getAttribute('data-label')).toBe('Tiêu đề');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});

describe("screenshots of each role's main task", () => {
  const SIZES = { desktop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };
  const TASKS = [
    { role: 'official', user: 'chu-tich', path: 'urgent' },
    { role: 'approver-bulletins', user: 'chu-tich', path: 'media' },
    { role: 'operator-programme', user: 'bien-tap', path: 'programme' },
    { role: 'technician-receivers', user: 'ky-thuat', path: 'receivers' },
    { role: 'technician-receiver', user: 'ky-thuat', path: `receivers/${RECEIVERS[0]}` },
    { role: 'admin-audit', user: 'admin', path: 'admin' },
  ];
  it('are taken, desktop and phone, and no page scrolls sideways on the phone', async () => {
    const wide: string[] = [];
    for (const [size, viewport] of Object.entries(SIZES)) {
      for (const task of TASKS) {
        const { page, errors } = await signIn(task.user, task.path, viewport);
        await page.waitForTimeout(800);
        const { scroll, view } = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          view: window.innerWidth,
        }));
        if (scroll > view) wide.push(`${task.path} (${size}): ${scroll} px`);
        await screenshot(page, `role-${task.role}-${size}`);
        expect(errors, `${task.path} (${size})`).toEqual([]);
        await page.close();
      }
    }
    expect(wide).toEqual([]);
  }, 180_000);
});
