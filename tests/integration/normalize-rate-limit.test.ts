/**
 * The limit on POST /api/tts/normalize (open to anyone): 120 requests a minute per address for
 * anonymous callers, 600 per account or API token, counted apart; a 429 says how long to wait in
 * words in the reader's language, with no English in the Vietnamese.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestController, type TestController } from '../helpers/test-controller.js';

let tc: TestController;
beforeAll(async () => {
  tc = await startTestController();
}, 60_000);
afterAll(async () => {
  await tc?.close();
});

const normalize = (headers: Record<string, string>) =>
  fetch(`${tc.url}/api/tts/normalize`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ text: 'Họp lúc 8h' }),
  });

/** Sends `n` requests and counts the answers by status. */
async function send(n: number, headers: Record<string, string>): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  for (let i = 0; i < n; i++) {
    const res = await normalize(headers);
    await res.arrayBuffer();
    counts[res.status] = (counts[res.status] ?? 0) + 1;
  }
  return counts;
}

describe('the rate limit of POST /api/tts/normalize', () => {
  it('allows an anonymous address 120 a minute and says in words how long to wait', async () => {
    expect(await send(120, {})).toEqual({ 200: 120 });
    const vi = await normalize({});
    expect(vi.status).toBe(429);
    const { error } = (await vi.json()) as { error: { code: string; message: string; message_en: string } };
    expect(error.code).toBe('rate_limited');
    expect(error.message).toMatch(/^Quá nhiều yêu cầu\. Vui lòng thử lại sau (\d+ giây|1 phút)\.$/);
    expect(error.message).not.toMatch(/minute|second/);
    expect(error.message_en).toMatch(/^Too many requests\. Please try again in (1 second|\d+ seconds|1 minute)\.$/);
    const en = (await (await normalize({ 'accept-language': 'en' })).json()) as { error: { message: string } };
    expect(en.error.message).toMatch(/^Too many requests\. Please try again in /);
  }, 60_000);

  it('counts a token by itself, with a higher limit, while the address is held back', async () => {
    const auth = { authorization: `Bearer ${tc.token}` };
    expect(await send(600, auth)).toEqual({ 200: 600 });
    expect((await normalize({})).status).toBe(429);
    expect((await normalize(auth)).status).toBe(429);
  }, 60_000);
});
