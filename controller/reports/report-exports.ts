/**
 * A period report as files people open: XLSX (exceljs), PDF (pdfkit, with DejaVu Sans embedded so
 * Vietnamese diacritics print on any machine, and a bar chart of broadcasts by category) and CSV.
 * Column headings and labels are Vietnamese, from the message catalogue.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DateTime } from 'luxon';
import { toCsv } from '../http/csv.js';
import { t, type MessageKey } from '../i18n/messages.js';
import type { AsRunRow, PeriodReport } from './reports-service.js';

const FONT_DIR = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const category = (c: string) => (c === 'uncategorised' ? t('report_uncategorised', 'vi') : t(`category_${c}` as MessageKey, 'vi'));
const priority = (p: string) => t(`ui_priority_${p}` as MessageKey, 'vi');
const local = (iso: string | null, zone: string) => (iso ? DateTime.fromISO(iso, { zone }).toFormat('HH:mm dd/MM/yyyy') : '');

export const AS_RUN_COLUMNS = [
  'broadcast_id', 'occurrence_id', 'schedule', 'source', 'priority', 'drill', 'category', 'operator', 'confirmed_by', 'scheduled_start', 'issued_at',
  'hamlet_id', 'receiver_id', 'received_at', 'started_at', 'ended_at', 'outcome', 'reason',
] as const;

export function asRunCsv(rows: AsRunRow[]): string {
  return toCsv(AS_RUN_COLUMNS, rows as unknown as Record<string, unknown>[]);
}

// exceljs and pdfkit are loaded when a report is first exported: together about 45 MB of memory
// that a commune's small box would otherwise carry all day for a monthly report.
export async function reportXlsx(r: PeriodReport, asRun: AsRunRow[]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const zone = r.period.timezone;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'truyen-thanh-controller';
  wb.created = new Date(r.generated_at);
  const sheet = (name: string, columns: { header: string; key: string; width?: number }[], rows: object[]) => {
    const ws = wb.addWorksheet(name);
    ws.columns = columns.map((c) => ({ width: 18, ...c }));
    ws.getRow(1).font = { bold: true };
    for (const row of rows) ws.addRow(row);
    return ws;
  };
  sheet(t('report_sheet_summary', 'vi'), [{ header: t('report_item', 'vi'), key: 'k', width: 40 }, { header: t('report_value', 'vi'), key: 'v', width: 30 }], [
    { k: t('report_period', 'vi'), v: r.period.label },
    { k: t('report_broadcasts', 'vi'), v: r.totals.broadcasts },
    { k: t('report_minutes', 'vi'), v: r.totals.minutes },
    { k: t('report_drills', 'vi'), v: r.totals.drills },
    { k: t('report_receivers_finished', 'vi'), v: `${r.totals.receivers_finished}/${r.totals.receivers_targeted}` },
    { k: t('report_households_per_broadcast', 'vi'), v: `${r.totals.households_reached_per_broadcast}/${r.totals.households_total}` },
    { k: t('report_integrity', 'vi'), v: r.integrity.ok ? t('report_integrity_ok', 'vi', { count: r.integrity.acks_checked }) : t('report_integrity_broken', 'vi', { count: r.integrity.problems }) },
    { k: t('report_generated_at', 'vi'), v: local(r.generated_at, zone) },
  ]);
  sheet(t('report_sheet_categories', 'vi'), [{ header: t('ui_category', 'vi'), key: 'c', width: 40 }, { header: t('report_broadcasts', 'vi'), key: 'n' }, { header: t('report_minutes', 'vi'), key: 'm' }],
    Object.entries(r.by_category).map(([c, v]) => ({ c: category(c), n: v.broadcasts, m: v.minutes })));
  sheet(t('report_sheet_weeks', 'vi'), [{ header: t('report_week', 'vi'), key: 'w' }, { header: t('report_missing_categories', 'vi'), key: 'm', width: 60 }],
    r.weeks.map((w) => ({ w: w.week, m: w.missing.map(category).join(', ') || t('report_none_missing', 'vi') })));
  sheet(t('report_sheet_hamlets', 'vi'), [
    { header: t('ui_hamlet', 'vi'), key: 'name', width: 24 }, { header: t('ui_households', 'vi'), key: 'households' }, { header: t('report_broadcasts', 'vi'), key: 'broadcasts' },
    { header: t('ui_reached', 'vi'), key: 'reached' }, { header: t('report_share_played', 'vi'), key: 'share_played' },
  ], r.hamlets);
  sheet(t('report_sheet_receivers', 'vi'), [{ header: t('ui_receiver_id', 'vi'), key: 'receiver_id', width: 24 }, { header: t('ui_hamlet', 'vi'), key: 'hamlet_id' }, { header: t('report_uptime', 'vi'), key: 'uptime_pct' }], r.receivers);
  sheet(t('report_sheet_urgent', 'vi'), [
    { header: t('ui_when', 'vi'), key: 'at', width: 20 }, { header: t('ui_priority', 'vi'), key: 'priority' }, { header: t('report_hamlets_reached', 'vi'), key: 'hamlets' },
    { header: t('report_households_reached', 'vi'), key: 'households_reached' }, { header: t('report_receivers_finished', 'vi'), key: 'receivers' },
  ], r.urgent.map((u) => ({ at: local(u.at, zone), priority: priority(u.priority), hamlets: `${u.hamlets_reached}/${u.hamlets_targeted}`, households_reached: u.households_reached, receivers: `${u.receivers_finished}/${u.receivers_targeted}` })));
  sheet(t('report_sheet_as_run', 'vi'), AS_RUN_COLUMNS.map((c) => ({ header: c, key: c })), asRun);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function reportPdf(r: PeriodReport, commune: string): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const zone = r.period.timezone;
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: `${t('report_title', 'vi')} — ${r.period.label}`, Author: commune, Creator: 'truyen-thanh-controller' } });
  doc.registerFont('body', join(FONT_DIR, 'DejaVuSans.ttf'));
  doc.registerFont('bold', join(FONT_DIR, 'DejaVuSans-Bold.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const h = (text: string) => doc.moveDown(0.6).font('bold').fontSize(13).text(text).moveDown(0.2).font('body').fontSize(10);
  doc.font('bold').fontSize(18).text(t('report_title', 'vi'));
  doc.font('body').fontSize(11).text(`${commune} — ${r.period.label}`).text(t('report_generated_at_value', 'vi', { at: local(r.generated_at, zone) }));

  h(t('report_sheet_summary', 'vi'));
  doc.text(t('report_summary_line', 'vi', { broadcasts: r.totals.broadcasts, minutes: r.totals.minutes, drills: r.totals.drills }));
  doc.text(t('report_reach_line', 'vi', { finished: r.totals.receivers_finished, targeted: r.totals.receivers_targeted, households: r.totals.households_reached_per_broadcast, total: r.totals.households_total }));
  doc.text(r.integrity.ok ? t('report_integrity_ok', 'vi', { count: r.integrity.acks_checked }) : t('report_integrity_broken', 'vi', { count: r.integrity.problems }));

  // Broadcasts by category, as bars.
  h(t('report_sheet_categories', 'vi'));
  const entries = Object.entries(r.by_category).sort((a, b) => b[1].broadcasts - a[1].broadcasts);
  const max = Math.max(1, ...entries.map(([, v]) => v.broadcasts));
  for (const [c, v] of entries) {
    const y = doc.y;
    doc.fontSize(9).text(category(c), 48, y, { width: 190 });
    doc.rect(245, y + 1, (v.broadcasts / max) * 230, 9).fill('#0b5394').fillColor('black');
    doc.text(`${v.broadcasts} (${v.minutes} ${t('report_minutes_short', 'vi')})`, 480, y, { width: 80 });
    doc.y = Math.max(doc.y, y + 14);
  }
  doc.x = 48;

  h(t('report_sheet_weeks', 'vi'));
  for (const w of r.weeks) doc.text(`${t('report_week', 'vi')} ${w.week}: ${w.missing.length ? `${t('report_missing_categories', 'vi')}: ${w.missing.map(category).join(', ')}` : t('report_none_missing', 'vi')}`);

  h(t('report_sheet_hamlets', 'vi'));
  for (const x of r.hamlets) {
    doc.text(t('report_hamlet_line', 'vi', { name: x.name, households: x.households, reached: x.reached, broadcasts: x.broadcasts, share: x.share_played ?? '—' }));
  }

  h(t('report_sheet_urgent', 'vi'));
  if (r.urgent.length === 0) doc.text(t('report_no_urgent', 'vi'));
  for (const u of r.urgent) {
    doc.text(t('report_urgent_line', 'vi', { at: local(u.at, zone), priority: priority(u.priority), reached: u.hamlets_reached, targeted: u.hamlets_targeted, households: u.households_reached }));
  }

  h(t('report_sheet_receivers', 'vi'));
  for (const x of r.receivers) doc.text(`${x.name} (${x.receiver_id}): ${x.uptime_pct} %`);
  doc.end();
  return done;
}
