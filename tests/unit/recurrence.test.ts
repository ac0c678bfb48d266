/**
 * Recurrence expansion with the clock as an input: each schedule kind across month and year
 * ends, lunar dates across leap months, validity windows, and dates that do not exist.
 */
import { describe, expect, it } from 'vitest';
import { startsBetween } from '../../controller/programme/recurrence.js';
import { fromLunar, leapMonthOf, toLunar } from '../../controller/programme/lunar-calendar.js';
import type { Recurrence } from '../../controller/programme/schedule-spec.js';

const VN = 'Asia/Ho_Chi_Minh';
const at = (iso: string) => new Date(iso);
/** Local dates of the starts of a recurrence in [from, to). */
const days = (
  recurrence: Recurrence,
  from: string,
  to: string,
  extra: { valid_from?: string; valid_until?: string; start_time?: string; timezone?: string } = {},
) =>
  startsBetween(
    { recurrence, start_time: extra.start_time ?? '06:00', timezone: extra.timezone ?? VN, ...extra },
    at(from),
    at(to),
  ).map((s) => s.local_date);

describe('solar recurrences', () => {
  it('daily crosses the year end, each start at 06:00 Hanoi time (23:00 UTC the day before)', () => {
    const starts = startsBetween(
      { recurrence: { kind: 'daily' }, start_time: '06:00', timezone: VN },
      at('2026-12-30T00:00:00Z'),
      at('2027-01-02T00:00:00Z'),
    );
    expect(starts.map((s) => s.starts_at.toISOString())).toEqual([
      '2026-12-30T23:00:00.000Z',
      '2026-12-31T23:00:00.000Z',
      '2027-01-01T23:00:00.000Z',
    ]);
    expect(starts.map((s) => s.local_date)).toEqual(['2026-12-31', '2027-01-01', '2027-01-02']);
  });

  it('a window in UTC holds the starts whose instant falls in it (18:30 Hanoi is 11:30 UTC)', () => {
    expect(days({ kind: 'daily' }, '2026-11-30T12:00:00Z', '2026-12-01T12:00:00Z', { start_time: '18:30' })).toEqual([
      '2026-12-01',
    ]);
  });

  it('weekly picks the chosen weekdays (1 = Thứ hai) across a month end', () => {
    // 2026-11-30 is a Monday, 2026-12-02 a Wednesday, 2026-12-04 a Friday.
    expect(days({ kind: 'weekly', weekdays: [1, 3, 5] }, '2026-11-28T00:00:00Z', '2026-12-06T00:00:00Z')).toEqual([
      '2026-11-30',
      '2026-12-02',
      '2026-12-04',
    ]);
  });

  it('monthly skips a day a month does not have, and -1 is the last day, in leap and common years', () => {
    expect(days({ kind: 'monthly', days: [31] }, '2027-01-01T00:00:00Z', '2027-06-01T00:00:00Z')).toEqual([
      '2027-01-31',
      '2027-03-31',
      '2027-05-31',
    ]);
    expect(days({ kind: 'monthly', days: [-1] }, '2027-01-15T00:00:00Z', '2027-03-15T00:00:00Z')).toEqual([
      '2027-01-31',
      '2027-02-28',
    ]);
    expect(days({ kind: 'monthly', days: [-1] }, '2028-02-01T00:00:00Z', '2028-03-01T00:00:00Z')).toEqual([
      '2028-02-29',
    ]);
  });

  it('once is one day; valid_from and valid_until bound the days, both inclusive', () => {
    expect(days({ kind: 'once', date: '2026-12-24' }, '2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z')).toEqual([
      '2026-12-24',
    ]);
    expect(
      days({ kind: 'daily' }, '2026-12-01T00:00:00Z', '2026-12-31T00:00:00Z', {
        valid_from: '2026-12-10',
        valid_until: '2026-12-12',
      }),
    ).toEqual(['2026-12-10', '2026-12-11', '2026-12-12']);
  });

  it('a start in a DST gap moves forward; seconds are honoured', () => {
    // Europe/Berlin skips 02:00-03:00 on 2027-03-28.
    const starts = startsBetween(
      { recurrence: { kind: 'once', date: '2027-03-28' }, start_time: '02:30', timezone: 'Europe/Berlin' },
      at('2027-03-27T00:00:00Z'),
      at('2027-03-29T00:00:00Z'),
    );
    expect(starts[0].starts_at.toISOString()).toBe('2027-03-28T01:30:00.000Z');
    const precise = startsBetween(
      { recurrence: { kind: 'daily' }, start_time: '06:00:45', timezone: VN },
      at('2026-12-01T00:00:00Z'),
      at('2026-12-02T00:00:00Z'),
    );
    expect(precise.map((s) => s.starts_at.toISOString())).toEqual(['2026-12-01T23:00:45.000Z']);
  });
});

describe('the Vietnamese lunar calendar', () => {
  it('knows Tết, including a year where Việt Nam and China differ (2007)', () => {
    expect(fromLunar({ day: 1, month: 1, year: 2026, leap: false })).toEqual({ year: 2026, month: 2, day: 17 });
    expect(fromLunar({ day: 1, month: 1, year: 2007, leap: false })).toEqual({ year: 2007, month: 2, day: 17 }); // China: 18/2
    expect(toLunar({ year: 2025, month: 1, day: 29 })).toEqual({ day: 1, month: 1, year: 2025, leap: false });
  });

  it('finds leap months and refuses dates that do not exist', () => {
    expect(leapMonthOf(2025)).toBe(6);
    expect(leapMonthOf(2026)).toBe(0);
    expect(fromLunar({ day: 1, month: 6, year: 2025, leap: true })).toEqual({ year: 2025, month: 7, day: 25 });
    expect(fromLunar({ day: 1, month: 6, year: 2026, leap: true })).toBeNull(); // no leap month in 2026
    expect(fromLunar({ day: 30, month: 12, year: 2025, leap: false })).toBeNull(); // tháng Chạp Ất Tỵ has 29 days
  });

  it('lunar_yearly 10/3 is Giỗ Tổ Hùng Vương each year', () => {
    expect(days({ kind: 'lunar_yearly', month: 3, day: 10 }, '2025-01-01T00:00:00Z', '2027-01-01T00:00:00Z')).toEqual([
      '2025-04-07',
      '2026-04-26',
    ]);
  });

  it('lunar_monthly plays in the leap month too; lunar_yearly only in the regular month', () => {
    // 2025 has a leap sixth month: rằm tháng 6 is 9/7, rằm tháng 6 nhuận is 8/8.
    expect(days({ kind: 'lunar_monthly', days: [15] }, '2025-07-01T00:00:00Z', '2025-08-20T00:00:00Z')).toEqual([
      '2025-07-09',
      '2025-08-08',
    ]);
    expect(days({ kind: 'lunar_yearly', month: 6, day: 15 }, '2025-07-01T00:00:00Z', '2025-08-20T00:00:00Z')).toEqual([
      '2025-07-09',
    ]);
  });

  it('lunar day 30 is skipped in a 29-day month', () => {
    // Tháng Chạp Ất Tỵ (2025) has 29 days: the next day is Tết 2026.
    expect(days({ kind: 'lunar_monthly', days: [30] }, '2026-02-01T00:00:00Z', '2026-02-20T00:00:00Z')).toEqual([]);
  });

  it('holidays: Tết, Rằm tháng Giêng, and a campaign some days before a solar holiday', () => {
    expect(
      days(
        { kind: 'holiday', holiday: 'tet-nguyen-dan', days_before: 0 },
        '2026-01-01T00:00:00Z',
        '2027-01-01T00:00:00Z',
      ),
    ).toEqual(['2026-02-17']);
    expect(
      days(
        { kind: 'holiday', holiday: 'ram-thang-gieng', days_before: 0 },
        '2026-01-01T00:00:00Z',
        '2027-01-01T00:00:00Z',
      ),
    ).toEqual(['2026-03-03']);
    expect(
      days({ kind: 'holiday', holiday: 'quoc-khanh', days_before: 3 }, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'),
    ).toEqual(['2026-08-30']);
  });
});

describe('quiet hours at their edges', async () => {
  const { inQuietHours, overlapsQuietHours, volumeCapAt } = await import('../../controller/broadcasts/quiet-hours.js');
  const night = { start: '21:30', end: '05:30' };
  // Hanoi is UTC+7: 21:30 local is 14:30 UTC.
  it('starts at its start minute and ends at its end minute', () => {
    expect(inQuietHours(at('2026-12-01T14:29:59Z'), VN, night)).toBe(false);
    expect(inQuietHours(at('2026-12-01T14:30:00Z'), VN, night)).toBe(true);
    expect(inQuietHours(at('2026-12-01T22:29:59Z'), VN, night)).toBe(true); // 05:29:59
    expect(inQuietHours(at('2026-12-01T22:30:00Z'), VN, night)).toBe(false); // 05:30
  });
  it('an item that would run into quiet hours overlaps them; one that ends at the start does not', () => {
    expect(overlapsQuietHours(at('2026-12-01T14:00:00Z'), at('2026-12-01T14:31:00Z'), VN, night)).toBe(true);
    expect(overlapsQuietHours(at('2026-12-01T14:00:00Z'), at('2026-12-01T14:30:00Z'), VN, night)).toBe(false);
    expect(overlapsQuietHours(at('2026-12-01T22:30:00Z'), at('2026-12-01T23:00:00Z'), VN, night)).toBe(false);
  });
  it('volume caps by time of day take the lowest cap in force', () => {
    const caps = [
      { from: '05:00', to: '06:30', max_pct: 70 },
      { from: '06:00', to: '07:00', max_pct: 60 },
    ];
    expect(volumeCapAt(at('2026-12-01T22:10:00Z'), VN, caps)).toBe(70); // 05:10
    expect(volumeCapAt(at('2026-12-01T23:10:00Z'), VN, caps)).toBe(60); // 06:10
    expect(volumeCapAt(at('2026-12-02T01:00:00Z'), VN, caps)).toBeNull(); // 08:00
  });
});

describe('the starter programme', () => {
  it('playlists/buoi-sang.m3u parses, with its jingles and a bulletin', async () => {
    const { readFileSync } = await import('node:fs');
    const { parseM3u } = await import('../../controller/programme/m3u.js');
    const p = parseM3u(readFileSync(new URL('../../playlists/buoi-sang.m3u', import.meta.url), 'utf8'));
    expect(p.name).toContain('Buổi sáng');
    expect(p.entries.map((e) => e.role)).toEqual(['opening', 'item', 'item', 'closing']);
    expect(p.entries[1].ref).toHaveProperty('bulletin_id');
  });
});
