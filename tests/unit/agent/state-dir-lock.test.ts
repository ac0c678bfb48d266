/**
 * One agent per receiver's state directory, one simulator per fleet's (controller/shared/dir-lock.ts):
 * a second process, run by hand beside the service or a second simulator on the same directory,
 * would take the first one's links and overwrite its state (an outsider ran two simulators on one
 * directory, 2026-12-05). It is refused in words, naming the process that holds the directory; a
 * lock left by a process that is gone is taken over.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeDirs } from '../../../firmware-bridge/agent/agent-store.js';
import { enrol, newSecret } from '../../../firmware-bridge/conformance/kit-enrolment.js';

const dir = mkdtempSync(join(tmpdir(), 'state-dir-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** A live process whose command line names `script`, as the holder of a lock would. */
const holder = (script: string) => {
  const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', script], { stdio: 'ignore' });
  children.push(c);
  return c.pid!;
};
const run = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, TT_TOKEN: 'not-needed-before-the-lock' },
  });

function agentConfig(stateDir: string): string {
  return enrol({
    dir: mkdtempSync(join(dir, 'rx-')),
    receiverId: 'rx-lock',
    hamletId: 'thon-1',
    mqttUrl: 'mqtt://127.0.0.1:1',
    secret: newSecret(),
    controllerPassword: newSecret(),
    stateDir,
    at: new Date(),
  }).file;
}

describe('a state directory held by a running process', () => {
  it('refuses a second agent on the same receiver, naming the process, exit 1', () => {
    const stateDir = join(dir, 'agent-state');
    makeDirs(stateDir);
    const pid = holder('firmware-bridge/agent/main.ts');
    writeFileSync(join(stateDir, 'agent.pid'), `${pid}\n`);
    const r = run('firmware-bridge/agent/main.ts', '--config', agentConfig(stateDir));
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      `một phần mềm cụm loa khác (tiến trình ${pid}) đang dùng thư mục trạng thái ${stateDir}`,
    );
    expect(r.stderr).toContain(`another receiver agent (process ${pid}) is using the state directory ${stateDir}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(stateDir, 'agent.pid'), 'utf8').trim()).toBe(String(pid));
  });

  it('refuses a second simulator on the same directory before enrolling anything, exit 1', () => {
    const stateDir = join(dir, 'sim-state');
    makeDirs(stateDir);
    const pid = holder('firmware-bridge/simulator/simulate.ts');
    writeFileSync(join(stateDir, 'simulator.pid'), `${pid}\n`);
    const r = run('firmware-bridge/simulator/simulate.ts', '--state-dir', stateDir, '--url', 'http://127.0.0.1:1');
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(`một trình mô phỏng khác (tiến trình ${pid}) đang dùng thư mục trạng thái ${stateDir}`);
    expect(r.stderr).toContain(
      'give this one --hamlets with hamlets the first one does not run and its own --state-dir',
    );
    expect(r.stderr).not.toMatch(/ECONNREFUSED/); // refused before reaching for the controller
  });

  it('takes over a lock whose process is gone: the agent starts, and its lock names it', async () => {
    const stateDir = join(dir, 'agent-stale');
    makeDirs(stateDir);
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((r) => gone.once('exit', r));
    writeFileSync(join(stateDir, 'agent.pid'), `${gone.pid}\n`);
    const agent = spawn(
      process.execPath,
      ['--import', 'tsx', 'firmware-bridge/agent/main.ts', '--config', agentConfig(stateDir)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(agent);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      agent.stdout!.on('data', (d) => {
        out += String(d);
        if (out.includes('Receiver rx-lock (hamlet thon-1) running')) resolve();
      });
      agent.once('exit', (code) => reject(new Error(`the agent exited (${code}): ${out}`)));
    });
    expect(readFileSync(join(stateDir, 'agent.pid'), 'utf8').trim()).toBe(String(agent.pid));
  }, 30_000);
});
