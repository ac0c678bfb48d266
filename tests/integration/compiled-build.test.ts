/**
 * The compiled controller, as `npm start` and the service run it: `npm run build` into a fresh
 * folder, then plain `node <out>/controller/main.js` (no TypeScript loader) with its own config on
 * free ports. It must answer its health check, serve the console with its files, run its worker
 * threads from the compiled .js (the proof verifier here) and stop cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMinimalConfig } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PASSWORD = 'mật-khẩu-thử-nghiệm-dài';
// A compiled build finds node_modules and package.json upwards, so it is built inside the project (.tmp/ is ignored by git).
mkdirSync(join(ROOT, '.tmp'), { recursive: true });
const outDir = mkdtempSync(join(ROOT, '.tmp', 'build-'));
const dir = mkdtempSync(join(tmpdir(), 'tt-compiled-'));
let controller: ChildProcess | undefined;
let output = '';
let base = '';

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: out }));
  });
}

function files(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

beforeAll(async () => {
  // tsc over the whole controller: well under a minute alone, longer on a busy machine.
  const build = await run('npm', ['run', '-s', 'build', '--', '--out-dir', relative(ROOT, outDir)]);
  expect(build.code, build.output).toBe(0);

  const config = writeMinimalConfig(dir, {
    http: '{ host: 127.0.0.1, port: 0 }',
    mqtt: '{ embedded_host: 127.0.0.1, embedded_port: 0 }',
  });
  controller = spawn(
    process.execPath,
    ['--max-old-space-size=256', join(outDir, 'controller', 'main.js'), '--config', config],
    {
      cwd: ROOT,
      env: { ...process.env, TT_CONFIG: '', TT_ADMIN_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  controller.stdout!.on('data', (d) => (output += d));
  controller.stderr!.on('data', (d) => (output += d));
  await waitFor(
    () => /Console: (http:\/\/127\.0\.0\.1:\d+)\//.test(output) || controller!.exitCode !== null,
    'the compiled controller to start',
    60_000,
  );
  base = /Console: (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1] ?? '';
  expect(base, output).not.toBe('');
}, 600_000);

afterAll(() => {
  if (controller && controller.exitCode === null) controller.kill('SIGKILL');
  rmSync(outDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('the compiled controller (npm run build, node dist/controller/main.js)', () => {
  it('holds JavaScript and the run-time files, no TypeScript', () => {
    const built = files(join(outDir, 'controller'));
    expect(built).toContain('main.js');
    expect(built).toContain(join('console', 'index.html'));
    expect(built).toContain(join('publishing', 'assets', 'podcast-cover.png'));
    expect(built.filter((f) => f.endsWith('.ts'))).toEqual([]);
  });

  it('answers its health check with the broker link up', async () => {
    const res = await fetch(`${base}/api/system/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, mqtt_connected: true });
  });

  it('serves the console page and its scripts', async () => {
    const page = await fetch(`${base}/console/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>Truyền thanh thông minh</title>');
    const script = /<script[^>]+src="(\/console\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${base}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
  });

  it('knows its version and checks its whole store from the compiled files', async () => {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const status = await (await fetch(`${base}/api/system/status`, { headers: { cookie } })).json();
    expect(status.version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    const verified = await fetch(`${base}/api/coverage/verify`, { headers: { cookie } });
    expect(verified.status, await verified.clone().text()).toBe(200);
    expect((await verified.json()).ok).toBe(true);
  });

  it('is not built again by npm start when it is newer than the sources (a restart does not wait for tsc)', async () => {
    const again = await run('npm', ['run', '-s', 'build', '--', '--out-dir', relative(ROOT, outDir), '--if-stale']);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/not rebuilt/);
    expect(files(outDir)).toContain(join('controller', 'main.js'));
  });

  it('stops on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => controller!.once('exit', (code) => r(code)));
    controller!.kill('SIGTERM');
    expect(await exited, output).toBe(0);
  });
});
