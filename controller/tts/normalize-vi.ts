/**
 * Vietnamese text normalisation before synthesis: turns what staff type into what an announcer
 * says. Numbers, decimals ("3,5" ba phẩy năm), thousands ("2.500.000"), percentages, dates,
 * times and ranges, phone numbers digit by digit, units, Roman numerals after the words that
 * take them (khóa XVI), and the abbreviations of official notices. A pure function; the rules
 * run in order, each on what the earlier ones left.
 */
import { readDigits, readMonth, readNumber, readOrdinal, romanValue } from './vietnamese-numbers.js';

const L = '\\p{L}\\p{N}';
const before = `(?<![${L}])`;
const after = `(?![${L}])`;
const re = (source: string, flags = 'gu') => new RegExp(source, flags);

/** Abbreviations of official notices; matched as whole words, case as written. */
export const ABBREVIATIONS: Record<string, string> = {
  UBND: 'ủy ban nhân dân', HĐND: 'hội đồng nhân dân', UBMTTQ: 'ủy ban mặt trận tổ quốc', MTTQ: 'mặt trận tổ quốc',
  BCH: 'ban chấp hành', BTV: 'ban thường vụ', BCĐ: 'ban chỉ đạo', BQL: 'ban quản lý', ĐU: 'đảng ủy', TW: 'trung ương',
  CA: 'công an', QS: 'quân sự', BCHQS: 'ban chỉ huy quân sự', DQTV: 'dân quân tự vệ', PCCC: 'phòng cháy chữa cháy',
  PCTT: 'phòng chống thiên tai', TKCN: 'tìm kiếm cứu nạn', 'PCTT&TKCN': 'phòng chống thiên tai và tìm kiếm cứu nạn',
  ATGT: 'an toàn giao thông', ANTT: 'an ninh trật tự', BHYT: 'bảo hiểm y tế', BHXH: 'bảo hiểm xã hội', CCCD: 'căn cước công dân',
  CMND: 'chứng minh nhân dân', THCS: 'trung học cơ sở', THPT: 'trung học phổ thông', HTX: 'hợp tác xã', CLB: 'câu lạc bộ',
  NTM: 'nông thôn mới', 'KT-XH': 'kinh tế xã hội', KTXH: 'kinh tế xã hội', 'GD&ĐT': 'giáo dục và đào tạo', 'NĐ-CP': 'nghị định chính phủ',
  'TT-BTTTT': 'thông tư bộ thông tin và truyền thông', BTTTT: 'bộ thông tin và truyền thông', QĐ: 'quyết định', NQ: 'nghị quyết',
  CT: 'chỉ thị', KH: 'kế hoạch', TB: 'thông báo', CV: 'công văn', UBKT: 'ủy ban kiểm tra', VN: 'việt nam', TP: 'thành phố',
  SĐT: 'số điện thoại', ĐT: 'điện thoại', CSGT: 'cảnh sát giao thông', TNCS: 'thanh niên cộng sản', HCM: 'hồ chí minh',
  GS: 'giáo sư', PGS: 'phó giáo sư', TS: 'tiến sĩ', ThS: 'thạc sĩ', BS: 'bác sĩ', ĐVT: 'đơn vị tính',
  Đ: 'đồng', VNĐ: 'việt nam đồng', VND: 'việt nam đồng', USD: 'đô la mỹ',
};

/** Abbreviations written with punctuation, replaced before anything else. */
const PUNCTUATED: [RegExp, string][] = [
  [re(`${before}[Đđ]\\/[Cc]${after}`), 'đồng chí'],
  [re(`${before}TP\\.\\s*`), 'thành phố '],
  [re(`${before}[Vv]\\.[Vv]\\.`), 'vân vân'],
  [re(`${before}[Cc]ovid-19${after}`), 'cô vít mười chín'],
  [re(`${before}(?:Tp|tp)\\.\\s*`), 'thành phố '],
  [re(`${before}ThS\\.\\s*`), 'thạc sĩ '],
  [re(`${before}TS\\.\\s*`), 'tiến sĩ '],
  [re(`${before}BS\\.\\s*`), 'bác sĩ '],
  [re(`${before}GS\\.\\s*`), 'giáo sư '],
  [re(`${before}Q\\.\\s*(?=\\d)`), 'quận '],
  [re(`${before}P\\.\\s*(?=\\d)`), 'phường '],
];

/** Units read after a number. Longest first. */
const UNITS: [string, string][] = [
  ['km/h', 'ki lô mét trên giờ'], ['km²', 'ki lô mét vuông'], ['km2', 'ki lô mét vuông'], ['m²', 'mét vuông'], ['m2', 'mét vuông'],
  ['m³', 'mét khối'], ['m3', 'mét khối'], ['kWh', 'ki lô oát giờ'], ['kW', 'ki lô oát'], ['MW', 'mê ga oát'], ['km', 'ki lô mét'],
  ['cm', 'xen ti mét'], ['mm', 'mi li mét'], ['ha', 'héc ta'], ['kg', 'ki lô gam'], ['ml', 'mi li lít'], ['m', 'mét'], ['l', 'lít'],
  ['g', 'gam'], ['tấn', 'tấn'], ['đ', 'đồng'], ['VNĐ', 'đồng'], ['VND', 'đồng'], ['USD', 'đô la mỹ'],
];

const UNIT_WORDS = new Map(UNITS);
const UNIT_PATTERN = UNITS.map(([u]) => u.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');

/** Words after which a Roman numeral is a number (khóa XVI, quý III, thế kỷ XXI). */
const ROMAN_CONTEXT = ['khóa', 'khoá', 'quý', 'kỷ', 'kỳ', 'hội', 'lần thứ', 'thứ', 'phần', 'chương', 'mục', 'tập', 'cấp', 'vùng', 'đợt', 'giai đoạn', 'khu'];

/** "12,5" -> "mười hai phẩy năm"; "2.500.000" -> "hai triệu năm trăm nghìn". */
function readDecimal(text: string): string {
  const [int, frac] = text.replace(/\./g, '').split(',');
  const whole = readNumber(int);
  if (frac === undefined) return whole;
  // Leading zeros after the comma are read ("3,05": ba phẩy không năm).
  const zeros = frac.match(/^0+/)?.[0].length ?? 0;
  const rest = frac.slice(zeros);
  return [whole, 'phẩy', ...Array(zeros).fill('không'), ...(rest ? [readNumber(rest)] : [])].join(' ');
}

const NUMBER = '\\d{1,3}(?:\\.\\d{3})+(?:,\\d+)?|\\d+(?:,\\d+)?';

function time(h: string, m?: string): string {
  const hours = `${readNumber(h)} giờ`;
  return m && Number(m) > 0 ? `${hours} ${readNumber(m)} phút` : hours;
}

function date(d: string, m: string, y?: string): string {
  const day = Number(d) <= 10 ? `mồng ${readNumber(d)}` : readNumber(d);
  return `${day} tháng ${readMonth(m)}${y ? ` năm ${readNumber(y)}` : ''}`;
}

const validDate = (d: string, m: string) => Number(d) >= 1 && Number(d) <= 31 && Number(m) >= 1 && Number(m) <= 12;

export function normalizeVietnamese(input: string): string {
  let t = input.normalize('NFC').replace(/[\u200B-\u200D\uFEFF]/g, '').replace(/[“”"]/g, '').replace(/\s+/g, ' ');

  for (const [pattern, words] of PUNCTUATED) t = t.replace(pattern, words);

  // Phone numbers: 10 or 11 digits starting with 0 (or +84), in groups of any kind.
  t = t.replace(re(`${before}(\\+84|0)(\\d(?:[ .]?\\d){8,9})${after}`), (_m, prefix: string, rest: string) =>
    `${prefix === '+84' ? 'cộng tám tư ' : 'không '}${readDigits(rest)}`);

  // Emergency and service numbers are said digit by digit: "gọi 113" -> "gọi một một ba".
  t = t.replace(re(`(${before}(?:gọi|số|tổng đài|đường dây nóng|hotline)\\s+)(11[1-7]|1022)${after}`, 'giu'), (_m, lead: string, n: string) => `${lead}${readDigits(n)}`);

  // Dates: 15/12/2026, 1/5, 15-12-2026. "ngày" is added unless it is already there.
  const withDay = (text: string, offset: number, whole: string, spoken: string) =>
    /(mồng|mùng)\s*$/iu.test(text.slice(0, offset)) ? spoken.replace(/^mồng /, '') : /ngày\s*$/iu.test(text.slice(0, offset)) ? spoken : `ngày ${spoken}`;
  t = t.replace(re(`${before}(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4})${after}`), (m, d: string, mo: string, y: string, offset: number, all: string) =>
    validDate(d, mo) ? withDay(all, offset, m, date(d, mo, y)) : m);
  t = t.replace(re(`${before}(\\d{1,2})/(\\d{1,2})${after}(?!/)`), (m, d: string, mo: string, offset: number, all: string) =>
    validDate(d, mo) ? withDay(all, offset, m, date(d, mo)) : m);
  t = t.replace(re(`${before}tháng (\\d{1,2})/(\\d{4})${after}`, 'giu'), (_m, mo: string, y: string) => `tháng ${readMonth(mo)} năm ${readNumber(y)}`);

  // Document numbers: "số 49/2024/NĐ-CP" -> "số bốn mươi chín năm hai nghìn ... nghị định chính phủ".
  t = t.replace(re(`${before}(\\d+)/(\\d{4})/(?=[\\p{Lu}Đ])`), (_m, n: string, y: string) => `${readNumber(n)} năm ${readNumber(y)} `);

  // Times and time ranges: 7h30, 7h, 14:00, 7h-11h, 7 giờ 30.
  t = t.replace(re(`${before}(\\d{1,2})\\s*(?:h|giờ|g|:)\\s*(\\d{2})?\\s*(?:phút|p|')?\\s*[-–]\\s*(\\d{1,2})\\s*(?:h|giờ|g|:)\\s*(\\d{2})?${after}`), (_m, h1, m1, h2, m2) =>
    `${time(h1, m1)} đến ${time(h2, m2)}`);
  t = t.replace(re(`${before}(\\d{1,2})(?:h|g|:)(\\d{2})(?:'|p|ph)?${after}`), (_m, h: string, m: string) => (Number(h) < 25 && Number(m) < 60 ? time(h, m) : _m));
  t = t.replace(re(`${before}(\\d{1,2})h${after}`), (_m, h: string) => time(h));

  // Percent and temperature.
  t = t.replace(re(`(${NUMBER})\\s*%`), (_m, n: string) => `${readDecimal(n)} phần trăm`);
  t = t.replace(re(`(${NUMBER})\\s*°\\s*C${after}`), (_m, n: string) => `${readDecimal(n)} độ xê`);
  t = t.replace(re(`(${NUMBER})\\s*°`), (_m, n: string) => `${readDecimal(n)} độ`);

  // Ranges of numbers: "2-3 ngày" -> "hai đến ba ngày".
  t = t.replace(re(`${before}(${NUMBER})\\s*[-–]\\s*(${NUMBER})(?:\\s*(${UNIT_PATTERN}))?${after}`), (_m, a: string, b: string, unit?: string) =>
    `${readDecimal(a)} đến ${readDecimal(b)}${unit ? ` ${UNIT_WORDS.get(unit)}` : ''}`);

  // Units after a number.
  for (const [unit, words] of UNITS) {
    const escaped = unit.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    t = t.replace(re(`(${NUMBER})\\s*${escaped}${after}`), (_m, n: string) => `${readDecimal(n)} ${words}`);
  }

  // Roman numerals after the words that take them.
  for (const word of ROMAN_CONTEXT) {
    t = t.replace(re(`(${before}${word}\\s+)([IVXLCDM]+)${after}`, 'giu'), (m, lead: string, roman: string) => {
      const value = romanValue(roman);
      return value ? `${lead}${readNumber(value)}` : m;
    });
  }
  // Any other well-formed Roman numeral of two letters or more written in capitals (Đại hội XIII).
  t = t.replace(re(`${before}([IVXLCDM]{2,})${after}`), (m, roman: string) => {
    if (ABBREVIATIONS[roman]) return m;
    const value = romanValue(roman);
    return value ? readNumber(value) : m;
  });

  // Ordinals and months.
  t = t.replace(re(`${before}(thứ)\\s+(\\d+)${after}`, 'giu'), (_m, w: string, n: string) => `${w} ${readOrdinal(n)}`);
  t = t.replace(re(`${before}(tháng)\\s+(\\d{1,2})${after}`, 'giu'), (_m, w: string, n: string) => `${w} ${readMonth(n)}`);

  // Remaining numbers: with a leading zero, digit by digit ("05"); otherwise as a quantity.
  t = t.replace(re(`(?<![${L}]|\\d[.,])0\\d+${after}`), (m) => readDigits(m));
  t = t.replace(re(`${NUMBER}`), (m) => readDecimal(m));

  // Abbreviations, as whole words.
  t = t.replace(re(`${before}([\\p{Lu}Đ][\\p{L}Đđ&-]*[\\p{Lu}Đ\\d]|[\\p{Lu}][a-z][\\p{Lu}]|Đ|CT|CA)${after}`), (m) => ABBREVIATIONS[m] ?? m);

  t = t.replace(/&/g, ' và ').replace(/(?<=\p{L})\/(?=\p{L})/gu, ' trên ').replace(/[*_#~^|<>{}[\]\\]/g, ' ');
  return t.toLocaleLowerCase('vi').replace(/\s+/g, ' ').replace(/\s+([.,;:!?])/g, '$1').trim();
}
