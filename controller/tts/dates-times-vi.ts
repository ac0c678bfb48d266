/**
 * Dates, clock times, and spans of them. A span is read "từ ... đến ...", as announcers give a
 * period with its start ("từ ngày mười lăm đến ngày hai mươi tháng mười hai", "từ tám đến mười
 * giờ"); "từ" is not doubled when the notice already has it. A bare number before the dash
 * shares the unit written after it ("8-10h": từ tám đến mười giờ); a time written whole is read
 * whole ("8h-10h30": từ tám giờ đến mười giờ ba mươi phút). Minutes are always said as minutes
 * ("14 giờ 05", "14h05", "14:05": mười bốn giờ năm phút; issue 24).
 */
import type { NormalizePass } from './normalize-pass.js';
import { DASH, after, before, re } from './text-patterns.js';
import { readMonth, readNumber, readOrdinal, romanValue } from './vietnamese-numbers.js';

/** Days 1 to 10 take "mồng": "mồng một tháng năm". */
const day = (d: string) => (Number(d) <= 10 ? `mồng ${readNumber(d)}` : readNumber(d));
const date = (d: string, m: string, y?: string) => `${day(d)} tháng ${readMonth(m)}${y ? ` năm ${readNumber(y)}` : ''}`;
const validDate = (d: string, m: string) => Number(d) >= 1 && Number(d) <= 31 && Number(m) >= 1 && Number(m) <= 12;

/** "từ" and "ngày" the writer may have put before a span; the reading supplies both once. */
const SPAN_LEAD = '(?:(từ)\\s+)?(?:ngày\\s+)?(?:(?:mồng|mùng)\\s+)?';
/** Not inside another date ("15/12-20/12": the "12-20/12" in it is no span). */
const NOT_IN_DATE = '(?<![\\d/.])';

function readDates(t: string, pass: NormalizePass): string {
  // "24/7": all day, every day, unless it is the 24th of July ("ngày 24/7").
  t = t.replace(
    re(
      `(?<!(?:ngày|hôm|mồng|mùng|sáng|chiều|tối|từ|đến)\\s*)(?<![\\d/.\\-–]\\s*)${before}24\\/7${after}(?![/.]\\d|\\s*[-–]\\s*\\d)`,
      'giu',
    ),
    'hai mươi tư trên bảy',
  );
  // Span across months: "30/4-1/5", "15/12/2025 - 15/1/2026".
  t = t.replace(
    re(
      `${before}${SPAN_LEAD}(\\d{1,2})/(\\d{1,2})(?:/(\\d{4}))?\\s*${DASH}\\s*(\\d{1,2})/(\\d{1,2})(?:/(\\d{4}))?${after}(?!/)`,
      'giu',
    ),
    (
      m,
      from: string | undefined,
      d1: string,
      m1: string,
      y1: string | undefined,
      d2: string,
      m2: string,
      y2?: string,
    ) =>
      validDate(d1, m1) && validDate(d2, m2)
        ? `${from ?? 'từ'} ngày ${date(d1, m1, y1)} đến ngày ${date(d2, m2, y2)}`
        : m,
  );

  // Day span in one month: "15-20/12", "từ ngày 3-7/9/2026".
  t = t.replace(
    re(
      `${before}${SPAN_LEAD}${NOT_IN_DATE}(\\d{1,2})\\s*${DASH}\\s*(\\d{1,2})/(\\d{1,2})(?:/(\\d{4}))?${after}(?!/)`,
      'giu',
    ),
    (m, from: string | undefined, d1: string, d2: string, mo: string, y?: string) => {
      if (!validDate(d1, mo) || !validDate(d2, mo)) return m;
      if (Number(d1) >= Number(d2)) pass.note(m, `${d1} đến ${d2}/${mo}`, 'falling_days');
      return `${from ?? 'từ'} ngày ${day(d1)} đến ngày ${date(d2, mo, y)}`;
    },
  );
  // Single dates: 15/12/2026, 1/5, 15-12-2026. "ngày" is added unless it is already there.
  const withDay = (all: string, offset: number, spoken: string) => {
    const lead = all.slice(0, offset);
    if (/(mồng|mùng)\s*$/iu.test(lead)) return spoken.replace(/^mồng /, '');
    return /ngày\s*$/iu.test(lead) ? spoken : `ngày ${spoken}`;
  };
  t = t.replace(
    re(`${before}(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4})${after}`),
    (m, d: string, mo: string, y: string, offset: number, all: string) =>
      validDate(d, mo) ? withDay(all, offset, date(d, mo, y)) : m,
  );
  t = t.replace(
    re(`${before}(\\d{1,2})/(\\d{1,2})${after}(?!/)`),
    (m, d: string, mo: string, offset: number, all: string) =>
      validDate(d, mo) ? withDay(all, offset, date(d, mo)) : m,
  );
  t = t.replace(
    re(`${before}tháng (\\d{1,2})/(\\d{4})${after}`, 'giu'),
    (_m, mo: string, y: string) => `tháng ${readMonth(mo)} năm ${readNumber(y)}`,
  );
  // "Quý I/2025", "quý 3/2026": the quarter, then the year.
  t = t.replace(
    re(`${before}(quý)\\s+([IV]{1,3}|[1-4])\\s*/\\s*(\\d{4})${after}`, 'giu'),
    (m, w: string, q: string, y: string) => {
      const n = /\d/.test(q) ? Number(q) : romanValue(q);
      return n && n <= 4 ? `${w} ${readNumber(n)} năm ${readNumber(y)}` : m;
    },
  );
  // "ngày 1-7" is the first of July in the press's way of writing dates, or days one to seven:
  // read as the date, and said to the operator.
  t = t.replace(
    re(`${before}(ngày|mồng|mùng)\\s+(\\d{1,2})-(\\d{1,2})${after}(?![-/.]\\d)`, 'giu'),
    (m, w: string, d: string, mo: string) => {
      if (!validDate(d, mo)) return m;
      const reading = `ngày ${date(d, mo)}`;
      pass.note(m, reading, 'ambiguous_date');
      return /^ngày$/iu.test(w) ? reading : reading.replace(/^ngày /, `${w} `).replace(/(mồng|mùng) mồng /u, '$1 ');
    },
  );

  // Spans of months and weekdays: "tháng 6-8" -> "tháng sáu đến tháng tám", "thứ 2-6", "thứ 2 - CN".
  t = t.replace(
    re(`${before}(tháng)\\s+(\\d{1,2})\\s*${DASH}\\s*(\\d{1,2})${after}(?!/)`, 'giu'),
    (m, w: string, a: string, b: string) =>
      Number(a) >= 1 && Number(b) <= 12 ? `${w} ${readMonth(a)} đến tháng ${readMonth(b)}` : m,
  );
  t = t.replace(
    re(`${before}(thứ)\\s+([2-7])\\s*${DASH}\\s*(?:thứ\\s+)?([2-7]|CN|chủ nhật)${after}`, 'giu'),
    (_m, w: string, a: string, b: string) =>
      `${w} ${readOrdinal(a)} đến ${/\d/.test(b) ? `thứ ${readOrdinal(b)}` : 'chủ nhật'}`,
  );
  return readShortWeekdays(t);
}

/** A weekday written short: "T2-T6", "từ T2 đến CN", "các ngày T3, T5". */
const SHORT_DAY = '(?:T[2-7]|CN)';
const weekday = (d: string) => (d === 'CN' ? 'chủ nhật' : `thứ ${readOrdinal(d.slice(1))}`);

function readShortWeekdays(t: string): string {
  // "CN" may already be "chủ nhật" (abbreviations-context.ts reads it first).
  t = t.replace(
    re(`${before}(T[2-7])\\s*${DASH}\\s*(${SHORT_DAY}|chủ nhật)${after}`),
    (_m, a: string, b: string) => `${weekday(a)} đến ${b === 'chủ nhật' ? b : weekday(b)}`,
  );
  // "T7 và CN", "T3, T5": a day beside another day.
  t = t.replace(re(`${before}(T[2-7])(?=\\s*(?:,|và|hoặc|hay)\\s*(?:T[2-7]|CN|chủ nhật)${after})`), (_m, d: string) =>
    weekday(d),
  );
  // Alone, "T2" could be a code; after these words it is a day.
  return t.replace(
    re(`(${before}(?:từ|đến|tới|các ngày|ngày|vào|và|hoặc|,)\\s*)(${SHORT_DAY})${after}`, 'giu'),
    (m, lead: string, d: string) => (/^T[2-7]$|^CN$/.test(d) ? `${lead}${weekday(d)}` : m),
  );
}

/** Minutes after the hour: two digits, or one digit when "phút" follows ("8 giờ 5 phút"). */
const MINUTES = "(?:\\d{2}|\\d(?=\\s*phút))(?:\\s*(?:phút|ph|p)(?![\\p{L}])|')?";
/** A clock time with its unit: "7h", "7h30", "7 giờ 30", "14:05", "7g30". */
const CLOCK = `\\d{1,2}(?:\\s*(?:h|giờ)(?![\\p{L}])(?:\\s*${MINUTES})?|[:g]${MINUTES})`;

function parseClock(written: string): { h: string; m?: string } | undefined {
  const [h, m] = written.match(/\d+/g) ?? [];
  if (h === undefined || Number(h) > 24 || (m !== undefined && Number(m) > 59)) return undefined;
  return { h, m };
}

/** "mười bốn giờ năm phút"; no minutes said for ":00". */
const clock = ({ h, m }: { h: string; m?: string }) =>
  `${readNumber(h)} giờ${m && Number(m) > 0 ? ` ${readNumber(m)} phút` : ''}`;

/** Parts of the day after which "9g" is nine o'clock, not nine grams. */
const PART_OF_DAY = '(?:sáng|trưa|chiều|tối|đêm)';

/** Words before "11g" that make it an hour: "đến 17g", "kết thúc 11g", "từ 7g". */
const HOUR_LEAD =
  '(?:lúc|vào|vào lúc|đến|đến lúc|tới|từ|trước|sau|kết thúc|bắt đầu|khai mạc|mở cửa|đóng cửa|hết|trong ngày)';
/** Words after "9g" that make it an hour: a part of the day, "hằng ngày", "cùng ngày", "ngày 15/12". */
const HOUR_NEXT = `(?:${PART_OF_DAY}|hằng ngày|hàng ngày|cùng ngày|ngày|hôm)`;
/** Words before "9g" that make it a weight: "nặng 9g", "mỗi gói 5g". */
const WEIGHT_LEAD = /(?:nặng|cân|gói|túi|liều|khoảng|chừng|mỗi|gam|muối|đường|bột)\s*$/iu;

/**
 * "9g tối", "lúc 7g", "đến 17g", "7g-9g": the hour written with g, as many notices do; a weight
 * ("cân 9g muối") when a noun follows or the words before weigh. At the end of a sentence with
 * nothing to decide, an hour ("Tập trung 9g."), and said to the operator.
 */
function readHoursWithG(t: string, pass: NormalizePass): string {
  const G = `(?<!\\d[.,])(\\d{1,2})g${after}`;
  t = t.replace(
    re(
      `${before}${G}(?=\\s*(?:${HOUR_NEXT}${after}|${DASH}\\s*\\d{1,2}g${after}|(?:đến|tới)\\s+\\d{1,2}g${after}))`,
      'giu',
    ),
    '$1h',
  );
  t = t.replace(re(`(${before}${HOUR_LEAD}\\s+)${G}`, 'giu'), '$1$2h');
  t = t.replace(re(`(${before}\\d{1,2}h\\s*(?:${DASH}|đến|tới)\\s*)${G}`, 'giu'), '$1$2h');
  return t.replace(re(`${before}${G}(?=\\s*(?:[.,;!?)]|$))`, 'gu'), (m, h: string, offset: number, all: string) => {
    if (Number(h) > 24 || WEIGHT_LEAD.test(all.slice(0, offset))) return m;
    pass.note(m, `${readNumber(h)} giờ`, 'hour_or_weight');
    return `${h}h`;
  });
}

function readTimes(t: string, pass: NormalizePass): string {
  t = readHoursWithG(t, pass);
  t = t.replace(
    re(`${before}(?:([Tt]ừ)\\s+)?(${CLOCK}|\\d{1,2})\\s*${DASH}\\s*(${CLOCK})${after}`),
    (m, from: string | undefined, first: string, second: string, offset: number, all: string) => {
      const a = parseClock(first);
      const b = parseClock(second);
      if (!a || !b) return m;
      const bare = /^\d+$/.test(first);
      const start = bare && b.m === undefined ? readNumber(a.h) : clock(a);
      // "trong 2-3 giờ", "lúc 8-10h": "từ" after these words would be clumsy.
      const lead = from ?? (/(?:trong|lúc)\s*$/iu.test(all.slice(0, offset)) ? '' : 'từ');
      return `${lead} ${start} đến ${clock(b)}`.trimStart();
    },
  );
  return t.replace(re(`${before}${CLOCK}${after}`), (m) => {
    const c = parseClock(m);
    return c ? clock(c) : m;
  });
}

export const readDatesAndTimes = (t: string, pass: NormalizePass) => readTimes(readDates(t, pass), pass);
