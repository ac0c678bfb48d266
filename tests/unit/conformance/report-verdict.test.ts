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
const report = (ids: string[]) =>
  buildReport({
    config,
    controller,
    startedAt: new Date('2026-12-01T14:00:00Z'),
    finishedAt: new Date('2026-12-01T14:05:00Z'),
    outcomes: ids.map(passed),
    allCases: CASES.map((c) => c.id),
    run: RUN,
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
});
