/**
 * The bridge's configuration said to a technician (outsider): each problem with its YAML path and
 * line, what is wrong and how to fix it, in Vietnamese then English, exit code 2, never a ZodError
 * stack; `--help` prints the usage. And the RTP driver's multicast interface, for hosts with
 * several networks.
 */
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bridgeConfigSchema, loadBridgeConfig } from '../../../firmware-bridge/bridge/bridge-config.js';
import { BridgeConfigError, formatConfigError } from '../../../firmware-bridge/bridge/config-problems.js';
import { rtpUrl } from '../../../firmware-bridge/bridge/rtp-driver.js';
import { enrol, newSecret } from '../../../firmware-bridge/conformance/kit-enrolment.js';

const dir = mkdtempSync(join(tmpdir(), 'bridge-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function problemsOf(file: string): BridgeConfigError {
  try {
    loadBridgeConfig(file);
  } catch (err) {
    if (err instanceof BridgeConfigError) return err;
    throw err;
  }
  throw new Error('the config loaded');
}

/** A valid agent config, as the controller hands one out at enrolment. */
function agentConfig(name: string, receiverId: string): string {
  const sub = join(dir, name);
  const e = enrol({
    dir: mkdtempSync(`${sub}-`),
    receiverId,
    hamletId: 'thon-1',
    mqttUrl: 'mqtt://127.0.0.1:1883',
    secret: newSecret(),
    controllerPassword: newSecret(),
    stateDir: join(dir, 'state'),
    at: new Date(),
  });
  return e.file;
}

const BAD = `state_root: ${dir}/state
groups:
  - agent_config: a.json
    driver:
      kind: rtp
      codec: mp3
      destinations: ["239.192.10.1"]
      multicast_interface: eth1
  - driver:
      kind: rpt
`;

describe('bridge configuration errors', () => {
  it('name each problem by its YAML path and line, what is wrong and how to fix it', () => {
    const e = problemsOf(write('bad.yaml', BAD));
    expect(e.problems.map((p) => [p.path, p.line])).toEqual([
      ['groups[0].driver.codec', 6],
      ['groups[0].driver.destinations[0]', 7],
      ['groups[0].driver.multicast_interface', 8],
      ['groups[1].agent_config', 9],
      ['groups[1].driver.kind', 10],
    ]);
    const text = formatConfigError(e);
    expect(text).toContain('có 5 lỗi');
    expect(text).toContain('has 5 problem(s)');
    expect(text).toContain('✖ groups[0].driver.codec, dòng 6 / line 6');
    expect(text).toContain('Problem: this field must be one of: pcmu, pcma, opus.');
    expect(text).toContain('Lỗi: trường này phải là một trong: pcmu, pcma, opus.');
    expect(text).toContain('How to fix: write host:port, e.g. 239.192.10.1:5004');
    expect(text).toContain('Cách sửa: ghi dạng máy:cổng');
    expect(text).toContain('How to fix: write the IPv4 address of a network interface');
    expect(text).toContain('Problem: this field is missing. How to fix: add "agent_config" (a text)');
    expect(text).toContain('must be one of: rtp, http_stream, fm');
    // Vietnamese first, then English, for each problem.
    expect(text.indexOf('Lỗi: trường này phải là một trong: pcmu')).toBeLessThan(
      text.indexOf('Problem: this field must be one of: pcmu'),
    );
    expect(text).not.toMatch(/ZodError|\n\s+at /);
  });

  it('say where a YAML syntax error is', () => {
    const e = problemsOf(write('syntax.yaml', 'groups:\n  - agent_config: a.json\n   driver: [\n'));
    expect(e.problems[0].line).toBeGreaterThan(1);
    expect(formatConfigError(e)).toMatch(/Syntax error .*indentation/);
  });

  it('name a missing bridge file, a missing or invalid agent_config, and a receiver used twice', () => {
    expect(formatConfigError(problemsOf(join(dir, 'none.yaml')))).toMatch(
      /^Không đọc được tệp cấu hình cầu nối .*none\.yaml.*\nCannot read the bridge configuration/,
    );
    const one = agentConfig('one', 'rx-one');
    write('broken-agent.json', JSON.stringify({ receiver_id: 'rx-two' }));
    const e = problemsOf(
      write(
        'groups.yaml',
        [
          `state_root: ${dir}/state`,
          'groups:',
          `  - { agent_config: ${one}, driver: { kind: rtp, destinations: ["239.1.1.1:5004"] } }`,
          `  - { agent_config: ${one}, driver: { kind: rtp, destinations: ["239.1.1.2:5004"] } }`,
          '  - { agent_config: missing.json, driver: { kind: rtp, destinations: ["239.1.1.3:5004"] } }',
          '  - { agent_config: broken-agent.json, driver: { kind: rtp, destinations: ["239.1.1.4:5004"] } }',
        ].join('\n'),
      ),
    );
    const text = formatConfigError(e);
    expect(text).toContain('✖ groups[1].agent_config, dòng 4 / line 4');
    expect(text).toContain('Receiver rx-one is used by another group already');
    expect(text).toMatch(/Cannot read the agent_config file .*missing\.json .*ENOENT/);
    expect(text).toMatch(/The agent_config file .*broken-agent\.json is not valid at hamlet_id: it is missing/);
  });
});

describe('ports and packet times in the bridge file (outsider)', () => {
  it('name a port out of 1–65535 and a packet time the codec cannot fill, field by field, with the fix', () => {
    const e = problemsOf(
      write(
        'ranges.yaml',
        [
          'stream_server: { host: 127.0.0.1, port: 70000 }',
          'groups:',
          '  - agent_config: a.json',
          '    driver: { kind: rtp, codec: opus, packet_ms: 30, destinations: ["239.1.1.1:0", "239.1.1.2:99999", "239.1.1.3:5004"] }',
          '  - agent_config: b.json',
          '    driver: { kind: rtp, codec: pcmu, packet_ms: 25, destinations: ["239.1.1.4:5004"] }',
        ].join('\n'),
      ),
    );
    const at = (path: string) => e.problems.find((p) => p.path === path)?.what.en;
    expect(at('stream_server.port')).toBe(
      'Problem: this field must be 65535 or less. How to fix: write a port from 1 to 65535, e.g. 8000 (or 0: any free port, written in the log).',
    );
    expect(at('groups[0].driver.destinations[0]')).toMatch(/How to fix: write a port from 1 to 65535 after the ":"/);
    expect(at('groups[0].driver.destinations[1]')).toMatch(/How to fix: write a port from 1 to 65535 after the ":"/);
    expect(at('groups[0].driver.destinations[2]')).toBeUndefined();
    expect(at('groups[0].driver.packet_ms')).toMatch(
      /for the opus codec, choose a packet time \(ms\) of 10, 20, 40 or 60/,
    );
    expect(at('groups[1].driver.packet_ms')).toMatch(/for the pcmu and pcma codecs, .* 10, 20, 30, 40, 50 or 60/);
    expect(e.problems.find((p) => p.path === 'groups[0].driver.packet_ms')?.what.vi).toMatch(
      /^Lỗi: trường này .*Cách sửa: với codec opus, chọn thời lượng gói/,
    );
    expect(e.problems.find((p) => p.path === 'groups[1].driver.packet_ms')?.line).toBe(6);
  });

  it('accept each codec its own packet times', () => {
    const rtp = (codec: string, packet_ms: number) =>
      bridgeConfigSchema.safeParse({
        groups: [
          { agent_config: 'a.json', driver: { kind: 'rtp', codec, packet_ms, destinations: ['239.1.1.1:5004'] } },
        ],
      }).success;
    expect(rtp('pcma', 30)).toBe(true);
    expect(rtp('opus', 30)).toBe(false);
    expect(rtp('opus', 60)).toBe(true);
    expect(rtp('pcmu', 80)).toBe(false);
  });
});

describe('npm run bridge', () => {
  const bridge = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'firmware-bridge/bridge/main.ts', ...args], { encoding: 'utf8' });

  it('prints the problems of a bad config, without a stack trace, and exits with code 2', () => {
    const r = bridge('--config', write('cli.yaml', BAD));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('groups[0].driver.codec, dòng 6 / line 6');
    expect(r.stderr).not.toMatch(/ZodError|\n\s+at /);
  });

  it('says in words that the stream port is taken, with the port and how to fix it, and exits 1 without a stack trace', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const { port } = taken.address() as AddressInfo;
    try {
      const file = write(
        'port-taken.yaml',
        [
          `state_root: ${dir}/state`,
          `stream_server: { host: 127.0.0.1, port: ${port} }`,
          'groups:',
          `  - { agent_config: ${agentConfig('stream', 'rx-stream')}, driver: { kind: http_stream, mount: /thon-2.mp3 } }`,
        ].join('\n'),
      );
      // Asynchronous: the port's holder lives in this process and must keep answering.
      const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'firmware-bridge/bridge/main.ts', '--config', file]);
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (status) => resolve({ status, stderr }));
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`Cầu nối không mở được máy chủ luồng tại 127.0.0.1:${port}: cổng ${port} đang được`);
      expect(r.stderr).toContain(`port ${port} is in use by another program`);
      expect(r.stderr).toContain(`set stream_server.port in ${file} to a free port`);
      expect(r.stderr.indexOf('Cầu nối')).toBeLessThan(r.stderr.indexOf('The bridge cannot'));
      expect(r.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  }, 30_000);

  it('prints its usage for --help (exit 0) and for an unknown option (exit 2)', () => {
    const help = bridge('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('npm run bridge -- --config');
    expect(help.stdout).toContain('--help');
    expect(bridge('--bogus').status).toBe(2);
  });
});

describe('the RTP multicast interface', () => {
  const group = (driver: object) => ({ groups: [{ agent_config: 'a.json', driver }] });

  it('is an optional IPv4 address of the rtp driver', () => {
    const rtp = { kind: 'rtp', destinations: ['239.192.10.1:5004'] };
    expect(bridgeConfigSchema.safeParse(group({ ...rtp, multicast_interface: '192.168.10.5' })).success).toBe(true);
    expect(bridgeConfigSchema.safeParse(group({ ...rtp, multicast_interface: 'eth0' })).success).toBe(false);
    expect(bridgeConfigSchema.safeParse(group(rtp)).success).toBe(true);
  });

  it('makes ffmpeg send IPv4 multicast from that address (localaddr), and leaves unicast and IPv6 alone', () => {
    expect(rtpUrl('239.192.10.1:5004', 8, 172, '192.168.10.5')).toBe(
      'udp://239.192.10.1:5004?pkt_size=172&ttl=8&localaddr=192.168.10.5',
    );
    expect(rtpUrl('192.168.1.20:5004', 8, 172, '192.168.10.5')).toBe('rtp://192.168.1.20:5004?pkt_size=172');
    expect(rtpUrl('[ff05::1]:5004', 4, 172, '192.168.10.5')).toBe('rtp://[ff05::1]:5004?pkt_size=172&ttl=4');
    expect(rtpUrl('239.192.10.1:5004', 8, 172)).toBe('rtp://239.192.10.1:5004?pkt_size=172&ttl=8');
  });

  it('is honoured by the ffmpeg the project bundles: an address not on this host fails, one on it sends', () => {
    const send = (local: string) =>
      spawnSync(ffmpegInstaller.path, [
        ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=duration=0.2'],
        ...['-ac', '1', '-ar', '8000', '-c:a', 'pcm_mulaw', '-f', 'rtp', rtpUrl('239.192.10.1:5004', 1, 172, local)],
      ]);
    const elsewhere = send('192.0.2.1'); // TEST-NET-1: never a local address
    expect(elsewhere.status).not.toBe(0);
    expect(elsewhere.stderr.toString()).toMatch(/bind failed/);
    expect(send('127.0.0.1').status).toBe(0);
  });

  it('is shown in the example config', () => {
    const text = readFileSync('config/bridge.example.yaml', 'utf8');
    const line = text.split('\n').find((l) => l.includes('multicast_interface'))!;
    expect(line).toBeDefined();
    const uncommented = text.replace(line, line.replace('# ', ''));
    const config = bridgeConfigSchema.parse(parse(uncommented));
    expect(config.groups[0].driver).toMatchObject({ kind: 'rtp', multicast_interface: '192.168.10.5' });
  });
});
