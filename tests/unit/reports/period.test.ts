/**
 * A report's period and its files' names come from the commune's own dates: December's report
 * is "thang-12-2026" even though its first instant is 17:00 UTC on 30 November, and at 00:30 on
 * New Year's Day in Việt Nam (17:30 UTC the day before) "this year" is the new one.
 */
import { describe, expect, it } from 'vitest';
import { periodOf } from '../../../controller/reports/report-period.js';

const VN = 'Asia/Ho_Chi_Minh';

describe('report periods', () => {
  it('are named by local dates at the month and year edges', () => {
    const firstOfDecember = new Date('2026-11-30T17:30:00Z'); // 00:30 on 1 December in Việt Nam
    expect(periodOf(VN, firstOfDecember, 'month')).toMatchObject({
      slug: 'thang-12-2026',
      label: 'tháng 12/2026',
      from: '2026-11-30T17:00:00.000Z',
      to: '2026-12-31T17:00:00.000Z',
    });
    const newYear = new Date('2026-12-31T17:30:00Z'); // 00:30 on 1 January 2027 in Việt Nam
    expect(periodOf(VN, newYear, 'year')).toMatchObject({
      slug: 'nam-2027',
      label: 'năm 2027',
      from: '2026-12-31T17:00:00.000Z',
    });
    expect(periodOf(VN, newYear, 'month').slug).toBe('thang-01-2027');
    expect(periodOf(VN, newYear, 'quarter').slug).toBe('quy-1-2027');
    // The last minutes of the year, still 2026 in Việt Nam.
    expect(periodOf(VN, new Date('2026-12-31T16:59:00Z'), 'year').slug).toBe('nam-2026');
    // Weeks by ISO week-year: 31 December 2026 is in week 53 of 2026.
    expect(periodOf(VN, newYear, 'week', '2026-12-31').slug).toBe('tuan-53-2026');
    expect(periodOf(VN, newYear, 'range', undefined, '2026-12-01', '2026-12-07')).toMatchObject({
      slug: '2026-12-01-den-2026-12-07',
      label: 'từ 01/12/2026 đến 07/12/2026',
      to: '2026-12-07T17:00:00.000Z',
    });
    // A date given is the commune's date, whatever the clock says.
    expect(periodOf(VN, firstOfDecember, 'month', '2026-11-30').slug).toBe('thang-11-2026');
  });
});
