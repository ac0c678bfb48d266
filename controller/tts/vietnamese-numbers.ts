/**
 * How Vietnamese announcers read numbers: 21 "hai mươi mốt", 24 "hai mươi tư", 25 "hai mươi
 * lăm", 105 "một trăm linh năm", 2026 "hai nghìn không trăm hai mươi sáu",
 * 2.500.000 "hai triệu năm trăm nghìn".
 */
export const DIGIT_WORDS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];
const GROUP_WORDS = ['', 'nghìn', 'triệu', 'tỷ', 'nghìn tỷ', 'triệu tỷ'];

/** 0-999; `full` reads a group that follows a larger one ("không trăm linh năm"). */
function readTriple(n: number, full: boolean): string[] {
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  const words: string[] = [];
  const hasHundreds = h > 0 || full;
  if (hasHundreds) words.push(DIGIT_WORDS[h], 'trăm');
  if (t === 0) {
    if (u > 0) {
      if (hasHundreds) words.push('linh');
      words.push(DIGIT_WORDS[u]);
    }
  } else if (t === 1) {
    words.push('mười');
    if (u === 5) words.push('lăm');
    else if (u > 0) words.push(DIGIT_WORDS[u]);
  } else {
    words.push(DIGIT_WORDS[t], 'mươi');
    if (u === 1) words.push('mốt');
    else if (u === 4) words.push('tư');
    else if (u === 5) words.push('lăm');
    else if (u > 0) words.push(DIGIT_WORDS[u]);
  }
  return words;
}

/** Reads a non-negative integer given as digits (any length up to 18 digits). */
export function readNumber(digits: string | number | bigint): string {
  let n = BigInt(String(digits).replace(/^0+(?=\d)/, ''));
  if (n === 0n) return 'không';
  const groups: number[] = [];
  while (n > 0n) {
    groups.push(Number(n % 1000n));
    n /= 1000n;
  }
  if (groups.length > GROUP_WORDS.length) return readDigits(String(digits));
  const words: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i];
    if (g === 0) continue;
    words.push(...readTriple(g, i < groups.length - 1));
    if (GROUP_WORDS[i]) words.push(GROUP_WORDS[i]);
  }
  return words.join(' ');
}

/** Digit by digit, as for phone numbers and codes: "0912" "không chín một hai". */
export function readDigits(digits: string): string {
  return [...digits]
    .filter((c) => c >= '0' && c <= '9')
    .map((c) => DIGIT_WORDS[Number(c)])
    .join(' ');
}

/** After "thứ": 1 "nhất", 4 "tư" (thứ tư: Wednesday, or fourth). */
export function readOrdinal(digits: string): string {
  const n = Number(digits);
  if (n === 1) return 'nhất';
  if (n === 4) return 'tư';
  return readNumber(digits);
}

/** Month names: "tháng tư" for April. */
export function readMonth(digits: string): string {
  return Number(digits) === 4 ? 'tư' : readNumber(digits);
}

const ROMAN: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

/** The value of a well-formed Roman numeral, or undefined. */
export function romanValue(token: string): number | undefined {
  if (!/^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$/.test(token) || token === '') return undefined;
  let total = 0;
  for (let i = 0; i < token.length; i++) {
    const v = ROMAN[token[i]];
    const next = ROMAN[token[i + 1]] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}

/** "12,5" -> "mười hai phẩy năm"; "2.500.000" -> "hai triệu năm trăm nghìn" (dots group thousands). */
export function readDecimal(text: string): string {
  const [int, frac] = text.replace(/\./g, '').split(',');
  const whole = readNumber(int);
  if (frac === undefined) return whole;
  // Leading zeros after the comma are read ("3,05": ba phẩy không năm).
  const zeros = frac.match(/^0+/)?.[0].length ?? 0;
  const rest = frac.slice(zeros);
  return [whole, 'phẩy', ...Array(zeros).fill('không'), ...(rest ? [readNumber(rest)] : [])].join(' ');
}

/** The value of a number written the Vietnamese way ("2.500.000", "3,5"). */
export const decimalValue = (text: string) => Number(text.replace(/\./g, '').replace(',', '.'));
