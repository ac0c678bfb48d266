/**
 * One controller per data directory (controller/system/data-dir-lock.ts): the lock file names its
 * owner; a live controller keeps it, a dead process or another program's recycled number does not.
 * tests/integration/shutdown.test.ts runs the real controller twice on the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDataDir } from '../../../controller/system/data-dir-lock.js';
import { lockDir } from '../../../controller/shared/dir-lock.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tt-lock-unit-'));
  dirs.push(d);
  return d;
};
/** A process that looks like the controller in /proc (its command line names main.*), or not. */
const sleeper = (args: string[]) => {
  const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', ...args], { stdio: 'ignore' });
  children.push(c);
  return c.pid!;
};

describe('the data directory lock', () => {
  it('is taken with this process id and released only by its owner', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir);
    expect('release' in lock).toBe(true);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    if ('release' in lock) lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('is refused while a live controller holds it, naming that process', () => {
    const dir = freshDir();
    const pid = sleeper(['dist/controller/main.js']);
    writeFileSync(join(dir, LOCK_FILE), `${pid}\n`);
    expect(lockDataDir(dir)).toEqual({ heldBy: pid });
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(pid));
  });

  it('is taken over from a process that is gone, or from another program with a recycled number', async () => {
    const dir = freshDir();
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((r) => gone.once('exit', r));
    writeFileSync(join(dir, LOCK_FILE), `${gone.pid}\n`);
    expect('release' in lockDataDir(dir)).toBe(true);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));

    writeFileSync(join(dir, LOCK_FILE), `${sleeper(['something-else.js'])}\n`);
    expect('release' in lockDataDir(dir)).toBe(true);
    writeFileSync(join(dir, LOCK_FILE), 'not a number\n');
    expect('release' in lockDataDir(dir)).toBe(true);
  });

  it("is taken over from a number that is this process's own parent (a reboot gave it to the shell above us)", () => {
    // Under `npm run agent` the shell and tsx above the agent name its script too.
    const dir = freshDir();
    writeFileSync(join(dir, 'agent.pid'), `${process.ppid}\n`);
    expect('release' in lockDir(dir, 'agent.pid', '')).toBe(true);
    expect(readFileSync(join(dir, 'agent.pid'), 'utf8').trim()).toBe(String(process.pid));
  });
});
