/**
 * The README's terminal tools against a real controller: `npm run enrol` writes a receiver's
 * agent config (mode 0600) only when enrolment succeeded and otherwise says why and leaves no
 * file; `npm run enrol` and `npm run simulate` find the controller through the same config file
 * the controller reads, and say in one line (no stack trace) when it is not there (issue 21).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentConfigSchema } from '../../controller/protocol/agent-config.js';
import { startTestController, testHamlets, type TestController } from '../helpers/test-controller.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool as the README does (tsx), until it exits or prints `until` (then stops it). */
function runTool(script: string, args: string[], env: Record<string, string>, until?: RegExp): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...process.env, TT_TOKEN: '', TT_CONFIG: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      if (until?.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const enrol = (args: string[], env: Record<string, string>) => runTool('controller/cli/enrol.ts', args, env);

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** A config file as an installer writes it, naming where the controller's HTTP listens. */
function configFor(dir: string, port: number): string {
  const file = join(dir, `commune-${port}.yaml`);
  writeFileSync(
    file,
    `commune: { id: thu-nghiem, name: Xã Thử Nghiệm }\nhttp: { host: 0.0.0.0, port: ${port} }\nhamlets:\n${testHamlets.map((h) => `  - { id: ${h.id}, name: ${h.name} }`).join('\n')}\n`,
  );
  return file;
}

describe('enrolment and the simulator from a terminal', () => {
  let tc: TestController;
  let dir: string;
  let config: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    tc = await startTestController();
    dir = mkdtempSync(join(tmpdir(), 'tt-enrol-'));
    config = configFor(dir, Number(new URL(tc.url).port));
    env = { TT_TOKEN: tc.token };
  });
  afterAll(async () => {
    await tc?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the agent config, readable by its owner only, when enrolment succeeds; the address from the config file', async () => {
    const out = join(dir, 'rx-cho.json');
    const run = await enrol(['--id', 'rx-cho', '--hamlet', 'thon-3', '--name', 'Cụm loa chợ thôn Nam', '--out', out], {
      ...env,
      TT_CONFIG: config,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Đã cấp cụm loa rx-cho (Thôn Nam)'); // the hamlet by its name, not its id
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const written = agentConfigSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(written.receiver_id).toBe('rx-cho');
    expect((await tc.api('GET', '/api/receivers/rx-cho')).body.enrolled).toBe(true);
  });

  it('says what the controller refused and leaves no file behind', async () => {
    const out = join(dir, 'rx-nowhere.json');
    const run = await enrol(
      ['--id', 'rx-nowhere', '--hamlet', 'thon-99', '--name', 'Không có thôn', '--out', out, '--config', config],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Bộ điều khiển từ chối (HTTP');
    expect(run.stderr).toContain('The controller refused (HTTP');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir).filter((f) => f.includes('rx-nowhere'))).toEqual([]);
  });

  it('refuses a taken id with how to enrol that receiver again, and --existing does it', async () => {
    const out = join(dir, 'rx-cho-again.json');
    const taken = await enrol(
      ['--id', 'rx-cho', '--hamlet', 'thon-3', '--name', 'Trùng mã', '--out', out, '--config', config],
      env,
    );
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('HTTP 409');
    expect(taken.stderr).toContain('--existing');
    expect(readdirSync(dir).filter((f) => f.includes('rx-cho-again'))).toEqual([]);

    const again = await enrol(['--id', 'rx-cho', '--existing', '--out', out, '--config', config], env);
    expect(again.code, again.stderr).toBe(0);
    const first = JSON.parse(readFileSync(join(dir, 'rx-cho.json'), 'utf8'));
    const second = JSON.parse(readFileSync(out, 'utf8'));
    expect(second.receiver_id).toBe('rx-cho');
    expect(second.secret).not.toBe(first.secret);
  });

  it('never overwrites an existing file unless told to, and enrols nothing then', async () => {
    const out = join(dir, 'kept.json');
    writeFileSync(out, "someone else's config");
    const run = await enrol(
      ['--id', 'rx-kept', '--hamlet', 'thon-1', '--name', 'Giữ tệp', '--out', out, '--config', config],
      env,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--force');
    expect(readFileSync(out, 'utf8')).toBe("someone else's config");
    expect((await tc.api('GET', '/api/receivers/rx-kept')).status).toBe(404);
  });

  it('says in one line per language that the controller cannot be reached, naming the address and the config', async () => {
    const port = await closedPort();
    const unreachable = configFor(dir, port);
    const out = join(dir, 'rx-away.json');
    const run = await enrol(['--id', 'rx-away', '--hamlet', 'thon-1', '--name', 'Xa', '--out', out], {
      ...env,
      TT_CONFIG: unreachable,
    });
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`Không kết nối được bộ điều khiển tại http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(lines[1]).toContain(`Cannot reach the controller at http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(lines[1]).toContain(unreachable);
    expect(readdirSync(dir).filter((f) => f.includes('rx-away'))).toEqual([]);

    const sim = await runTool('firmware-bridge/simulator/simulate.ts', ['--count', '1', '--memory'], {
      ...env,
      TT_CONFIG: unreachable,
    });
    expect(sim.code).toBe(1);
    expect(sim.stderr.trim().split('\n')).toEqual(lines);
  });

  it('runs the simulator against the controller the config file names', async () => {
    const sim = await runTool(
      'firmware-bridge/simulator/simulate.ts',
      ['--hamlets', 'thon-2', '--count', '1', '--memory'],
      { ...env, TT_CONFIG: config },
      /simulated receivers connected/,
    );
    expect(sim.stdout, sim.stderr).toContain('1 cụm loa mô phỏng đã kết nối / simulated receivers connected (thon-2)');
    expect((await tc.api('GET', '/api/receivers/sim-thon-2-001')).body.enrolled).toBe(true);
  });

  it('names the hamlets the controller does not know before enrolling anything', async () => {
    const sim = await runTool(
      'firmware-bridge/simulator/simulate.ts',
      ['--hamlets', 'thon-2,thon-9', '--count', '1', '--memory'],
      { ...env, TT_CONFIG: config },
    );
    expect(sim.code).toBe(2);
    expect(sim.stderr).toContain('Không có thôn: thon-9');
  });
});
