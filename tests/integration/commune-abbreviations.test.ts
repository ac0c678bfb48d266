/**
 * A commune adds its own abbreviations (issue 24): tried first in the preview, then saved from the
 * API the console uses, read from then on, kept across a restart, audited, refused in words when
 * they cannot be read, and only by those who approve bulletins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../controller/accounts/permissions.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';

let tc: TestController;
const config = { tts: { abbreviations: { HTX: 'hợp tác xã' } } } as any;

const normalize = async (text: string, abbreviations?: Record<string, string>) =>
  (
    await fetch(`${tc.url}/api/tts/normalize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, abbreviations }),
    })
  ).json();

beforeAll(async () => {
  tc = await startTestController(config, { keepDir: true });
}, 60_000);
afterAll(async () => tc?.close());

describe("the commune's own abbreviations", () => {
  it('tries one in the preview without saving it, and says which unknown capitals it would fix', async () => {
    const before = await normalize('Chi hội CCBX thôn Đông họp');
    expect(before.uncertain).toEqual([expect.objectContaining({ text: 'CCBX', why: 'unknown_capitals' })]);
    const trying = await normalize('Chi hội CCBX thôn Đông họp', { CCBX: 'cựu chiến binh xã' });
    expect(trying).toEqual({ spoken: 'chi hội cựu chiến binh xã thôn đông họp', uncertain: [] });
    // Only tried: the next reading is as before.
    expect((await normalize('CCBX')).spoken).toBe('xê xê bê ích');
  });

  it("saves one, reads it from then on, lists it beside the config's, and audits who did it", async () => {
    const saved = await tc.api('PUT', '/api/tts/abbreviations/CCBX', { reading: 'Cựu chiến binh xã' });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      written: 'CCBX',
      reading: 'cựu chiến binh xã',
      source: 'commune',
      overrides_config: false,
    });
    expect((await normalize('Chi hội CCBX')).spoken).toBe('chi hội cựu chiến binh xã');

    const list = await tc.api('GET', '/api/tts/abbreviations');
    expect(list.body.map((a: any) => [a.written, a.reading, a.source])).toEqual([
      ['CCBX', 'cựu chiến binh xã', 'commune'],
      ['HTX', 'hợp tác xã', 'config'],
    ]);

    // A console entry wins over the config's reading of the same abbreviation.
    await tc.api('PUT', '/api/tts/abbreviations/HTX', { reading: 'hợp tác xã nông nghiệp' });
    expect((await normalize('HTX Tân Lập')).spoken).toBe('hợp tác xã nông nghiệp tân lập');
    expect((await tc.api('GET', '/api/tts/abbreviations')).body.find((a: any) => a.written === 'HTX')).toMatchObject({
      source: 'commune',
      overrides_config: true,
    });

    const audit = await tc.api('GET', '/api/audit?limit=5', undefined, { 'accept-language': 'vi' });
    expect(audit.status, JSON.stringify(audit.body)).toBe(200);
    const entries = audit.body.filter((e: any) => e.action === 'tts.abbreviation_set');
    expect(entries.map((e: any) => e.subject)).toEqual(['HTX', 'CCBX']);
    expect(entries[0].action_text).toBe('Thêm hoặc sửa chữ viết tắt của xã');
  });

  it('refuses in words what cannot be read, and keeps what was there', async () => {
    const digits = await tc.api(
      'PUT',
      '/api/tts/abbreviations/CCBX',
      { reading: 'cựu chiến binh 2' },
      { 'accept-language': 'vi' },
    );
    expect(digits.status).toBe(422);
    expect(digits.body.error.message).toContain('phải là chữ');
    const spaced = await tc.api('PUT', `/api/tts/abbreviations/${encodeURIComponent('C C')}`, { reading: 'xê xê' });
    expect(spaced.status).toBe(422);
    expect(spaced.body.error.message_en).toContain('no spaces');
    // An ordinary word would change every notice that uses it.
    const word = await tc.api(
      'PUT',
      `/api/tts/abbreviations/${encodeURIComponent('thôn')}`,
      { reading: 'làng' },
      { 'accept-language': 'vi' },
    );
    expect(word.status).toBe(422);
    expect(word.body.error.message).toContain('chữ in hoa');
    const tried = await fetch(`${tc.url}/api/tts/normalize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'CCBX', abbreviations: { CCBX: '<script>' } }),
    });
    expect(tried.status).toBe(422);
    expect((await normalize('CCBX')).spoken).toBe('cựu chiến binh xã');
  });

  it('lets only those who approve bulletins change them', async () => {
    const mk = (role: 'operator' | 'viewer' | 'approver') =>
      tc.controller.accounts.createToken({ name: role, role }, { id: 'test', permissions: new Set(PERMISSIONS) }).token;
    const put = (token: string) =>
      fetch(`${tc.url}/api/tts/abbreviations/BCĐX`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ reading: 'ban chỉ đạo xã' }),
      });
    expect((await put(mk('operator'))).status).toBe(403);
    expect((await put(mk('viewer'))).status).toBe(403);
    expect((await put(mk('approver'))).status).toBe(200);
    const read = await fetch(`${tc.url}/api/tts/abbreviations`, {
      headers: { authorization: `Bearer ${mk('viewer')}` },
    });
    expect(read.status).toBe(200);
  });

  it("keeps them across a restart, and deletes one back to the config's reading", async () => {
    const dir = tc.dir;
    await tc.close();
    tc = await startTestController(config, { dir, keepDir: true });
    expect((await normalize('CCBX và HTX')).spoken).toBe('cựu chiến binh xã và hợp tác xã nông nghiệp');
    expect((await tc.api('DELETE', '/api/tts/abbreviations/HTX')).status).toBe(204);
    expect((await normalize('HTX')).spoken).toBe('hợp tác xã');
    // Only in the config now: said where to change it, not "not found".
    const inConfig = await tc.api('DELETE', '/api/tts/abbreviations/HTX', undefined, { 'accept-language': 'vi' });
    expect(inConfig.status).toBe(409);
    expect(inConfig.body.error.message).toContain('nằm trong tệp cấu hình');
    expect((await tc.api('DELETE', '/api/tts/abbreviations/KHONGCO')).status).toBe(404);
  }, 60_000);
});
