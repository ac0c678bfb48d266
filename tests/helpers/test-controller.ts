/**
 * Starts the real controller for a test: embedded broker and HTTP on free loopback ports, a
 * SQLite file in a fresh temp dir, real ffmpeg. Everything is closed by `close()`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { buildController, type Controller, type ControllerOverrides } from '../../controller/app.js';
import { parseSettings, type SettingsInput } from '../../controller/settings.js';
import { PERMISSIONS } from '../../controller/accounts/permissions.js';

/**
 * TT_TEST_BROKER=mosquitto: every test controller gets a Mosquitto of its own instead of the
 * embedded broker (`npm run test:mosquitto`). Tests of what only the embedded broker does (its own
 * ACL enforcement and TLS listener, keeping its port across a controller restart, clients that
 * share the controller's account — Mosquitto ties client id to username) are skipped there;
 * Mosquitto's own rules are tested in mosquitto-external.test.ts.
 */
export const onExternalBroker = process.env.TT_TEST_BROKER === 'mosquitto';

export const TEST_ADMIN_PASSWORD = 'mật-khẩu-thử-nghiệm-dài';

export interface TestController {
  controller: Controller;
  dir: string;
  token: string;
  url: string;
  api<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T; headers: Headers }>;
  close(): Promise<void>;
}

export const testHamlets = [
  { id: 'thon-1', name: 'Thôn Đông', households: 100, population: 400 },
  { id: 'thon-2', name: 'Thôn Đoài', households: 80, population: 300 },
  { id: 'thon-3', name: 'Thôn Nam', households: 60, population: 200 },
];

export async function startTestController(
  settings: Partial<SettingsInput> = {},
  options: { dir?: string; overrides?: ControllerOverrides; keepDir?: boolean } = {},
): Promise<TestController> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'tt-test-'));
  const external =
    onExternalBroker && !settings.mqtt?.external_url
      ? await (await import('./mosquitto.js')).startControllerMosquitto(dir)
      : undefined;
  if (external) settings = { ...settings, mqtt: { ...settings.mqtt, ...external.mqtt } };
  const controller = buildController(
    parseSettings({
      commune: { id: 'test-commune', name: 'Xã Thử Nghiệm' },
      hamlets: testHamlets,
      data_dir: join(dir, 'data'),
      log_level: 'silent',
      ...settings,
      // Tests run at any hour: quiet hours only where a test sets them (with its own clock).
      broadcasts: { quiet_hours: null, ...settings.broadcasts },
      http: { host: '127.0.0.1', port: 0, ...settings.http },
      mqtt: { embedded_host: '127.0.0.1', embedded_port: 0, ...settings.mqtt },
    }),
    { logger: pino({ level: process.env.TT_TEST_LOG ?? 'silent' }), ...options.overrides },
  );
  try {
    await controller.start({ TT_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD });
  } catch (err) {
    // A start a test expects to fail (a second controller on the same data) leaves no Mosquitto behind.
    await external?.broker.stop();
    throw err;
  }
  const token = controller.accounts.createToken(
    { name: 'test-admin', role: 'admin' },
    { id: 'test', permissions: new Set(PERMISSIONS) },
  ).token;
  const url = controller.httpUrl;
  return {
    controller,
    dir,
    token,
    url,
    async api(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { authorization: `Bearer ${token}`, ...headers } };
      if (body !== undefined) {
        init.body = JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
      }
      const res = await fetch(url + path, init);
      const text = await res.text();
      let parsed: any = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      try {
        await controller.stop();
      } finally {
        await external?.broker.stop();
        if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * An MQTT client holding the controller's own broker credentials: what an attacker who stole
 * the broker password would have. Tests use it to publish forged and replayed commands.
 */
export async function brokerClientAsController(tc: TestController) {
  const mqtt = (await import('mqtt')).default;
  const { CONTROLLER_USERNAME } = await import('../../controller/mqtt/broker-acl.js');
  return mqtt.connectAsync(tc.controller.mqttUrl, {
    clientId: `attacker-${Math.random().toString(36).slice(2)}`,
    username: CONTROLLER_USERNAME,
    password: (tc.controller as any).controllerMqttSecret as string,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
}

/**
 * Sends a broadcast as a person would: when the controller asks for the second confirmation
 * (emergency, whole commune), gives it.
 */
export async function broadcastConfirmed(
  tc: TestController,
  body: object,
  token = tc.token,
): Promise<{ status: number; body: any }> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const first = await fetch(`${tc.url}/api/broadcasts`, { method: 'POST', headers, body: JSON.stringify(body) });
  const json = await first.json();
  if (first.status !== 202) return { status: first.status, body: json };
  const confirm = await fetch(`${tc.url}${json.confirmation.confirm_url}`, {
    method: 'POST',
    headers: { authorization: headers.authorization },
  });
  return { status: confirm.status, body: await confirm.json() };
}

/** A minimal commune config file, as a person writes one, for tests that start the controller as a process. */
export function writeMinimalConfig(
  dir: string,
  { http = '{ host: 127.0.0.1 }', mqtt = '{ embedded_host: 127.0.0.1 }' } = {},
): string {
  const file = join(dir, 'commune.yaml');
  writeFileSync(
    file,
    [
      'commune: { id: thu-nghiem, name: "Xã Thử Nghiệm" }',
      'hamlets: [{ id: thon-1, name: "Thôn Một" }]',
      `data_dir: ${join(dir, 'data')}`,
      'log_level: warn',
      `http: ${http}`,
      `mqtt: ${mqtt}`,
      '',
    ].join('\n'),
  );
  return file;
}
