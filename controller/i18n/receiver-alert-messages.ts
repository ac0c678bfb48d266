/** Receiver alerts' words: each health rule's name, and the e-mails sent when an alert opens or ends. Part of `messages`. */
import type { Catalogue } from './messages.js';

export const receiverAlertMessages = {
  // Receiver alert rules, as the console and the alert e-mails name them
  ui_alert_offline: { vi: 'Mất kết nối', en: 'Offline' },
  ui_alert_never_connected: { vi: 'Chưa từng kết nối', en: 'Never connected' },
  ui_alert_amplifier_fault: { vi: 'Lỗi bộ khuếch đại', en: 'Amplifier fault' },
  ui_alert_temperature: { vi: 'Quá nóng', en: 'Too hot' },
  ui_alert_storage_low: { vi: 'Sắp hết bộ nhớ', en: 'Storage low' },
  ui_alert_clock_drift: { vi: 'Lệch đồng hồ', en: 'Clock drift' },
  ui_alert_playback_failing: { vi: 'Phát không được (loa, card âm thanh)', en: 'Cannot play (speaker, sound card)' },
  alert_mail_opened_subject: {
    vi: '[{commune}] Cảnh báo cụm loa {receiver}: {rule}',
    en: '[{commune}] Receiver {receiver} alert: {rule}',
  },
  alert_mail_opened: {
    vi: 'Cụm loa {receiver} có cảnh báo "{rule}" từ {at}.\nChi tiết: {detail}\nXem trên bảng điều khiển, mục Cụm loa.',
    en: 'Receiver {receiver} has the alert "{rule}" since {at}.\nDetail: {detail}\nSee the console, Receivers.',
  },
  alert_mail_resolved_subject: {
    vi: '[{commune}] Đã hết cảnh báo cụm loa {receiver}: {rule}',
    en: '[{commune}] Receiver {receiver} recovered: {rule}',
  },
  alert_mail_resolved: {
    vi: 'Cụm loa {receiver} đã hết cảnh báo "{rule}" lúc {at}.',
    en: 'Receiver {receiver} no longer has the alert "{rule}" (at {at}).',
  },
} as const satisfies Catalogue;
