/** An occurrence's stored reason code, as words for people (Vietnamese first). */
import { t, type MessageKey, type MessageParams } from '../i18n/messages.js';

const KEYS: Record<string, MessageKey> = {
  controller_down: 'missed_controller_down',
  content_not_ready: 'missed_content_not_ready',
  schedule_changed: 'cancelled_schedule_changed',
};

export function describeReason(reason: string | null): { code: string; message: string; message_en: string } | null {
  if (!reason) return null;
  if (reason.startsWith('refused:')) {
    // "refused:<catalogue key> <params as JSON>", written by the scheduler.
    const [code, json] = reason.slice('refused:'.length).split(/ (.*)/s);
    let params: MessageParams = {};
    try {
      params = json ? JSON.parse(json) : {};
    } catch {
      /* words without the details */
    }
    const key = code as MessageKey;
    return {
      code,
      message: t('missed_refused', 'vi', { detail: t(key, 'vi', params) }),
      message_en: t('missed_refused', 'en', { detail: t(key, 'en', params) }),
    };
  }
  const key = KEYS[reason];
  return key
    ? { code: reason, message: t(key, 'vi'), message_en: t(key, 'en') }
    : { code: reason, message: reason, message_en: reason };
}
