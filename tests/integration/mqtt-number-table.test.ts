/**
 * No MQTT component of this project fills mqtt-packet's table of 65,536 two-byte Buffers: by
 * default the first packet written builds it, 7 MB of heap in every process and thread that
 * speaks MQTT (found in a heap snapshot of the controller at rest, 2026-12-04: 6.3 MB of Buffer
 * objects out of 40 MB). The switch is per thread, so each component runs alone in a thread of its
 * own (tests/helpers/number-table-worker.ts): the embedded broker, the controller's client and a
 * receiver agent. Real aedes, real clients, on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AedesBroker } from '../../controller/mqtt/aedes-broker.js';
import { CredentialTable, hashSecret } from '../../controller/mqtt/broker-credentials.js';
import { startModuleWorker } from '../../controller/system/module-worker.js';

const secret = randomBytes(24).toString('base64url');
const dir = mkdtempSync(join(tmpdir(), 'tt-number-table-'));
let broker: AedesBroker;
let port: number;
beforeAll(async () => {
  const table = new CredentialTable('controller-secret', [
    { id: 'rx-1', secret_hash: hashSecret(secret), hamlet_id: 'thon-1' },
  ]);
  broker = new AedesBroker(table, pino({ level: 'silent' }), { host: '127.0.0.1', port: 0 });
  port = await broker.start();
});
afterAll(async () => {
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The number table's size in a thread where only `component` spoke MQTT. */
function tableAfter(component: 'broker' | 'controller' | 'agent'): Promise<number> {
  const worker = startModuleWorker(new URL('../helpers/', import.meta.url).href + 'caller.ts', 'number-table-worker', {
    workerData: { component, port, secret, dir: join(dir, component) },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { entries?: number; error?: string }) => {
      void worker.terminate();
      if (m.error !== undefined) reject(new Error(m.error));
      else resolve(m.entries!);
    });
    worker.once('error', reject);
  });
}

describe("mqtt-packet's number table", () => {
  it.each(['broker', 'controller', 'agent'] as const)(
    'stays empty in a thread where only the %s exchanged QoS 1 packets',
    async (component) => {
      expect(await tableAfter(component)).toBe(0);
    },
    30_000,
  );
});
