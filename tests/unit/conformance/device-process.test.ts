/**
 * The device's process as the kit watches it (outsider): when it ends by itself, `exited` says how
 * (exit code, signal, or that it could not be run) with the last lines it wrote in this run only.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logTail, spawnDevice } from '../../../firmware-bridge/conformance/device-process.js';

const dir = mkdtempSync(join(tmpdir(), 'device-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = join(dir, 'agent.json');

describe('the device process', () => {
  it('reports its exit code and its last lines, not those of an earlier run', async () => {
    const log = join(dir, 'exit.log');
    writeFileSync(log, 'from an earlier run\n');
    const device = spawnDevice('echo starting; echo config {config}; echo broken >&2; exit 3 #', config, log);
    const exit = await device.exited;
    expect(exit).toMatchObject({ code: 3, signal: null, error: null, log });
    expect(exit.output).toEqual(['starting', `config ${config}`, 'broken']);
    expect(exit.command).toContain(config);
  });

  it("says that a shell command was not found (exit code 127), with the shell's words", async () => {
    const exit = await spawnDevice('no-such-vendor-simulator-xyz', config, join(dir, 'missing.log')).exited;
    expect(exit.code).toBe(127);
    expect(exit.output.join('\n')).toMatch(/not found/);
  });

  it('says that a program given as arguments could not be run at all', async () => {
    const exit = await spawnDevice(['/no/such/program', '{config}'], config, join(dir, 'enoent.log')).exited;
    expect(exit.error).toMatch(/ENOENT/);
  });

  it('reports a signal when it is killed, and stop() on a dead device is harmless', async () => {
    const device = spawnDevice(['sleep', '30'], config, join(dir, 'killed.log'));
    process.kill(-device.pid!, 'SIGKILL');
    expect(await device.exited).toMatchObject({ code: null, signal: 'SIGKILL' });
    await device.stop();
  });

  it('keeps the last lines, each cut to a readable length', () => {
    const log = join(dir, 'long.log');
    writeFileSync(log, `${Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n')}\n${'x'.repeat(1000)}\n`);
    const tail = logTail(log, 0);
    expect(tail).toHaveLength(15);
    expect(tail[0]).toBe('line 26');
    expect(tail.at(-1)!.length).toBeLessThan(310);
  });
});
