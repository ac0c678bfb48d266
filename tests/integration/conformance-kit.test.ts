/**
 * The conformance kit (npm run conformance) against real receivers: it passes the project's own
 * agent, started as a receiver runs it; and it fails agents broken in one way each, naming the
 * case that caught them and saying why. Everything real: the kit's aedes broker, its HTTP media
 * server with ffmpeg-made audio, Ed25519 signatures, the agent's files on disk.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { describe, expect, it, vi } from 'vitest';
import { CASES, ConformanceKit } from '../../firmware-bridge/conformance/conformance-kit.js';
import { ownAgentCommand, spawnDevice, type DeviceProcess } from '../../firmware-bridge/conformance/device-process.js';
import { renderReport, type ConformanceReport } from '../../firmware-bridge/conformance/report.js';
import { AGENT_VERSION } from '../../firmware-bridge/agent/receiver-agent.js';
import { startBrokenAgent, type AgentFault } from '../helpers/broken-agents.js';

vi.mock('../../firmware-bridge/agent/command-checks.js', async (importOriginal) => {
  const { withBrokenChecks } = await import('../helpers/broken-checks.js');
  return withBrokenChecks(await importOriginal());
});

/** Runs the whole kit against the device `start` brings up from the enrolment file. */
async function runKit(
  name: string,
  start: (enrolmentFile: string, dir: string) => Promise<{ stop(): Promise<unknown> }>,
): Promise<ConformanceReport> {
  const dir = mkdtempSync(join(tmpdir(), `tt-conformance-${name}-`));
  const kit = new ConformanceKit({ dir, receiverId: `rx-${name}`, hamletId: 'thon-1', connectTimeoutMs: 60_000 });
  try {
    const { enrolmentFile } = await kit.start();
    const device = await start(enrolmentFile, dir);
    try {
      return await kit.run();
    } finally {
      await device.stop();
    }
  } finally {
    await kit.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const failedCases = (r: ConformanceReport) => r.cases.filter((c) => !c.passed).map((c) => c.id);
const failedFindings = (r: ConformanceReport, id: string) =>
  r.cases
    .find((c) => c.id === id)!
    .findings.filter((f) => !f.ok)
    .map((f) => f.en);

describe.concurrent('the conformance kit', () => {
  it("passes the project's own agent, started as a receiver runs it (--spawn-agent), on every case", async () => {
    const { report, progress } = await runWatched('own', ownAgentCommand());
    expect(failedCases(report), renderReport(report)).toEqual([]);
    // Stopped by the kit once the report is made: no exit to tell.
    expect(report.device_exit).toBeNull();
    expect(progress.join('\n')).not.toContain('THE DEVICE EXITED');
    expect(report.cases.map((c) => c.id)).toEqual(CASES.map((c) => c.id));
    expect(report.verdict).toBe('pass');
    expect(report.agent_version).toBe(AGENT_VERSION);
    expect(renderReport(report)).toContain('KẾT LUẬN: ĐẠT');
  }, 120_000);

  const broken: [AgentFault, string[], RegExp][] = [
    ['skip_signature', ['forged_signature', 'bit_flipped'], /was TAKEN instead of refused \(bad_signature\)/],
    ['accept_expired', ['expired'], /was TAKEN instead of refused \(expired\)/],
    ['ignore_stop', ['stop', 'stop_all', 'stop_in_backlog'], /played to the end \(expected "failed\/stopped"\)/],
    [
      'lose_acks',
      ['resend_acks', 'controller_restart', 'controller_session', 'link_loss'],
      /made while the link was down were LOST/,
    ],
    [
      'ignore_controller_restart',
      ['controller_restart', 'controller_session'],
      /were NOT sent again: it may have lost them/,
    ],
    ['ignore_controller_session', ['controller_session'], /were NOT sent again: what was sent before the controller/],
    ['start_in_backlog', ['stop_in_backlog'], /STARTED although its stop came right behind it/],
    ['overstate_resent', ['resend_acks'], /resend_acks answered wrongly: .*"resent":\d+.*awaiting receipt: \d+/],
  ];
  it.each(broken)(
    'fails an agent that has the fault %s, naming the cases it breaks',
    async (fault, cases, why) => {
      const report = await runKit(fault.replaceAll('_', '-'), async (file) => startBrokenAgent(file, fault));
      expect(report.verdict).toBe('fail');
      expect(failedCases(report), renderReport(report)).toEqual(cases);
      expect(cases.flatMap((id) => failedFindings(report, id)).join('\n')).toMatch(why);
      expect(renderReport(report)).toContain('KẾT LUẬN: KHÔNG ĐẠT');
    },
    120_000,
  );
});

/** A kit run against a device the kit started and watches, as `npm run conformance -- --spawn` runs it. */
async function runWatched(
  name: string,
  command: string | string[],
  onProgress: (line: string, device: DeviceProcess) => void = () => {},
): Promise<{ report: ConformanceReport; seconds: number; progress: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), `tt-conformance-${name}-`));
  const progress: string[] = [];
  let device: DeviceProcess | undefined;
  const kit = new ConformanceKit({
    dir,
    receiverId: `rx-${name}`,
    hamletId: 'thon-1',
    connectTimeoutMs: 60_000,
    mode: 'spawn',
    progress: (line) => {
      progress.push(line);
      onProgress(line, device!);
    },
  });
  try {
    const { enrolmentFile } = await kit.start();
    device = spawnDevice(command, enrolmentFile, join(dir, 'device.log'));
    const t0 = performance.now();
    try {
      const report = await kit.run(device);
      return { report, seconds: (performance.now() - t0) / 1000, progress };
    } finally {
      await device.stop();
    }
  } finally {
    await kit.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.concurrent('the conformance kit and a device that is not there', () => {
  it('ends at once when the device it started dies mid-run, naming the case, the signal and its last lines', async () => {
    const { report, seconds, progress } = await runWatched('dies', ownAgentCommand(), (line, device) => {
      if (line.includes('availability: ĐẠT')) process.kill(-device.pid!, 'SIGKILL');
    });
    expect(report.verdict, renderReport(report)).toBe('incomplete');
    expect(report.cases.map((c) => c.id)).toEqual(['availability']);
    expect(report.not_run).toEqual(CASES.map((c) => c.id).filter((id) => id !== 'availability'));
    expect(report.device_exit).toMatchObject({ signal: 'SIGKILL', during: 'valid_sequence' });
    expect(report.device_exit!.output.length).toBeGreaterThan(0);
    // Seconds, not the ten minutes of waiting for a dead device case after case.
    expect(seconds).toBeLessThan(20);
    expect(progress.join('\n')).toContain('THE DEVICE EXITED during the case valid_sequence: killed by signal SIGKILL');
    expect(renderReport(report)).toContain('KẾT LUẬN: CHƯA ĐỦ. Thiết bị đã dừng giữa chừng');
  }, 60_000);

  it('says that a command that cannot start failed to start, with its output, instead of blaming the broker', async () => {
    const { report, seconds } = await runWatched('no-command', 'no-such-vendor-simulator-xyz --config {config}');
    expect(seconds).toBeLessThan(10);
    expect(report.verdict).toBe('incomplete');
    expect(report.device_exit).toMatchObject({ code: 127, during: null });
    const text = renderReport(report);
    expect(text).toContain('THE DEVICE COMMAND FAILED TO START');
    expect(text).toMatch(/\| .*no-such-vendor-simulator-xyz: .*not found/);
    expect(text).not.toContain('check the broker address');
  }, 60_000);

  it('calls a device that never connected a setup failure (incomplete), naming a wrong password, and says it waits meanwhile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-conformance-password-'));
    const progress: string[] = [];
    const kit = new ConformanceKit({
      dir,
      receiverId: 'rx-password',
      hamletId: 'thon-1',
      connectTimeoutMs: 3000,
      waitNoticeMs: 1000,
      mode: 'wait',
      progress: (line) => progress.push(line),
    });
    try {
      const { mqttUrl } = await kit.start();
      for (const [clientId, password] of [
        ['rx-password', 'not-the-secret'],
        ['rx-someone-else', 'not-the-secret'],
      ])
        await mqtt.connectAsync(mqttUrl, { clientId, username: 'rx-password', password, reconnectPeriod: 0 }).then(
          (c) => c.endAsync(),
          () => undefined,
        );
      const report = await kit.run();
      // Not a verdict on the device: nothing was tested.
      expect(report.verdict).toBe('incomplete');
      expect(report.cases).toEqual([]);
      const refused = report.setup_failure!.refused.map((f) => f.en).join('\n');
      expect(refused).toMatch(
        /right client id and username but a WRONG PASSWORD: client id "rx-password", username "rx-password"/,
      );
      expect(refused).toMatch(/wrong identity .*: client id "rx-someone-else"/);
      const text = renderReport(report);
      expect(text).toContain(`did not connect to the broker ${mqttUrl} within 3 s`);
      expect(text).toContain('VERDICT: INCOMPLETE. Setup failed');
      expect(text).not.toContain('KHÔNG ĐẠT');
      // Said on the console while it waited, with the address and the refusals to fix.
      const notices = progress.filter((l) => l.startsWith('Đang chờ thiết bị kết nối…'));
      expect(notices.length).toBeGreaterThanOrEqual(2);
      expect(notices[0]).toContain(`(1 giây; máy chủ tin nhắn ${mqttUrl})`);
      expect(notices.at(-1)).toContain('The broker refused 2 connection attempts:');
      expect(notices.at(-1)).toContain('WRONG PASSWORD');
    } finally {
      await kit.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('fails availability for a device that connects but never announces itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-conformance-silent-'));
    const kit = new ConformanceKit({ dir, receiverId: 'rx-silent', hamletId: 'thon-1', connectTimeoutMs: 2000 });
    try {
      const { enrolmentFile, mqttUrl } = await kit.start();
      const { secret } = JSON.parse(readFileSync(enrolmentFile, 'utf8'));
      const client = await mqtt.connectAsync(mqttUrl, {
        clientId: 'rx-silent',
        username: 'rx-silent',
        password: secret,
        reconnectPeriod: 0,
      });
      const report = await kit.run();
      await client.endAsync();
      expect(report.verdict).toBe('fail');
      expect(report.setup_failure).toBeNull();
      expect(failedFindings(report, 'availability').join('\n')).toMatch(/connected to the broker but did not announce/);
    } finally {
      await kit.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('in --wait mode, ends at once when the device drops off the broker mid-run, instead of running every case against nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-conformance-wait-dies-'));
    const progress: string[] = [];
    let device: DeviceProcess | undefined;
    const kit = new ConformanceKit({
      dir,
      receiverId: 'rx-wait-dies',
      hamletId: 'thon-1',
      connectTimeoutMs: 60_000,
      mode: 'wait',
      progress: (line) => {
        progress.push(line);
        if (line.includes('availability: ĐẠT')) process.kill(-device!.pid!, 'SIGKILL');
      },
    });
    try {
      const { enrolmentFile } = await kit.start();
      // Started by someone else: the kit is not given the process, only its broker sees it go.
      device = spawnDevice(ownAgentCommand(), enrolmentFile, join(dir, 'device.log'));
      const t0 = performance.now();
      const report = await kit.run();
      expect((performance.now() - t0) / 1000).toBeLessThan(20);
      expect(report.verdict, renderReport(report)).toBe('incomplete');
      expect(report.cases.map((c) => c.id)).toEqual(['availability']);
      expect(report.not_run).toEqual(CASES.map((c) => c.id).filter((id) => id !== 'availability'));
      expect(report.device_lost).toMatchObject({ during: 'valid_sequence', after_cut: false });
      expect(report.device_exit).toBeNull();
      expect(progress.join('\n')).toContain('LOST THE DEVICE during the case valid_sequence');
      expect(renderReport(report)).toContain('KẾT LUẬN: CHƯA ĐỦ. Thiết bị mất kết nối giữa chừng');
    } finally {
      await device?.stop();
      await kit.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npm run conformance', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'firmware-bridge/conformance/main.ts', ...args], {
      encoding: 'utf8',
    });

  it('prints its usage for --help and exits 0', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Cách dùng: npm run conformance');
    expect(r.stdout).toContain('--verify-report');
  });

  it('checks a report file signature with --verify-report', async () => {
    const { report } = await runWatched('verify', 'exit 3');
    const dir = mkdtempSync(join(tmpdir(), 'tt-conformance-verify-'));
    try {
      const file = join(dir, 'bien-ban.json');
      writeFileSync(file, JSON.stringify(report, null, 2));
      const ok = cli('--verify-report', file);
      expect(ok.status, ok.stderr).toBe(0);
      expect(ok.stdout).toContain(`public key ${report.signature!.public_key}`);
      expect(ok.stdout).toMatch(
        /Kết luận trong báo cáo: (KHÔNG ĐẠT|CHƯA ĐỦ)/, // in words, not the code
      );
      // A file that is not there is not a tampered report: nothing was checked (exit 2).
      const missing = cli('--verify-report', join(dir, 'khong-co.json'));
      expect(missing.status).toBe(2);
      expect(missing.stderr).toContain('Không đọc được tệp báo cáo');
      expect(missing.stderr).not.toContain('KHÔNG HỢP LỆ');
      writeFileSync(file, JSON.stringify({ ...report, verdict: 'pass' }, null, 2));
      const bad = cli('--verify-report', file);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain('INVALID SIGNATURE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("names the project's own agent as the device in the record under --spawn-agent (it said null)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-conformance-own-record-'));
    try {
      const file = join(dir, 'bien-ban.json');
      const run = cli('--spawn-agent', '--only', 'availability', '--dir', dir, '--json', file);
      expect(run.status, run.stderr).toBe(1); // not a pass: only one case ran
      const report = JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport;
      expect(report.mode).toBe('spawn-agent');
      // The command as run, the enrolment file's path filled in.
      expect(report.device_command).toContain(`firmware-bridge/agent/main.ts --config ${join(dir, 'agent.json')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
