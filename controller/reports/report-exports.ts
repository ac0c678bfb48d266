/**
 * A period report as files: the XLSX workbook (exceljs) and the as-run log as CSV. Human-facing
 * files speak the reader's language (Vietnamese unless asked otherwise): headings and values in
 * words, names not ids, local times, figures stored as numbers (a spreadsheet shows the decimal
 * comma by its own locale). The machine-readable as-run export keeps its stable field names.
 */
import { toCsv } from '../http/csv.js';
import { actorName } from '../audit/audit-view.js';
import type { MessageKey } from '../i18n/messages.js';
import { integrityWords, reportWords, type Lang, type ReportWords } from './report-document.js';
import type { AsRunRow } from './as-run-log.js';
import type { Period } from './report-period.js';
import type { ReportedIntegrity } from './store-integrity.js';
import { NOT_REACHED_REASONS, type PeriodReport } from './period-report.js';

/** The machine-readable as-run columns: stable names, UTC instants, codes (format=csv_raw, JSON). */
export const AS_RUN_COLUMNS = [
  'broadcast_id',
  'occurrence_id',
  'schedule',
  'source',
  'priority',
  'drill',
  'category',
  'operator',
  'confirmed_by',
  'scheduled_start',
  'issued_at',
  'hamlet_id',
  'receiver_id',
  'received_at',
  'started_at',
  'ended_at',
  'outcome',
  'reason',
  'detail',
  'evidence',
  'stop_sent_at',
  'restarted_at',
  'silent_from',
] as const;

export function asRunCsvRaw(rows: AsRunRow[]): string {
  return toCsv(AS_RUN_COLUMNS, rows as unknown as Record<string, unknown>[]);
}

/**
 * A row's outcome and reason, in words. Stopped by a person or cut off by an emergency is no fault
 * of the receiver's: said as such, before or while it played (`ui_outcome_stopped_started`…), not
 * as "could not play" with a reason beside it.
 */
function outcomeCells(r: AsRunRow, w: ReportWords): [string, string] {
  const { say } = w;
  // Its own restart (a power cut) cut it off mid-play: said so, not "a player error"; when it then
  // played again and said more, that stands and the restart is said beside it (as the console does).
  const restart = r.restarted_at ? say('ui_cut_by_restart', { at: w.second(r.restarted_at) }) : '';
  if (r.outcome === 'failed' && r.reason === 'player_error' && r.cut_by_restart)
    return [say('ui_outcome_not_whole'), restart];
  // Stopped while it was dark, and taken on its return before it played again: not "while playing".
  if (r.outcome === 'failed' && r.reason === 'stopped' && r.cut_by_restart)
    return [say('ui_outcome_stopped_dark'), restart];
  const [outcome, reason] = outcomeAndReason(r, say);
  return [outcome, [reason, restart].filter(Boolean).join('; ')];
}

function outcomeAndReason(r: AsRunRow, say: ReportWords['say']): [string, string] {
  if (r.outcome === 'failed' && (r.reason === 'stopped' || r.reason === 'preempted')) {
    const cutOff = `${r.reason}_${r.started_at ? 'started' : 'unstarted'}`;
    return [say(`ui_outcome_${cutOff}` as MessageKey), ''];
  }
  const reason = r.stop_sent_at
    ? say('ui_stop_unconfirmed')
    : r.reason
      ? say(`ui_reason_${r.reason}` as MessageKey)
      : r.outcome === 'no_answer'
        ? say('asrun_no_answer_reason')
        : '';
  return [say(`ui_outcome_${r.outcome}` as MessageKey), reason];
}

/** The as-run log as people read it: words, names and local times. */
function asRunHuman(rows: AsRunRow[], lang: Lang, zone: string): { headers: string[]; rows: string[][] } {
  const w = reportWords(lang, zone);
  const { say } = w;
  const headers = [
    'asrun_scheduled',
    'asrun_issued',
    'asrun_title',
    'asrun_source',
    'asrun_schedule',
    'ui_priority',
    'asrun_drill',
    'ui_category',
    'asrun_operator',
    'asrun_confirmed_by',
    'ui_hamlet',
    'asrun_receiver',
    'asrun_received',
    'asrun_started',
    'asrun_ended',
    'asrun_outcome',
    'asrun_reason',
    'asrun_evidence',
    'asrun_detail',
  ].map((k) => say(k as MessageKey));
  return {
    headers,
    rows: rows.map((r) => [
      w.second(r.scheduled_start),
      w.second(r.issued_at),
      r.title ?? '',
      say(`ui_source_${r.source}` as MessageKey),
      r.schedule ?? '',
      w.priority(r.priority),
      say(r.drill ? 'asrun_yes' : 'asrun_no'),
      w.category(r.category),
      actorName(r.operator, r.operator_name, null, lang),
      r.confirmed_by ? actorName(r.confirmed_by, r.confirmed_by_name, null, lang) : '',
      r.hamlet,
      r.receiver,
      w.second(r.received_at),
      w.second(r.started_at),
      // Fell silent with the power (its restart cut it, nothing sounded after): then, not its return.
      w.second(r.silent_from ?? r.ended_at),
      ...outcomeCells(r, w),
      // Played on a loudspeaker, or only sent on (a bridge): never the same thing. Started and never
      // said finished (stopped, cut off, silent since): what it did say, not a blank (outsider 39b).
      r.evidence
        ? say(`asrun_evidence_${r.evidence}` as MessageKey)
        : r.started_at
          ? say('asrun_evidence_started')
          : '',
      // The receiver's own words, as it sent them (a bridge says there what it could confirm).
      r.detail ?? '',
    ]),
  };
}

/**
 * The as-run log for people: a title naming the commune and the period (files of different periods
 * must not look alike), a warning when the store was found altered (the log rests on it), then the table.
 */
export function asRunCsv(
  log: { period: Period; rows: AsRunRow[]; integrity: ReportedIntegrity },
  lang: Lang,
  commune: string,
): string {
  const { period, rows, integrity } = log;
  const w = reportWords(lang, period.timezone);
  const { headers, rows: cells } = asRunHuman(rows, lang, period.timezone);
  const preamble = [
    w.say('asrun_csv_title', { commune, period: lang === 'en' ? period.label_en : period.label }),
    ...(integrity.ok === false ? [w.say('doc_integrity_warning', { count: w.number(integrity.problems) })] : []),
  ];
  // toCsv starts with the byte-order mark Excel needs to read UTF-8 (Vietnamese letters intact).
  return toCsv(
    headers,
    cells.map((c) => Object.fromEntries(c.map((v, i) => [headers[i], v]))),
    preamble,
  );
}

// exceljs is loaded when a report is first exported: memory a small box would otherwise carry all day.
export async function reportXlsx(r: PeriodReport, asRun: AsRunRow[], lang: Lang, commune: string): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const zone = r.period.timezone;
  const w = reportWords(lang, zone);
  const { say } = w;
  const wb = new ExcelJS.Workbook();
  wb.creator = commune;
  wb.title = `${say('report_title')} — ${lang === 'en' ? r.period.label_en : r.period.label}`;
  wb.created = new Date(r.generated_at);
  const sheet = (
    name: string,
    columns: { header: string; key: string; width?: number; numFmt?: string }[],
    rows: object[],
  ) => {
    const ws = wb.addWorksheet(name);
    ws.columns = columns.map((c) => ({ width: 16, ...c, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
    ws.getRow(1).font = { bold: true };
    for (const row of rows) ws.addRow(row);
    return ws;
  };
  const one = '0.0';
  const integrity = integrityWords(r, lang, zone);
  sheet(
    say('report_sheet_summary'),
    [
      { header: say('report_item'), key: 'k', width: 52 },
      { header: say('report_value'), key: 'v', width: 30 },
    ],
    [
      // Altered records come first: every figure below rests on them.
      ...(r.integrity.ok === false
        ? [{ k: say('report_integrity'), v: say('doc_integrity_warning', { count: w.number(r.integrity.problems) }) }]
        : []),
      { k: say('report_period'), v: lang === 'en' ? r.period.label_en : r.period.label },
      { k: say('report_broadcasts'), v: r.totals.broadcasts },
      { k: say('report_not_aired'), v: r.totals.not_aired },
      { k: say('report_under_way'), v: r.totals.under_way },
      { k: say('report_stopped'), v: r.totals.stopped },
      { k: say('report_minutes_heard'), v: r.totals.minutes_heard },
      { k: say('report_minutes_sent_only'), v: r.totals.minutes_sent_only },
      { k: say('report_minutes'), v: r.totals.minutes },
      { k: say('report_drills'), v: r.totals.drills },
      { k: say('report_receivers_targeted'), v: r.totals.receivers_targeted },
      { k: say('report_receivers_finished'), v: r.totals.receivers_finished },
      { k: say('report_receivers_sent'), v: r.totals.receivers_sent },
      { k: say('report_households_per_broadcast'), v: r.totals.households_reached_per_broadcast },
      { k: say('report_households_total'), v: r.totals.households_total },
      { k: say('report_integrity'), v: integrity },
      { k: say('report_generated_at'), v: w.time(r.generated_at) },
    ],
  );
  sheet(
    say('report_sheet_categories'),
    [
      { header: say('ui_category'), key: 'c', width: 40 },
      { header: say('doc_col_broadcasts'), key: 'n' },
      { header: say('doc_col_minutes_heard'), key: 'm', numFmt: one },
      { header: say('doc_col_minutes_sent_only'), key: 's', numFmt: one },
    ],
    Object.entries(r.by_category).map(([c, v]) => ({
      c: w.category(c),
      n: v.broadcasts,
      m: v.minutes_heard,
      s: v.minutes_sent_only,
    })),
  );
  sheet(
    say('report_sheet_weeks'),
    [
      { header: say('report_week'), key: 'w' },
      { header: say('doc_col_status'), key: 's', width: 70 },
    ],
    r.weeks.map((x) => ({
      w: x.week,
      s: say(`doc_week_${x.status}` as MessageKey, { categories: x.missing.map(w.category).join(', ') }),
    })),
  );
  sheet(
    say('report_sheet_hamlets'),
    [
      { header: say('ui_hamlet'), key: 'name', width: 24 },
      { header: say('ui_households'), key: 'households' },
      { header: say('doc_col_receivers'), key: 'receivers' },
      { header: say('doc_col_addressed'), key: 'broadcasts' },
      { header: say('doc_col_heard'), key: 'reached' },
      ...NOT_REACHED_REASONS.map((k) => ({ header: say(`doc_reason_${k}`), key: k })),
      { header: say('report_share_played'), key: 'share_played', numFmt: one },
    ],
    r.hamlets.map((h) => ({ ...h, ...h.not_reached })),
  );
  sheet(
    say('report_sheet_receivers'),
    [
      { header: say('ui_hamlet'), key: 'hamlet', width: 20 },
      { header: say('asrun_receiver'), key: 'name', width: 32 },
      { header: say('report_uptime'), key: 'uptime', numFmt: one },
    ],
    r.receivers.map((x) => ({
      hamlet: x.hamlet,
      name: x.name,
      uptime: !x.enrolled ? say('doc_not_enrolled') : x.never_connected ? say('doc_never_connected') : x.uptime_pct,
    })),
  );
  sheet(
    say('report_sheet_urgent'),
    [
      { header: say('ui_when'), key: 'at', width: 20 },
      { header: say('ui_priority'), key: 'priority' },
      { header: say('report_hamlets_addressed'), key: 'targeted' },
      { header: say('report_hamlets_reached'), key: 'reached' },
      { header: say('report_households_reached'), key: 'households' },
      { header: say('report_receivers_targeted'), key: 'rx_targeted' },
      { header: say('report_receivers_finished'), key: 'rx_finished' },
      { header: say('report_receivers_sent'), key: 'rx_sent' },
      { header: say('doc_col_not_heard'), key: 'not_heard', width: 50 },
    ],
    r.urgent.map((u) => ({
      at: w.time(u.at),
      priority: w.priority(u.priority),
      targeted: u.hamlets_targeted,
      reached: u.hamlets_reached,
      households: u.households_reached,
      rx_targeted: u.receivers_targeted,
      rx_finished: u.receivers_finished,
      rx_sent: u.receivers_sent,
      not_heard: u.hamlets_not_reached
        .map((h) => `${h.name} (${say(`doc_reason_${h.reason}` as MessageKey)})`)
        .join('; '),
    })),
  );
  const log = asRunHuman(asRun, lang, zone);
  const ws = wb.addWorksheet(say('report_sheet_as_run'));
  ws.columns = log.headers.map((h) => ({ header: h, width: 18 }));
  ws.getRow(1).font = { bold: true };
  for (const row of log.rows) ws.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
