/**
 * A schema check's findings in words: "Giờ bắt đầu (start_time): phải có dạng giờ:phút" in
 * Vietnamese and English, from the field's label and the kind of problem, never zod's English.
 */
import { messages, t, type MessageKey, type MessageParams } from '../i18n/messages.js';

/** One finding as fastify-type-provider-zod hands it over (zod's issue, split up). */
export interface ValidationFinding {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

type Lang = 'vi' | 'en';
const TIME_FIELDS = new Set(['start_time', 'quiet_start', 'quiet_end']);
const DATE_FIELDS = new Set(['date', 'valid_from', 'valid_until', 'from', 'to']);
const SIZE_WORDS: Record<string, Record<'string' | 'array' | 'number', MessageKey>> = {
  too_small: {
    string: 'invalid_too_small_string',
    array: 'invalid_too_small_array',
    number: 'invalid_too_small_number',
  },
  too_big: { string: 'invalid_too_big_string', array: 'invalid_too_big_array', number: 'invalid_too_big_number' },
};

/** The field a finding is about: the path's last name (not an index), or the request itself. */
export function fieldOf(path: string): string {
  return (
    path
      .split('/')
      .filter((p) => p && !/^\d+$/.test(p))
      .at(-1) ?? 'request'
  );
}

function label(field: string, lang: Lang): string {
  const key = `field_${field}` as MessageKey;
  // A field without a label is named by its code.
  if (!(key in messages)) return field;
  return field === 'request' ? t(key, lang) : `${t(key, lang)} (${field})`;
}

function reason(f: ValidationFinding, field: string, lang: Lang): string {
  const p = f.params ?? {};
  const say = (key: MessageKey, params: MessageParams = {}) => t(key, lang, params);
  switch (f.keyword) {
    case 'invalid_type':
      return /received undefined/.test(f.message ?? '') ? say('invalid_missing') : say('invalid_type');
    case 'invalid_format':
    case 'invalid_string':
      if (p.format === 'uuid') return say('invalid_format_uuid');
      if (TIME_FIELDS.has(field)) return say('invalid_format_time');
      if (DATE_FIELDS.has(field) || p.format === 'date') return say('invalid_format_date');
      return say('invalid_format');
    case 'too_small':
    case 'too_big': {
      const kind = p.origin === 'string' || p.origin === 'array' ? p.origin : 'number';
      return say(SIZE_WORDS[f.keyword][kind], { minimum: String(p.minimum ?? ''), maximum: String(p.maximum ?? '') });
    }
    case 'invalid_value':
    case 'invalid_enum_value':
      return say('invalid_value', { values: ((p.values as unknown[]) ?? []).map(String).join(', ') });
    case 'unrecognized_keys':
      return say('invalid_unrecognized_keys', { keys: ((p.keys as unknown[]) ?? []).map(String).join(', ') });
    case 'invalid_union':
      return say('invalid_union');
    case 'custom':
      // A schema's own rule names its words in the catalogue.
      return f.message && f.message.startsWith('invalid_') && f.message in messages
        ? say(f.message as MessageKey)
        : say('invalid_other');
    default:
      return say('invalid_other');
  }
}

/** Up to three findings, each "Label (field): reason", in both languages. */
export function validationWords(findings: ValidationFinding[]): { vi: string; en: string } {
  const words = (lang: Lang) =>
    findings
      .slice(0, 3)
      .map((f) => {
        const field = fieldOf(f.instancePath);
        return `${label(field, lang)}: ${reason(f, field, lang)}`;
      })
      .join('; ');
  return { vi: words('vi'), en: words('en') };
}
