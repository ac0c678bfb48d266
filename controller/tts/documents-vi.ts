/**
 * Document numbers, read as announcers read them: "Số 123/QĐ-UBND" -> "số một trăm hai mươi ba
 * quyết định ủy ban nhân dân", "49/2024/NĐ-CP" -> "... năm hai nghìn không trăm hai mươi tư
 * nghị định chính phủ", and the Party's form "57-NQ/TW" -> "năm mươi bảy nghị quyết trung ương"
 * (Decree 30/2020/NĐ-CP, Annex I, sets the State form; Regulation 66-QĐ/TW the Party's).
 * Runs first among the rules with digits, so that "CT" here is a directive (chỉ thị), not a
 * chairman, and the number is not taken for a code or a date.
 */
import { ABBREVIATIONS, DOCUMENT_ISSUERS, DOCUMENT_TYPES } from './abbreviations-vi.js';
import { spellLetters } from './letters-vi.js';
import type { NormalizePass } from './normalize-pass.js';
import { after, before, re } from './text-patterns.js';
import { readNumber } from './vietnamese-numbers.js';

/** One part of "QĐ-UBND": capitals, maybe with one run of small letters (TTg, QyĐ, TTr). */
const PART = '[\\p{Lu}][\\p{Lu}&]*(?:[a-zđ][\\p{Lu}]*)?';
const CHAIN = `${PART}(?:[-/]${PART})*`;

function readPart(part: string, first: boolean, pass: NormalizePass): string {
  const known = first
    ? (DOCUMENT_TYPES[part] ?? pass.custom.get(part) ?? ABBREVIATIONS[part] ?? DOCUMENT_ISSUERS[part])
    : // After the type comes the issuer: "TT-BTC" is the Ministry of Finance, not an organising board.
      (pass.custom.get(part) ?? DOCUMENT_ISSUERS[part] ?? ABBREVIATIONS[part] ?? DOCUMENT_TYPES[part]);
  if (known) return known;
  const spelled = spellLetters(part);
  pass.note(part, spelled, 'unknown_document_part');
  return spelled;
}

const readChain = (chain: string, pass: NormalizePass) =>
  chain
    .split(/[-/]/)
    .map((p, i) => readPart(p, i === 0, pass))
    .join(' ');

/** A document's number, with thousands dots as some offices write them ("1.234/QĐ-UBND"). */
const DOC_NUMBER = '(\\d{1,3}(?:\\.\\d{3})+|\\d+)';
const docNumber = (n: string) => readNumber(n.replace(/\./g, ''));
/** Words after which "100/2019" is a document's number and year, not a fraction or a date. */
const DOCUMENT_LEAD =
  '(?:NĐ|QĐ|NQ|TT|CT|KH|TB|CV|Luật|luật|Nghị định|nghị định|Quyết định|quyết định|Nghị quyết|nghị quyết|Thông tư|thông tư|Chỉ thị|chỉ thị|Kế hoạch|kế hoạch|Công văn|công văn)';

export function readDocumentNumbers(t: string, pass: NormalizePass): string {
  // Laws and resolutions of the National Assembly: "45/2019/QH14" -> ... quốc hội khóa mười bốn.
  t = t.replace(
    re(`${before}${DOC_NUMBER}/(\\d{4})/QH(\\d{1,2})${after}`),
    (_m, n: string, year: string, term: string) =>
      `${docNumber(n)} năm ${readNumber(year)} quốc hội khóa ${readNumber(term)}`,
  );
  // State form: number, optional year, then type and issuer.
  t = t.replace(
    re(`${before}${DOC_NUMBER}(?:/(\\d{4}))?/(${CHAIN})${after}`),
    (_m, n: string, year: string | undefined, chain: string) =>
      `${docNumber(n)}${year ? ` năm ${readNumber(year)}` : ''} ${readChain(chain, pass)}`,
  );
  // Number and year alone after the kind of document: "NĐ 100/2019", "Luật số 45/2019".
  t = t.replace(
    re(`(${before}${DOCUMENT_LEAD}\\s+(?:số\\s+)?)${DOC_NUMBER}/((?:19|20)\\d{2})${after}(?![/.]\\d)`, 'gu'),
    (_m, lead: string, n: string, year: string) => `${lead}${docNumber(n)} năm ${readNumber(year)}`,
  );
  // Party form: "57-NQ/TW"; only when the part after the dash is a type of document.
  return t.replace(
    re(`${before}${DOC_NUMBER}-(${PART})/(${CHAIN})${after}`),
    (m, n: string, type: string, chain: string) =>
      DOCUMENT_TYPES[type] ? `${docNumber(n)} ${DOCUMENT_TYPES[type]} ${readChain(chain, pass)}` : m,
  );
}
