/**
 * Letters read one by one, for codes ("A/H5N1", "B12") and capitals the normaliser does not know.
 *
 * Letter names: the scheme announcers use when they spell a code on air, "a hát năm en một" for
 * A/H5N1, "vê en pê tê" for VNPT, "bốn gờ" for 4G: a, bê, xê, dê, đê, e, ép, gờ, hát, i, giây,
 * ca, lờ, em, en, o, pê, qui, rờ, ét, tê, u, vê, vê kép, ích, i dài, dét. It is the common
 * school names except M and N, which on air are "em" and "en" (H5N1, SMS), not "mờ" and "nờ".
 * One table, so that a commune that prefers another scheme changes one line.
 */
import type { NormalizePass } from './normalize-pass.js';
import { after, before, re } from './text-patterns.js';
import { readDigits, readNumber } from './vietnamese-numbers.js';

export const LETTER_NAMES: Readonly<Record<string, string>> = {
  A: 'a',
  Ă: 'á',
  Â: 'ớ',
  B: 'bê',
  C: 'xê',
  D: 'dê',
  Đ: 'đê',
  E: 'e',
  Ê: 'ê',
  F: 'ép',
  G: 'gờ',
  H: 'hát',
  I: 'i',
  J: 'giây',
  K: 'ca',
  L: 'lờ',
  M: 'em',
  N: 'en',
  O: 'o',
  Ô: 'ô',
  Ơ: 'ơ',
  P: 'pê',
  Q: 'qui',
  R: 'rờ',
  S: 'ét',
  T: 'tê',
  U: 'u',
  Ư: 'ư',
  V: 'vê',
  W: 'vê kép',
  X: 'ích',
  Y: 'i dài',
  Z: 'dét',
};

/** The name of one letter, whatever its case; the letter itself when it has none. */
export const letterName = (letter: string) => LETTER_NAMES[letter.toLocaleUpperCase('vi')] ?? letter;

/**
 * A code read part by part: letters by name, a run of digits as a number ("B12": bê mười hai)
 * unless it is long or starts with 0, when digit by digit; "/" and "-" are not said.
 */
export function readCode(code: string): string {
  const parts = code.match(/\d+|\p{L}/gu) ?? [];
  return parts
    .map((p) =>
      /\d/.test(p)
        ? p.length <= 3 && (p === '0' || !p.startsWith('0'))
          ? readNumber(p)
          : readDigits(p)
        : letterName(p),
    )
    .join(' ');
}

/** Codes everyone knows, read without a doubt: F0 (a COVID case), 4G. */
const WELL_KNOWN_CODE = /^(?:F[0-3]|[2-5]G)$/;

/**
 * Capitals mixed with digits ("H5N1", "A/H5N1", "10A1") are codes: left to the generic number
 * rule, "H5N1" became "hnămnmột" (issue 24). Runs after dates, times and quantities, which
 * leave alone a number touching a capital.
 */
export function readCodes(t: string, pass: NormalizePass): string {
  return t.replace(re(`${before}[A-ZĐ\\d]+(?:[/-][A-ZĐ\\d]+)*${after}`), (code) => {
    // Both a capital and a digit, tested here: a look-ahead would see past the token ("2/Khoản").
    if (!/\d/.test(code) || !/[A-ZĐ]/.test(code)) return code;
    const reading = readCode(code);
    if (!WELL_KNOWN_CODE.test(code)) pass.note(code, reading, 'spelled_code');
    return reading;
  });
}

const ONSET = '(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?';
const NUCLEUS = '[aăâeêioôơuưy]{1,3}';
const CODA = '(?:ch|ng|nh|[cmnptiouy])?';
const SYLLABLE = new RegExp(`^${ONSET}${NUCLEUS}${CODA}$`);

/**
 * Whether a word could be one Vietnamese syllable ("THÔNG", "KHẨN"): a headline in capitals must
 * be read as words, while "LHPN" or "TAND" cannot be said as a word and is spelled.
 */
export function isVietnameseSyllable(word: string): boolean {
  // Drop the five tone marks, keep the marks that make ă â ê ô ơ ư.
  const bare = word
    .toLocaleLowerCase('vi')
    .normalize('NFD')
    .replace(/[\u0300\u0301\u0303\u0309\u0323]/g, '')
    .normalize('NFC');
  return SYLLABLE.test(bare);
}

/** "LHPN" -> "lờ hát pê en". */
export const spellLetters = (word: string) =>
  [...word]
    .filter((c) => /\p{L}/u.test(c))
    .map(letterName)
    .join(' ');
