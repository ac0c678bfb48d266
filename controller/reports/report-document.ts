/**
 * A period report as an administrative document (báo cáo, Decree 30/2020/NĐ-CP): the heading
 * (the body above the issuer, the issuer, the number; the national name and motto; place and
 * date), the title, the body as sections of lines and tables, the signer and the recipients.
 * One model, rendered by the PDF and the DOCX makers alike, from the same figures as the XLSX:
 * what the two documents say cannot drift apart.
 */
import { DateTime } from 'luxon';
import { t, type MessageKey, type MessageParams } from '../i18n/messages.js';
import { NOT_REACHED_REASONS, type PeriodReport } from './period-report.js';

export type Lang = 'vi' | 'en';

export interface DocumentSettings {
  parent_body: string;
  issuer: string;
  number_symbol: string;
  place: string;
  signer_title: string;
  signer_name: string;
  recipients: string[];
}

export interface Table {
  headers: string[];
  rows: string[][];
  /** Relative column widths. */
  widths: number[];
}

export interface Section {
  heading: string;
  lines: string[];
  table?: Table;
  /** Bars: a label and a value each (broadcasts by category). */
  chart?: { label: string; value: number; text: string }[];
}

export interface ReportDocument {
  lang: Lang;
  parentBody: string;
  issuer: string;
  number: string;
  nation: string;
  motto: string;
  placeDate: string;
  kind: string;
  subject: string;
  intro: string;
  /** Said in bold before the body when the records it rests on were found altered; else null. */
  warning: string | null;
  sections: Section[];
  signerTitle: string;
  signerName: string;
  recipientsLabel: string;
  recipients: string[];
  /** File metadata: title and author. */
  title: string;
}

/** The integrity check in words, with when it was made (reports reuse a check up to an hour old). */
export function integrityWords(r: PeriodReport, lang: Lang, zone: string): string {
  const w = reportWords(lang, zone);
  if (r.integrity.ok === null) return w.say('doc_integrity_unchecked');
  const at = w.time(r.integrity.checked_at);
  const since =
    r.integrity.acks_unchecked > 0
      ? ` ${w.say('doc_integrity_since', { count: w.number(r.integrity.acks_unchecked) })}`
      : '';
  return (
    (r.integrity.ok
      ? w.say('doc_integrity_ok_at', { count: w.number(r.integrity.acks_checked), at })
      : w.say('doc_integrity_broken_at', { count: w.number(r.integrity.problems), at })) + since
  );
}

export type ReportWords = ReturnType<typeof reportWords>;

/** Words for the report's values, in one language: categories, priorities, local times, numbers with a decimal comma. */
export function reportWords(lang: Lang, zone: string) {
  const say = (key: MessageKey, params: MessageParams = {}) => t(key, lang, params);
  const decimal = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 });
  return {
    say,
    number: (n: number | null) => (n === null ? '—' : decimal.format(n)),
    percent: (n: number | null) => (n === null ? '—' : `${decimal.format(n)}%`),
    category: (c: string | null) =>
      !c || c === 'uncategorised' ? say('report_uncategorised') : say(`category_${c}` as MessageKey),
    priority: (p: string) => say(`ui_priority_${p}` as MessageKey),
    time: (iso: string | null) => (iso ? DateTime.fromISO(iso, { zone }).toFormat('HH:mm dd/MM/yyyy') : ''),
    /** To the second: the as-run log's times, where how long something played is read from them. */
    second: (iso: string | null) => (iso ? DateTime.fromISO(iso, { zone }).toFormat('HH:mm:ss dd/MM/yyyy') : ''),
  };
}

export function reportDocument(
  r: PeriodReport,
  commune: string,
  settings: DocumentSettings,
  lang: Lang,
): ReportDocument {
  const zone = r.period.timezone;
  const w = reportWords(lang, zone);
  const { say } = w;
  const issuer = settings.issuer || say('doc_issuer_default', { commune }).toUpperCase();
  const made = DateTime.fromISO(r.generated_at, { zone });
  const period = lang === 'en' ? r.period.label_en : r.period.label;
  const n = w.number;
  const reasons = (x: PeriodReport['hamlets'][number]['not_reached']) => {
    const parts = NOT_REACHED_REASONS.filter((k) => x[k] > 0).map((k) => `${say(`doc_reason_${k}`)}: ${x[k]}`);
    return parts.length ? parts.join('; ') : say('doc_reasons_none');
  };

  const categories = Object.entries(r.by_category).sort((a, b) => b[1].broadcasts - a[1].broadcasts);
  const sections: Section[] = [
    {
      heading: say('doc_section_summary'),
      lines: [
        // Minutes heard only: minutes only sent (a bridge) are said apart, never as played or heard.
        say('doc_summary_aired', {
          broadcasts: n(r.totals.broadcasts),
          minutes_heard: n(r.totals.minutes_heard),
          not_aired: n(r.totals.not_aired),
          drills: n(r.totals.drills),
        }),
        ...(r.totals.minutes_sent_only
          ? [say('doc_summary_minutes_sent_only', { minutes: n(r.totals.minutes_sent_only) })]
          : []),
        ...(r.totals.stopped ? [say('doc_summary_stopped', { count: n(r.totals.stopped) })] : []),
        ...(r.totals.under_way ? [say('doc_summary_under_way', { count: n(r.totals.under_way) })] : []),
        say('doc_summary_reach', {
          finished: n(r.totals.receivers_finished),
          targeted: n(r.totals.receivers_targeted),
          households: n(r.totals.households_reached_per_broadcast),
          total: n(r.totals.households_total),
        }),
        // Only sent on (a bridge): said apart, and never in the households reached above.
        ...(r.totals.receivers_sent ? [say('doc_summary_sent', { sent: n(r.totals.receivers_sent) })] : []),
      ],
    },
    {
      heading: say('doc_section_categories'),
      lines: categories.length ? [] : [say('doc_no_broadcasts')],
      ...(categories.length
        ? {
            table: {
              headers: [
                say('ui_category'),
                say('doc_col_broadcasts'),
                say('doc_col_minutes_heard'),
                say('doc_col_minutes_sent_only'),
              ],
              widths: [3, 1, 1, 1],
              rows: categories.map(([c, v]) => [
                w.category(c),
                n(v.broadcasts),
                n(v.minutes_heard),
                n(v.minutes_sent_only),
              ]),
            },
          }
        : {}),
      chart: categories.map(([c, v]) => ({
        label: w.category(c),
        value: v.broadcasts,
        // The minutes heard: those only sent are in the table above, said as such.
        text: `${v.broadcasts} (${w.number(v.minutes_heard)} ${say('report_minutes_short')})`,
      })),
    },
    {
      heading: say('doc_section_hamlets'),
      lines: [],
      table: {
        headers: [
          say('ui_hamlet'),
          say('ui_households'),
          say('doc_col_receivers'),
          say('doc_col_addressed'),
          say('doc_col_heard'),
          say('doc_col_not_heard'),
          say('doc_col_share'),
        ],
        widths: [2.2, 1, 1, 1.1, 1, 2.4, 1.3],
        rows: r.hamlets.map((h) => [
          h.name,
          n(h.households),
          n(h.receivers),
          n(h.broadcasts),
          n(h.reached),
          reasons(h.not_reached),
          w.percent(h.share_played),
        ]),
      },
    },
    {
      heading: say('doc_section_urgent'),
      lines: r.urgent.length ? [] : [say('doc_no_urgent')],
      ...(r.urgent.length
        ? {
            table: {
              headers: [
                say('ui_when'),
                say('ui_priority'),
                say('doc_col_hamlets_heard'),
                say('doc_col_households_heard'),
                say('doc_col_not_heard'),
              ],
              widths: [1.6, 1.1, 1.3, 1, 3],
              rows: r.urgent.map((u) => [
                w.time(u.at),
                w.priority(u.priority),
                `${u.hamlets_reached}/${u.hamlets_targeted}`,
                n(u.households_reached),
                u.hamlets_not_reached
                  .map((h) => `${h.name} (${say(`doc_reason_${h.reason}` as MessageKey)})`)
                  .join('; ') || say('doc_reasons_none'),
              ]),
            },
          }
        : {}),
    },
    {
      heading: say('doc_section_weeks'),
      lines: [],
      table: {
        headers: [say('report_week'), say('doc_col_status')],
        widths: [1, 4],
        rows: r.weeks.map((x) => [
          x.week,
          say(`doc_week_${x.status}` as MessageKey, { categories: x.missing.map(w.category).join(', ') }),
        ]),
      },
    },
    {
      heading: say('doc_section_receivers'),
      lines: r.receivers.length ? [] : [say('doc_no_receivers')],
      ...(r.receivers.length
        ? {
            table: {
              headers: [say('ui_hamlet'), say('asrun_receiver'), say('doc_col_uptime')],
              widths: [2, 3, 1.2],
              rows: r.receivers.map((x) => [
                x.hamlet,
                x.name,
                !x.enrolled
                  ? say('doc_not_enrolled')
                  : x.never_connected
                    ? say('doc_never_connected')
                    : w.percent(x.uptime_pct),
              ]),
            },
          }
        : {}),
    },
    {
      heading: say('doc_section_integrity'),
      lines: [integrityWords(r, lang, zone)],
    },
  ];
  return {
    lang,
    parentBody: settings.parent_body.toUpperCase(),
    issuer: issuer.toUpperCase(),
    number: say('doc_number', { symbol: settings.number_symbol }),
    nation: say('doc_nation'),
    motto: say('doc_motto'),
    placeDate: say('doc_place_date', {
      place: settings.place || commune,
      day: made.toFormat('dd'),
      month: made.toFormat('MM'),
      year: made.year,
    }),
    kind: say('doc_kind'),
    subject: say('doc_subject', { period }),
    // In a sentence the issuer is written as a name ("UBND xã Xuân Hưng"), not in the heading's capitals.
    intro: say('doc_intro', {
      issuer: say('doc_issuer_default', { commune: commune.charAt(0).toLowerCase() + commune.slice(1) }),
      period,
    }),
    warning: r.integrity.ok === false ? say('doc_integrity_warning', { count: n(r.integrity.problems) }) : null,
    sections,
    signerTitle: settings.signer_title.toUpperCase().replace(/\\n/g, '\n'),
    signerName: settings.signer_name,
    recipientsLabel: say('doc_recipients'),
    recipients: settings.recipients.map((x, i, all) => `- ${x}${i === all.length - 1 ? '.' : ';'}`),
    title: `${say('doc_kind')} — ${say('doc_subject', { period })}`,
  };
}
