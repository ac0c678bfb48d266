/**
 * Quantities: a number with its unit, and ranges of them. A range is read "A đến B" with the
 * unit said once, at the end ("150-200mm": một trăm năm mươi đến hai trăm mi li mét; "3.000 -
 * 5.000 hộ": ba nghìn đến năm nghìn hộ), as in weather and support notices; unlike a span of time
 * it takes no "từ" (dates-times-vi.ts). A unit pair is "trên" ("người/km²": người trên ki lô mét
 * vuông), except a price, which is "một" ("đ/kg": đồng một ki lô gam).
 */
import type { NormalizePass } from './normalize-pass.js';
import { DASH, NUMBER, WORD, after, before, escapeRegExp, re } from './text-patterns.js';
import { decimalValue, readDecimal, readNumber } from './vietnamese-numbers.js';

/** Units read after a number, longest first so that "km²" wins over "km" and "m". */
export const UNITS: readonly [string, string][] = [
  ['km/h', 'ki lô mét trên giờ'],
  ['km²', 'ki lô mét vuông'],
  ['km2', 'ki lô mét vuông'],
  ['cm²', 'xen ti mét vuông'],
  ['m²', 'mét vuông'],
  ['m2', 'mét vuông'],
  ['m³', 'mét khối'],
  ['m3', 'mét khối'],
  ['kWh', 'ki lô oát giờ'],
  ['kW', 'ki lô oát'],
  ['MW', 'mê ga oát'],
  ['°C', 'độ xê'],
  ['VNĐ', 'đồng'],
  ['VND', 'đồng'],
  ['USD', 'đô la mỹ'],
  ['tấn', 'tấn'],
  ['tạ', 'tạ'],
  ['km', 'ki lô mét'],
  ['cm', 'xen ti mét'],
  ['mm', 'mi li mét'],
  ['ha', 'héc ta'],
  ['kg', 'ki lô gam'],
  ['mg', 'mi li gam'],
  ['ml', 'mi li lít'],
  ['%', 'phần trăm'],
  ['°', 'độ'],
  ['m', 'mét'],
  ['l', 'lít'],
  ['g', 'gam'],
  ['đ', 'đồng'],
];
const UNIT_WORDS = new Map(UNITS);
/** Only ever below a slash: "m³/h", "m³/s". */
const PER_WORDS = new Map([
  ['h', 'giờ'],
  ['s', 'giây'],
]);
const CURRENCY = new Set(['đ', 'đồng', 'VNĐ', 'VND', 'USD']);
/**
 * What a rate is counted per: "lần/ngày", "đồng/người/năm", "0,5 ml/con" are said with "một" (lần
 * một ngày); a physical ratio ("người/km²", "m³/s") keeps "trên".
 */
export const PER_ITEM = new Set([
  'người',
  'năm',
  'ngày',
  'tháng',
  'tuần',
  'quý',
  'vụ',
  'con',
  'hộ',
  'lần',
  'khẩu',
  'suất',
  'lượt',
  'em',
  'cháu',
  'học sinh',
  'xã',
  'thôn',
  'chai',
  'gói',
  'hộp',
  'bao',
  'cái',
  'chiếc',
  'bộ',
  'buổi',
  'ca',
  'liều',
  'đợt',
  'trường hợp',
]);
/** Pairs of people named together: "anh/chị", "ông/bà" are said "anh chị", "ông bà". */
const PEOPLE = new Set(['anh', 'chị', 'ông', 'bà', 'cô', 'chú', 'bác', 'em', 'cháu', 'cha', 'mẹ', 'bố']);

/** A slash between two words, once the rules with numbers have run. */
export function readSlashes(t: string): string {
  return t.replace(/(\p{L}+)\/(?=(\p{L}+))/gu, (_m, left: string, right: string) => {
    const l = left.toLocaleLowerCase('vi');
    const r = right.toLocaleLowerCase('vi');
    if (PEOPLE.has(l) && PEOPLE.has(r)) return `${left} `;
    return `${left} ${PER_ITEM.has(r) ? 'một' : 'trên'} `;
  });
}

const UNIT = `(?:${UNITS.map(([u]) => escapeRegExp(u)).join('|')})(?![${WORD}])`;
const PER = `(?:${UNIT}|[hs](?![${WORD}])|\\p{Ll}+(?![${WORD}]))`;
/** A unit, a unit pair, or a word over a unit ("người/km²"). */
const UNIT_EXPR = `(?:${UNIT}(?:\\s*\\/\\s*${PER})?|\\p{Ll}+\\s*\\/\\s*${PER})`;

function readUnit(written: string): string {
  const unit = written.trim();
  const whole = UNIT_WORDS.get(unit);
  if (whole) return whole;
  const [top, bottom] = unit.split('/').map((s) => s.trim());
  const below = UNIT_WORDS.get(bottom) ?? PER_WORDS.get(bottom) ?? bottom;
  return `${UNIT_WORDS.get(top) ?? top} ${CURRENCY.has(top) || PER_ITEM.has(bottom) ? 'một' : 'trên'} ${below}`;
}

/** Words after which a spaced dash separates a name from a count ("thôn 1 - 5 hộ"), not a range. */
const NUMBERED_NAME = /(?:thôn|xóm|tổ|đội|khu|lô|phòng|số|điều|khoản|mục)\s*$/iu;

export function readQuantities(t: string, pass: NormalizePass): string {
  t = t.replace(
    re(
      `${before}(${NUMBER})(\\s*${UNIT_EXPR})?(?:(\\s*${DASH}\\s*)(${NUMBER})(\\s*${UNIT_EXPR})?)?(?![\\p{N}]|[.,]\\d)`,
    ),
    (
      m,
      a: string,
      unitA: string | undefined,
      dash: string | undefined,
      b: string | undefined,
      unitB: string | undefined,
      offset: number,
      all: string,
    ) => {
      if (b === undefined) return unitA ? `${readDecimal(a)} ${readUnit(unitA)}` : m;
      const spoken = (n: string, unit?: string) => `${readDecimal(n)}${unit ? ` ${readUnit(unit)}` : ''}`;
      if (NUMBERED_NAME.test(all.slice(0, offset))) {
        // "thôn 1 - 25 hộ": a name, then a count; "thôn 1-2": two places, or the span between them.
        const spaced = dash!.trim() !== dash;
        const reading = spaced
          ? `${spoken(a, unitA)}, ${spoken(b, unitB)}`
          : `${spoken(a, unitA)} đến ${spoken(b, unitB)}`;
        pass.note(m, reading, spaced ? 'dash_as_pause' : 'numbered_range');
        return reading;
      }
      // Leading zeros are codes or list numbers, not amounts.
      if (/^0\d/.test(a) || /^0\d/.test(b)) return m;
      const same = !unitA || !unitB || readUnit(unitA) === readUnit(unitB);
      const reading = same
        ? `${readDecimal(a)} đến ${spoken(b, unitB ?? unitA)}`
        : `${spoken(a, unitA)} đến ${spoken(b, unitB)}`;
      if (decimalValue(a) >= decimalValue(b)) pass.note(m, reading, 'falling_range');
      return reading;
    },
  );
  // A unit pair with no number: a price column "đ/kg", a density "người/km²".
  t = t.replace(re(`${before}(${UNIT}|\\p{Ll}+)\\s*\\/\\s*(${PER})`), (m, top: string, bottom: string) =>
    UNIT_WORDS.has(top) || UNIT_WORDS.has(bottom) ? readUnit(`${top}/${bottom}`) : m,
  );
  // Units of two letters or more alone ("ĐVT: kg"); single letters are words or initials.
  return t.replace(re(`${before}(km\\/h|km²|cm²|m²|m³|kWh|km|kg|cm|mm|ml|mg)${after}`), (u: string) =>
    UNIT_WORDS.get(u)!,
  );
}

/**
 * A minus sign is "âm" where the number is a temperature ("-5°C", "−3 độ") or written with the
 * true minus sign; elsewhere a dash before a number is a list mark or a range.
 */
/** "25k", "500k": thousands (of đồng), as prices are written in chats and on posters. */
export function readThousands(t: string): string {
  return t.replace(re(`${before}(\\d{1,3})[kK]${after}`), (_m, n: string) => `${readNumber(n)} nghìn`);
}

export function readSigns(t: string): string {
  t = t.replace(/\u2212(?=\d)/gu, ' âm ');
  const degrees = `(?:°|độ${after})`;
  // "-5°C", and the first end of "từ -3 đến -5 độ".
  return t.replace(
    re(
      `(?<=^|[\\s(:;,])(?<!\\d\\s*(?:°C?|độ)?\\s*)-(?=(?:${NUMBER})\\s*(?:${degrees}|(?:đến|tới|${DASH})\\s*[-\u2212]?(?:${NUMBER})\\s*${degrees}))`,
    ),
    'âm ',
  );
}

/** Nouns counted out of a total: "5/5 thôn", "12/12 hộ", "1/2 số hộ". */
export const COUNTED = [
  'hộ',
  'thôn',
  'xóm',
  'ấp',
  'bản',
  'làng',
  'xã',
  'phường',
  'tổ',
  'khu',
  'người',
  'khẩu',
  'nhân khẩu',
  'học sinh',
  'em',
  'cháu',
  'trẻ',
  'cụm loa',
  'loa',
  'điểm',
  'trường',
  'lớp',
  'đơn vị',
  'chi hội',
  'chi bộ',
  'gia đình',
  'hồ sơ',
  'thửa',
  'con',
  'chỉ tiêu',
  'tiêu chí',
  'xe',
  'ca',
  'trường hợp',
  'công trình',
  'hạng mục',
  'cơ sở',
  'doanh nghiệp',
  'hợp tác xã',
  'số',
  'tổng số',
  'diện tích',
  'dân số',
].sort((a, b) => b.length - a.length);
/** "1/2 số hộ" is a part of a whole ("một phần hai"); "5/5 thôn" is a count out of a total ("năm trên năm"). */
const PART_OF = /^(?:số|tổng số|diện tích|dân số)$/u;
/** Words after which "a/b" is a date whatever follows: "ngày 5/5 thôn ... tổ chức". */
const DATE_BEFORE = /(?:ngày|hôm|mồng|mùng|sáng|trưa|chiều|tối|đêm|từ|đến|tới|trước|sau|thứ\s+\p{L}+|chủ nhật)\s*$/iu;

/** Counts written with a leading zero, as forms do: "cử 01 người", "02 bản sao". */
const COUNTED_ALSO = [
  'bản',
  'bản sao',
  'bộ',
  'cái',
  'chiếc',
  'tờ',
  'ảnh',
  'quyển',
  'suất',
  'lượt',
  'đồng chí',
  'cán bộ',
  'đại biểu',
];
export function readZeroCounts(t: string): string {
  const nouns = [...COUNTED, ...COUNTED_ALSO].sort((a, b) => b.length - a.length).join('|');
  return t.replace(re(`${before}(?<!\\d[.,])0(\\d)(?=\\s+(?:${nouns})${after})`, 'giu'), (_m, d: string) =>
    readNumber(d),
  );
}

export function readFractions(t: string): string {
  // Two counts written as one: "1.250 hộ/4.380 khẩu" is one, then the other.
  t = t.replace(re(`(${before}(?:${NUMBER})\\s*\\p{Ll}+)\\s*\\/\\s*(?=(?:${NUMBER})\\s*\\p{Ll})`), '$1, ');
  return t.replace(
    re(`${before}(\\d{1,4})\\/(\\d{1,4})(?=\\s+(${COUNTED.join('|')})${after})`, 'giu'),
    (m, a: string, b: string, noun: string, offset: number, all: string) => {
      if (DATE_BEFORE.test(all.slice(0, offset)) || Number(b) === 0) return m;
      return `${readNumber(a)} ${PART_OF.test(noun.toLocaleLowerCase('vi')) ? 'phần' : 'trên'} ${readNumber(b)}`;
    },
  );
}
