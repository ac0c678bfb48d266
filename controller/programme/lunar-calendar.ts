/**
 * The Vietnamese lunar calendar (âm lịch), computed for UTC+7 by @dqcai/vn-lunar (Hồ Ngọc Đức's
 * algorithm; it differs from the Chinese calendar in some years, e.g. Tết 2007 fell on 17/2 in
 * Việt Nam). The library converts any day/month it is given, even one that does not exist that
 * year, so every conversion here is checked by converting back.
 */
import { getLunarDate, getSolarDate } from '@dqcai/vn-lunar';

export interface LunarDay {
  day: number;
  month: number;
  year: number;
  /** A day of the leap month (tháng nhuận) that follows the month of the same number. */
  leap: boolean;
}

export interface SolarDay {
  year: number;
  month: number;
  day: number;
}

export function toLunar(d: SolarDay): LunarDay {
  const l = getLunarDate(d.day, d.month, d.year);
  return { day: l.day, month: l.month, year: l.year, leap: Boolean(l.leap) };
}

/** The solar day of a lunar date, or null when that date does not exist in that lunar year. */
export function fromLunar(l: LunarDay): SolarDay | null {
  if (l.month < 1 || l.month > 12 || l.day < 1 || l.day > 30) return null;
  const s = getSolarDate(l.day, l.month, l.year, l.leap);
  if (!s || !s.day) return null;
  const back = toLunar({ year: s.year, month: s.month, day: s.day });
  if (back.day !== l.day || back.month !== l.month || back.year !== l.year || back.leap !== l.leap) return null;
  return { year: s.year, month: s.month, day: s.day };
}

/** Which month of the lunar year is leap (0: none). */
export function leapMonthOf(lunarYear: number): number {
  for (let m = 1; m <= 12; m++) if (fromLunar({ day: 1, month: m, year: lunarYear, leap: true })) return m;
  return 0;
}
