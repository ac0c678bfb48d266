/**
 * The agent run by hand as the README says (`npm run agent -- --config agent.json`), with no
 * service manager to start it again: a technician's remote restart must not leave the hamlet
 * without its speaker until someone comes (an outsider's finding: the process exited for good).
 * Under systemd (INVOCATION_ID set) it exits and lets the manager start it. Real processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
const children: ChildProcess[] = [];

beforeAll(async () => {
  tc = await startTestController();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await tc?.close();
});

async function runAgent(id: string, env: Record<string, string> = {}) {
  const config = { ...(await enrolReceiver(tc.url, tc.token, id, 'thon-1', id)) };
  const file = join(tc.dir, `${id}.json`);
  writeFileSync(
    file,
    JSON.stringify({ ...config, state_dir: join(tc.dir, `${id}-state`), player: { kind: 'silent', speed: 0.1 } }),
    { mode: 0o600 },
  );
  const { INVOCATION_ID: _, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'firmware-bridge/agent/main.ts', '--config', file], {
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await waitFor(async () => (await tc.api('GET', `/api/receivers/${id}`)).body.status === 'online', 'online', 30_000);
  return { child, output: () => output };
}

const restart = (id: string) => tc.api('POST', `/api/receivers/${id}/ops`, { op: 'restart', args: {} });

describe('a remote restart of an agent run by hand', () => {
  it('starts it again in the same process, says why, and the receiver answers again', async () => {
    const { child, output } = await runAgent('rx-hand');
    const before = (await tc.api('GET', '/api/receivers/rx-hand')).body.status_at;
    expect((await restart('rx-hand')).body).toMatchObject({ status: 'ok', data: { restarting: true } });
    await waitFor(() => output().includes('Khởi động lại cụm loa (không có trình quản lý dịch vụ'), 'the restart');
    // Online again in a new session (its status since a later instant than before the restart).
    await waitFor(async () => {
      const now = (await tc.api('GET', '/api/receivers/rx-hand')).body;
      return now.status === 'online' && now.status_at > before;
    }, 'back online');
    expect(child.exitCode).toBeNull();
    const clock = await tc.api('POST', '/api/receivers/rx-hand/ops', { op: 'sync_clock' });
    expect(clock.status).toBe(200);
    expect(clock.body.status).toBe('ok');
  }, 60_000);

  it('under a service manager it exits, for the manager to start it again', async () => {
    const { child } = await runAgent('rx-unit', { INVOCATION_ID: 'test' });
    expect((await restart('rx-unit')).body).toMatchObject({ status: 'ok' });
    await waitFor(() => child.exitCode !== null, 'the agent to exit');
    expect(child.exitCode).toBe(0);
  }, 60_000);
});
