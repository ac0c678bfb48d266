/**
 * Numbers from 0 to 999,999,999,999: a property test reads random numbers aloud and turns the
 * words back into digits with an independent parser.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readNumber, romanValue } from '../../../controller/tts/vietnamese-numbers.js';
import { normalizeVietnamese } from '../../../controller/tts/normalize-vi.js';
import { parseInteger } from './spoken-values.js';

describe('reading numbers', () => {
  it.each([
    [0, 'không'],
    [5, 'năm'],
    [10, 'mười'],
    [11, 'mười một'],
    [15, 'mười lăm'],
    [20, 'hai mươi'],
    [21, 'hai mươi mốt'],
    [24, 'hai mươi tư'],
    [25, 'hai mươi lăm'],
    [101, 'một trăm linh một'],
    [105, 'một trăm linh năm'],
    [110, 'một trăm mười'],
    [115, 'một trăm mười lăm'],
    [1000, 'một nghìn'],
    [1005, 'một nghìn không trăm linh năm'],
    [2026, 'hai nghìn không trăm hai mươi sáu'],
    [10_000, 'mười nghìn'],
    [2_500_000, 'hai triệu năm trăm nghìn'],
    [1_000_000_000, 'một tỷ'],
    [
      999_999_999_999,
      'chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín',
    ],
  ])('%d is read "%s"', (n, words) => expect(readNumber(n)).toBe(words));

  it('reads any number up to 999,999,999,999 so that it parses back to itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), (n) => parseInteger(readNumber(n)) === n),
      { numRuns: 20_000 },
    );
  });

  it('reads numbers written with thousands separators inside text the same way', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 999_999_999_999 }), (n) => {
        const written = n.toLocaleString('de-DE'); // 1.234.567: the Vietnamese grouping
        return parseInteger(normalizeVietnamese(written)) === n;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('normalising announcements', () => {
  it.each([
    ['Gọi 113 khi có cháy', 'gọi một một ba khi có cháy'],
    ['Sáng 30/4 và 1/5', 'sáng ngày ba mươi tháng tư và ngày mồng một tháng năm'],
    ['ngày 2/9/2026', 'ngày mồng hai tháng chín năm hai nghìn không trăm hai mươi sáu'],
    ['từ 7h đến 11h30', 'từ bảy giờ đến mười một giờ ba mươi phút'],
    ['họp 14:00-16:30', 'họp từ mười bốn giờ đến mười sáu giờ ba mươi phút'],
    ['mưa 100-200 mm', 'mưa một trăm đến hai trăm mi li mét'],
    ['gió 60km/h', 'gió sáu mươi ki lô mét trên giờ'],
    ['Mực nước 2,35m', 'mực nước hai phẩy ba mươi lăm mét'],
    ['Đạt 12,05%', 'đạt mười hai phẩy không năm phần trăm'],
    ['Đại hội XIII của Đảng', 'đại hội mười ba của đảng'],
    ['quý III', 'quý ba'],
    [
      'Nghị định số 49/2024/NĐ-CP',
      'nghị định số bốn mươi chín năm hai nghìn không trăm hai mươi tư nghị định chính phủ',
    ],
    ['Đ/c Bí thư BCH Đảng ủy', 'đồng chí bí thư ban chấp hành đảng ủy'],
    ['TP. Ninh Bình', 'thành phố ninh bình'],
    ['PCTT&TKCN', 'phòng chống thiên tai và tìm kiếm cứu nạn'],
    ['Liên hệ 0243.826.123', 'liên hệ không hai bốn ba, tám hai sáu, một hai ba'],
    ['Mã số 05', 'mã số không năm'],
    ['thứ 4 và thứ 7', 'thứ tư và thứ bảy'],
  ])('%s', (written, spoken) => expect(normalizeVietnamese(written)).toBe(spoken));

  it('never leaves a digit in what it says', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789 ,./-:h%°Ckmha'.split('')), maxLength: 40 }),
        (s) => !/\d/.test(normalizeVietnamese(s)),
      ),
      { numRuns: 3000 },
    );
  });

  it('knows Roman numerals and only those', () => {
    expect(romanValue('XVI')).toBe(16);
    expect(romanValue('MMXXVI')).toBe(2026);
    expect(romanValue('IIII')).toBeUndefined();
    expect(romanValue('ABC')).toBeUndefined();
  });
});
