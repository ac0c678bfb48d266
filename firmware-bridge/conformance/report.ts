/**
 * The kit's report: every case with its result and evidence, in Vietnamese and in English, and the
 * overall verdict; as text to print or attach to an acceptance record (biên bản nghiệm thu), and
 * as JSON. Times are shown in Việt Nam's time zone (Asia/Ho_Chi_Minh) as well as in UTC. The
 * record says who ran which kit how, on what device, with which tolerances, what the kit does not
 * test, and (report-signature.ts) carries the kit's signature.
 */
import { DateTime } from 'luxon';
import { inBoth, t, type Lang, type MessageKey } from '../../controller/i18n/messages.js';
import type { AgentConfig } from '../../controller/protocol/agent-config.js';
import { PROTOCOL_VERSION } from '../../controller/protocol/topics.js';
import { VERSION } from '../../controller/version.js';
import type { KitController } from './kit-controller.js';
import type { Finding, KitTimings } from './kit-session.js';
import type { DeviceExit } from './device-process.js';
import type { ReportSignature } from './report-signature.js';
import type { RefusedConnection } from './kit-broker.js';
import { describeLoss, REFUSAL_WORDS, refusalParams, type DeviceLinkLoss } from './device-link.js';

export interface CaseOutcome {
  id: string;
  title: MessageKey;
  findings: Finding[];
  duration_ms: number;
}

/** How the device was brought to the kit (null: the kit was driven by a program, e.g. a test). */
export type KitMode = 'spawn' | 'spawn-agent' | 'wait';

export interface Tolerances extends KitTimings {
  case_limit_ms: number;
  connect_timeout_ms: number;
}

/** What the operator says the device is (`--device-make`, `--device-model`, `--device-firmware`). */
export interface DeclaredDevice {
  make: string | null;
  model: string | null;
  firmware: string | null;
}

export interface RunInfo {
  mode: KitMode | null;
  /** The command the kit started (`--spawn`, `--spawn-agent`). */
  command: string | null;
  operator: string | null;
  device: DeclaredDevice;
  tolerances: Tolerances;
}

type Both = { vi: string; en: string };

/** The device never connected: a mistake in the setup (address, password), not a verdict on the device. */
export interface SetupFailure {
  waited_ms: number;
  mqtt_url: string;
  refused: readonly RefusedConnection[];
}

export interface ConformanceReport {
  protocol_version: number;
  /** The project's version (package.json): which kit judged. */
  kit_version: string;
  mode: KitMode | null;
  device_command: string | null;
  operator: string | null;
  receiver_id: string;
  hamlet_id: string;
  device: DeclaredDevice;
  /** What the device announced in its status (`agent_version`) and telemetry (`firmware_version`). */
  agent_version: string | null;
  firmware_version: string | null;
  started_at: string;
  /** The same instant in Việt Nam (Asia/Ho_Chi_Minh). */
  started_at_local: string;
  finished_at: string;
  finished_at_local: string;
  tolerances: Tolerances;
  /**
   * `incomplete`: every case that ran passed, but not every case ran (`--only`, the device exited
   * or dropped off), or none could run because the device never connected (`setup_failure`).
   */
  verdict: 'pass' | 'fail' | 'incomplete';
  /** The cases of the kit that did not run: an acceptance record must not read as a full pass without them. */
  not_run: string[];
  cases: {
    id: string;
    passed: boolean;
    duration_ms: number;
    title: Both;
    findings: { ok: boolean; vi: string; en: string }[];
  }[];
  /** The device's process ended by itself during the run (`during`: the case; null: before it connected). */
  device_exit: (DeviceExit & { during: string | null; message: Both; hint: Both | null }) | null;
  /** The device left the broker unasked, or did not come back after a cut: the run ended there. */
  device_lost: (DeviceLinkLoss & { message: Both }) | null;
  /** The device never connected (the broker's refusals say why): nothing was tested. */
  setup_failure: {
    waited_s: number;
    mqtt_url: string;
    message: Both;
    refused: {
      client_id: string;
      username: string | null;
      reason: RefusedConnection['reason'];
      vi: string;
      en: string;
    }[];
  } | null;
  /** What an acceptance needs that this kit cannot judge. */
  not_tested: Both[];
  signature?: ReportSignature;
}

const ZONE = 'Asia/Ho_Chi_Minh';

/** Beyond the protocol: judged on site, by ear, over time, never by this kit. */
export const NOT_TESTED: readonly MessageKey[] = [
  'conf_not_tested_sound',
  'conf_not_tested_audio_quality',
  'conf_not_tested_amplifier',
  'conf_not_tested_audibility',
  'conf_not_tested_radio',
  'conf_not_tested_weather',
  'conf_not_tested_power',
  'conf_not_tested_long_run',
  'conf_not_tested_physical',
];

const local = (d: Date) => DateTime.fromJSDate(d).setZone(ZONE).toFormat('yyyy-MM-dd HH:mm:ss ZZ');

/** What the device's exit says, with a hint when the exit code is the shell's own. */
export function describeExit(exit: DeviceExit, during: string | null): { message: Both; hint: Both | null } {
  const how =
    exit.error !== null
      ? inBoth('conf_exit_error', { error: exit.error })
      : exit.signal !== null
        ? inBoth('conf_exit_signal', { signal: exit.signal })
        : inBoth('conf_exit_code', { code: String(exit.code) });
  const params = { how, seconds: (exit.after_ms / 1000).toFixed(1), command: exit.command };
  const message =
    during === null
      ? inBoth('conf_device_failed_to_start', params)
      : inBoth('conf_device_exited', { ...params, case: during });
  const hint = exit.code === 127 ? 'conf_exit_hint_127' : exit.code === 126 ? 'conf_exit_hint_126' : null;
  return { message, hint: hint ? inBoth(hint) : null };
}

export function buildReport(o: {
  config: AgentConfig;
  controller: KitController;
  startedAt: Date;
  finishedAt: Date;
  outcomes: CaseOutcome[];
  allCases: readonly string[];
  run: RunInfo;
  deviceExit?: { exit: DeviceExit; during: string | null };
  deviceLost?: DeviceLinkLoss;
  setupFailure?: SetupFailure;
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
  const allRan = o.allCases.every((id) => cases.some((c) => c.id === id));
  // A device that exited, dropped off or never got in has not failed a case by that alone: what did
  // not run to its end is not judged.
  const stoppedShort = o.deviceExit || o.deviceLost || o.setupFailure;
  const verdict =
    cases.some((c) => !c.passed) || (cases.length === 0 && !stoppedShort) ? 'fail' : allRan ? 'pass' : 'incomplete';
  return {
    protocol_version: PROTOCOL_VERSION,
    kit_version: VERSION,
    mode: o.run.mode,
    device_command: o.run.command,
    operator: o.run.operator,
    receiver_id: o.config.receiver_id,
    hamlet_id: o.config.hamlet_id,
    device: o.run.device,
    agent_version: online?.agent_version ?? null,
    firmware_version: o.controller.firmwareVersion ?? null,
    started_at: o.startedAt.toISOString(),
    started_at_local: local(o.startedAt),
    finished_at: o.finishedAt.toISOString(),
    finished_at_local: local(o.finishedAt),
    tolerances: o.run.tolerances,
    verdict,
    not_run: o.allCases.filter((id) => !cases.some((c) => c.id === id)),
    cases,
    device_exit: o.deviceExit
      ? { ...o.deviceExit.exit, during: o.deviceExit.during, ...describeExit(o.deviceExit.exit, o.deviceExit.during) }
      : null,
    device_lost: o.deviceLost ? { ...o.deviceLost, message: describeLoss(o.deviceLost) } : null,
    setup_failure: o.setupFailure ? setupFailure(o.setupFailure, o.config.receiver_id) : null,
    not_tested: NOT_TESTED.map((k) => inBoth(k)),
  };
}

function setupFailure(f: SetupFailure, receiverId: string): NonNullable<ConformanceReport['setup_failure']> {
  const seconds = Math.round(f.waited_ms / 1000);
  return {
    waited_s: seconds,
    mqtt_url: f.mqtt_url,
    message: inBoth('conf_never_connected', { seconds, mqtt: f.mqtt_url }),
    // A device retrying with the same mistake is said once per mistake.
    refused: [...new Map(f.refused.map((r) => [`${r.reason} ${r.clientId} ${r.username ?? ''}`, r])).values()]
      .slice(0, 5)
      .map((r) => ({
        client_id: r.clientId,
        username: r.username ?? null,
        reason: r.reason,
        ...inBoth(REFUSAL_WORDS[r.reason], refusalParams(r, receiverId)),
      })),
  };
}

/** The report as text: the Vietnamese part first, then the English one. */
export function renderReport(r: ConformanceReport): string {
  return [renderIn(r, 'vi'), renderIn(r, 'en')].join('\n\n');
}

function header(r: ConformanceReport, lang: Lang): string[] {
  const dash = (v: string | null) => v ?? '—';
  const mode = {
    spawn: t('conf_mode_spawn', lang, { command: dash(r.device_command) }),
    'spawn-agent': t('conf_mode_spawn_agent', lang),
    wait: t('conf_mode_wait', lang),
  };
  const tol = r.tolerances;
  const lines = [
    t('conf_report_title', lang),
    t('conf_report_device', lang, { receiver: r.receiver_id, hamlet: r.hamlet_id }),
    t('conf_report_declared', lang, {
      make: dash(r.device.make),
      model: dash(r.device.model),
      firmware: dash(r.device.firmware),
    }),
    t('conf_report_version', lang, { agent: dash(r.agent_version), firmware: dash(r.firmware_version) }),
  ];
  const reported = r.firmware_version ?? r.agent_version;
  if (r.device.firmware && reported && r.device.firmware !== reported)
    lines.push(t('conf_report_firmware_differs', lang, { declared: r.device.firmware, reported }));
  lines.push(
    t('conf_report_operator', lang, { operator: dash(r.operator) }),
    t('conf_report_kit', lang, { version: r.kit_version, mode: r.mode ? mode[r.mode] : t('conf_mode_library', lang) }),
    t('conf_report_time', lang, {
      local: r.started_at_local,
      utc: r.started_at,
      finished_local: r.finished_at_local,
      finished_utc: r.finished_at,
      zone: ZONE,
    }),
    t('conf_report_protocol', lang, { version: r.protocol_version }),
    t('conf_report_tolerances', lang, {
      play_at_tolerance_ms: tol.play_at_tolerance_ms,
      answer_ms: tol.answer_ms,
      quiet_ms: tol.quiet_ms,
      reconnect_ms: tol.reconnect_ms,
      case_limit_s: tol.case_limit_ms / 1000,
      connect_timeout_s: tol.connect_timeout_ms / 1000,
    }),
  );
  return lines;
}

/** The verdict's words: an incomplete run says why it stopped short. */
function verdictKey(r: ConformanceReport): MessageKey {
  if (r.verdict === 'incomplete') {
    if (r.device_exit) return r.cases.length ? 'conf_verdict_device_exited' : 'conf_verdict_device_never_ran';
    if (r.device_lost) return 'conf_verdict_device_lost';
    if (r.setup_failure) return 'conf_verdict_setup_failed';
  }
  return ({ pass: 'conf_verdict_pass', fail: 'conf_verdict_fail', incomplete: 'conf_verdict_incomplete' } as const)[
    r.verdict
  ];
}

/** How each line the device wrote is shown, set apart from the kit's own words. */
export const EXIT_OUTPUT_PREFIX = '   | ';

/** The device's exit, its hint and the last lines it wrote. */
export function renderExit(exit: NonNullable<ConformanceReport['device_exit']>, lang: Lang): string[] {
  const lines = [exit.message[lang]];
  if (exit.hint) lines.push(exit.hint[lang]);
  if (exit.output.length === 0) lines.push(t('conf_device_no_output', lang, { log: exit.log }));
  else
    lines.push(
      t('conf_device_output', lang, { log: exit.log }),
      ...exit.output.map((l) => `${EXIT_OUTPUT_PREFIX}${l}`),
    );
  return lines;
}

function renderIn(r: ConformanceReport, lang: Lang): string {
  const passed = r.cases.filter((c) => c.passed).length;
  const lines = [...header(r, lang), ''];
  for (const [i, c] of r.cases.entries()) {
    // The id once: some titles already end with it ("… (play_at)").
    const title = c.title[lang].endsWith(`(${c.id})`) ? c.title[lang] : `${c.title[lang]} (${c.id})`;
    lines.push(`${i + 1}. [${t(c.passed ? 'conf_result_pass' : 'conf_result_fail', lang)}] ${title}`);
    for (const f of c.findings) lines.push(`   ${f.ok ? '✓' : '✗'} ${f[lang]}`);
  }
  if (r.device_exit) lines.push(...(r.cases.length ? [''] : []), ...renderExit(r.device_exit, lang));
  if (r.device_lost) lines.push(...(r.cases.length ? [''] : []), r.device_lost.message[lang]);
  if (r.setup_failure)
    lines.push(r.setup_failure.message[lang], ...r.setup_failure.refused.map((f) => `   ✗ ${f[lang]}`));
  if (r.not_run.length)
    lines.push('', t('conf_not_run', lang, { cases: r.not_run.join(', '), count: r.not_run.length }));
  lines.push('', t('conf_not_tested_title', lang), ...r.not_tested.map((n) => `   - ${n[lang]}`));
  const verdict = verdictKey(r);
  lines.push('', t(verdict, lang, { passed, total: r.cases.length, not_run: r.not_run.length }));
  if (r.signature)
    lines.push(
      '',
      t('conf_report_signature', lang, { key_id: r.signature.key_id, public_key: r.signature.public_key }),
    );
  return lines.join('\n');
}
