/**
 * Counts in English take their singular ("1 hamlet", not "1 hamlets"); Vietnamese has no plural.
 * The server (controller/i18n/plural.ts, through t()) and the console (controller/console/lib/
 * plural.js, through its own t()) read `{n, plural, one {# hamlet} other {# hamlets}}` alike, and
 * no English message writes a count before a plural noun outside such a block.
 */
import { describe, expect, it } from 'vitest';
import { plurals as serverPlurals } from '../../controller/i18n/plural.js';
import { t } from '../../controller/i18n/messages.js';
import { catalogue } from '../../controller/i18n/console-messages.js';
// @ts-expect-error: the console's plain JavaScript module has no type declarations.
import { plurals as consolePlurals } from '../../controller/console/lib/plural.js';

const HAMLETS = 'Stop sent to {hamlets, plural, one {# hamlet} other {# hamlets}}.';

describe('plural forms', () => {
  const both = [
    ['server', serverPlurals],
    ['console', consolePlurals as typeof serverPlurals],
  ] as const;

  for (const [side, plurals] of both) {
    it(`picks one or other by the number in English (${side})`, () => {
      const say = (text: string, params: Record<string, string>) => plurals(text, 'en', (name) => params[name]);
      expect(say(HAMLETS, { hamlets: '1' })).toBe('Stop sent to 1 hamlet.');
      expect(say(HAMLETS, { hamlets: '0' })).toBe('Stop sent to 0 hamlets.');
      expect(say(HAMLETS, { hamlets: '2' })).toBe('Stop sent to 2 hamlets.');
      expect(say(HAMLETS, { hamlets: '1.5' })).toBe('Stop sent to 1.5 hamlets.');
      // A number written with a thousands separator is not 1: the other form.
      expect(say(HAMLETS, { hamlets: '1,001' })).toBe('Stop sent to 1,001 hamlets.');
      // =N wins over the language's form; a form without # leaves the number to the text around it.
      expect(say('{n, plural, =0 {none} one {# left} other {# left}}', { n: '0' })).toBe('none');
      expect(say('{a}/{t} {t, plural, one {case} other {cases}}', { t: '1' })).toBe('{a}/{t} case');
      // Not given: the block stays as it is, as a placeholder does.
      expect(say(HAMLETS, {})).toBe(HAMLETS);
    });

    it(`has one form for every number in Vietnamese (${side})`, () => {
      expect(plurals('{n, plural, other {# thôn}}', 'vi', () => '1')).toBe('1 thôn');
    });
  }

  it('reaches the words the server says and the console shows', () => {
    const shown = (key: string, lang: 'vi' | 'en', params: Record<string, string>) =>
      (consolePlurals as typeof serverPlurals)(catalogue[key as keyof typeof catalogue][lang], lang, (n) => params[n]);
    expect(shown('ui_stopped', 'en', { receivers: '1', hamlets: '1' })).toBe('Stop sent to 1 receiver in 1 hamlet.');
    expect(shown('ui_stopped', 'en', { receivers: '4', hamlets: '3' })).toBe('Stop sent to 4 receivers in 3 hamlets.');
    expect(shown('ui_stopped', 'vi', { receivers: '1', hamlets: '1' })).toBe(
      'Đã gửi lệnh dừng tới {receivers} cụm loa ở {hamlets} thôn.',
    ); // no plural in Vietnamese
    expect(t('confirm_summary', 'en', { level: 'emergency', drill: '', receivers: 1, hamlets: 1, ttl: 1 })).toBe(
      'Broadcast emergency to 1 receiver in 1 hamlet.',
    );
    expect(t('confirm_summary_schedule', 'en', { level: 'emergency', receivers: 2, hamlets: 1, ttl: 1 })).toContain(
      'for 2 receivers in 1 hamlet is saved, switched off. Confirm within 1 second',
    );
    expect(t('m3u_invalid', 'en', { count: 1, problems: 'line 2: …' })).toMatch(
      /^The playlist was not imported: 1 line of/,
    );
    expect(t('m3u_invalid', 'en', { count: 2, problems: 'line 2: …' })).toMatch(/: 2 lines of/);
    expect(t('proof_newer_anchors', 'en', { count: 1, file_at: 'a', anchor_at: 'b' })).toContain(
      '1 anchored copy is newer',
    );
    // Values given in each language (a number written the Vietnamese way) are counted in English.
    expect(t('wait_minutes', 'en', { n: { vi: '1', en: '1' } })).toBe('1 minute');
  });

  it('are used for every English count of a plural noun in the catalogue', () => {
    const NOUNS = [
      'hamlets',
      'receivers',
      'households',
      'seconds',
      'minutes',
      'hours',
      'days',
      'lines',
      'rows',
      'cases',
      'acks',
      'acknowledgements',
      'messages',
      'entries',
      'characters',
      'items',
      'attempts',
      'records',
      'copies',
      'times',
      'plays',
      'numbers',
    ];
    // "{n} hamlets", "{a}/{b} receivers", "{n} anchored copies", outside any plural block.
    const bare = new RegExp(`\\{\\w+\\}(?:/\\{\\w+\\})? (?:\\w+ )?(?:${NOUNS.join('|')})\\b`);
    const offenders = Object.entries(catalogue as Record<string, { en: string }>)
      .filter(([, m]) => bare.test(m.en.replace(/\{\w+, plural,[^]*?\}\s*\}/g, '')))
      .map(([key, m]) => `${key}: ${m.en}`);
    expect(offenders).toEqual([]);
  });
});
