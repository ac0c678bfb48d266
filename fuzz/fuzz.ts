/**
 * Throws random and malformed input at everything the controller reads from outside: every
 * MQTT topic a receiver may publish to, and every API route. Bounded by a case count and a
 * time limit. The controller must answer every request below 500 and stay up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { buildController } from '../controller/app.js';
import { PERMISSIONS } from '../controller/accounts/permissions.js';
import { topics } from '../controller/protocol/topics.js';
import { parseSettings } from '../controller/settings.js';

export interface FuzzResult {
  mqtt_cases: number;
  api_cases: number;
  by_status: Record<string, number>;
  server_errors: string[];
  alive: boolean;
  audit_chain_ok: boolean;
  db_integrity: string;
  seconds: number;
}

const evilStrings = [
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  'null',
  'undefined',
  '../../etc/passwd',
  '%2e%2e%2f',
  '#',
  '+',
  '$SYS',
  'tt/v1/#',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '\u0000',
  '\uFFFF',
  'a'.repeat(5000),
  'Thôn Đông',
  'rx-thon-1-a',
  '00000000-0000-4000-8000-000000000000',
];

function validAck(seq: number) {
  return {
    v: 1,
    receiver_id: 'rx-fuzz',
    seq,
    command_id: crypto.randomUUID(),
    broadcast_id: null,
    stage: 'received',
    at: new Date().toISOString(),
    reason: null,
    detail: null,
  };
}

/** A valid payload with one field replaced by something arbitrary, or arbitrary JSON, or bytes. */
const payloadArb = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.json({ maxDepth: 3 }).map((s) => Buffer.from(s)),
  fc
    .tuple(
      fc.constantFrom(
        'v',
        'receiver_id',
        'seq',
        'command_id',
        'broadcast_id',
        'stage',
        'at',
        'reason',
        'detail',
        'state',
        'session',
      ),
      fc.jsonValue({ maxDepth: 2 }),
      fc.nat(),
    )
    .map(([key, value, seq]) => Buffer.from(JSON.stringify({ ...validAck(seq), [key]: value }))),
  fc.constantFrom(...evilStrings).map((s) => Buffer.from(s)),
);

const bodyArb = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.object({ maxDepth: 2 }).map((o) => JSON.stringify(o)),
  fc.constantFrom(...evilStrings),
  fc
    .record({
      media_id: fc.oneof(fc.uuid(), fc.string()),
      target: fc.oneof(
        fc.record({ all: fc.boolean() }),
        fc.record({ hamlet_ids: fc.array(fc.constantFrom(...evilStrings)) }),
      ),
      priority: fc.constantFrom('normal', 'priority', 'emergency', 'x'),
    })
    .map((o) => JSON.stringify(o)),
  fc
    .record({
      username: fc.constantFrom(...evilStrings),
      password: fc.string(),
      role: fc.constantFrom('admin', 'viewer', 'x'),
    })
    .map((o) => JSON.stringify(o)),
);

export async function runFuzz(options: { cases: number; seconds: number; seed?: number }): Promise<FuzzResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tt-fuzz-'));
  const controller = buildController(
    parseSettings({
      commune: { id: 'fuzz', name: 'Xã Thử Lỗi' },
      hamlets: [{ id: 'thon-1', name: 'Thôn 1' }],
      data_dir: join(dir, 'data'),
      log_level: 'silent',
      http: { host: '127.0.0.1', port: 0 },
      mqtt: { embedded_host: '127.0.0.1', embedded_port: 0 },
      security: { login_rate_per_minute: 1_000_000 },
      broadcasts: { quiet_hours: null },
    }),
    { logger: pino({ level: 'silent' }) },
  );
  await controller.start({ TT_ADMIN_PASSWORD: 'fuzz-admin-password-long' });
  const started = Date.now();
  const deadline = started + options.seconds * 1000;
  const result: FuzzResult = {
    mqtt_cases: 0,
    api_cases: 0,
    by_status: {},
    server_errors: [],
    alive: false,
    audit_chain_ok: false,
    db_integrity: '',
    seconds: 0,
  };
  const seed = options.seed ?? Date.now();
  try {
    const token = controller.accounts.createToken(
      { name: 'fuzz', role: 'admin' },
      { id: 'fuzz', permissions: new Set(PERMISSIONS) },
    ).token;
    controller.receivers.create({ id: 'rx-fuzz', hamlet_id: 'thon-1', name: 'fuzz' }, { id: 'fuzz' });
    const secret = controller.receivers.enrol('rx-fuzz', { id: 'fuzz' }).agent_config.secret;

    // ---- MQTT: every topic the controller reads, as the receiver that may publish there
    const client = await mqtt.connectAsync(controller.mqttUrl, {
      clientId: 'rx-fuzz',
      username: 'rx-fuzz',
      password: secret,
      protocolVersion: 4,
      reconnectPeriod: 500,
    });
    const mqttSamples = fc.sample(
      fc.tuple(
        fc.constantFrom(topics.ack('rx-fuzz'), topics.status('rx-fuzz'), topics.telemetry('rx-fuzz')),
        payloadArb,
      ),
      { numRuns: Math.ceil(options.cases / 2), seed },
    );
    for (const [topic, payload] of mqttSamples) {
      if (Date.now() > deadline) break;
      await client.publishAsync(topic, payload, { qos: 1 });
      result.mqtt_cases++;
    }
    await client.endAsync();

    // ---- HTTP: every API route, random parameters, bodies and content types
    const routes = controller.routes.filter((r) => r.url.startsWith('/api/'));
    const apiSamples = fc.sample(
      fc.tuple(
        fc.constantFrom(...routes),
        fc.constantFrom(...evilStrings, '00000000-0000-4000-8000-000000000000'),
        bodyArb,
        fc.constantFrom(
          'application/json',
          'text/plain',
          'multipart/form-data; boundary=x',
          'application/x-www-form-urlencoded',
        ),
        fc.dictionary(fc.constantFrom('limit', 'hamlet_id', 'format', 'before_id'), fc.constantFrom(...evilStrings)),
      ),
      { numRuns: Math.floor(options.cases / 2), seed: seed + 1 },
    );
    for (const [route, param, body, contentType, query] of apiSamples) {
      if (Date.now() > deadline) break;
      const path = route.url.replace(/:(\w+)/g, () => encodeURIComponent(param));
      const qs = new URLSearchParams(query).toString();
      const init: RequestInit = { method: route.method, headers: { authorization: `Bearer ${token}` } };
      if (route.method !== 'GET' && route.method !== 'DELETE') {
        (init.headers as Record<string, string>)['content-type'] = contentType;
        init.body = body;
      }
      let status: number;
      try {
        status = (await fetch(`${controller.httpUrl}${path}${qs ? `?${qs}` : ''}`, init)).status;
      } catch (err) {
        status = 0;
        result.server_errors.push(`${route.method} ${path}: connection failed (${(err as Error).message})`);
      }
      result.api_cases++;
      result.by_status[status] = (result.by_status[status] ?? 0) + 1;
      if (status >= 500)
        result.server_errors.push(`${route.method} ${path} ${contentType} ${String(body).slice(0, 120)} -> ${status}`);
    }

    const health = await fetch(`${controller.httpUrl}/api/system/health`);
    result.alive = health.status === 200 && controller.mqtt.connected;
    result.audit_chain_ok = (await controller.coverage.verifyAll()).ok;
    result.db_integrity = String(controller.db.pragma('integrity_check', { simple: true }));
  } finally {
    result.seconds = (Date.now() - started) / 1000;
    await controller.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

export function printFuzz(r: FuzzResult): void {
  console.log(`Fuzz: ${r.mqtt_cases} MQTT payloads and ${r.api_cases} API requests in ${r.seconds.toFixed(1)} s`);
  console.log(
    `  answers by status: ${Object.entries(r.by_status)
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ')}`,
  );
  console.log(`  5xx or dropped connections: ${r.server_errors.length}`);
  for (const e of r.server_errors.slice(0, 10)) console.log(`    ${e}`);
  console.log(
    `  controller alive afterwards: ${r.alive}; audit chain whole: ${r.audit_chain_ok}; database integrity: ${r.db_integrity}`,
  );
}
