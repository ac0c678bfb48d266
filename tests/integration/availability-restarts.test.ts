/**
 * Availability through the things that happen in the field: a flapping link (recorded, damped:
 * no alert for a link that comes straight back), a controller restart (the embedded broker and
 * its retained messages go with it), and an external broker restart.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { mosquittoHash, writeMosquittoFiles } from '../../controller/mqtt/mosquitto-files.js';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { startTestAgent } from '../helpers/agents.js';
import { startBrowser } from '../helpers/browser.js';
import { freePort, startMosquitto } from '../helpers/mosquitto.js';
import { startTestController, type TestController, onExternalBroker } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';
import { uploadReadyTone } from '../helpers/audio.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => {});
});
const status = async (tc: TestController, id: string) => (await tc.api('GET', `/api/receivers/${id}`)).body.status;

describe('availability', () => {
  it('records a flapping link without raising an alert while it keeps coming back', async () => {
    const tc = await startTestController({ health: { offline_minutes: 10 } } as any);
    cleanup.push(() => tc.close());
    const agent = await startTestAgent(tc, 'rx-flap', 'thon-1');
    cleanup.push(() => agent.stop());
    for (let i = 0; i < 4; i++) {
      agent.dropLink(300);
      await waitFor(async () => (await status(tc, 'rx-flap')) === 'offline', 'the last will');
      await waitFor(async () => (await status(tc, 'rx-flap')) === 'online', 'back online', 10_000);
    }
    const history = (await tc.api('GET', '/api/receivers/rx-flap/history')).body;
    const states = history.events.map((e: any) => e.state);
    expect(states.filter((x: string) => x === 'offline')).toHaveLength(4);
    expect(states.filter((x: string) => x === 'online').length).toBeGreaterThanOrEqual(4);
    expect(states.at(-1)).toBe('online');
    tc.controller.receiverHealth.checkOffline();
    expect(tc.controller.receiverHealth.list('open').filter((a) => a.receiver_id === 'rx-flap')).toEqual([]);
  }, 60_000);

  it.skipIf(onExternalBroker)(
    'after a controller stop or kill (embedded broker), a receiver is offline until it connects again',
    async () => {
      const first = await startTestController({}, { keepDir: true });
      const back = await startTestAgent(first, 'rx-cr', 'thon-1');
      cleanup.push(() => back.stop());
      const gone = await startTestAgent(first, 'rx-gone', 'thon-1');
      await waitFor(
        async () => (await status(first, 'rx-cr')) === 'online' && (await status(first, 'rx-gone')) === 'online',
        'both online',
      );
      const httpPort = Number(new URL(first.url).port);
      const mqttPort = Number(new URL(first.controller.mqttUrl).port);
      const dbFile = join(first.dir, 'data', 'controller.sqlite');
      await first.close();
      // A stop: the broker and every connection on it are gone, and no last will was sent.
      const raw = new Database(dbFile);
      const rows = () =>
        raw.prepare('SELECT id, status FROM receivers WHERE id IN (?, ?) ORDER BY id').all('rx-cr', 'rx-gone');
      expect(rows()).toEqual([
        { id: 'rx-cr', status: 'offline' },
        { id: 'rx-gone', status: 'offline' },
      ]);
      // A kill leaves them recorded online, with no "offline" in their history, and the controller's
      // last alive mark from when it died; one of them does not come back (its power is cut meanwhile).
      const killedAt = (raw.prepare('SELECT at FROM controller_alive').get() as { at: string }).at;
      for (const id of ['rx-cr', 'rx-gone']) {
        raw.prepare("DELETE FROM receiver_events WHERE receiver_id = ? AND state = 'offline'").run(id);
        const { at } = raw
          .prepare('SELECT at FROM receiver_events WHERE receiver_id = ? ORDER BY at DESC LIMIT 1')
          .get(id) as { at: string };
        raw.prepare("UPDATE receivers SET status = 'online', status_at = ? WHERE id = ?").run(at, id);
      }
      raw.close();
      await new Promise((r) => setTimeout(r, 1500)); // the restart comes later than the kill
      await gone.stop();
      const second = await startTestController(
        { http: { port: httpPort }, mqtt: { embedded_port: mqttPort } },
        { dir: first.dir },
      );
      cleanup.push(() => second.close());
      expect(await status(second, 'rx-gone')).toBe('offline');
      const history = async (id: string) =>
        (await second.api('GET', `/api/receivers/${id}/history`)).body.events as { state: string; session: number }[];
      const events = await waitFor(
        async () => {
          const e = await history('rx-cr');
          const last = e.at(-1)!;
          return last.state === 'online' && last.session > e[0].session ? e : undefined;
        },
        'online again after the restart, with a newer session',
        20_000,
      );
      expect(events.some((e) => e.state === 'offline')).toBe(true);
      expect(back.connected).toBe(true);
      // The one that did not come back stays offline: in its record, its history and the metrics.
      expect(await status(second, 'rx-gone')).toBe('offline');
      expect((await history('rx-gone')).at(-1)!.state).toBe('offline');
      // Offline since the kill, not since the restart: the five minutes are not counted as time online.
      expect((await second.api('GET', '/api/receivers/rx-gone')).body.status_at).toBe(killedAt);
      expect(((await history('rx-gone')).at(-1) as unknown as { at: string }).at).toBe(killedAt);
      const metrics = (await second.api('GET', '/metrics')).body as string;
      expect(metrics).toMatch(/receivers\{status="offline"\} [1-9]/);
    },
    60_000,
  );

  it('after an external broker restart, a receiver is online with a newer session, or offline if it did not come back', async () => {
    const tcDir = join((await import('node:os')).tmpdir(), `tt-avail-${Date.now()}`);
    const mosqDir = join(tcDir, 'mosquitto');
    mkdirSync(mosqDir, { recursive: true });
    writeFileSync(join(tcDir, 'pw'), 'controller-broker-secret-availability', { mode: 0o600 });
    writeMosquittoFiles(mosqDir, mosquittoHash('controller-broker-secret-availability'), []);
    const port = await freePort();
    let broker = await startMosquitto(mosqDir, port);
    cleanup.push(() => broker.stop());
    const tc = await startTestController(
      {
        mqtt: {
          external_url: `mqtt://127.0.0.1:${port}`,
          external_username: '_controller',
          external_password_file: join(tcDir, 'pw'),
          mosquitto_dir: mosqDir,
          status_wait_seconds: 2,
        },
      },
      { dir: tcDir },
    );
    cleanup.push(() => tc.close());
    const agent: ReceiverAgent = await startTestAgent(tc, 'rx-br', 'thon-1');
    cleanup.push(() => agent.stop());
    const gone: ReceiverAgent = await startTestAgent(tc, 'rx-br-gone', 'thon-1');
    await waitFor(
      async () => (await status(tc, 'rx-br')) === 'online' && (await status(tc, 'rx-br-gone')) === 'online',
      'both online',
    );
    const before = (await tc.api('GET', '/api/receivers/rx-br/history')).body.events.at(-1).session;
    const tone = await uploadReadyTone(tc.url, tc.token, tcDir, 1);
    const askEmergency = async () =>
      (
        await tc.api('POST', '/api/broadcasts', {
          media_id: tone.id,
          target: { hamlet_ids: ['thon-1'] },
          priority: 'emergency',
        })
      ).body.confirmation;
    // Mosquitto keeps no retained messages across a restart (persistence false). It is killed (a
    // crash, a power cut): it sends no last will, so nothing but the controller's own lost link
    // says when the receivers' connections ended.
    // Every console hears of the outage on its event stream: the receivers' states are then only the last known.
    const stream = await fetch(`${tc.url}/api/events`, {
      headers: { authorization: `Bearer ${tc.token}` },
      signal: AbortSignal.timeout(20_000),
    });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    let seen = '';
    const read = async (until: RegExp) => {
      while (!until.test(seen)) seen += new TextDecoder().decode((await reader.read()).value);
    };
    await read(/event: broker\ndata: \{"connected":true,"down_since":null\}/);
    // And a technician watching the receivers page sees it at the top, in words.
    const password = 'kỹ-thuật-viên-mật-khẩu-dài';
    await tc.controller.accounts.createUser(
      { username: 'ky-thuat', display_name: 'Kỹ thuật viên', role: 'technician', password },
      { id: 'test' },
    );
    const browser = await startBrowser();
    cleanup.push(() => browser.close());
    const { page, errors } = await browser.visit(`${tc.url}/console/#/receivers`);
    await page.getByLabel('Tên đăng nhập').fill('ky-thuat');
    await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForSelector('header.top');
    const banner = page.getByRole('alert').filter({ hasText: 'mất kết nối với máy chủ MQTT' });
    const exited = new Promise((r) => broker.process.once('exit', r));
    broker.process.kill('SIGKILL');
    await exited;
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toContain('trạng thái cuối cùng đã biết');
    // The dashboard's count of receivers online says it is the last known too (outsider, session 18).
    await page.goto(`${tc.url}/console/#/`);
    await page.getByText('Theo trạng thái cuối cùng đã biết').waitFor({ timeout: 15_000 });
    await waitFor(
      async () => tc.controller.health().mqtt_down_since !== null,
      'the controller knows its broker is gone',
    );
    const downSince = tc.controller.health().mqtt_down_since!;
    await read(/event: broker\ndata: \{"connected":false,"down_since":"[^"]+"\}/);
    expect((await tc.api('GET', '/api/system/health')).body).toEqual({ ok: false, mqtt_connected: false });
    expect((await tc.api('GET', '/api/system/status')).body.mqtt_down_since).toBe(
      tc.controller.health().mqtt_down_since,
    );
    // An emergency asked for meanwhile: its confirmation says first that no receiver gets it until
    // the broker is back, not only "to 2 receivers" (outsider 40: both receivers read connected).
    const asked = await askEmergency();
    expect(asked.where.broker_down_since).toBe(downSince);
    expect(asked.summary).toMatch(
      /^CHÚ Ý: khi yêu cầu này được tạo, bộ điều khiển đang mất kết nối với máy chủ MQTT: không cụm loa nào nhận được/,
    );
    expect(asked.summary_en).toMatch(/^NOTE: when this was asked for, the controller had lost its MQTT broker/);
    await gone.stop();
    broker = await startMosquitto(mosqDir, port);
    await read(
      /event: broker\ndata: \{"connected":true,"down_since":null\}[\s\S]*event: broker\ndata: \{"connected":true,"down_since":null\}/,
    );
    await reader.cancel();
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    const again = await askEmergency();
    expect(again.where.broker_down_since).toBeNull();
    expect(again.summary).toMatch(/^Phát/);
    expect(errors.filter((e) => !/ERR_CONNECTION|EventSource|events/.test(e))).toEqual([]);
    await browser.close();
    await waitFor(
      async () => {
        const last = (await tc.api('GET', '/api/receivers/rx-br/history')).body.events.at(-1);
        return last.state === 'online' && last.session > before;
      },
      'online with a newer session after the broker restart',
      30_000,
      200,
    );
    expect(tc.controller.health()).toMatchObject({ mqtt_connected: true, mqtt_down_since: null });
    // Its old connection went with the broker: offline from when the controller lost it, so the
    // outage is not counted as time online (a killed Mosquitto sends no last will).
    const events = (await tc.api('GET', '/api/receivers/rx-br/history')).body.events as {
      at: string;
      state: string;
      session: number;
    }[];
    expect(events.filter((e) => e.at >= downSince).map((e) => [e.state, e.session > before])).toEqual([
      ['offline', false],
      ['online', true],
    ]);
    expect(events.find((e) => e.state === 'offline' && e.at >= downSince)!.at).toBe(downSince);
    await waitFor(
      async () => (await status(tc, 'rx-br-gone')) === 'offline',
      'the one that did not come back offline',
      15_000,
    );
    // The wait is over: the one that came back is not counted offline.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await status(tc, 'rx-br')).toBe('online');
  }, 60_000);
});
