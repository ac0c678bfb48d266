/**
 * The prosody plan of an announcement: the normalised text cut at its boundaries, with a pause
 * of the right length at each (sentence, clause, list item, paragraph, before "xin nhắc lại"),
 * and the spelled-out numbers, dates and times, and the names, marked to be read slower.
 * Engines render the plan their own way (espeak-ng: SSML; cloud voices: the text, punctuation kept).
 */
import type { BlockBreak } from './prosody-blocks.js';
import type { PauseKind, ProsodyOptions } from './prosody-options.js';

export type ProsodyStep = { speak: string; slow?: true } | { pause: number; why: PauseKind };

export interface ProsodyPlan {
  steps: ProsodyStep[];
  /** Rate of the `slow` steps, as a fraction of the voice's rate. */
  slow_rate: number;
}

/** A block of the announcement after normalisation, with what separated it from the one before. */
export interface SpokenBlock {
  spoken: string;
  before: BlockBreak;
  /** Names in the block, normalised as the block was ("xuân hưng"), to be read slower. */
  names?: string[];
}

/** Said before each repeat of the announcement. */
export const REPEAT_PHRASE = 'xin nhắc lại.';

/** Words the normaliser writes numbers with (vietnamese-numbers.ts), and the decimal "phẩy". */
const NUMBER_WORDS = new Set([
  'không',
  'một',
  'mốt',
  'hai',
  'ba',
  'bốn',
  'tư',
  'năm',
  'lăm',
  'sáu',
  'bảy',
  'tám',
  'chín',
  'mười',
  'mươi',
  'trăm',
  'nghìn',
  'ngàn',
  'triệu',
  'tỷ',
  'tỉ',
  'linh',
  'lẻ',
  'phẩy',
  'rưỡi',
]);
/** Dates and times as the normaliser reads them ("ngày mười lăm tháng mười hai", "bảy giờ ba mươi phút"). */
const DATE_TIME_WORDS = new Set(['giờ', 'phút', 'giây', 'ngày', 'tháng', 'mùng', 'mồng']);
/** Also part of a number's reading ("thứ hai", "năm hai nghìn…" is covered by "năm"). */
const ORDINAL_WORDS = new Set(['thứ']);
/** Between two numbers they make one span ("từ bảy giờ đến chín giờ": slowed as one, no pause inside). */
const CONNECTORS = new Set(['đến', 'tới', 'và', 'hoặc']);

/** Punctuation followed by a space or the end; a standalone dash is a spoken comma. */
const BOUNDARY = /([.!?…]+|[,;:])["”’)\]]*(?=\s|$)|\s[-–—](?=\s)/gu;
const ENDS_CLAUSE = /[.!?…;:,]["”’)\]]*$/u;

const wordOf = (token: string) => token.toLowerCase().replace(/[^\p{L}]/gu, '');
const partOfNumber = (w: string) => NUMBER_WORDS.has(w) || DATE_TIME_WORDS.has(w) || ORDINAL_WORDS.has(w);

export function planAnnouncement(blocks: SpokenBlock[], repeat: number, options: ProsodyOptions): ProsodyPlan {
  const pause = (why: PauseKind): ProsodyStep => ({ pause: options.pauses_ms[why], why });
  const once: ProsodyStep[] = [];
  blocks.forEach((block, i) => {
    if (i > 0 && block.before !== 'none') once.push(pause(block.before));
    const names = (block.names ?? [])
      .map((n) => n.split(/\s+/).map(wordOf).filter(Boolean))
      .filter((n) => n.length > 0);
    once.push(...clauseSteps(closeBlock(block.spoken, blocks[i + 1]?.before), names, pause));
  });
  const steps = [...once];
  for (let r = 0; r < repeat; r++) steps.push(pause('repeat'), { speak: REPEAT_PHRASE }, pause('sentence'), ...once);
  return { steps: tidy(steps), slow_rate: options.slow_rate };
}

/**
 * A block the writer ended without punctuation (a title line, a list item) still ends: a full
 * stop, or a semicolon before the next list item, so that every voice lets its pitch fall.
 */
function closeBlock(spoken: string, next: BlockBreak | undefined): string {
  const text = spoken.trim();
  return ENDS_CLAUSE.test(text) ? text : `${text}${next === 'list_item' ? ';' : '.'}`;
}

function clauseSteps(text: string, names: string[][], pause: (why: PauseKind) => ProsodyStep): ProsodyStep[] {
  const steps: ProsodyStep[] = [];
  let start = 0;
  for (const m of text.matchAll(BOUNDARY)) {
    const end = m.index + m[0].length;
    steps.push(...slowSteps(text.slice(start, end), names, pause));
    const mark = m[1] ?? ',';
    steps.push(
      pause(/[.!?…]/u.test(mark) ? 'sentence' : mark === ';' ? 'semicolon' : mark === ':' ? 'colon' : 'comma'),
    );
    start = end;
  }
  steps.push(...slowSteps(text.slice(start), names, pause));
  return steps;
}

/**
 * Marks the numbers and names in a clause to be read slower. A number also gets a short pause
 * before it (the listener hears a number coming) and, if it is a date or time, after it (it is
 * complete; what follows is not part of it). A number is not paused from its unit ("năm mươi hộ").
 */
function slowSteps(clause: string, names: string[][], pause: (why: PauseKind) => ProsodyStep): ProsodyStep[] {
  const tokens = clause.trim().split(/\s+/).filter(Boolean);
  const words = tokens.map(wordOf);
  const numbers = numberSpans(words);
  const overlapsNumber = (s: Span) => numbers.some((n) => s.start < n.end && n.start < s.end);
  const spans = [...numbers, ...nameSpans(words, names).filter((s) => !overlapsNumber(s))].sort(
    (a, b) => a.start - b.start,
  );
  const steps: ProsodyStep[] = [];
  let from = 0;
  for (const span of spans) {
    if (span.start < from) continue; // two names overlapping: the first wins
    if (span.start > from) steps.push({ speak: tokens.slice(from, span.start).join(' ') });
    if (span.start > 0 && !span.name) steps.push(pause('number'));
    steps.push({ speak: tokens.slice(span.start, span.end).join(' '), slow: true });
    if (span.dateOrTime && span.end < tokens.length) steps.push(pause('number'));
    from = span.end;
  }
  if (from < tokens.length) steps.push({ speak: tokens.slice(from).join(' ') });
  return steps;
}

interface Span {
  start: number;
  end: number;
  dateOrTime: boolean;
  name?: true;
}

/** Where the names occur among the words. */
function nameSpans(words: string[], names: string[][]): Span[] {
  const spans: Span[] = [];
  for (const name of names) {
    for (let i = 0; i + name.length <= words.length; i++) {
      if (name.every((w, k) => words[i + k] === w))
        spans.push({ start: i, end: i + name.length, dateOrTime: false, name: true });
    }
  }
  return spans;
}

/** Runs of number, date and time words of two words or more (one word alone is too often not a number: "năm nay", "một số"). */
export function numberSpans(words: string[]): Span[] {
  const runs: Span[] = [];
  for (let i = 0; i < words.length; i++) {
    if (!partOfNumber(words[i])) continue;
    let j = i;
    while (j < words.length && partOfNumber(words[j])) j++;
    const run = words.slice(i, j);
    if (run.some((w) => NUMBER_WORDS.has(w))) {
      const prev = runs[runs.length - 1];
      const dateOrTime = run.some((w) => DATE_TIME_WORDS.has(w));
      // "bảy giờ đến chín giờ": one span across the connector.
      if (prev && prev.end === i - 1 && CONNECTORS.has(words[i - 1])) {
        prev.end = j;
        prev.dateOrTime ||= dateOrTime;
      } else runs.push({ start: i, end: j, dateOrTime });
    }
    i = j - 1;
  }
  return runs.filter((r) => r.end - r.start >= 2);
}

/**
 * Adjacent pauses become the longest of them; none of 0 ms, and none at the start or the end
 * (the chime framing has its own).
 */
function tidy(steps: ProsodyStep[]): ProsodyStep[] {
  const out: ProsodyStep[] = [];
  for (const step of steps) {
    const last = out[out.length - 1];
    if ('pause' in step) {
      if (!last || step.pause <= 0) continue;
      if ('pause' in last) {
        if (step.pause > last.pause) out[out.length - 1] = step;
        continue;
      }
    } else if (!step.speak) continue;
    out.push(step);
  }
  while (out.length && 'pause' in out[out.length - 1]) out.pop();
  return out;
}
