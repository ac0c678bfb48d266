/**
 * What one normalisation run carries from rule to rule: the commune's own abbreviations and the
 * readings it was not sure of, so that the console can show them beside the preview (issue 24).
 */
export interface UncertainReading {
  /** The fragment as it stood when the rule met it (usually as written). */
  text: string;
  /** What the voice will say for it. */
  reading: string;
  /** Why a person should check it (words for each: tts_uncertain_<why> in the catalogue). */
  why: UncertainWhy;
}

export const UNCERTAIN_WHY = [
  'unknown_capitals',
  'ambiguous_abbreviation',
  'falling_days',
  'unknown_document_part',
  'spelled_code',
  'dash_as_pause',
  'falling_range',
  'web_address',
  'ambiguous_date',
  'hour_or_weight',
  'numbered_range',
] as const;
export type UncertainWhy = (typeof UNCERTAIN_WHY)[number];

export interface NormalizeOptions {
  /**
   * The commune's own abbreviations, written form to reading: { HTX: 'hợp tác xã' }. They win
   * over the built-in list wherever an abbreviation is read on its own (see abbreviations-vi.ts).
   */
  abbreviations?: Readonly<Record<string, string>>;
}

export class NormalizePass {
  readonly uncertain: UncertainReading[] = [];
  /** Letters-only keys, looked up like the built-in list. */
  readonly custom = new Map<string, string>();
  /** Keys with digits or punctuation ("P.VHXH", "F0"), replaced before anything else reads them. */
  readonly customLiteral: [string, string][] = [];

  constructor(options: NormalizeOptions = {}) {
    for (const [key, value] of Object.entries(options.abbreviations ?? {})) {
      const k = key.normalize('NFC').trim();
      const v = value.normalize('NFC').trim();
      if (!k || !v) continue;
      if (/^[\p{L}&-]+$/u.test(k)) this.custom.set(k, v);
      else this.customLiteral.push([k, v]);
    }
    // Longest first, so that "P.VHXH" is replaced before a shorter key inside it.
    this.customLiteral.sort((a, b) => b[0].length - a[0].length);
  }

  note(text: string, reading: string, why: UncertainWhy): void {
    const spoken = reading.toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim();
    if (this.uncertain.some((u) => u.text === text && u.why === why)) return;
    this.uncertain.push({ text, reading: spoken, why });
  }
}

export type Rule = (text: string, pass: NormalizePass) => string;
