/**
 * Every line of the shared sample set, compared as its README says. TTS_SAMPLES points at
 * another copy (the shared one, /work/shared/samples/tts-normalization.tsv) to check it first.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeVietnamese } from '../../../controller/tts/normalize-vi.js';

const samples = process.env.TTS_SAMPLES ?? new URL('../../fixtures/tts-normalization.tsv', import.meta.url);
const lines = readFileSync(samples, 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => l.split('\t') as [string, string]);

const clean = (s: string) =>
  s
    .toLocaleLowerCase('vi')
    .replace(/[.,;:!?()"“”'-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Expands "{a|b}" alternatives into every accepted reading. */
function readings(expected: string): string[] {
  const m = /\{([^}]*)\}/.exec(expected);
  if (!m) return [clean(expected)];
  return m[1]
    .split('|')
    .flatMap((alt) => readings(expected.slice(0, m.index) + alt + expected.slice(m.index + m[0].length)));
}

describe('shared TTS normalisation samples', () => {
  it('has the sample file', () => expect(lines.length).toBeGreaterThanOrEqual(20));
  it.each(lines)('%s', (written, spoken) => {
    expect(readings(spoken)).toContain(clean(normalizeVietnamese(written)));
  });
});
