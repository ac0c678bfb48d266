/** Hamlets come in the commune's own order everywhere (issue 19, 20: thon-10 sorted before thon-2 before). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestController, type TestController } from '../helpers/test-controller.js';

let tc: TestController;
const order = ['thon-1', 'thon-2', 'thon-9', 'thon-10', 'thon-11'];

beforeAll(async () => {
  tc = await startTestController({
    hamlets: order.map((id, i) => ({ id, name: `Thôn ${i + 1}`, households: 10, population: 40 })),
  });
}, 30_000);
afterAll(async () => {
  await tc?.close();
});

describe('the order of hamlets', () => {
  it("is the configuration's, then as added: not the ids sorted as text", async () => {
    expect((await tc.api('POST', '/api/hamlets', { id: 'thon-3', name: 'Thôn mới lập' })).status).toBe(201);
    const listed = (await tc.api('GET', '/api/hamlets')).body.map((h: { id: string }) => h.id);
    expect(listed).toEqual([...order, 'thon-3']);
  });

  it('lists receivers as a person counts them (loa-2 before loa-10), not as text', async () => {
    for (const id of ['loa-10', 'loa-2', 'loa-1'])
      expect((await tc.api('POST', '/api/receivers', { id, hamlet_id: 'thon-1', name: id })).status).toBe(201);
    const ids = (await tc.api('GET', '/api/receivers')).body.map((r: { id: string }) => r.id);
    expect(ids.filter((id: string) => id.startsWith('loa-'))).toEqual(['loa-1', 'loa-2', 'loa-10']);
    const inHamlet = (await tc.api('GET', '/api/receivers?hamlet_id=thon-1')).body.map((r: { id: string }) => r.id);
    expect(inHamlet.filter((id: string) => id.startsWith('loa-'))).toEqual(['loa-1', 'loa-2', 'loa-10']);
  });
});

describe("a hamlet's own quiet hours", () => {
  it('are set with both ends or neither, and never as an empty window; the refusal says why in both languages', async () => {
    const alone = await tc.api('PATCH', '/api/hamlets/thon-2', { quiet_start: '13:00' });
    expect(alone.status).toBe(400);
    expect(alone.body.error.message).toContain('phải đặt cùng nhau');
    expect(alone.body.error.message_en).toContain('go together');
    // The finding names the end that is missing, once.
    expect((await tc.api('PATCH', '/api/hamlets/thon-2', { quiet_end: '05:00' })).body.error.field).toBe('quiet_start');
    const nullAlone = (await tc.api('PATCH', '/api/hamlets/thon-2', { quiet_start: null })).body.error;
    expect(nullAlone.message.match(/phải đặt cùng nhau/g)).toHaveLength(1);
    const empty = await tc.api('PATCH', '/api/hamlets/thon-2', { quiet_start: '10:00', quiet_end: '10:00' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('phải khác nhau');
    expect(
      (await tc.api('POST', '/api/hamlets', { id: 'thon-4', name: 'Thôn 4', quiet_start: '21:00', quiet_end: '21:00' }))
        .status,
    ).toBe(400);
    // Nothing was stored by the refusals; both ends, and both null, are taken.
    expect((await tc.api('GET', '/api/hamlets/thon-2')).body).toMatchObject({ quiet_start: null, quiet_end: null });
    const both = await tc.api('PATCH', '/api/hamlets/thon-2', { quiet_start: '21:00', quiet_end: '05:00' });
    expect(both.body).toMatchObject({ quiet_window: { start: '21:00', end: '05:00' } });
    const cleared = await tc.api('PATCH', '/api/hamlets/thon-2', { quiet_start: null, quiet_end: null });
    expect(cleared.status).toBe(200);
  });
});
