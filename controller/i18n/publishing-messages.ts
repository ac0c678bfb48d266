/** Publishing's words: bulletin categories, the public page, webhooks, the fanpage and Zalo. Part of `messages`. */
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
  // An urgent item's title in the podcast feed, when the title does not already say it (feeds.ts)
  feed_urgent_title: { vi: '[Khẩn] {title}', en: '[Urgent] {title}' },
  public_withdrawn_reason_cancelled: { vi: 'Đã hủy và đính chính', en: 'Cancelled and corrected' },
  // Posts on the fanpage and the Zalo OA (social-publisher.ts), in the post and in the delivery log
  social_listen: { vi: 'Nghe bản tin: {url}', en: 'Listen to the bulletin: {url}' },
  social_read_more: { vi: 'Xem trên trang tin của xã: {url}', en: 'On the commune\'s page: {url}' },
  social_token_missing: {
    vi: 'Chưa có mã truy cập (token) cho {platform}: ghi mã vào {where}. Bài sẽ được đăng ở lần thử lại kế tiếp.',
    en: 'There is no access token for {platform}: write it to {where}. The post goes out at the next retry.',
  },
  social_token_refused: {
    vi: '{platform} từ chối mã truy cập (token): mã sai, đã hết hạn hoặc đã bị thu hồi ({detail}). Lấy mã mới và ghi vào {where}; lần thử lại kế tiếp sẽ dùng mã mới.',
    en: '{platform} refused the access token: it is wrong, expired or revoked ({detail}). Get a new one and write it to {where}; the next retry uses it.',
  },
  social_permission_missing: {
    vi: '{platform} không cho phép việc này: mã truy cập thiếu quyền (Facebook: pages_manage_posts; Zalo: quản lý bài viết của OA) ({detail}). Cấp quyền, lấy mã mới và ghi vào {where}.',
    en: '{platform} does not allow this: the access token lacks a permission (Facebook: pages_manage_posts; Zalo: the OA\'s article management) ({detail}). Grant it, get a new token and write it to {where}.',
  },
  social_rate_limited: {
    vi: '{platform} đang tạm giới hạn số lần gọi ({detail}); sẽ thử lại sau.',
    en: '{platform} is limiting calls for now ({detail}); it will be tried again later.',
  },
  social_unavailable: {
    vi: '{platform} tạm thời không phục vụ (HTTP {status}; {detail}); sẽ thử lại sau.',
    en: '{platform} is unavailable for now (HTTP {status}; {detail}); it will be tried again later.',
  },
  social_unreachable: {
    vi: 'Không kết nối được tới {platform} ({detail}): kiểm tra đường Internet của máy chủ; sẽ thử lại sau.',
    en: 'Could not reach {platform} ({detail}): check the server\'s Internet link; it will be tried again later.',
  },
  social_refused: { vi: '{platform} không nhận: {detail}', en: '{platform} did not accept it: {detail}' },
} as const satisfies Catalogue;
