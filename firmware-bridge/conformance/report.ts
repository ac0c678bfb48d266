/**
 * The kit's report: every case with its result and evidence, in Vietnamese and in English, and the
 * overall verdict; as text to print or attach to an acceptance record (biên bản nghiệm thu), and
 * as JSON. Times are shown in Việt Nam's time zone (Asia/Ho_Chi_Minh) as well as in UTC.
 */
import { DateTime } from 'luxon';
import { inBoth, t, type Lang, type MessageKey } from '../../controller/i18n/messages.js';
import type { AgentConfig } from '../../controller/protocol/agent-config.js';
import { PROTOCOL_VERSION } from '../../controller/protocol/topics.js';
import type { KitController } from './kit-controller.js';
import type { Finding } from './kit-session.js';

export interface CaseOutcome {
  id: string;
  title: MessageKey;
  findings: Finding[];
  duration_ms: number;
}

export interface ConformanceReport {
  protocol_version: number;
  receiver_id: string;
  hamlet_id: string;
  /** What the device announced in its status (`agent_version`) and telemetry (`firmware_version`). */
  agent_version: string | null;
  firmware_version: string | null;
  started_at: string;
  /** The same instant in Việt Nam (Asia/Ho_Chi_Minh). */
  started_at_local: string;
  /** `incomplete`: every case that ran passed, but not every case ran (`--only`, or the run ended early). */
  verdict: 'pass' | 'fail' | 'incomplete';
  /** The cases of the kit that did not run: an acceptance record must not read as a full pass without them. */
  not_run: string[];
  cases: {
    id: string;
    passed: boolean;
    duration_ms: number;
    title: { vi: string; en: string };
    findings: { ok: boolean; vi: string; en: string }[];
  }[];
}

const ZONE = 'Asia/Ho_Chi_Minh';

export function buildReport(o: {
  config: AgentConfig;
  controller: KitController;
  startedAt: Date;
  outcomes: CaseOutcome[];
  allCases: readonly string[];
}): ConformanceReport {
  const online = o.controller.statuses.find((s) => s.status.state === 'online')?.status;
  const both = (key: MessageKey, params: Finding['params'] = {}) => inBoth(key, params);
  const cases = o.outcomes.map((c) => ({
    id: c.id,
    passed: c.findings.length > 0 && c.findings.every((f) => f.ok),
    duration_ms: c.duration_ms,
    title: both(c.title),
    findings: c.findings.map((f) => ({ ok: f.ok, ...both(f.key, f.params) })),
  }));
  return {
    protocol_version: PROTOCOL_VERSION,
    receiver_id: o.config.receiver_id,
    hamlet_id: o.config.hamlet_id,
    agent_version: online?.agent_version ?? null,
    firmware_version: o.controller.firmwareVersion ?? null,
    started_at: o.startedAt.toISOString(),
    started_at_local: DateTime.fromJSDate(o.startedAt).setZone(ZONE).toFormat('yyyy-MM-dd HH:mm:ss ZZ'),
    verdict:
      cases.length === 0 || !cases.every((c) => c.passed)
        ? 'fail'
        : o.allCases.every((id) => cases.some((c) => c.id === id))
          ? 'pass'
          : 'incomplete',
    not_run: o.allCases.filter((id) => !cases.some((c) => c.id === id)),
    cases,
  };
}

/** The report as text: the Vietnamese part first, then the English one. */
export function renderReport(r: ConformanceReport): string {
  return [renderIn(r, 'vi'), renderIn(r, 'en')].join('\n\n');
}

function renderIn(r: ConformanceReport, lang: Lang): string {
  const passed = r.cases.filter((c) => c.passed).length;
  const lines = [
    t('conf_report_title', lang),
    t('conf_report_device', lang, { receiver: r.receiver_id, hamlet: r.hamlet_id }),
    t('conf_report_version', lang, { agent: r.agent_version ?? '—', firmware: r.firmware_version ?? '—' }),
    t('conf_report_time', lang, { local: r.started_at_local, utc: r.started_at, zone: ZONE }),
    t('conf_report_protocol', lang, { version: r.protocol_version }),
    '',
  ];
  for (const [i, c] of r.cases.entries()) {
    lines.push(`${i + 1}. [${t(c.passed ? 'conf_result_pass' : 'conf_result_fail', lang)}] ${c.title[lang]} (${c.id})`);
    for (const f of c.findings) lines.push(`   ${f.ok ? '✓' : '✗'} ${f[lang]}`);
  }
  if (r.not_run.length)
    lines.push('', t('conf_not_run', lang, { cases: r.not_run.join(', '), count: r.not_run.length }));
  const verdict = {
    pass: 'conf_verdict_pass',
    fail: 'conf_verdict_fail',
    incomplete: 'conf_verdict_incomplete',
  } as const;
  lines.push('', t(verdict[r.verdict], lang, { passed, total: r.cases.length }));
  return lines.join('\n');
}
