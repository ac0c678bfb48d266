/**
 * Shutdown in bounded time: the real `controller/main.ts` process, with a console's event stream
 * and a broadcast's progress stream open, exits within 5 s of SIGTERM and frees its ports, so a
 * restart on the same ports works at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeMinimalConfig } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'tt-shutdown-'));
const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** True when nothing listens on the port (binding it works). */
async function portFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function startController(config: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'controller/main.ts', '--config', config], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  children.push(child);
  return { child, output: () => out };
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('SIGTERM', () => {
  it('exits within 5 s with event streams open, and frees its ports for the restart', async () => {
    const [httpPort, mqttPort] = [await freePort(), await freePort()];
    const config = writeMinimalConfig(dir);
    const env = {
      TT_HTTP_PORT: String(httpPort),
      TT_MQTT_PORT: String(mqttPort),
      TT_ADMIN_PASSWORD: 'mật-khẩu-thử-nghiệm-dài',
      NODE_ENV: 'production',
    };
    const first = startController(config, env);
    const base = `http://127.0.0.1:${httpPort}`;
    await waitFor(() => first.output().includes(base), 'the controller to start', 30_000);
    // The start says where the data is kept (to back up, to find): in both languages.
    expect(first.output()).toContain(`Dữ liệu (cơ sở dữ liệu, âm thanh, khóa): ${join(dir, 'data')}.`);
    expect(first.output()).toContain(`Data (database, audio, keys): ${join(dir, 'data')}.`);

    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: env.TT_ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    // A console page: its live event stream stays open.
    const stream = await fetch(`${base}/api/events`, { headers: { cookie } });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    void reader.read().catch(() => {});

    const exited = new Promise<number | null>((r) => first.child.once('exit', (code) => r(code)));
    const t0 = performance.now();
    first.child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 5_000))]);
    const seconds = (performance.now() - t0) / 1000;
    expect(code, `still running ${seconds.toFixed(1)} s after SIGTERM:\n${first.output()}`).toBe(0);
    expect(await portFree(httpPort)).toBe(true);
    expect(await portFree(mqttPort)).toBe(true);

    // The restart on the same ports works.
    const second = startController(config, env);
    await waitFor(() => second.output().includes(base) || second.child.exitCode !== null, 'the restart', 30_000);
    expect(second.output()).not.toContain('EADDRINUSE');
    expect((await fetch(`${base}/api/system/health`)).status).toBeLessThan(500);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }, 60_000);
});

describe('one controller per data directory', () => {
  it('refuses a second controller on the same data, names the first, and takes over after a kill', async () => {
    const own = mkdtempSync(join(tmpdir(), 'tt-lock-'));
    const config = writeMinimalConfig(own);
    const lockFile = join(own, 'data', 'controller.pid');
    const ports = async () => ({
      TT_HTTP_PORT: String(await freePort()),
      TT_MQTT_PORT: String(await freePort()),
      TT_ADMIN_PASSWORD: 'mật-khẩu-thử-nghiệm-dài',
    });
    const envA = await ports();
    const first = startController(config, envA);
    const baseA = `http://127.0.0.1:${envA.TT_HTTP_PORT}`;
    await waitFor(() => first.output().includes(baseA), 'the first controller to start', 30_000);
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(first.child.pid));

    // A second one on other ports but the same data: it must not start beside the first.
    const second = startController(config, await ports());
    const code = await new Promise<number | null>((r) => second.child.once('exit', (c) => r(c)));
    expect(code).toBe(1);
    expect(second.output()).toContain(`bộ điều khiển khác (tiến trình ${first.child.pid}) đang dùng thư mục dữ liệu`);
    expect(second.output()).toContain(`another controller (process ${first.child.pid}) is using the data directory`);
    expect((await fetch(`${baseA}/api/system/health`)).status).toBeLessThan(500); // the first is untouched

    // Killed: its file stays, and the next start takes it over without a hand.
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(existsSync(lockFile)).toBe(true);
    const envC = await ports();
    const third = startController(config, envC);
    const baseC = `http://127.0.0.1:${envC.TT_HTTP_PORT}`;
    await waitFor(() => third.output().includes(baseC) || third.child.exitCode !== null, 'the restart', 30_000);
    expect(third.output()).toContain(baseC);
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(third.child.pid));
    third.child.kill('SIGTERM');
    await new Promise((r) => third.child.once('exit', r));
    expect(existsSync(lockFile)).toBe(false); // a clean stop leaves nothing behind
    rmSync(own, { recursive: true, force: true });
  }, 90_000);
});
