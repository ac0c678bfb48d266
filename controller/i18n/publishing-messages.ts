/** Publishing's words: bulletin categories, the public page and webhooks. Part of `messages`. */
import type { Catalogue } from './messages.js';

export const publishingMessages = {
  // Bulletin categories, as the public reads them
  category_party_state_policy: { vi: 'Chủ trương, chính sách của Đảng và Nhà nước', en: 'Party and State policy' },
  category_law: { vi: 'Phổ biến pháp luật', en: 'Law' },
  category_commune_notice: { vi: 'Thông báo của xã', en: 'Commune notices' },
  category_security_order: { vi: 'An ninh, trật tự', en: 'Security and order' },
  category_disaster_prevention: { vi: 'Phòng chống thiên tai', en: 'Disaster prevention' },
  category_health: { vi: 'Y tế, sức khỏe', en: 'Health' },
  category_agriculture: { vi: 'Nông nghiệp', en: 'Agriculture' },
  category_good_deeds: { vi: 'Người tốt, việc tốt', en: 'Good deeds' },
  category_holidays: { vi: 'Ngày lễ, kỷ niệm', en: 'Holidays and anniversaries' },
  category_mass_organisations: { vi: 'Mặt trận và các đoàn thể', en: 'Front and mass organisations' },
  category_other: { vi: 'Tin khác', en: 'Other news' },
  what_publication: { vi: 'tin đã đăng', en: 'Publication' },
  what_webhook: { vi: 'webhook', en: 'Webhook' },
  webhook_bad_url: {
    vi: 'Địa chỉ webhook phải bắt đầu bằng https:// (hoặc http:// trong mạng nội bộ).',
    en: 'A webhook URL must start with https:// (or http:// on a local network).',
  },
  public_page_title: { vi: 'Đài truyền thanh {commune}', en: '{commune} radio' },
  public_page_intro: {
    vi: 'Nghe lại các bản tin đã phát trên loa truyền thanh của xã.',
    en: 'Listen again to the bulletins broadcast on the commune loudspeakers.',
  },
  public_urgent_heading: { vi: 'Thông báo khẩn', en: 'Urgent announcements' },
  public_latest_heading: { vi: 'Bản tin mới nhất', en: 'Latest bulletins' },
  public_valid_until: { vi: 'Có hiệu lực đến {until}', en: 'Valid until {until}' },
  public_empty: { vi: 'Chưa có bản tin nào.', en: 'No bulletins yet.' },
  public_listen: { vi: 'Nghe bản tin: {title}', en: 'Listen: {title}' },
  public_feeds: { vi: 'Theo dõi bằng ứng dụng podcast: {rss} · JSON Feed: {json}', en: 'Follow in a podcast app: {rss} · JSON Feed: {json}' },
  public_withdrawn_reason_cancelled: { vi: 'Đã hủy và đính chính', en: 'Cancelled and corrected' },
} as const satisfies Catalogue;
