/**
 * Reads spoken Vietnamese back into values, for the property tests: an implementation of its own,
 * not the normaliser's, so that a wrong reading cannot agree with itself.
 */
const DIGIT: Record<string, number> = {
  không: 0,
  một: 1,
  mốt: 1,
  hai: 2,
  ba: 3,
  bốn: 4,
  tư: 4,
  năm: 5,
  lăm: 5,
  sáu: 6,
  bảy: 7,
  tám: 8,
  chín: 9,
};

/** Whole numbers: "hai nghìn không trăm hai mươi sáu" -> 2026. Throws on any other word. */
export function parseInteger(spoken: string): number {
  let billions = 0;
  let total = 0; // completed thousands and millions
  let group = 0; // below a thousand
  let pending = 0; // a digit waiting for its multiplier
  for (const w of spoken.trim().split(/\s+/)) {
    if (w in DIGIT) pending = DIGIT[w];
    else if (w === 'mười') group += 10;
    else if (w === 'mươi') [group, pending] = [group + pending * 10, 0];
    else if (w === 'trăm') [group, pending] = [group + pending * 100, 0];
    else if (w === 'linh' || w === 'lẻ') continue;
    else if (w === 'nghìn' || w === 'ngàn') [total, group, pending] = [total + (group + pending) * 1000, 0, 0];
    else if (w === 'triệu') [total, group, pending] = [total + (group + pending) * 1_000_000, 0, 0];
    else if (w === 'tỷ') [billions, total, group, pending] = [total + group + pending, 0, 0, 0];
    else throw new Error(`not a number word: "${w}" in "${spoken}"`);
  }
  return billions * 1_000_000_000 + total + group + pending;
}

/** With a decimal part: "sáu phẩy không năm" -> 6.05 (the digits after "phẩy" keep their zeros). */
export function parseDecimal(spoken: string): number {
  const [whole, fraction] = spoken.split(' phẩy ');
  if (fraction === undefined) return parseInteger(whole);
  const zeros = fraction
    .match(/^(?:không )*/)![0]
    .split(' ')
    .filter(Boolean).length;
  const rest = fraction.replace(/^(?:không )*/, '');
  return Number(`${parseInteger(whole)}.${'0'.repeat(zeros)}${rest ? parseInteger(rest) : ''}`);
}

/** "mười bốn giờ năm phút" -> { h: 14, m: 5 }; "mười bốn giờ" -> { h: 14, m: 0 }. */
export function parseClock(spoken: string): { h: number; m: number } {
  const match = /^(.+?) giờ(?: (.+) phút)?$/.exec(spoken.trim());
  if (!match) throw new Error(`not a clock time: "${spoken}"`);
  return { h: parseInteger(match[1]), m: match[2] ? parseInteger(match[2]) : 0 };
}

/** A day of the month, with "mồng" required exactly for 1 to 10. */
export function parseDay(spoken: string): number {
  const mong = spoken.startsWith('mồng ');
  const d = parseInteger(spoken.replace(/^mồng /, ''));
  if (mong !== d <= 10) throw new Error(`"mồng" misused in "${spoken}"`);
  return d;
}

/** "từ X đến Y": the two ends, and whether "từ" was said. */
export function splitRange(spoken: string): { from: boolean; a: string; b: string } {
  const match = /^(từ )?(.+) đến (.+)$/.exec(spoken.trim());
  if (!match) throw new Error(`not a range: "${spoken}"`);
  return { from: Boolean(match[1]), a: match[2], b: match[3] };
}

/** Digit by digit, pauses allowed: "một chín không không, một hai" -> "190012". */
export function parseDigits(spoken: string): string {
  return spoken
    .replace(/,/g, ' ')
    .trim()
    .split(/\s+/)
    .map((w) => {
      if (!(w in DIGIT) || w === 'mốt' || w === 'lăm' || w === 'tư')
        throw new Error(`not a digit word: "${w}" in "${spoken}"`);
      return String(DIGIT[w]);
    })
    .join('');
}
