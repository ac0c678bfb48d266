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
import { uploadReadyTone } from '../helpers/audio.js';
import { startTestController, type TestController, onExternalBroker } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

describe('controller restart', () => {
  it.skipIf(onExternalBroker)(
    'delivers a broadcast made before the restart to a receiver that returns after it',
    async () => {
      const first: TestController = await startTestController({}, { keepDir: true });
      const dir = first.dir;
      const media = await uploadReadyTone(first.url, first.token, dir, 1);
      const config = await enrolReceiver(first.url, first.token, 'rx-away', 'thon-1', 'Cụm loa đi vắng');
      const b = await first.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-1'] } });
      expect(b.status).toBe(201);
      const httpPort = new URL(first.url).port;
      const mqttPort = new URL(first.controller.mqttUrl).port;
      await first.close();

      // Same data directory and ports: the commune box after a power cut.
      const second = await startTestController(
        { http: { port: Number(httpPort) }, mqtt: { embedded_port: Number(mqttPort) } },
        { dir },
      );
      cleanup.push(() => second.close());
      const stateDir = join(dir, 'agents', 'rx-away');
      const agent = new ReceiverAgent({
        config: { ...config, state_dir: stateDir },
        store: new FileAgentStore(stateDir),
        player: new SilentPlayer(0.01),
        logger: pino({ level: 'silent' }),
      });
      cleanup.push(() => agent.stop());
      const played: string[] = [];
      agent.on('playing', (c) => played.push(c.broadcast_id));
      await agent.start();

      const coverage = await waitFor(async () => {
        const c = (await second.api('GET', `/api/broadcasts/${b.body.id}/coverage`)).body;
        return c.totals.finished === 1 ? c : undefined;
      }, 'the returning receiver to play the pre-restart broadcast');
      expect(coverage.hamlets[0].receivers[0].receiver_id).toBe('rx-away');
      expect(played).toEqual([b.body.id]);
      const rows = second.controller.db
        .prepare('SELECT stage, count(*) AS n FROM acks WHERE broadcast_id = ? GROUP BY stage')
        .all(b.body.id);
      expect(rows).toEqual(
        expect.arrayContaining([
          { stage: 'finished', n: 1 },
          { stage: 'received', n: 1 },
        ]),
      );
      expect((await second.api('GET', '/api/audit/verify')).body.ok).toBe(true);
    },
  );

  it.skipIf(onExternalBroker)(
    'rebuilds the target rows of a broadcast stopped between its two commits, before reading acks',
    async () => {
      const first: TestController = await startTestController({}, { keepDir: true });
      const dir = first.dir;
      const media = await uploadReadyTone(first.url, first.token, dir, 1);
      const config = await enrolReceiver(first.url, first.token, 'rx-late', 'thon-1', 'Cụm loa về muộn');
      await enrolReceiver(first.url, first.token, 'rx-other', 'thon-2', 'Cụm loa thôn khác');
      const b = await first.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-1'] } });
      expect(b.status).toBe(201);
      const httpPort = new URL(first.url).port;
      const mqttPort = new URL(first.controller.mqttUrl).port;
      await first.close();
      // The state a controller killed after the broadcast's commit and before its targets' leaves.
      const raw = new Database(join(dir, 'data', 'controller.sqlite'));
      expect(raw.prepare('DELETE FROM broadcast_targets WHERE broadcast_id = ?').run(b.body.id).changes).toBe(1);
      raw.close();

      const second = await startTestController(
        { http: { port: Number(httpPort) }, mqtt: { embedded_port: Number(mqttPort) } },
        { dir },
      );
      cleanup.push(() => second.close());
      const targets = second.controller.db
        .prepare('SELECT receiver_id, hamlet_id FROM broadcast_targets WHERE broadcast_id = ?')
        .all(b.body.id);
      expect(targets).toEqual([{ receiver_id: 'rx-late', hamlet_id: 'thon-1' }]);

      const stateDir = join(dir, 'agents', 'rx-late');
      const agent = new ReceiverAgent({
        config: { ...config, state_dir: stateDir },
        store: new FileAgentStore(stateDir),
        player: new SilentPlayer(0.01),
        logger: pino({ level: 'silent' }),
      });
      cleanup.push(() => agent.stop());
      await agent.start();
      const coverage = await waitFor(async () => {
        const c = (await second.api('GET', `/api/broadcasts/${b.body.id}/coverage`)).body;
        return c.totals.finished === 1 ? c : undefined;
      }, 'the receiver to play the broadcast whose targets were rebuilt');
      expect(coverage.totals.targeted).toBe(1);
    },
  );
});
