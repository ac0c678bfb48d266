/**
 * A token that speaks for a person is that person in what people read: the as-run log's operator
 * and the audit view name "Nguyễn Văn A (tich-hop)", not the token's bare name (an outsider's
 * as-run log and audit named the integration, not the official who owned it). A token that
 * speaks for no one is still named as a token.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS } from '../../controller/accounts/permissions.js';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { startTestAgent } from '../helpers/agents.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';

let tc: TestController;
let media: { id: string };
const agents: ReceiverAgent[] = [];

beforeAll(async () => {
  tc = await startTestController();
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
  agents.push(await startTestAgent(tc, 'rx-1', 'thon-1'));
}, 60_000);

afterAll(async () => {
  for (const a of agents) await a.stop().catch(() => {});
  await tc?.close();
});

async function sendWith(token: string): Promise<{ id: string; created_at: string }> {
  const res = await fetch(`${tc.url}/api/broadcasts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ media_id: media.id, target: { receiver_ids: ['rx-1'] } }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; created_at: string };
}

describe('who sent it, by name', () => {
  it('names the person a token speaks for, with the token; a token for no one stays a token', async () => {
    const accounts = tc.controller.accounts;
    const user = await accounts.createUser(
      { username: 'ong-a', display_name: 'Nguyễn Văn A', role: 'admin', password: 'một-mật-khẩu-đủ-dài-42' },
      { id: 'test' },
    );
    const permissions = new Set(ROLE_PERMISSIONS.admin);
    const owned = accounts.createToken(
      { name: 'tich-hop', role: 'admin' },
      { id: 'ong-a', owner: user.id, permissions },
    );
    const nobody = accounts.createToken({ name: 'may-chu', role: 'admin' }, { id: 'cli', permissions });
    const a = await sendWith(owned.token);
    const b = await sendWith(nobody.token);

    const day = DateTime.fromISO(a.created_at, { zone: 'Asia/Ho_Chi_Minh' }).toISODate();
    const log = (await tc.api('GET', `/api/reports/as-run?kind=week&date=${day}`)).body;
    const rowOf = (id: string) => log.rows.find((r: { broadcast_id: string }) => r.broadcast_id === id);
    expect(rowOf(a.id)).toMatchObject({ operator: 'token:tich-hop', operator_name: 'Nguyễn Văn A (tich-hop)' });
    expect(rowOf(b.id)).toMatchObject({ operator: 'token:may-chu', operator_name: null });

    const audit = (await tc.api('GET', '/api/audit?limit=50')).body as { subject: string; actor_name: string }[];
    expect(audit.find((e) => e.subject === a.id)?.actor_name).toBe('Nguyễn Văn A (tich-hop)');
    expect(audit.find((e) => e.subject === b.id)?.actor_name).toBe('Mã truy cập "may-chu"');
  });
});
