// Plural forms in the catalogue, as the server reads them (controller/i18n/plural.ts, which says
// the rules): `{count, plural, one {# hamlet} other {# hamlets}}`. Vietnamese has no plural and
// keeps a plain {count}. tests/unit/i18n-plural.test.ts holds the two copies to the same answers.
const BLOCK = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g;
const FORM = /(=\d+|zero|one|two|few|many|other)\s*\{([^{}]*)\}/g;

const rules = new Map();
const rulesFor = (lang) => {
  if (!rules.has(lang)) rules.set(lang, new Intl.PluralRules(lang));
  return rules.get(lang);
};

/** Replaces each plural block with its form for the value `valueOf(name)` (undefined: not given). */
export function plurals(text, lang, valueOf) {
  return text.replace(BLOCK, (block, name, body) => {
    const value = valueOf(name);
    if (value === undefined) return block;
    const forms = new Map([...body.matchAll(FORM)].map((m) => [m[1], m[2]]));
    const n = Number(value);
    const category = Number.isFinite(n) ? rulesFor(lang).select(n) : 'other';
    const form = forms.get(`=${n}`) ?? forms.get(category) ?? forms.get('other') ?? block;
    return form.replace(/#/g, value);
  });
}
