/**
 * A controller on embedded defaults with N enrolled receivers, and a fleet process (its own event
 * loop and file descriptors) that runs them: shared by the benchmarks that need a fleet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { buildController, type Controller } from '../controller/app.js';
import { PERMISSIONS } from '../controller/accounts/permissions.js';
import type { AgentConfig } from '../controller/protocol/agent-config.js';
import { parseSettings } from '../controller/settings.js';
import { uploadReadyTone } from '../tests/helpers/audio.js';

export interface BenchFleet {
  controller: Controller;
  token: string;
  dir: string;
  hamlets: { id: string; name: string }[];
  configs: AgentConfig[];
  media: { id: string };
  /** One request to the fleet process and its answer. */
  ask(op: string, extra?: object): Promise<any>;
  /** The controller process's peak resident memory so far, in MB. */
  rssPeakMb(): number;
  close(): Promise<void>;
}

export async function startBenchFleet(receivers: number, hamletCount = 10): Promise<BenchFleet> {
  const dir = mkdtempSync(join(tmpdir(), 'tt-bench-'));
  const hamlets = Array.from({ length: hamletCount }, (_, i) => ({ id: `thon-${i + 1}`, name: `Thôn ${i + 1}` }));
  const controller = buildController(parseSettings({
    commune: { id: 'bench', name: 'Xã Đo Đạc' }, hamlets, data_dir: join(dir, 'data'), log_level: 'silent', broadcasts: { quiet_hours: null },
    http: { host: '127.0.0.1', port: 0 }, mqtt: { embedded_host: '127.0.0.1', embedded_port: 0 },
  }), { logger: pino({ level: 'silent' }) });
  await controller.start({ TT_ADMIN_PASSWORD: 'bench-admin-password' });
  let rssPeak = 0;
  const sampler = setInterval(() => {
    try {
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    } catch {
      // out of descriptors for a moment: skip this sample
    }
  }, 100);
  const token = controller.accounts.createToken({ name: 'bench', role: 'admin' }, { id: 'bench', permissions: new Set(PERMISSIONS) }).token;
  const actor = { id: 'bench' };
  const configs: AgentConfig[] = [];
  // One transaction for the whole fleet: with synchronous=FULL, one per receiver costs minutes at 10,000.
  controller.db.transaction(() => {
    for (let i = 0; i < receivers; i++) {
      const hamlet = hamlets[i % hamletCount].id;
      const id = `sim-${hamlet}-${String(i).padStart(5, '0')}`;
      controller.receivers.create({ id, hamlet_id: hamlet, name: id }, actor);
      configs.push(controller.receivers.enrol(id, actor).agent_config);
    }
  })();
  const media = await uploadReadyTone(controller.httpUrl, token, dir, 2);
  const fleet = fork(fileURLToPath(new URL('./fleet-worker.ts', import.meta.url)), { execArgv: ['--import', 'tsx'], serialization: 'advanced' });
  const ask = (op: string, extra: object = {}) => new Promise<any>((resolve, reject) => {
    const onMsg = (m: any) => {
      if (m.op !== op) return;
      fleet.off('message', onMsg);
      if (m.error) reject(new Error(m.error));
      else resolve(m);
    };
    fleet.on('message', onMsg);
    fleet.send({ op, ...extra });
  });
  await ask('init', { configs, stateDir: dir });
  return {
    controller, token, dir, hamlets, configs, media, ask,
    rssPeakMb: () => Math.round(rssPeak / 1024 / 1024),
    async close() {
      clearInterval(sampler);
      await ask('stop').catch(() => {});
      fleet.kill();
      await controller.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
