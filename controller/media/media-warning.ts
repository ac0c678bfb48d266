/**
 * A media item's loudness warning in words: the catalogue's message in the reader's language and
 * in English, with its numbers written as each language writes them (-55,7 LUFS; -55.7 LUFS).
 * Every answer that carries a media item (the library, a joined playlist) shows it so, as
 * `warning`, never the stored key and numbers.
 */
import { messages, pickLang, t, type Lang, type MessageKey, type MessageParams } from '../i18n/messages.js';
import type { Media } from './media-read-model.js';

export interface MediaWarning {
  code: string;
  message: string;
  message_en: string;
}

export function mediaWarning(media: Pick<Media, 'warning_code' | 'warning_params'>, lang: Lang): MediaWarning | null {
  const code = media.warning_code;
  if (!code || !(code in messages)) return null;
  const raw = JSON.parse(media.warning_params ?? '{}') as Record<string, number>;
  const params: MessageParams = Object.fromEntries(
    Object.entries(raw).map(([name, value]) => [name, { vi: String(value).replace('.', ','), en: String(value) }]),
  );
  return { code, message: t(code as MessageKey, lang, params), message_en: t(code as MessageKey, 'en', params) };
}

/** The item as the API shows it: its warning in words instead of the stored key and numbers. */
export function mediaShown<M extends Pick<Media, 'warning_code' | 'warning_params'>>(
  media: M,
  acceptLanguage: string | undefined,
): Omit<M, 'warning_code' | 'warning_params'> & { warning: MediaWarning | null } {
  const { warning_code: _code, warning_params: _params, ...rest } = media;
  return { ...rest, warning: mediaWarning(media, pickLang(acceptLanguage)) };
}
