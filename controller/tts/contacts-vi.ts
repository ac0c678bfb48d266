/**
 * Ways to reach someone, read as an announcer gives them: phone numbers and hotlines digit by
 * digit ("1900 1234": một chín không không, một hai ba bốn), emergency numbers digit by digit
 * wherever a notice names them ("gọi 114 hoặc 115"), and web and mail addresses with "chấm",
 * "gạch chéo" and "a còng". Addresses are read before any other rule ("xuanhung.gov.vn/tin" is
 * no unit pair); phone numbers before dates and quantities, so that a hotline is no amount, but
 * after the abbreviations whose reading a phone number decides ("ĐT 024...").
 */
import { isVietnameseSyllable, spellLetters } from './letters-vi.js';
import type { NormalizePass } from './normalize-pass.js';
import { COUNTED } from './quantities-vi.js';
import { after, before, re } from './text-patterns.js';
import { readDigits } from './vietnamese-numbers.js';

/** Digit groups said with a short pause between them, as the number is written. */
const readGroups = (written: string) =>
  written
    .split(/[ .-]+/)
    .filter(Boolean)
    .map(readDigits)
    .join(', ');

/**
 * The national emergency and service numbers (111 child protection, 112 rescue, 113 police,
 * 114 fire and rescue, 115 ambulance; 1022 the public-service line of many provinces).
 */
const EMERGENCY = '(?:11[1-5]|1022)';
/** Words that introduce a number to call; an emergency number after them is never an amount. */
const CALL_LEAD =
  '(?:gọi|số|tổng đài|đường dây nóng|hotline|điện thoại|SĐT|liên hệ|cấp cứu|cứu hỏa|cứu hoả|cứu thương|công an|cảnh sát|PCCC|CNCH|cứu nạn|khẩn cấp)';
/** Words allowed between the lead and the number: "gọi ngay 113", "gọi điện đến số 115". */
const CALL_FILLER =
  '(?:\\s+(?:ngay|ngay số|điện|điện thoại|đến|tới|cho|về|số|tổng đài|đường dây nóng|cấp cứu|cứu hỏa|công an)){0,3}';
/** Further numbers in the same breath: "113, 114 hoặc 115". */
const MORE = `(?:\\s*(?:,|;|\\/|hoặc|và|hay)\\s*${EMERGENCY}${after})*`;
/** "tổng số 115 hộ" counts households; no one calls a number followed by what it counts. */
const NOT_COUNTED = `(?!\\s+(?:${COUNTED.join('|')})${after})`;

export function readPhones(t: string): string {
  // A landline with its area code in brackets, "(0237) 3851 234": digit by digit, group by group.
  t = t.replace(
    re(`${before}\\(0(\\d{2,3})\\)\\s?(\\d(?:[ .-]?\\d){6,7})${after}(?![.,-]\\d)`),
    (_m, area: string, rest: string) => `không ${readDigits(area)}, ${readGroups(rest)}`,
  );
  // 10 or 11 digits starting with 0 (or +84), in groups of any kind; not the zeros inside
  // "215.000.000-1.000", which is an amount.
  // Said in the groups it is written in, with a short pause between them, as announcers do.
  t = t.replace(
    re(`(?<![\\p{L}\\p{N}+])(?<!\\d[.,-])(\\+84\\s?|0)(\\d(?:[ .-]?\\d){8,9})${after}(?![.,-]\\d)`),
    (_m, prefix: string, rest: string) => `${prefix.startsWith('+84') ? 'cộng tám tư, ' : 'không '}${readGroups(rest)}`,
  );
  // Toll-free and premium lines, 1800 and 1900 with four or six more digits, as written.
  t = t.replace(
    re(`${before}(1[89]00)([ .-]?)(\\d{2}(?:[ .-]?\\d{2}){1,2})${after}(?![.,]\\d)`),
    (_m, head: string, _sep: string, rest: string) => `${readDigits(head)}, ${readGroups(rest)}`,
  );
  // Emergency numbers after a word that calls, and the ones listed with them.
  return t.replace(
    re(`(${before}${CALL_LEAD}${CALL_FILLER}\\s+)(${EMERGENCY}${after}${MORE})${NOT_COUNTED}`, 'giu'),
    (_m, lead: string, numbers: string) => `${lead}${numbers.replace(/\d+/g, (n) => readDigits(n))}`,
  );
}

/** Labels of a host name said as words rather than letters. */
const HOST_LABELS: Readonly<Record<string, string>> = {
  www: 'vê kép vê kép vê kép',
  gov: 'gờ o vê',
  vn: 'vê en',
  com: 'com',
  net: 'nét',
  org: 'o rờ gờ',
  edu: 'e đu',
  info: 'in phô',
  gmail: 'gờ meo',
  yahoo: 'da hu',
  facebook: 'phây búc',
  fb: 'ép bê',
  zalo: 'da lô',
  youtube: 'diu túp',
  http: '',
  https: '',
};

/**
 * "xuanhung" -> "xuan hung": a label that splits into syllables is said syllable by syllable.
 * Fewest syllables first; then fewer that start with a vowel ("xuanh ung" loses), then the
 * longest first syllables ("xuan hung", not "xua nhung"). Still a guess: an address is always
 * reported for the operator to check.
 */
function syllables(word: string): string[] | undefined {
  const splits: (string[] | undefined)[] = [[]];
  const vowelStarts = (parts: string[]) => parts.slice(1).filter((p) => /^[aăâeêioôơuưy]/.test(p)).length;
  const better = (a: string[], b: string[]) => {
    if (a.length !== b.length) return a.length < b.length;
    if (vowelStarts(a) !== vowelStarts(b)) return vowelStarts(a) < vowelStarts(b);
    const i = a.findIndex((p, k) => p.length !== b[k].length);
    return i >= 0 && a[i].length > b[i].length;
  };
  for (let end = 1; end <= word.length; end++) {
    for (let start = Math.max(0, end - 7); start < end; start++) {
      const head = splits[start];
      const syllable = word.slice(start, end);
      if (!head || !isVietnameseSyllable(syllable)) continue;
      const candidate = [...head, syllable];
      if (!splits[end] || better(candidate, splits[end]!)) splits[end] = candidate;
    }
  }
  return splits[word.length];
}
const TLD = '(?:vn|com|net|org|gov|edu|info|io)';
const HOST = `(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+${TLD}`;
const URL = `(?:https?:\\/\\/)?${HOST}(?:\\/[^\\s,;)]*[^\\s,;).])?`;

/** One label: a known word, a syllable as it is, otherwise as written (flagged by the caller). */
function readLabel(label: string): string {
  const lower = label.toLowerCase();
  if (HOST_LABELS[lower]) return HOST_LABELS[lower];
  if (/^\d+$/.test(lower)) return readDigits(lower);
  if (/\d/.test(lower)) return lower;
  return syllables(lower)?.join(' ') ?? spellLetters(lower);
}

function readAddress(written: string): string {
  const bare = written.replace(/^https?:\/\//i, '');
  const [host, ...path] = bare.split('/');
  const spokenHost = host.split('.').map(readLabel).join(' chấm ');
  const spokenPath = path
    .filter(Boolean)
    .map((p) =>
      p
        .split(/[.\-_]/)
        .filter(Boolean)
        .map(readLabel)
        .join(' '),
    )
    .join(' gạch chéo ');
  return ` ${spokenHost}${spokenPath ? ` gạch chéo ${spokenPath}` : ''} `;
}

/**
 * Web and mail addresses. A host name's letters cannot tell which tones were meant
 * ("xuanhung" is "Xuân Hưng"), so every address is reported for the operator to check or to
 * write as it should be said.
 */
export function readAddresses(t: string, pass: NormalizePass): string {
  t = t.replace(re(`${before}([a-z0-9._+-]+)@(${HOST})${after}`, 'giu'), (m, local: string, host: string) => {
    const reading = `${local
      .split(/[._+-]/)
      .filter(Boolean)
      .map(readLabel)
      .join(' chấm ')} a còng${readAddress(host)}`;
    pass.note(m, reading, 'web_address');
    return ` ${reading} `;
  });
  return t.replace(re(`${before}${URL}(?![\\p{L}\\p{N}@])`, 'giu'), (m) => {
    const reading = readAddress(m);
    pass.note(m, reading, 'web_address');
    return reading;
  });
}
