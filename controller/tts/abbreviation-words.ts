/**
 * The last word rule: abbreviations as whole words ("UBND", "KT-XH"), the commune's own first,
 * then the built-in list. Capitals it does not know and that cannot be said as a Vietnamese
 * syllable ("LHPN" before it was listed) are spelled letter by letter and reported, rather than
 * left for the voice to mumble (issue 24); a headline in capitals ("THÔNG BÁO") stays words.
 */
import { ABBREVIATIONS } from './abbreviations-vi.js';
import { LETTER_NAMES, isVietnameseSyllable, letterName, spellLetters } from './letters-vi.js';
import type { NormalizePass } from './normalize-pass.js';
import { WORD, re } from './text-patterns.js';

/** Vowels stay as they are when alone ("cúm A", "ngành Y"): they are words or read as written. */
const LONE_CONSONANT = /^[BCDFGHJKLMNPQRSTVWXZ]$/;

export function knownAbbreviation(word: string, pass: NormalizePass): string | undefined {
  return pass.custom.get(word) ?? ABBREVIATIONS[word];
}

function readWord(word: string, pass: NormalizePass): string {
  const known = knownAbbreviation(word, pass);
  if (known) return known;
  if (LONE_CONSONANT.test(word)) return letterName(word);
  const capitals = [...word].every(
    (c) => c === '&' || (LETTER_NAMES[c] !== undefined && c === c.toLocaleUpperCase('vi')),
  );
  if (word.length >= 2 && capitals && !isVietnameseSyllable(word)) {
    const spelled = word.split('&').map(spellLetters).join(' và ');
    pass.note(word, spelled, 'unknown_capitals');
    return spelled;
  }
  return word;
}

export function readAbbreviations(t: string, pass: NormalizePass): string {
  return t.replace(re(`(?<![${WORD}])\\p{L}[\\p{L}&]*(?:-\\p{L}[\\p{L}&]*)*(?![${WORD}])`), (token: string) => {
    const whole = knownAbbreviation(token, pass);
    if (whole) return whole;
    if (!token.includes('-')) return readWord(token, pass);
    const parts = token.split('-');
    const read = parts.map((p) => readWord(p, pass));
    return read.some((r, i) => r !== parts[i]) ? read.join(' ') : token;
  });
}
