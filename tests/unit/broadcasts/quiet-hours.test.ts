import { describe, expect, it } from 'vitest';
import { QuietHours, inQuietHours, localMinutes } from '../../../controller/broadcasts/quiet-hours.js';

const night = { start: '21:30', end: '05:30' };
const TZ = 'Asia/Ho_Chi_Minh'; // UTC+7, no daylight saving

describe('quiet hours', () => {
  it.each([
    ['03:15 in Hanoi (20:15 UTC the day before)', '2026-11-24T20:15:00Z', true],
    ['21:29 local', '2026-11-25T14:29:00Z', false],
    ['21:30 local', '2026-11-25T14:30:00Z', true],
    ['midnight local', '2026-11-25T17:00:00Z', true],
    ['05:29 local', '2026-11-25T22:29:00Z', true],
    ['05:30 local', '2026-11-25T22:30:00Z', false],
    ['noon local', '2026-11-25T05:00:00Z', false],
    ['the first morning of the year', '2026-12-31T23:00:00Z', false], // 06:00 on 1 January
  ])('%s -> %s', (_what, iso, quiet) => {
    expect(inQuietHours(new Date(iso), TZ, night)).toBe(quiet);
  });

  it("reads wall time in the commune's zone, not UTC", () => {
    expect(localMinutes(new Date('2026-11-25T00:00:00Z'), TZ)).toBe(7 * 60);
  });

  it('supports a window that does not cross midnight, and none at all', () => {
    expect(inQuietHours(new Date('2026-11-25T06:00:00Z'), TZ, { start: '12:00', end: '14:00' })).toBe(true); // 13:00 local
    expect(inQuietHours(new Date('2026-11-25T20:15:00Z'), TZ, null)).toBe(false);
  });

  it('names the hamlets of a refusal as a person counts them (Thôn 2 before Thôn 10)', () => {
    const names: Record<string, string> = { 'thon-10': 'Thôn 10', 'thon-2': 'Thôn 2', 'thon-1': 'Thôn 1' };
    const quiet = new QuietHours((id) => ({ quiet_start: null, quiet_end: null, name: names[id] }), night, TZ);
    expect(quiet.namesOf(['thon-10', 'thon-2', 'thon-1'])).toBe('Thôn 1, Thôn 2, Thôn 10');
  });
});

describe('the words of a quiet-hours refusal', () => {
  const hamlets: Record<string, { quiet_start: string | null; quiet_end: string | null; name: string }> = {
    'thon-1': { quiet_start: null, quiet_end: null, name: 'Thôn Đông' },
    'thon-3': { quiet_start: '20:00', quiet_end: '13:30', name: 'Thôn Nam' },
  };
  const quiet = new QuietHours((id) => hamlets[id], night, TZ);
  const at = new Date('2026-11-25T16:10:00Z'); // 23:10 in Việt Nam

  it('name the window that ends last, so "send it again after" holds for every hamlet, and each hamlet its own', () => {
    const both = quiet.quietHamlets(['thon-1', 'thon-3'], at);
    expect(quiet.refusalWords(both, at)).toEqual({
      start: '20:00',
      end: '13:30',
      hamlets: 'Thôn Đông (21:30–05:30), Thôn Nam (20:00–13:30)',
    });
  });

  it('name the hamlets alone when they share one window', () => {
    expect(quiet.refusalWords(quiet.quietHamlets(['thon-1'], at), at)).toEqual({
      start: '21:30',
      end: '05:30',
      hamlets: 'Thôn Đông',
    });
  });
});
