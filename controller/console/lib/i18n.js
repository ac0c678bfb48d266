// The console's words come from the controller's one message catalogue (GET /api/i18n),
// Vietnamese first; English when chosen. Placeholders are {name}; an English count takes its
// plural form from `{count, plural, one {# hamlet} other {# hamlets}}` (plural.js).
import { plurals } from './plural.js';

let catalogue = {};
let current = localStorage.getItem('tt-lang') === 'en' ? 'en' : 'vi';
export let settings = {
  commune: { name: '', timezone: 'Asia/Ho_Chi_Minh' },
  tile_url: null,
  weekly_targets: {},
  categories: [],
};

export async function loadCatalogue() {
  const res = await fetch('/api/i18n');
  const body = await res.json();
  catalogue = body.messages;
  settings = body;
  document.documentElement.lang = current;
}

export function t(key, params = {}) {
  const entry = catalogue[key];
  if (!entry) return key;
  const valueOf = (name) => (name in params ? String(params[name]) : undefined);
  return plurals(entry[current], current, valueOf).replace(/\{(\w+)\}/g, (m, name) => valueOf(name) ?? m);
}

export const lang = () => current;

export function setLang(l) {
  current = l === 'en' ? 'en' : 'vi';
  localStorage.setItem('tt-lang', current);
  document.documentElement.lang = current;
}

/** An instant shown in the commune's time zone (to the second where a minute is too coarse: a link's history). */
export function when(iso, withDate = true, withSeconds = false) {
  if (!iso) return '';
  const opts = { timeZone: settings.commune.timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  if (withSeconds) opts.second = '2-digit';
  if (withDate) Object.assign(opts, { day: '2-digit', month: '2-digit', year: 'numeric' });
  return new Intl.DateTimeFormat(current === 'vi' ? 'vi-VN' : 'en-GB', opts).format(new Date(iso));
}

/** A number as people here write it: a decimal comma in Vietnamese (99,5), a point in English. */
export function number(value, digits = 1) {
  return new Intl.NumberFormat(current === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: digits }).format(value);
}
