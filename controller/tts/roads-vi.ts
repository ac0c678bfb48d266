/**
 * Roads and the kilometre posts on them, as in flood and traffic notices: "QL1A" -> "quốc lộ một
 * a", "ĐT.477" -> "đường tỉnh bốn trăm bảy mươi bảy", "Km 15+200" -> "ki lô mét mười lăm cộng hai
 * trăm" (the post at kilometre 15 plus 200 m). Before codes, so "QL1A" is not spelled.
 */
import { letterName } from './letters-vi.js';
import { after, before, re } from './text-patterns.js';
import { readNumber } from './vietnamese-numbers.js';

const ROAD_NAMES: Readonly<Record<string, string>> = {
  QL: 'quốc lộ',
  ĐT: 'đường tỉnh',
  TL: 'tỉnh lộ',
  ĐH: 'đường huyện',
  HL: 'hương lộ',
  ĐX: 'đường xã',
  CT: 'cao tốc',
};

/** Up to three digits and a letter; a leading 0 only for expressways ("CT.01"), which keeps
 * "ĐT 024 3826..." a phone number. */
const ROAD_NUMBER = '(0?[1-9]\\d{0,2})([A-Z])?';
const road = (name: string, n: string, letter?: string) =>
  `${name} ${readNumber(n)}${letter ? ` ${letterName(letter)}` : ''}`;

export function readRoads(t: string): string {
  t = t.replace(
    re(`${before}(QL|ĐT|TL|ĐH|HL|ĐX|CT)\\s*\\.?\\s*${ROAD_NUMBER}${after}`),
    (m, kind: string, n: string, letter: string | undefined, offset: number, all: string) => {
      // "CT" is a road only when written joined with its number ("CT.01", "CT01").
      if (kind === 'CT' ? /CT\s/.test(m) : n.startsWith('0')) return m;
      const name = ROAD_NAMES[kind];
      // "cao tốc CT.01": the name is already said.
      const lead = all.slice(0, offset).toLocaleLowerCase('vi').trimEnd();
      if (lead.endsWith(name)) return road('', n, letter).trimStart();
      // "đường ĐT.477", "tuyến đường ĐT.477": "đường" is said already, "tỉnh" is what is left.
      const [first, ...rest] = name.split(' ');
      if (rest.length && lead.endsWith(first)) return road(rest.join(' '), n, letter);
      return road(name, n, letter);
    },
  );
  // Written out with a lettered number: "Quốc lộ 1A".
  t = t.replace(
    re(`${before}(quốc lộ|tỉnh lộ|đường tỉnh|đường huyện|cao tốc)\\s+${ROAD_NUMBER}${after}`, 'giu'),
    (_m, name: string, n: string, letter?: string) => road(name, n, letter),
  );
  // A stretch between two posts: "Km15+200 - Km16+500" -> từ ki lô mét ... đến ki lô mét ...
  const POST = '(?:Km|KM|km)\\s*\\.?\\s*\\d{1,4}(?:\\s*\\+\\s*\\d{1,4})?';
  t = t.replace(
    re(`${before}(?<!\\d\\s*)(?:(từ)\\s+)?(${POST})\\s*[-–]\\s*(${POST})${after}`, 'giu'),
    (_m, from: string | undefined, a: string, b: string) => `${from ?? 'từ'} ${a} đến ${b}`,
  );
  // Kilometre posts: "Km 7+500". Not "2 km 7" (a distance then a number).
  return t.replace(
    re(`${before}(?<!\\d\\s*)(?:Km|KM|km)\\s*\\.?\\s*(\\d{1,4})(?:\\s*\\+\\s*(\\d{1,4}))?${after}`),
    (_m, km: string, m?: string) => `ki lô mét ${readNumber(km)}${m ? ` cộng ${readNumber(m)}` : ''}`,
  );
}
