/**
 * The report as an acceptance record (outsider): it says which kit judged, how the device came,
 * when the run began and ended, who ran it, what the device is, the tolerances, what the kit does
 * not test; it is signed so a changed JSON file is caught; and a device that exited or never
 * started is said as such, never read as a fault of the broker or the secret, nor as a pass.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CASES } from '../../../firmware-bridge/conformance/conformance-kit.js';
import type { DeviceExit } from '../../../firmware-bridge/conformance/device-process.js';
import type { KitController } from '../../../firmware-bridge/conformance/kit-controller.js';
import { DEFAULT_TIMINGS } from '../../../firmware-bridge/conformance/kit-session.js';
import {
  buildReport,
  NOT_TESTED,
  renderReport,
  type CaseOutcome,
  type RunInfo,
} from '../../../firmware-bridge/conformance/report.js';
import { signReport, verifyReport } from '../../../firmware-bridge/conformance/report-signature.js';
import { CommandSigner } from '../../../controller/protocol/signing.js';

const controller = {
  statuses: [{ status: { state: 'online', agent_version: 'vendor-2.1.0' } }],
  firmwareVersion: 'fw-2.1.0',
} as unknown as KitController;
const config = { receiver_id: 'rx-kiem-tra', hamlet_id: 'thon-1' } as never;
const passed = (id: string): CaseOutcome => ({
  id,
  title: 'conf_case_stop',
  duration_ms: 1,
  findings: [{ ok: true, key: 'conf_case_stop', params: {} }],
});
const run: RunInfo = {
  mode: 'wait',
  command: null,
  operator: 'Nguyễn Thị Lan',
  device: { make: 'Acme', model: 'LA-40', firmware: 'fw-2.0.9' },
  tolerances: { ...DEFAULT_TIMINGS, play_at_tolerance_ms: 800, case_limit_ms: 90_000, connect_timeout_ms: 900_000 },
};
const exitOf = (o: Partial<DeviceExit>): DeviceExit => ({
  command: "vendor-sim '/tmp/agent.json'",
  log: '/tmp/device.log',
  code: null,
  signal: null,
  error: null,
  output: [],
  after_ms: 100,
  ...o,
});
const report = (ids: string[], deviceExit?: { exit: DeviceExit; during: string | null }) =>
  buildReport({
    config,
    controller,
    startedAt: new Date('2026-12-01T02:00:00Z'),
    finishedAt: new Date('2026-12-01T02:09:30Z'),
    outcomes: ids.map(passed),
    allCases: CASES.map((c) => c.id),
    run,
    deviceExit,
  });
const all = CASES.map((c) => c.id);

describe('the conformance report as a record', () => {
  it('names each case id once, also where the title already ends with it', () => {
    const r = buildReport({
      config,
      controller,
      startedAt: new Date('2026-12-01T02:00:00Z'),
      finishedAt: new Date('2026-12-01T02:09:30Z'),
      outcomes: [{ ...passed('play_at'), title: 'conf_case_play_at' }, passed('stop')],
      allCases: ['play_at', 'stop'],
      run,
    });
    const text = renderReport(r);
    expect(text).toContain('Phát đúng giờ hẹn (play_at)');
    expect(text).not.toMatch(/\((\w+)\) \(\1\)/);
  });

  it('names the kit, the mode, both times, the operator, the device and the tolerances, in both languages', () => {
    const r = report(all);
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
    expect(r).toMatchObject({
      kit_version: version,
      mode: 'wait',
      operator: 'Nguyễn Thị Lan',
      device: { make: 'Acme', model: 'LA-40', firmware: 'fw-2.0.9' },
      agent_version: 'vendor-2.1.0',
      firmware_version: 'fw-2.1.0',
      started_at: '2026-12-01T02:00:00.000Z',
      finished_at: '2026-12-01T02:09:30.000Z',
      finished_at_local: '2026-12-01 09:09:30 +07:00',
      tolerances: { play_at_tolerance_ms: 800, answer_ms: 5000, connect_timeout_ms: 900_000 },
    });
    const text = renderReport(r);
    const [vi, en] = [text.indexOf('Người kiểm tra: Nguyễn Thị Lan'), text.indexOf('Tested by: Nguyễn Thị Lan')];
    expect(vi).toBeGreaterThan(-1);
    expect(en).toBeGreaterThan(vi);
    for (const words of [
      `phiên bản ${version}`,
      `version ${version}`,
      'kỹ thuật viên nạp cấu hình',
      'a technician loaded the enrolment',
      'đến 2026-12-01 09:09:30 +07:00',
      'to 2026-12-01 09:09:30 +07:00',
      'hãng Acme; kiểu máy LA-40',
      'make Acme; model LA-40; firmware fw-2.0.9',
      'giờ hẹn ±800 ms',
      'play_at ±800 ms',
      // The operator's word and the device's own disagree: the record says so.
      'the firmware the operator declared (fw-2.0.9) differs from the one the device announced (fw-2.1.0)',
    ])
      expect(text).toContain(words);
  });

  it('lists what the kit does not test, in both languages', () => {
    const r = report(all);
    expect(r.not_tested).toHaveLength(NOT_TESTED.length);
    const text = renderReport(r);
    expect(text).toContain('Bộ kiểm tra KHÔNG kiểm tra');
    expect(text).toContain('What the kit does NOT test');
    for (const words of ['audio quality at the speaker', 'amplifier', 'outdoor audibility', 'radio range'])
      expect(text).toContain(words);
    expect(text).toMatch(/weatherproofing/);
    expect(text).toMatch(/long-run stability/);
  });

  it('is signed: the JSON file verifies, a changed one does not, and the public key is printed', () => {
    const { signer } = CommandSigner.generate();
    const signed = signReport(report(all), signer);
    const file = JSON.parse(JSON.stringify(signed, null, 2));
    expect(verifyReport(file)).toMatchObject({ ok: true, key_id: signer.keyId, verdict: 'pass' });
    expect(renderReport(signed)).toContain(`Public key: ${signed.signature!.public_key}`);
    expect(renderReport(signed)).toContain(`Khóa công khai: ${signed.signature!.public_key}`);

    expect(verifyReport({ ...file, verdict: 'fail' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyReport({ ...file, operator: 'someone else' })).toEqual({ ok: false, reason: 'mismatch' });
    // Re-signed by another key: valid, but not the key printed on the paper record.
    const other = CommandSigner.generate().signer;
    const forged = verifyReport(JSON.parse(JSON.stringify(signReport({ ...signed, verdict: 'pass' }, other))));
    expect(forged).toMatchObject({ ok: true, key_id: other.keyId });
    expect(forged).not.toMatchObject({ public_key: signed.signature!.public_key });
    // Another key named without signing with it.
    const swapped = {
      ...file,
      signature: { ...file.signature, public_key: signReport(file, other).signature!.public_key },
    };
    expect(verifyReport(swapped)).toEqual({ ok: false, reason: 'mismatch' });
    const { signature: _, ...unsigned } = file;
    expect(verifyReport(unsigned)).toEqual({ ok: false, reason: 'no_signature' });
  });
});

describe('a device that exits', () => {
  it('before connecting: the command failed to start, with its exit code and output; not a broker or secret problem', () => {
    const r = report([], {
      exit: exitOf({ code: 127, output: ['/bin/sh: 1: vendor-sim: not found'] }),
      during: null,
    });
    expect(r.verdict).toBe('incomplete');
    expect(r.not_run).toEqual(all);
    expect(r.device_exit).toMatchObject({ code: 127, during: null });
    const text = renderReport(r);
    expect(text).toContain('THE DEVICE COMMAND FAILED TO START');
    expect(text).toContain('LỆNH KHỞI ĐỘNG THIẾT BỊ KHÔNG CHẠY ĐƯỢC');
    expect(text).toContain('exit code 127');
    expect(text).toContain('Code 127: the command was not found');
    expect(text).toContain('| /bin/sh: 1: vendor-sim: not found');
    expect(text).toContain('VERDICT: INCOMPLETE. The device did not run');
    expect(text).not.toMatch(/broker address|wrong identity|secret/);
  });

  it('could not be run at all (spawn error): said with the error', () => {
    const text = renderReport(report([], { exit: exitOf({ error: 'spawn vendor-sim ENOENT' }), during: null }));
    expect(text).toContain('could not be run (spawn vendor-sim ENOENT)');
  });

  it('mid-run: names the case, the signal, its last lines; the rest is not run and the verdict is incomplete', () => {
    const r = report(['availability'], {
      exit: exitOf({ signal: 'SIGSEGV', output: ['panic: nil map'], after_ms: 12_300 }),
      during: 'valid_sequence',
    });
    expect(r.verdict).toBe('incomplete');
    expect(r.not_run).toEqual(all.filter((id) => id !== 'availability'));
    const text = renderReport(r);
    expect(text).toContain(
      'THE DEVICE EXITED during the case valid_sequence: killed by signal SIGSEGV, after running 12.3 s',
    );
    expect(text).toContain('THIẾT BỊ ĐÃ DỪNG trong lúc kiểm tra mục valid_sequence');
    expect(text).toContain('| panic: nil map');
    expect(text).toContain('VERDICT: INCOMPLETE. The device exited part-way');
    expect(text).not.toContain('VERDICT: PASS');
  });

  it('after a case failed: the verdict stays a fail', () => {
    const failed: CaseOutcome = {
      ...passed('availability'),
      findings: [{ ok: false, key: 'conf_no_acks', params: {} }],
    };
    const r = buildReport({
      config,
      controller,
      startedAt: new Date(),
      finishedAt: new Date(),
      outcomes: [failed],
      allCases: all,
      run,
      deviceExit: { exit: exitOf({ code: 1 }), during: 'valid_sequence' },
    });
    expect(r.verdict).toBe('fail');
  });
});
