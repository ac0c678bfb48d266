/**
 * Recurrence expansion: which wall-clock days a schedule plays on, and the UTC instant of each
 * start. A pure function of the spec and a window: the clock is always an input.
 *
 * Rules, stated once:
 * - Days are wall-clock days in the schedule's zone; the start is that day's start_time there
 *   (a time that does not exist because of a DST jump moves forward, as luxon does).
 * - monthly: a day a month does not have (31 in April) is skipped that month; -1 is the last day.
 * - lunar_monthly: plays in leap months too (a rằm is a rằm); day 30 is skipped in 29-day months.
 * - lunar_yearly and lunar holidays: the regular month only, never its leap twin; a day 30 the
 *   month lacks that year is skipped that year.
 * - valid_from / valid_until bound the days, both inclusive.
 */
import { DateTime } from 'luxon';
import { holidayById } from './holidays.js';
import { fromLunar, toLunar } from './lunar-calendar.js';
import type { Recurrence, ScheduleSpec } from './schedule-spec.js';

export interface PlannedStart {
  starts_at: Date;
  /** YYYY-MM-DD in the schedule's zone. */
  local_date: string;
}

type Timing = Pick<ScheduleSpec, 'recurrence' | 'start_time' | 'valid_from' | 'valid_until'> & { timezone: string };

/** Starts in [from, to), in order. */
export function startsBetween(spec: Timing, from: Date, to: Date): PlannedStart[] {
  const zone = spec.timezone;
  const [hour, minute, second = 0] = spec.start_time.split(':').map(Number);
  // A day either side: a start late in the evening of the day before may fall inside the window.
  let day = DateTime.fromJSDate(from, { zone }).startOf('day').minus({ days: 1 });
  const lastDay = DateTime.fromJSDate(to, { zone }).startOf('day').plus({ days: 1 });
  const out: PlannedStart[] = [];
  for (; day <= lastDay; day = day.plus({ days: 1 })) {
    const localDate = day.toISODate()!;
    if (spec.valid_from && localDate < spec.valid_from) continue;
    if (spec.valid_until && localDate > spec.valid_until) continue;
    if (!playsOn(spec.recurrence, day)) continue;
    const start = day.set({ hour, minute, second, millisecond: 0 }).toJSDate();
    if (start >= from && start < to) out.push({ starts_at: start, local_date: localDate });
  }
  return out;
}

/**
 * The next start from `now` within 400 days (a lunar-yearly date comes round within 13 months),
 * with its lunar date: a schedule listed as "rằm" should say which day that is next.
 */
export function nextStart(
  spec: Timing,
  now: Date,
): { at: string; local_date: string; lunar: { day: number; month: number; leap: boolean } } | null {
  // Searched a month at a time: most schedules play within days, and a year of lunar days costs.
  for (let from = now, month = 0; month < 14; month++) {
    const to = new Date(from.getTime() + 31 * 86_400_000);
    const first = startsBetween(spec, from, to)[0];
    if (first) {
      const [year, mon, day] = first.local_date.split('-').map(Number);
      const l = toLunar({ year, month: mon, day });
      return {
        at: first.starts_at.toISOString(),
        local_date: first.local_date,
        lunar: { day: l.day, month: l.month, leap: l.leap },
      };
    }
    from = to;
  }
  return null;
}

export function playsOn(r: Recurrence, day: DateTime): boolean {
  switch (r.kind) {
    case 'once':
      if (r.date) return day.toISODate() === r.date;
      return r.lunar ? sameSolarDay(fromLunar(r.lunar), day) : false;
    case 'daily':
      return true;
    case 'weekly':
      return r.weekdays.includes(day.weekday); // luxon: 1 = Monday … 7 = Sunday
    case 'monthly':
      return r.days.some((d) => (d === -1 ? day.day === day.daysInMonth : d === day.day));
    case 'lunar_monthly':
      return r.days.includes(lunarOf(day).day);
    case 'lunar_yearly': {
      const l = lunarOf(day);
      return !l.leap && l.month === r.month && l.day === r.day;
    }
    case 'holiday': {
      const h = holidayById(r.holiday)!;
      const target = day.plus({ days: r.days_before });
      if (h.calendar === 'solar') return target.month === h.month && target.day === h.day;
      const l = lunarOf(target);
      return !l.leap && l.month === h.month && l.day === h.day;
    }
  }
}

const lunarOf = (day: DateTime) => toLunar({ year: day.year, month: day.month, day: day.day });
const sameSolarDay = (s: { year: number; month: number; day: number } | null, day: DateTime) =>
  s !== null && s.year === day.year && s.month === day.month && s.day === day.day;
