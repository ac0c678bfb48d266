/**
 * Plural forms in the message catalogue: `{count, plural, one {# hamlet} other {# hamlets}}`, the
 * part of ICU MessageFormat's plural that English needs. Vietnamese has no plural (`{count} thôn`
 * stays a plain placeholder). The form is `=N` for that exact number if given, else the one
 * Intl.PluralRules picks for the language and number, else `other`; `#` stands for the value as
 * given. A form holds text only (no placeholders); a block whose value is not given stays as it
 * is, as a placeholder does. The console does the same in controller/console/lib/plural.js
 * (tests/unit/i18n-plural.test.ts holds the two to the same answers).
 */
const BLOCK = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g;
const FORM = /(=\d+|zero|one|two|few|many|other)\s*\{([^{}]*)\}/g;

const rules = new Map<string, Intl.PluralRules>();
const rulesFor = (lang: string) => {
  if (!rules.has(lang)) rules.set(lang, new Intl.PluralRules(lang));
  return rules.get(lang)!;
};

/** Replaces each plural block with its form for the value `valueOf(name)` (undefined: not given). */
export function plurals(text: string, lang: string, valueOf: (name: string) => string | undefined): string {
  return text.replace(BLOCK, (block, name: string, body: string) => {
    const value = valueOf(name);
    if (value === undefined) return block;
    const forms = new Map([...body.matchAll(FORM)].map((m) => [m[1], m[2]]));
    const n = Number(value);
    const category = Number.isFinite(n) ? rulesFor(lang).select(n) : 'other';
    const form = forms.get(`=${n}`) ?? forms.get(category) ?? forms.get('other') ?? block;
    return form.replace(/#/g, value);
  });
}
