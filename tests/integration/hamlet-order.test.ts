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
