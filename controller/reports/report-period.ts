/**
 * Report periods (week, month, quarter, year or any range) in the commune's zone: their instants,
 * the labels reports print them by, and the slugs their files are named by.
 */
import { DateTime } from 'luxon';

export const PERIOD_KINDS = ['week', 'month', 'quarter', 'year', 'range'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface Period {
  kind: PeriodKind;
  from: string;
  to: string;
  timezone: string;
  /** "Tháng 11/2026", "Tuần 48/2026", … */
  label: string;
  label_en: string;
  /** Its files' names: "thang-11-2026", "tuan-48-2026", "nam-2026", "2026-11-01-den-2026-11-07". */
  slug: string;
}

/**
 * A period in the commune's zone: its instants (UTC), its label and the slug its files are named
 * by ("thang-12-2026"), both from local dates: December's report is not named after 30 November
 * because its first instant is 17:00 UTC that day.
 */
export function periodOf(zone: string, now: Date, kind: PeriodKind, date?: string, from?: string, to?: string): Period {
  if (kind === 'range') {
    const start = DateTime.fromISO(from!, { zone }).startOf('day');
    const end = DateTime.fromISO(to!, { zone }).startOf('day').plus({ days: 1 });
    const last = end.minus({ days: 1 });
    return {
      kind,
      from: start.toUTC().toISO()!,
      to: end.toUTC().toISO()!,
      timezone: zone,
      label: `từ ${start.toFormat('dd/MM/yyyy')} đến ${last.toFormat('dd/MM/yyyy')}`,
      label_en: `${start.toFormat('dd/MM/yyyy')} to ${last.toFormat('dd/MM/yyyy')}`,
      slug: `${start.toISODate()}-den-${last.toISODate()}`,
    };
  }
  const at = date ? DateTime.fromISO(date, { zone }) : DateTime.fromJSDate(now, { zone });
  const start = at.startOf(kind);
  const end = start.plus({ [`${kind}s`]: 1 });
  // Labels read inside a sentence ("… truyền thanh cơ sở tuần 49/2026 (từ 30/11 đến 06/12/2026)").
  const span = `${start.toFormat('dd/MM')} – ${end.minus({ days: 1 }).toFormat('dd/MM/yyyy')}`;
  const [label, label_en, slug] =
    kind === 'week'
      ? [
          `tuần ${start.weekNumber}/${start.weekYear} (từ ${start.toFormat('dd/MM')} đến ${end.minus({ days: 1 }).toFormat('dd/MM/yyyy')})`,
          `week ${start.weekNumber}/${start.weekYear} (${span})`,
          `tuan-${start.weekNumber}-${start.weekYear}`,
        ]
      : kind === 'month'
        ? [
            `tháng ${start.toFormat('MM/yyyy')}`,
            `${start.setLocale('en-GB').toFormat('MMMM yyyy')}`,
            `thang-${start.toFormat('MM-yyyy')}`,
          ]
        : kind === 'quarter'
          ? [
              `quý ${start.quarter}/${start.year}`,
              `quarter ${start.quarter} of ${start.year}`,
              `quy-${start.quarter}-${start.year}`,
            ]
          : [`năm ${start.year}`, `${start.year}`, `nam-${start.year}`];
  return { kind, from: start.toUTC().toISO()!, to: end.toUTC().toISO()!, timezone: zone, label, label_en, slug };
}
