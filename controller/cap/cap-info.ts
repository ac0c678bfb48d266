/**
 * Which <info> block of a CAP alert the commune acts on. An alert may carry several blocks: in
 * other languages, and in the same language for other areas or other hazards. Every block in the
 * commune's language is evaluated (none: every block, so the alert is still judged and recorded),
 * and the most severe block whose area covers a hamlet wins.
 */
import type { CapInfo } from './cap-parser.js';

/** A word with a letter Vietnamese writes and English does not (ă â đ ê ô ơ ư, vowels with tone marks). */
const VIETNAMESE_WORD = /[àáâãèéêìíòóôõùúýăđĩũơưạ-ỹ]/i;

/**
 * A block in Vietnamese: <language> vi or vi-XX. A block without <language> is en-US by the
 * standard, but provinces do omit it: such a block counts as Vietnamese when its text is written
 * in Vietnamese (at least a third of its words carry Vietnamese letters: an English text naming
 * Thôn Đồi does not).
 */
export function isVietnamese(info: CapInfo): boolean {
  if (info.language) return /^vi(-|$)/i.test(info.language.trim());
  const words = [info.event, info.headline, info.description, info.instruction]
    .filter(Boolean)
    .join(' ')
    .normalize('NFC')
    .split(/[^\p{L}]+/u)
    .filter(Boolean);
  return words.length > 0 && words.filter((w) => VIETNAMESE_WORD.test(w)).length * 3 >= words.length;
}

const PRIORITY_RANK: Record<string, number> = { emergency: 3, priority: 2, normal: 1, none: 0 };
const SEVERITY_RANK: Record<CapInfo['severity'], number> = { Extreme: 4, Severe: 3, Moderate: 2, Minor: 1, Unknown: 0 };
const URGENCY_RANK: Record<CapInfo['urgency'], number> = { Immediate: 4, Expected: 3, Future: 2, Unknown: 1, Past: 0 };
const CERTAINTY_RANK: Record<CapInfo['certainty'], number> = {
  Observed: 4,
  Likely: 3,
  Possible: 2,
  Unknown: 1,
  Unlikely: 0,
};

export interface EvaluatedInfo {
  info: CapInfo;
  /** Hamlets its areas cover. */
  hamlets: string[];
  /** What the commune's rules make of it. */
  priority: string;
  /** Its <expires> has passed. */
  expired: boolean;
}

/**
 * The block to act on: one whose area covers a hamlet when there is any, a live one before an
 * expired one, then the most severe — the highest priority under the commune's rules, then
 * severity, urgency and certainty; the earlier block on a tie. Undefined only for no blocks.
 */
export function chooseInfo<T extends EvaluatedInfo>(blocks: T[]): T | undefined {
  const score = (b: T) => [
    b.hamlets.length > 0 ? 1 : 0,
    b.expired ? 0 : 1,
    PRIORITY_RANK[b.priority] ?? 0,
    SEVERITY_RANK[b.info.severity],
    URGENCY_RANK[b.info.urgency],
    CERTAINTY_RANK[b.info.certainty],
  ];
  let best: T | undefined;
  let bestScore: number[] = [];
  for (const b of blocks) {
    const s = score(b);
    const i = s.findIndex((v, k) => v !== bestScore[k]);
    if (best === undefined || (i >= 0 && s[i] > bestScore[i])) {
      best = b;
      bestScore = s;
    }
  }
  return best;
}

/** The blocks to evaluate: those in Vietnamese, else all of them (then nothing is read aloud, see isVietnamese). */
export function blocksToEvaluate(info: CapInfo[]): { blocks: CapInfo[]; vietnamese: boolean } {
  const vi = info.filter(isVietnamese);
  return vi.length > 0 ? { blocks: vi, vietnamese: true } : { blocks: info, vietnamese: false };
}
