/**
 * Abbreviations read one way or another by the words beside them (issue 24: "ĐT.477" is a
 * provincial road, "ĐT: 0912..." a phone number). Each has the contexts that decide it and a
 * reading for when none does; that fallback is reported as uncertain. Inside a document number
 * ("05/CT-UBND") the document types of abbreviations-vi.ts decide instead.
 */
import type { NormalizePass } from './normalize-pass.js';
import { WORD, re } from './text-patterns.js';

interface Context {
  /** Tested against the text just before (ending at the abbreviation) or just after it. */
  side: 'before' | 'after';
  test: RegExp;
  reading: string;
}

interface Contextual {
  contexts: Context[];
  otherwise: string;
}

const NUMBER_NEXT = /^\s*(?:số\s*)?\d/iu;
const ORGANISATION_NEXT =
  /^\s+(?:UBND|HĐND|UBMTTQ|MTTQ|UB|Ủy ban|ủy ban|xã|phường|Hội|hội|HĐ|Hội đồng|hội đồng|Công đoàn|công đoàn|HTX|CLB|LĐLĐ|HND|HCCB|HLHPN)(?![\p{L}])/u;

export const CONTEXTUAL: Readonly<Record<string, Contextual>> = {
  ĐT: {
    contexts: [
      // "ĐT: 0912...", "ĐT 0912...", "số ĐT", "liên hệ ĐT".
      { side: 'after', test: /^\s*[:.]?\s*(?:\+84|0)\d/u, reading: 'điện thoại' },
      { side: 'after', test: /^\s*:/u, reading: 'điện thoại' },
      { side: 'before', test: /(?:số|liên hệ|gọi|qua)\s*$/iu, reading: 'điện thoại' },
      // "ĐT.477", "ĐT 477B", "tuyến ĐT": a provincial road (đường tỉnh).
      { side: 'after', test: /^\s*\.?\s*\d{1,3}[A-Z]?(?![\p{L}\p{N}])/u, reading: 'đường tỉnh' },
      { side: 'before', test: /(?:tuyến|đường|quốc lộ|QL)\s*$/iu, reading: 'đường tỉnh' },
    ],
    otherwise: 'điện thoại',
  },
  TT: {
    contexts: [
      { side: 'after', test: NUMBER_NEXT, reading: 'thông tư' },
      {
        side: 'after',
        test: /^\s+(?:Y tế|y tế|Văn hóa|văn hóa|VH|Chính trị|chính trị|Học tập|học tập|Dịch vụ|dịch vụ|Phục vụ|phục vụ|Hành chính|hành chính|Giáo dục|giáo dục|GDNN|TDTT)(?![\p{L}])/u,
        reading: 'trung tâm',
      },
    ],
    otherwise: 'trung tâm',
  },
  CT: {
    contexts: [
      { side: 'after', test: NUMBER_NEXT, reading: 'chỉ thị' },
      { side: 'after', test: ORGANISATION_NEXT, reading: 'chủ tịch' },
    ],
    otherwise: 'chủ tịch',
  },
  ND: {
    contexts: [
      { side: 'before', test: /(?:Hội|hội|HỘI)\s*$/u, reading: 'nông dân' },
      {
        side: 'before',
        test: /(?:Ủy ban|ủy ban|UB|Hội đồng|hội đồng|Tòa án|tòa án|Công an|công an)\s*$/u,
        reading: 'nhân dân',
      },
    ],
    otherwise: 'nông dân',
  },
  CP: {
    contexts: [
      { side: 'before', test: /(?:công ty|Công ty|CÔNG TY|Cty|CTY)\s*$/u, reading: 'cổ phần' },
      { side: 'before', test: /(?:của|Thủ tướng|thủ tướng|Nghị định|nghị định)\s*$/u, reading: 'chính phủ' },
    ],
    otherwise: 'chính phủ',
  },
  HĐ: {
    contexts: [
      { side: 'after', test: /^\s+(?:lao động|thuê|mua|kinh tế|giao khoán)(?![\p{L}])/u, reading: 'hợp đồng' },
      { side: 'before', test: /(?:ký|ký kết|theo)\s*$/iu, reading: 'hợp đồng' },
      {
        side: 'after',
        test: /^\s+(?:nhân dân|ND|thi đua|xét|tuyển|nghĩa vụ|bầu cử|giáo dục)(?![\p{L}])/u,
        reading: 'hội đồng',
      },
    ],
    otherwise: 'hội đồng',
  },
  CN: {
    contexts: [
      { side: 'before', test: /(?:khu|cụm|Khu|Cụm|KHU|CỤM)\s*$/u, reading: 'công nghiệp' },
      { side: 'before', test: /(?:ngày|và|đến|thứ \S+\s*[-–,]|[-–])\s*$/iu, reading: 'chủ nhật' },
    ],
    otherwise: 'chủ nhật',
  },
  CĐ: {
    contexts: [
      { side: 'after', test: NUMBER_NEXT, reading: 'công điện' },
      { side: 'before', test: /(?:trường|Trường|hệ|bằng)\s*$/u, reading: 'cao đẳng' },
    ],
    otherwise: 'công đoàn',
  },
};

/** The reading of a context-dependent abbreviation, and whether the context decided it. */
export function readInContext(
  abbr: string,
  textBefore: string,
  textAfter: string,
): { reading: string; sure: boolean } | undefined {
  const entry = CONTEXTUAL[abbr];
  if (!entry) return undefined;
  const hit = entry.contexts.find((c) => c.test.test(c.side === 'before' ? textBefore : textAfter));
  return hit ? { reading: hit.reading, sure: true } : { reading: entry.otherwise, sure: false };
}

/**
 * Resolves the context-dependent abbreviations while the digits beside them are still digits
 * (so after document numbers and roads, before numbers are read). A commune's own reading of the
 * same abbreviation wins. Parts of a joined form ("TT-BTTTT", "NĐ-CP") are left to the list.
 */
export function resolveContextual(t: string, pass: NormalizePass): string {
  const keys = Object.keys(CONTEXTUAL).join('|');
  return t.replace(
    re(`(?<![${WORD}]|[\\p{L}][-&/])(${keys})(?![${WORD}]|[-&/][\\p{L}])`),
    (abbr: string, _k: string, offset: number, all: string) => {
      const own = pass.custom.get(abbr);
      if (own) return own;
      const { reading, sure } = readInContext(abbr, all.slice(0, offset), all.slice(offset + abbr.length))!;
      if (!sure) pass.note(abbr, reading, 'ambiguous_abbreviation');
      return reading;
    },
  );
}
