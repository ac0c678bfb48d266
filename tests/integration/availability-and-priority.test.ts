/**
 * Availability from the last will and the session counter; acks made while the link is down
 * arrive when it returns; an emergency pre-empts what plays (Circular 39/2020).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { broadcastConfirmed, startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let media: any;
const agents: ReceiverAgent[] = [];

async function startAgent(id: string, hamlet: string, speed: number) {
  const agent = await startTestAgent(tc, id, hamlet, { speed });
  agents.push(agent);
  return agent;
}
const receiver = async (id: string) => (await tc.api('GET', `/api/receivers/${id}`)).body;
const row = (broadcastId: string, id: string) => coverageRow(tc, broadcastId, id);

beforeAll(async () => {
  tc = await startTestController();
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 2);
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await tc?.close();
});

describe('availability', () => {
  it('goes offline through the last will when the link drops, and online again with a newer session', async () => {
    const agent = await startAgent('rx-flaky', 'thon-1', 0.01);
    await waitFor(async () => (await receiver('rx-flaky')).status === 'online', 'online');
    const reconnected = new Promise<void>((r) => agent.once('connected', () => r()));
    agent.dropLink(1500);
    await waitFor(async () => (await receiver('rx-flaky')).status === 'offline', 'the last will');
    await reconnected;
    await waitFor(async () => (await receiver('rx-flaky')).status === 'online', 'online again');
    const session = tc.controller.db
      .prepare('SELECT status_session FROM receivers WHERE id = ?')
      .get('rx-flaky') as any;
    expect(session.status_session).toBeGreaterThanOrEqual(2);
  });

  it('says offline since the link dropped, not since the connection its last will was written at', async () => {
    const agent = await startAgent('rx-since', 'thon-1', 0.01);
    await waitFor(async () => (await receiver('rx-since')).status === 'online', 'online');
    const onlineSince = Date.parse((await receiver('rx-since')).status_at);
    await new Promise((r) => setTimeout(r, 1500)); // connected a while
    const dropped = Date.now();
    agent.dropLink(60_000);
    await waitFor(async () => (await receiver('rx-since')).status === 'offline', 'the last will');
    const offlineSince = Date.parse((await receiver('rx-since')).status_at);
    expect(offlineSince).toBeGreaterThanOrEqual(dropped - 50);
    expect(offlineSince - onlineSince).toBeGreaterThanOrEqual(1400);
    // A receiver just gone is not yet an "offline" alert (health.offline_minutes after the drop).
    tc.controller.receiverHealth.checkOffline();
    const alerts = (await tc.api('GET', '/api/health/alerts?state=open')).body as {
      receiver_id: string;
      rule: string;
    }[];
    expect(alerts.filter((a) => a.receiver_id === 'rx-since' && a.rule === 'offline')).toEqual([]);
    await agent.stop();
  });

  it('ignores an old session\'s "offline" that arrives after a newer "online"', () => {
    const repo = tc.controller.db;
    repo.prepare("UPDATE receivers SET status = 'online', status_session = 5 WHERE id = 'rx-flaky'").run();
    const stale = {
      v: 1,
      receiver_id: 'rx-flaky',
      state: 'offline',
      session: 4,
      at: new Date().toISOString(),
      agent_version: 'x',
    };
    tc.controller.presence.handleStatus('rx-flaky', Buffer.from(JSON.stringify(stale)));
    tc.controller.presence.flush();
    expect((repo.prepare('SELECT status FROM receivers WHERE id = ?').get('rx-flaky') as any).status).toBe('online');
    tc.controller.presence.handleStatus('rx-flaky', Buffer.from(JSON.stringify({ ...stale, session: 5 })));
    tc.controller.presence.flush();
    expect((repo.prepare('SELECT status FROM receivers WHERE id = ?').get('rx-flaky') as any).status).toBe('offline');
  });

  it('delivers acks made while the link was down once it returns', async () => {
    const agent = await startAgent('rx-gap', 'thon-2', 1); // 2 s of "sound"
    const b = (await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { receiver_ids: ['rx-gap'] } }))
      .body;
    await new Promise<void>((r) => agent.once('playing', () => r()));
    agent.dropLink(3000); // "finished" happens while offline
    await waitFor(
      async () => (await row(b.id, 'rx-gap')).outcome === 'finished',
      'the finished ack after reconnection',
      15_000,
    );
    await waitFor(() => agent.pendingAckCount() === 0, 'outbox drained');
  });
});

describe('priorities', () => {
  it('lets an emergency pre-empt a normal broadcast, which is recorded as pre-empted', async () => {
    const agent = await startAgent('rx-prio', 'thon-3', 5); // a normal item would play 10 s
    const normal = (
      await tc.api('POST', '/api/broadcasts', {
        media_id: media.id,
        target: { receiver_ids: ['rx-prio'] },
        priority: 'normal',
      })
    ).body;
    await new Promise<void>((r) => agent.once('playing', () => r()));
    const emergency = (
      await broadcastConfirmed(tc, {
        media_id: media.id,
        target: { receiver_ids: ['rx-prio'] },
        priority: 'emergency',
        volume_pct: 100,
        repeat_count: 1,
      })
    ).body;
    const interrupted = await waitFor(async () => {
      const r = await row(normal.id, 'rx-prio');
      return r.outcome === 'failed' ? r : undefined;
    }, 'the normal item to be pre-empted');
    expect(interrupted.reason).toBe('preempted');
    expect((await row(emergency.id, 'rx-prio')).started_at).not.toBeNull();
  });

  it('starts nothing below an emergency whose audio is still downloading: the emergency sounds first', async () => {
    const agent = await startAgent('rx-slow-link', 'thon-3', 0.5);
    // A slow link for this receiver: the normal item's audio takes 0.3 s, the emergency's 1.5 s.
    const cache = (agent as any).queue.options.cache;
    const fetch = cache.fetch.bind(cache);
    let slow = 300;
    cache.fetch = async (m: unknown) => {
      const ms = slow;
      slow = 1_500;
      await new Promise((r) => setTimeout(r, ms));
      return fetch(m);
    };
    const order: string[] = [];
    agent.on('playing', (c) => order.push(c.priority));
    const normal = await tc.api('POST', '/api/broadcasts', {
      media_id: media.id,
      target: { receiver_ids: ['rx-slow-link'] },
    });
    expect(normal.status).toBe(201);
    const emergency = await broadcastConfirmed(tc, {
      media_id: media.id,
      target: { receiver_ids: ['rx-slow-link'] },
      priority: 'emergency',
      repeat_count: 1,
    });
    expect(emergency.status).toBe(201);
    await waitFor(() => order.length === 2, 'both to play', 20_000);
    // Before, the normal item started while the emergency downloaded, and was cut off a second later.
    expect(order).toEqual(['emergency', 'normal']);
    await waitFor(async () => (await row(normal.body.id, 'rx-slow-link')).outcome === 'finished', 'the normal item');
  });

  it('plays a priority item before a normal one queued earlier', async () => {
    const agent = await startAgent('rx-queue', 'thon-3', 0.5);
    const order: string[] = [];
    agent.on('playing', (c) => order.push(c.priority));
    const send = (priority: string) =>
      tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { receiver_ids: ['rx-queue'] }, priority });
    await send('normal');
    await new Promise<void>((r) => agent.once('playing', () => r()));
    await send('normal');
    await send('priority');
    await waitFor(() => order.length === 3, 'all three to play', 15_000);
    expect(order).toEqual(['normal', 'priority', 'normal']);
  });
});
