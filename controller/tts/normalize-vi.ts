/**
 * Vietnamese text normalisation before synthesis: turns what staff type into what an announcer
 * says. A pure function of the text (and the commune's own abbreviations); the rules run in
 * order, each on what the earlier ones left, so the order below is the design:
 *   1. web and mail addresses (contacts-vi.ts), before anything reads their dots and slashes;
 *      abbreviations written with punctuation (Đ/c, TP.), the commune's own keys with digits;
 *   2. forms whose digits decide an abbreviation: document numbers (123/QĐ-UBND), roads and
 *      kilometre posts (QL1A, ĐT.477, Km 15+200), then ĐT/TT/CT... by their context;
 *   3. forms of digits: phone numbers and hotlines, minus signs, counts out of a total
 *      (5/5 thôn), dates, times, quantities, codes (A/H5N1: after the quantities, so that
 *      "°C-0,5" is no code), Roman numerals, ordinals, months, then any number left;
 *   4. whole-word abbreviations, unknown capitals spelled; punctuation and case last.
 * What it was unsure of is reported by normalizeVietnameseDetailed (issue 24).
 */
import { resolveContextual } from './abbreviations-context.js';
import { readAddresses, readPhones } from './contacts-vi.js';
import { knownAbbreviation, readAbbreviations } from './abbreviation-words.js';
import { readDatesAndTimes } from './dates-times-vi.js';
import { readDocumentNumbers } from './documents-vi.js';
import { readCodes } from './letters-vi.js';
import { NormalizePass, type NormalizeOptions, type UncertainReading } from './normalize-pass.js';
import {
  readFractions,
  readQuantities,
  readSigns,
  readSlashes,
  readThousands,
  readZeroCounts,
} from './quantities-vi.js';
import { readRoads } from './roads-vi.js';
import { NUMBER, WORD, after, before, escapeRegExp, re } from './text-patterns.js';
import { readDecimal, readDigits, readMonth, readNumber, readOrdinal, romanValue } from './vietnamese-numbers.js';

export { ABBREVIATIONS } from './abbreviations-vi.js';
export type { NormalizeOptions, UncertainReading } from './normalize-pass.js';

/** Abbreviations written with punctuation, replaced before anything else. */
const PUNCTUATED: [RegExp, string][] = [
  [re(`${before}[Đđ]\\/[Cc]${after}`), 'đồng chí'],
  [re(`${before}(?:TP|Tp|tp)\\.\\s*`), 'thành phố '],
  [re(`${before}[Vv]\\.[Vv]\\.`), 'vân vân'],
  [re(`${before}covid-19${after}`, 'giu'), 'cô vít mười chín'],
  [re(`${before}PM2[.,]5${after}`), 'bụi pê em hai phẩy năm'],
  [re(`${before}ThS\\.\\s*`), 'thạc sĩ '],
  [re(`${before}TS\\.\\s*`), 'tiến sĩ '],
  [re(`${before}BS\\.\\s*`), 'bác sĩ '],
  [re(`${before}GS\\.\\s*`), 'giáo sư '],
  [re(`${before}Q\\.\\s*(?=\\d)`), 'quận '],
  // Towns (thị trấn) were abolished in the 2025 reform, but older notices are still re-read.
  [re(`${before}TT\\.\\s*(?=\\p{Lu})`), 'thị trấn '],
  [re(`${before}P\\.\\s*(?=\\d)`), 'phường '],
  [re(`${before}[Vv]\\/[Vv]${after}`), 'về việc'],
  // Signing lines: "TM. UBND", "KT. CHỦ TỊCH", "TL.", "TUQ.".
  [re(`${before}TM\\.\\s*`), 'thay mặt '],
  [re(`${before}KT\\.\\s*`), 'ký thay '],
  [re(`${before}TL\\.\\s*(?=\\p{Lu})`), 'thừa lệnh '],
  [re(`${before}TUQ\\.\\s*`), 'thừa ủy quyền '],
  [re(`${before}TX\\.\\s*(?=\\p{Lu})`), 'thị xã '],
  // "H. Xuân Trường", "X. Xuân Hưng", "T. Nam Định": not after a capitalised word, where "H."
  // is more likely a name's initial ("Nguyễn H. Nam").
  [re(`(?<!\\p{Lu}\\p{Ll}*\\s)${before}H\\.\\s*(?=\\p{Lu}\\p{Ll})`), 'huyện '],
  [re(`(?<!\\p{Lu}\\p{Ll}*\\s)${before}X\\.\\s*(?=\\p{Lu}\\p{Ll})`), 'xã '],
];

/** Words after which a Roman numeral is a number (khóa XVI, quý III, thế kỷ XXI). */
const ROMAN_CONTEXT = [
  'khóa',
  'khoá',
  'quý',
  'kỷ',
  'kỳ',
  'hội',
  'lần thứ',
  'thứ',
  'phần',
  'chương',
  'mục',
  'tập',
  'cấp',
  'vùng',
  'đợt',
  'giai đoạn',
  'khu',
];

function readPunctuated(t: string, pass: NormalizePass): string {
  for (const [key, reading] of pass.customLiteral) {
    t = t.replace(re(`(?<![${WORD}])${escapeRegExp(key)}(?![${WORD}])`), ` ${reading} `);
  }
  for (const [pattern, words] of PUNCTUATED) t = t.replace(pattern, words);
  return t;
}

function readRomanNumerals(t: string, pass: NormalizePass): string {
  for (const word of ROMAN_CONTEXT) {
    t = t.replace(re(`(${before}${word}\\s+)([IVXLCDM]+)${after}`, 'giu'), (m, lead: string, roman: string) => {
      // "khu C", "phần D": letters, not 100 and 500.
      const value = /[IVX]/.test(roman) ? romanValue(roman) : undefined;
      return value ? `${lead}${readNumber(value)}` : m;
    });
  }
  // Elsewhere, a numeral of two letters or more with I, V or X (Đại hội XIII); "CD" or "MC"
  // alone are more likely initials than 400 or 1100.
  return t.replace(re(`${before}([IVXLCDM]{2,})${after}`), (m, roman: string) => {
    if (knownAbbreviation(roman, pass) || !/[IVX]/.test(roman)) return m;
    const value = romanValue(roman);
    return value ? readNumber(value) : m;
  });
}

function readRemainingNumbers(t: string): string {
  t = t.replace(re(`${before}(thứ)\\s+(\\d+)${after}`, 'giu'), (_m, w: string, n: string) => `${w} ${readOrdinal(n)}`);
  t = t.replace(
    re(`${before}(tháng)\\s+(\\d{1,2})${after}`, 'giu'),
    (_m, w: string, n: string) => `${w} ${readMonth(n)}`,
  );
  // With a leading zero, digit by digit ("05"); otherwise as a quantity. Spaced from letters
  // it touches, so that "2a" is "hai a", not "haia".
  const spaced = (words: string, offset: number, length: number, all: string) =>
    `${/\p{L}/u.test(all[offset - 1] ?? '') ? ' ' : ''}${words}${/\p{L}/u.test(all[offset + length] ?? '') ? ' ' : ''}`;
  t = t.replace(re(`(?<![${WORD}]|\\d[.,])0\\d+${after}`), (m, offset: number, all: string) =>
    spaced(readDigits(m), offset, m.length, all),
  );
  return t.replace(re(NUMBER), (m, offset: number, all: string) => spaced(readDecimal(m), offset, m.length, all));
}

/** The spoken text and what a person should check in it. */
export function normalizeVietnameseDetailed(
  input: string,
  options: NormalizeOptions = {},
): { spoken: string; uncertain: UncertainReading[] } {
  const pass = new NormalizePass(options);
  let t = input
    .normalize('NFC')
    .replace(/[\u200B-\u200D\uFEFF]/g, '')
    .replace(/[“”"]/g, '')
    .replace(/\s+/g, ' ');
  t = readAddresses(t, pass);
  t = readPunctuated(t, pass);
  t = readDocumentNumbers(t, pass);
  t = readRoads(t);
  t = resolveContextual(t, pass);
  t = readPhones(t);
  t = readSigns(t);
  t = readThousands(t);
  t = readZeroCounts(t);
  t = readFractions(t);
  t = readDatesAndTimes(t, pass);
  t = readQuantities(t, pass);
  t = readCodes(t, pass);
  t = readRomanNumerals(t, pass);
  t = readRemainingNumbers(t);
  t = readAbbreviations(t, pass);
  t = readSlashes(t.replace(/&/g, ' và ')).replace(/[*_#~^|<>{}[\]\\]/g, ' ');
  const spoken = t
    .toLocaleLowerCase('vi')
    .replace(/\s+/g, ' ')
    .replace(/\s+([.,;:!?])/g, '$1')
    .trim();
  return { spoken, uncertain: pass.uncertain };
}

/** What the voice will say; the commune's own abbreviations in `options` win over the list. */
export function normalizeVietnamese(input: string, options: NormalizeOptions = {}): string {
  return normalizeVietnameseDetailed(input, options).spoken;
}
