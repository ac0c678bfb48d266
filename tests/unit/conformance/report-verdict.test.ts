/**
 * The kit's verdict is an acceptance record's: a run that skipped cases (`--only`, or a device that
 * stopped answering) must never read as a pass of the whole kit (outsider, issue 23).
 */
import { describe, expect, it } from 'vitest';
import { CASES } from '../../../firmware-bridge/conformance/conformance-kit.js';
import type { KitController } from '../../../firmware-bridge/conformance/kit-controller.js';
import {
  buildReport,
  renderReport,
  type CaseOutcome,
  type RunInfo,
} from '../../../firmware-bridge/conformance/report.js';
import { DEFAULT_TIMINGS } from '../../../firmware-bridge/conformance/kit-session.js';

const controller = { statuses: [], firmwareVersion: undefined } as unknown as KitController;
const config = { receiver_id: 'rx-kiem-tra', hamlet_id: 'thon-1' } as never;
const passed = (id: string): CaseOutcome => ({
  id,
  title: 'conf_case_stop',
  duration_ms: 1,
  findings: [{ ok: true, key: 'conf_case_stop', params: {} }],
});
const RUN: RunInfo = {
  mode: null,
  command: null,
  operator: null,
  device: { make: null, model: null, firmware: null },
  tolerances: { ...DEFAULT_TIMINGS, case_limit_ms: 90_000, connect_timeout_ms: 60_000 },
};
const report = (ids: string[], more: Partial<Parameters<typeof buildReport>[0]> = {}) =>
  buildReport({
    config,
    controller,
    startedAt: new Date('2026-12-01T14:00:00Z'),
    finishedAt: new Date('2026-12-01T14:05:00Z'),
    outcomes: ids.map(passed),
    allCases: CASES.map((c) => c.id),
    run: RUN,
    ...more,
  });

describe('the conformance verdict', () => {
  it('is a pass only when every case of the kit ran and passed', () => {
    expect(report(CASES.map((c) => c.id)).verdict).toBe('pass');
  });

  it('is incomplete, naming what did not run, when only some cases ran', () => {
    const r = report(['availability', 'stop']);
    expect(r.verdict).toBe('incomplete');
    expect(r.not_run).toHaveLength(CASES.length - 2);
    const text = renderReport(r);
    expect(text).toContain('KẾT LUẬN: CHƯA ĐỦ');
    expect(text).toContain('not an acceptance record');
    expect(text).not.toContain('VERDICT: PASS');
  });

  it('is incomplete, not a fail, when the device never connected: a setup mistake, named', () => {
    const r = report([], {
      setupFailure: {
        waited_ms: 900_000,
        mqtt_url: 'mqtt://192.168.1.5:1883',
        // A device retrying with the same wrong password: said once.
        refused: [1, 2, 3].map(() => ({
          clientId: 'rx-kiem-tra',
          username: 'rx-kiem-tra',
          reason: 'wrong_password' as const,
        })),
      },
    });
    expect(r.setup_failure!.refused).toHaveLength(1);
    expect(r.verdict).toBe('incomplete');
    expect(r.setup_failure).toMatchObject({ waited_s: 900, refused: [{ reason: 'wrong_password' }] });
    const text = renderReport(r);
    expect(text).toContain('did not connect to the broker mqtt://192.168.1.5:1883 within 900 s');
    expect(text).toContain('but a WRONG PASSWORD: client id "rx-kiem-tra"');
    expect(text).toContain('KẾT LUẬN: CHƯA ĐỦ. Khâu chuẩn bị chưa xong');
    expect(text).toContain('VERDICT: INCOMPLETE. Setup failed: the device never connected');
    expect(text).not.toMatch(/KHÔNG ĐẠT|FAIL\b/);
  });

  it('is incomplete when the device dropped off part-way, saying so and naming the case', () => {
    const r = report(['availability'], {
      deviceLost: { during: 'valid_sequence', after_cut: false, waited_ms: 1500 },
    });
    expect(r.verdict).toBe('incomplete');
    const text = renderReport(r);
    expect(text).toContain('LOST THE DEVICE during the case valid_sequence');
    expect(text).toContain('MẤT KẾT NỐI VỚI THIẾT BỊ trong lúc kiểm tra mục valid_sequence');
    expect(text).toContain('VERDICT: INCOMPLETE. The device dropped off part-way');
  });
});
