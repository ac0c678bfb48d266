/**
 * Receivers offline for a minute, an hour and a day, on a simulated clock shared by the controller
 * and the agents: the ack a receiver made while offline arrives when it is back; a command that
 * expired while it was away is refused and never plays; one still valid plays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
let tc: TestController;
let media: { id: string };
const agents: ReceiverAgent[] = [];

beforeAll(async () => {
  // Long-lived commands allowed, so that one sent to a receiver away for a day can still be valid on its return.
  tc = await startTestController({ broadcasts: { max_expiry_s: 3 * 86_400 } }, { overrides: { clock } });
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 2);
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await tc?.close();
});

const send = async (receiverId: string, expiresInS: number) => {
  const res = await tc.api('POST', '/api/broadcasts', {
    media_id: media.id,
    target: { receiver_ids: [receiverId] },
    expires_in_s: expiresInS,
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
};

describe('a receiver offline for a while (simulated clock)', () => {
  it.each([
    ['a minute', 60],
    ['an hour', 3600],
    ['a day', 86_400],
  ])(
    'offline for %s: its offline ack arrives, what expired meanwhile never plays, what is still valid plays',
    async (_label, periodS) => {
      const id = `rx-away-${periodS}`;
      const agent = await startTestAgent(tc, id, 'thon-3', { speed: 1, clock }); // 2 s of "sound"
      agents.push(agent);
      const played: string[] = [];
      const refused: string[] = [];
      agent.on('playing', (c: { broadcast_id: string }) => played.push(c.broadcast_id));
      agent.on('refused', (r: { reason: string }) => refused.push(r.reason));

      const before = await send(id, 900);
      await waitFor(() => played.includes(before), 'the first broadcast to play');
      agent.dropLink(4000); // its "finished" is made while the link is down

      // While it is away: one command that will expire before it returns, one that will not.
      const expiring = await send(id, Math.max(10, periodS / 2));
      const lasting = await send(id, 2 * periodS);
      offsetMs += periodS * 1000;

      await waitFor(
        async () => (await coverageRow(tc, before, id))?.outcome === 'finished',
        'the ack made offline',
        20_000,
      );
      await waitFor(
        async () => (await coverageRow(tc, lasting, id))?.outcome === 'finished',
        'the still-valid command to play',
        20_000,
      );
      // The broker kept the expired command for the receiver's session: it arrives and is refused.
      await waitFor(
        async () => (await coverageRow(tc, expiring, id))?.outcome === 'rejected',
        'the expired command to be refused',
        20_000,
      );
      expect(played).not.toContain(expiring);
      expect(refused).toContain('expired');
      await waitFor(() => agent.pendingAckCount() === 0, 'every ack receipted');
      expect((await coverageRow(tc, expiring, id)).reason).toBe('expired');
    },
    60_000,
  );
});
