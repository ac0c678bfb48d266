/**
 * Ranges, times and quantities over random values (issue 24): whatever the numbers, the spoken
 * text read back by an independent parser (spoken-values.ts) gives the values that were written,
 * and a form the normaliser is sure of reports nothing uncertain.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeVietnameseDetailed } from '../../../controller/tts/normalize-vi.js';
import { parseClock, parseDay, parseDecimal, parseDigits, parseInteger, splitRange } from './spoken-values.js';

const RUNS = { numRuns: 1500, seed: 24 };

const spoken = (written: string) => {
  const { spoken: words, uncertain } = normalizeVietnameseDetailed(written);
  expect(uncertain, written).toEqual([]);
  expect(words, written).not.toMatch(/\d/);
  return words;
};

const space = fc.constantFrom('', ' ');
const dash = fc.tuple(space, fc.constantFrom('-', '–'), space).map((p) => p.join(''));
const hour = fc.integer({ min: 0, max: 24 });
const minute = fc.integer({ min: 0, max: 59 });
const pad = (n: number) => String(n).padStart(2, '0');

/** A clock time in one of the ways notices write it, with the value it means. */
const clockTime = fc
  .tuple(hour, minute, fc.constantFrom('h', 'hmm', 'h mm', ':', 'giờ', 'giờ mm', 'giờ m phút', 'g'))
  .map(([h, m, form]) => {
    const written = {
      h: `${h}h`,
      hmm: `${h}h${pad(m)}`,
      'h mm': `${h}h ${pad(m)}`,
      ':': `${pad(h)}:${pad(m)}`,
      giờ: `${h} giờ`,
      'giờ mm': `${h} giờ ${pad(m)}`,
      'giờ m phút': `${h} giờ ${m} phút`,
      g: `${h}g${pad(m)}`,
    }[form];
    return { written, h, m: form === 'h' || form === 'giờ' ? 0 : m };
  });

describe('times', () => {
  it('reads every clock time with its minutes as minutes (14 giờ 05, 14h05, 14:05)', () => {
    fc.assert(
      fc.property(clockTime, ({ written, h, m }) => {
        const words = spoken(`Họp lúc ${written} tại hội trường`);
        const inner = /^họp lúc (.+) tại hội trường$/.exec(words)![1];
        expect(parseClock(inner)).toEqual({ h, m });
        if (m > 0) expect(inner).toMatch(/ phút$/);
      }),
      RUNS,
    );
  });

  it('reads "8-10h" as a span with the hour said once: từ tám đến mười giờ', () => {
    fc.assert(
      fc.property(hour, dash, hour, fc.constantFrom('h', ' giờ', 'giờ'), (a, d, b, unit) => {
        const { from, a: first, b: second } = splitRange(spoken(`${a}${d}${b}${unit}`));
        expect(from).toBe(true);
        expect(parseInteger(first)).toBe(a);
        expect(parseClock(second)).toEqual({ h: b, m: 0 });
      }),
      RUNS,
    );
  });

  it('reads "8-10h30" with both hours, since the end has minutes', () => {
    fc.assert(
      fc.property(hour, dash, hour, fc.integer({ min: 1, max: 59 }), (a, d, b, m) => {
        const { a: first, b: second } = splitRange(spoken(`${a}${d}${b}h${pad(m)}`));
        expect(parseClock(first)).toEqual({ h: a, m: 0 });
        expect(parseClock(second)).toEqual({ h: b, m });
      }),
      RUNS,
    );
  });

  it('reads a span of two written times in any of their forms', () => {
    fc.assert(
      fc.property(clockTime, dash, clockTime, fc.constantFrom('', 'từ ', 'Từ '), (a, d, b, lead) => {
        const words = spoken(`${lead}${a.written}${d}${b.written}`);
        const range = splitRange(words);
        expect(range.from).toBe(true);
        expect(words.startsWith('từ từ')).toBe(false);
        expect(parseClock(range.a)).toEqual({ h: a.h, m: a.m });
        expect(parseClock(range.b)).toEqual({ h: b.h, m: b.m });
      }),
      RUNS,
    );
  });
});

const DATE_SPAN = /^từ ngày (.+?) đến ngày (.+?) tháng (.+?)(?: năm (.+))?$/;

describe('dates', () => {
  const days = fc.tuple(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 1, max: 31 })).filter(([a, b]) => a < b);
  const month = fc.integer({ min: 1, max: 12 });
  const year = fc.option(fc.integer({ min: 1945, max: 2100 }), { nil: undefined });

  it('reads "15-20/12" as từ ngày mười lăm đến ngày hai mươi tháng mười hai', () => {
    fc.assert(
      fc.property(
        days,
        dash,
        month,
        year,
        fc.constantFrom('', 'ngày ', 'từ ngày ', 'Từ ngày ', 'từ '),
        ([d1, d2], d, m, y, lead) => {
          const words = spoken(`${lead}${d1}${d}${d2}/${m}${y ? `/${y}` : ''}`);
          const match = DATE_SPAN.exec(words);
          expect(match, words).not.toBeNull();
          const [, a, b, mo, yr] = match!;
          expect([parseDay(a), parseDay(b), parseInteger(mo), yr ? parseInteger(yr) : undefined]).toEqual([
            d1,
            d2,
            m,
            y,
          ]);
        },
      ),
      RUNS,
    );
  });

  it('reads a span across months ("30/4-1/5") with both months', () => {
    const date = fc.tuple(fc.integer({ min: 1, max: 31 }), month, year);
    fc.assert(
      fc.property(date, dash, date, ([d1, m1, y1], d, [d2, m2, y2]) => {
        const written = `${d1}/${m1}${y1 ? `/${y1}` : ''}${d}${d2}/${m2}${y2 ? `/${y2}` : ''}`;
        const { from, a, b } = splitRange(spoken(written));
        expect(from).toBe(true);
        const one = (s: string) => {
          const [, day, mo, yr] = /^ngày (.+?) tháng (.+?)(?: năm (.+))?$/.exec(s)!;
          return [parseDay(day), parseInteger(mo), yr ? parseInteger(yr) : undefined];
        };
        expect([...one(a), ...one(b)]).toEqual([d1, m1, y1, d2, m2, y2]);
      }),
      RUNS,
    );
  });
});

/** Units as written, and as said after the number. */
const UNITS: [written: string, said: string, gap: string[]][] = [
  ['mm', 'mi li mét', ['', ' ']],
  ['cm', 'xen ti mét', ['', ' ']],
  ['km', 'ki lô mét', ['', ' ']],
  ['ha', 'héc ta', ['', ' ']],
  ['kg', 'ki lô gam', ['', ' ']],
  ['tấn', 'tấn', [' ']],
  ['%', 'phần trăm', ['', ' ']],
  ['°C', 'độ xê', ['', ' ']],
  ['m²', 'mét vuông', ['', ' ']],
  ['đ/kg', 'đồng một ki lô gam', ['', ' ']],
  ['đ/người', 'đồng một người', ['', ' ']],
  ['người/km²', 'người trên ki lô mét vuông', [' ']],
  ['tấn/ha', 'tấn trên héc ta', [' ']],
  ['hộ', 'hộ', [' ']],
  ['tháng tuổi', 'tháng tuổi', [' ']],
  ['người', 'người', [' ']],
];

/** A number as Vietnamese notices write it: dots between thousands, a comma before decimals. */
const amount = fc.oneof(
  fc.integer({ min: 0, max: 999_999_999 }).map((n) => ({ written: n.toLocaleString('de-DE'), value: n })),
  fc
    .tuple(fc.integer({ min: 0, max: 99_999 }), fc.stringMatching(/^\d{1,3}$/))
    .map(([n, f]) => ({ written: `${n.toLocaleString('de-DE')},${f}`, value: Number(`${n}.${f}`) })),
);
const unit = fc
  .constantFrom(...UNITS)
  .chain(([w, s, gaps]) => fc.constantFrom(...gaps).map((gap) => ({ written: w, said: s, gap })));

const stripUnit = (words: string, said: string) => {
  expect(words.endsWith(` ${said}`), `"${words}" ends with "${said}"`).toBe(true);
  return words.slice(0, -said.length - 1);
};

describe('quantities', () => {
  it('reads a number with its unit ("150mm", "35.000 đ/kg", "1.200 người/km²")', () => {
    fc.assert(
      fc.property(amount, unit, (n, u) => {
        expect(parseDecimal(stripUnit(spoken(`${n.written}${u.gap}${u.written}`), u.said))).toBe(n.value);
      }),
      RUNS,
    );
  });

  it('reads a range "A đến B" with the unit once ("150-200mm", "3.000 - 5.000 hộ", "6-59 tháng tuổi")', () => {
    const rising = fc.tuple(amount, amount).filter(([a, b]) => a.value < b.value);
    fc.assert(
      fc.property(rising, dash, unit, fc.boolean(), ([a, b], d, u, unitTwice) => {
        const first = unitTwice && u.gap === '' ? `${a.written}${u.written}` : a.written;
        const { from, a: x, b: y } = splitRange(spoken(`${first}${d}${b.written}${u.gap}${u.written}`));
        expect(from).toBe(false);
        expect(parseDecimal(x)).toBe(a.value);
        expect(parseDecimal(stripUnit(y, u.said))).toBe(b.value);
      }),
      RUNS,
    );
  });

  it('reports a dash between numbers that do not rise, and still reads both', () => {
    const falling = fc.tuple(amount, amount).filter(([a, b]) => a.value >= b.value);
    fc.assert(
      fc.property(falling, unit, ([a, b], u) => {
        const written = `${a.written}-${b.written}${u.gap}${u.written}`;
        const { spoken: words, uncertain } = normalizeVietnameseDetailed(written);
        expect(uncertain.map((x) => x.why)).toEqual(['falling_range']);
        const { a: x, b: y } = splitRange(words);
        expect([parseDecimal(x), parseDecimal(stripUnit(y, u.said))]).toEqual([a.value, b.value]);
      }),
      RUNS,
    );
  });
});

describe("counts, signs, hotlines and calendar words (the outsider's fragments)", () => {
  const counted = fc.constantFrom('hộ', 'thôn', 'người', 'học sinh', 'cụm loa', 'tiêu chí');
  it('reads "5/5 thôn" as a count out of a total and "1/2 số hộ" as a part, never as a date', () => {
    const pair = fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }));
    fc.assert(
      fc.property(pair, counted, fc.boolean(), ([a, b], noun, part) => {
        const words = spoken(`đạt ${a}/${b} ${part ? 'số ' : ''}${noun}`);
        const match = new RegExp(`^đạt (.+) (trên|phần) (.+) ${part ? 'số ' : ''}${noun}$`).exec(words);
        expect(match, words).not.toBeNull();
        expect([parseInteger(match![1]), match![2], parseInteger(match![3])]).toEqual([a, part ? 'phần' : 'trên', b]);
      }),
      RUNS,
    );
  });

  it('reads a minus sign before a temperature as "âm", alone and in a range', () => {
    const degrees = fc.integer({ min: 1, max: 40 });
    fc.assert(
      fc.property(degrees, degrees, fc.constantFrom('°C', ' độ', '°'), (a, b, unit) => {
        const unitSaid = unit === '°C' ? 'độ xê' : 'độ';
        expect(spoken(`nhiệt độ -${a}${unit}`)).toBe(`nhiệt độ âm ${spoken(String(a))} ${unitSaid}`);
        const [low, high] = [Math.max(a, b), Math.min(a, b)];
        const words = spoken(`từ -${low} đến -${high}${unit}`);
        const match = /^từ âm (.+) đến âm (.+) độ(?: xê)?$/.exec(words);
        expect(match, words).not.toBeNull();
        expect([parseInteger(match![1]), parseInteger(match![2])]).toEqual([low, high]);
      }),
      RUNS,
    );
  });

  it('reads 1800 and 1900 lines digit by digit, in the groups they are written in', () => {
    const tail = fc.constantFrom(4, 6).chain((n) => fc.stringMatching(new RegExp(`^\\d{${n}}$`)));
    fc.assert(
      fc.property(fc.constantFrom('1800', '1900'), fc.constantFrom(' ', '.', ''), tail, (head, sep, rest) => {
        const grouped = sep === '' ? rest : rest.match(/\d{2}/g)!.join(sep);
        expect(parseDigits(spoken(`đường dây nóng ${head}${sep}${grouped}`).replace('đường dây nóng ', ''))).toBe(
          `${head}${rest}`,
        );
      }),
      RUNS,
    );
  });

  it('reads emergency numbers digit by digit after a word that calls, several in a row too', () => {
    const emergency = fc.constantFrom('112', '113', '114', '115', '111');
    const lead = fc.constantFrom(
      'gọi',
      'gọi ngay',
      'gọi điện đến số',
      'đường dây nóng',
      'cấp cứu',
      'công an',
      'hotline',
    );
    fc.assert(
      fc.property(lead, emergency, emergency, fc.constantFrom(' hoặc ', ', ', ' và '), (l, a, b, joiner) => {
        const words = spoken(`${l} ${a}${joiner}${b}`);
        const [x, y] = words.slice(l.length + 1).split(joiner.trim() === ',' ? ', ' : joiner);
        expect([parseDigits(x), parseDigits(y)]).toEqual([a, b]);
      }),
      RUNS,
    );
    // What a number counts is not a number to call.
    expect(spoken('tổng số 115 hộ')).toBe('tổng số một trăm mười lăm hộ');
  });

  it('reads a quarter with its year, in Roman or Arabic numerals', () => {
    const roman = ['I', 'II', 'III', 'IV'];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2000, max: 2099 }),
        fc.boolean(),
        (q, y, isRoman) => {
          const match = /^quý (.+?) năm (.+)$/.exec(spoken(`Quý ${isRoman ? roman[q - 1] : q}/${y}`));
          expect(match).not.toBeNull();
          expect([parseInteger(match![1]), parseInteger(match![2])]).toEqual([q, y]);
        },
      ),
      RUNS,
    );
  });

  it('reads "9g tối" and "lúc 7g" as hours, not grams', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom('sáng', 'trưa', 'chiều', 'tối', 'đêm'),
        (h, part) => {
          expect(parseClock(spoken(`${h}g ${part}`).replace(` ${part}`, ''))).toEqual({ h, m: 0 });
          expect(parseClock(spoken(`lúc ${h}g`).replace('lúc ', ''))).toEqual({ h, m: 0 });
        },
      ),
      RUNS,
    );
    expect(spoken('cân 9g muối')).toBe('cân chín gam muối');
  });

  it('reads weekday spans written short ("T2-T6", "T2 - CN")', () => {
    const names = ['hai', 'ba', 'tư', 'năm', 'sáu', 'bảy'];
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 3, max: 8 }), dash, (a, b, d) => {
        const end = b === 8 ? 'CN' : `T${b}`;
        expect(spoken(`từ T${a}${d}${end}`)).toBe(
          `từ thứ ${names[a - 2]} đến ${b === 8 ? 'chủ nhật' : `thứ ${names[b - 2]}`}`,
        );
      }),
      RUNS,
    );
  });
});
