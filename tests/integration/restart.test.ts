/**
 * A command is written before it is published, so a controller restart loses none: a receiver
 * that was away while the controller restarted (and the embedded broker with it) still gets
 * the broadcast when it comes back, plays it once, and its acks are stored once. A broadcast's
 * target rows are committed just after its commands are published: a controller stopped between
 * the two rebuilds them at the next start, so coverage still counts against them.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { FileAgentStore } from '../../firmware-bridge/agent/agent-store.js';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { SilentPlayer } from '../../firmware-bridge/agent/players.js';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import type { AgentConfig } from '../../controller/protocol/agent-config.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { startTestController, type TestController, onExternalBroker } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

/** A controller with one broadcast to thon-1 stored, then stopped; `receiverId` enrolled in thon-1. */
async function broadcastThenStop(receiverId: string, extra?: (tc: TestController) => Promise<unknown>) {
  const first: TestController = await startTestController({}, { keepDir: true });
  const media = await uploadReadyTone(first.url, first.token, first.dir, 1);
  const config = await enrolReceiver(first.url, first.token, receiverId, 'thon-1', 'Cụm loa về sau');
  await extra?.(first);
  const b = await first.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-1'] } });
  expect(b.status).toBe(201);
  const ports = { http: Number(new URL(first.url).port), mqtt: Number(new URL(first.controller.mqttUrl).port) };
  await first.close();
  return { dir: first.dir, config, broadcastId: b.body.id as string, ports };
}

/** The same data directory and ports again: the commune box after a power cut. */
async function startAgain(dir: string, ports: { http: number; mqtt: number }): Promise<TestController> {
  const tc = await startTestController({ http: { port: ports.http }, mqtt: { embedded_port: ports.mqtt } }, { dir });
  cleanup.push(() => tc.close());
  return tc;
}

/** The receiver comes back (its state kept on disk), as a real agent. */
async function receiverReturns(dir: string, config: AgentConfig): Promise<ReceiverAgent> {
  const stateDir = join(dir, 'agents', config.receiver_id);
  const agent = new ReceiverAgent({
    config: { ...config, state_dir: stateDir },
    store: new FileAgentStore(stateDir),
    player: new SilentPlayer(0.01),
    logger: pino({ level: 'silent' }),
  });
  cleanup.push(() => agent.stop());
  return agent;
}

/** The broadcast's coverage once one receiver has finished it. */
const finishedOnce = (tc: TestController, broadcastId: string, what: string) =>
  waitFor(async () => {
    const c = (await tc.api('GET', `/api/broadcasts/${broadcastId}/coverage`)).body;
    return c.totals.finished === 1 ? c : undefined;
  }, what);

describe('controller restart', () => {
  it.skipIf(onExternalBroker)(
    'delivers a broadcast made before the restart to a receiver that returns after it',
    async () => {
      const { dir, config, broadcastId, ports } = await broadcastThenStop('rx-away');
      const second = await startAgain(dir, ports);
      const agent = await receiverReturns(dir, config);
      const played: string[] = [];
      agent.on('playing', (c) => played.push(c.broadcast_id));
      await agent.start();

      const coverage = await finishedOnce(
        second,
        broadcastId,
        'the returning receiver to play the pre-restart broadcast',
      );
      expect(coverage.hamlets[0].receivers[0].receiver_id).toBe('rx-away');
      expect(played).toEqual([broadcastId]);
      const rows = second.controller.db
        .prepare('SELECT stage, count(*) AS n FROM acks WHERE broadcast_id = ? GROUP BY stage')
        .all(broadcastId);
      expect(rows).toEqual(
        expect.arrayContaining([
          { stage: 'finished', n: 1 },
          { stage: 'received', n: 1 },
        ]),
      );
      const verdict = (await second.api('GET', '/api/audit/verify')).body;
      expect(verdict.ok, JSON.stringify(verdict)).toBe(true);
    },
  );

  it.skipIf(onExternalBroker)(
    'rebuilds the target rows of a broadcast stopped between its two commits, before reading acks',
    async () => {
      const { dir, config, broadcastId, ports } = await broadcastThenStop('rx-late', (tc) =>
        enrolReceiver(tc.url, tc.token, 'rx-other', 'thon-2', 'Cụm loa thôn khác'),
      );
      // The state a controller killed after the broadcast's commit and before its targets' leaves.
      const raw = new Database(join(dir, 'data', 'controller.sqlite'));
      expect(raw.prepare('DELETE FROM broadcast_targets WHERE broadcast_id = ?').run(broadcastId).changes).toBe(1);
      raw.close();

      const second = await startAgain(dir, ports);
      const targets = second.controller.db
        .prepare('SELECT receiver_id, hamlet_id FROM broadcast_targets WHERE broadcast_id = ?')
        .all(broadcastId);
      expect(targets).toEqual([{ receiver_id: 'rx-late', hamlet_id: 'thon-1' }]);

      await (await receiverReturns(dir, config)).start();
      const coverage = await finishedOnce(
        second,
        broadcastId,
        'the receiver to play the broadcast whose targets were rebuilt',
      );
      expect(coverage.totals.targeted).toBe(1);
    },
  );
});
