/**
 * What a technician sees when the host does not fit the configuration (outsider): a state
 * directory that cannot be made (its parent a file, or under /proc, where Node's own recursive
 * mkdir never returns) refuses the start in words with the path and the fix, promptly; an FM
 * group's key line not plugged in is a warning at start; its sound device missing is named in the
 * ack's detail; and the agent's own malformed config is said field by field, never a ZodError.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { fmDriverSchema } from '../../../firmware-bridge/bridge/bridge-config.js';
import { FmDriver } from '../../../firmware-bridge/bridge/fm-driver.js';
import { makeDirs } from '../../../firmware-bridge/agent/agent-store.js';
import { enrol, newSecret } from '../../../firmware-bridge/conformance/kit-enrolment.js';
import { makeTone } from '../../helpers/audio.js';

const dir = mkdtempSync(join(tmpdir(), 'bridge-setup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function agentConfig(receiverId: string): string {
  return enrol({
    dir: mkdtempSync(join(dir, `${receiverId}-`)),
    receiverId,
    hamletId: 'thon-1',
    mqttUrl: 'mqtt://127.0.0.1:1',
    secret: newSecret(),
    controllerPassword: newSecret(),
    stateDir: join(dir, 'state'),
    at: new Date(),
  }).file;
}

const run = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', timeout: 20_000 });

function bridgeFile(name: string, stateRoot: string, driver: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    [`state_root: ${stateRoot}`, 'groups:', `  - { agent_config: ${agentConfig('rx-1')}, driver: ${driver} }`].join(
      '\n',
    ),
  );
  return file;
}

const RTP = "{ kind: rtp, destinations: ['127.0.0.1:5004'] }";

describe('a state directory the bridge cannot use', () => {
  it('under a file: said in words with the path and the fix, exit 2, no stack trace', () => {
    writeFileSync(join(dir, 'a-file'), '');
    const file = bridgeFile('under-file.yaml', join(dir, 'a-file', 'state'), RTP);
    const r = run('firmware-bridge/bridge/main.ts', '--config', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`thư mục trạng thái ${join(dir, 'a-file', 'state', 'rx-1')}`);
    expect(r.stderr).toContain('part of the path is a file, not a directory');
    expect(r.stderr).toContain(`set state_root (or this group's state_dir) in ${file} to a writable directory`);
    expect(r.stderr.indexOf('Cầu nối')).toBeLessThan(r.stderr.indexOf('The bridge cannot'));
    expect(r.stderr).not.toMatch(/ENOTDIR|\n\s+at /);
  });

  it('under /proc: refused as promptly, where Node alone never returns', () => {
    const r = run('firmware-bridge/bridge/main.ts', '--config', bridgeFile('proc.yaml', '/proc/nope', RTP));
    expect(r.error).toBeUndefined(); // not killed by the timeout
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('/proc/nope/rx-1');
    expect(r.stderr).toContain('no directory can be made there');
    expect(() => makeDirs('/proc/nope/rx-1/outbox')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describe('an FM group', () => {
  const fm = (device: string) =>
    `{ kind: fm, output_format: alsa, output_device: '${device}', ptt: { kind: serial, path: /dev/ttyUSB7, key: K, unkey: U } }`;

  it('whose serial key line is not there: a warning in words at start, and the bridge runs on', async () => {
    const file = bridgeFile('fm.yaml', join(dir, 'state'), fm('plughw:9,0'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'firmware-bridge/bridge/main.ts', '--config', file]);
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    try {
      await expect.poll(() => stdout, { timeout: 20_000 }).toContain('bridge running');
      expect(stderr).toContain('Cảnh báo: cổng nối tiếp /dev/ttyUSB7');
      expect(stderr).toContain('Warning: the serial port /dev/ttyUSB7 that keys the FM transmitter of receiver rx-1');
      expect(stderr).toContain(`correct ptt.path in ${file}`);
      expect(stderr.indexOf('Cảnh báo')).toBeLessThan(stderr.indexOf('Warning'));
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
    }
  }, 30_000);

  it('whose sound device cannot be opened: the failure names the device, logged at warn', async () => {
    const gpio = join(dir, 'gpio-value');
    writeFileSync(gpio, '0');
    const logFile = join(dir, 'fm.log');
    const log = pino({ level: 'warn' }, pino.destination({ dest: logFile, sync: true }));
    const driver = new FmDriver(
      fmDriverSchema.parse({
        kind: 'fm',
        output_format: 'alsa',
        output_device: 'plughw:9,0',
        ptt: { kind: 'gpio', path: gpio },
        lead_ms: 0,
        tail_ms: 0,
      }),
      undefined,
      log.child({ receiver_id: 'rx-1' }),
    );
    const tone = makeTone(join(dir, 'tone.wav'), 1, 1);
    const played = driver.play(
      { file: tone, volume_pct: 80, duration_ms: 1000, broadcast_id: 'b-1' },
      new AbortController().signal,
    );
    await expect(played).rejects.toThrow(/^fm: the sound device plughw:9,0 \(alsa\) cannot be opened or played to: \S/);
    expect(readFileSync(gpio, 'utf8')).toBe('0'); // released after the failure
    const line = JSON.parse(readFileSync(logFile, 'utf8').trim().split('\n').pop()!);
    expect(line).toMatchObject({ level: 40, receiver_id: 'rx-1', device: 'plughw:9,0' });
  }, 30_000);
});

describe('npm run agent with a malformed config', () => {
  it('says which fields are wrong, in Vietnamese then English, and exits 2 without a stack trace', () => {
    const file = agentConfig('rx-agent');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...config, secret: 'short' }));
    const r = run('firmware-bridge/agent/main.ts', '--config', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`Tệp agent_config ${file} không hợp lệ ở secret`);
    expect(r.stderr).toContain(`The agent_config file ${file} is not valid at secret`);
    expect(r.stderr.indexOf('Tệp')).toBeLessThan(r.stderr.indexOf('The agent_config'));
    expect(r.stderr).not.toMatch(/ZodError|\n\s+at /);
  });

  it('names a file it cannot read', () => {
    const r = run('firmware-bridge/agent/main.ts', '--config', join(dir, 'none.json'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`Không đọc được tệp cấu hình cụm loa ${join(dir, 'none.json')}`);
    expect(r.stderr).toContain('Name the right file with --config');
  });

  it('answers an unknown option with its usage in words, not a stack trace', () => {
    const r = run('firmware-bridge/agent/main.ts', '--bogus');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Phần mềm cụm loa chạy trên thiết bị thu ở thôn');
    expect(r.stderr).toContain('--config FILE');
    expect(r.stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
  });
});
