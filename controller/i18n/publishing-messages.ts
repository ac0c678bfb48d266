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
  public_feeds: {
    vi: 'Theo dõi bằng ứng dụng podcast: {rss} · JSON Feed: {json}',
    en: 'Follow in a podcast app: {rss} · JSON Feed: {json}',
  },
  // An urgent item's title in the podcast feed, when the title does not already say it (feeds.ts)
  feed_urgent_title: { vi: '[Khẩn] {title}', en: '[Urgent] {title}' },
  // What a bulletin's broadcast did to its publication (publishing-service.ts afterBroadcast, in the broadcast's answer)
  publication_note_published: {
    vi: 'Đã đăng lên trang tin của xã, podcast và webhook (và Facebook, Zalo nếu đã bật).',
    en: "Published on the commune's page, podcast and webhooks (and Facebook, Zalo when switched on).",
  },
  publication_note_already_published: {
    vi: 'Bản tin đã được đăng trước đó: không đăng thêm lần nữa.',
    en: 'The bulletin was already published: it is not published a second time.',
  },
  publication_note_withdrawn: {
    vi: 'Không đăng lại lên trang tin, podcast, Facebook và Zalo vì bản tin đã bị rút ({reason}). Muốn đăng lại, người duyệt gửi POST /api/bulletins/{id}/visibility với "public": true.',
    en: 'Not published again on the page, podcast, Facebook and Zalo: the bulletin was withdrawn ({reason}). To publish it again, an approver sends POST /api/bulletins/{id}/visibility with "public": true.',
  },
  publication_note_private: {
    vi: 'Bản tin để nội bộ: không đăng lên trang tin.',
    en: 'The bulletin is private: it is not published.',
  },
  publication_note_drill: { vi: 'Phát diễn tập: không đăng lên trang tin.', en: 'A drill: it is not published.' },
  publication_note_none: { vi: 'Không có gì được đăng lên trang tin.', en: 'Nothing was published.' },
  public_withdrawn_reason_cancelled: { vi: 'Đã hủy và đính chính', en: 'Cancelled and corrected' },
  // Posts on the fanpage and the Zalo OA (social-publisher.ts), in the post and in the delivery log
  social_listen: { vi: 'Nghe bản tin: {url}', en: 'Listen to the bulletin: {url}' },
  social_read_more: { vi: 'Xem trên trang tin của xã: {url}', en: "On the commune's page: {url}" },
  // Why the last attempt failed (the cause and what to do); what happens next is one of social_state_*.
  social_token_missing: {
    vi: 'Chưa có mã truy cập (token) cho {platform}: ghi mã vào {where}.',
    en: 'There is no access token for {platform}: write it to {where}.',
  },
  social_token_refused: {
    vi: '{platform} từ chối mã truy cập (token): mã sai, đã hết hạn hoặc đã bị thu hồi ({detail}). Lấy mã mới và ghi vào {where}.',
    en: '{platform} refused the access token: it is wrong, expired or revoked ({detail}). Get a new one and write it to {where}.',
  },
  social_permission_missing: {
    vi: '{platform} không cho phép việc này: mã truy cập thiếu quyền (Facebook: pages_manage_posts; Zalo: quản lý bài viết của OA) ({detail}). Cấp quyền, lấy mã mới và ghi vào {where}.',
    en: "{platform} does not allow this: the access token lacks a permission (Facebook: pages_manage_posts; Zalo: the OA's article management) ({detail}). Grant it, get a new token and write it to {where}.",
  },
  social_rate_limited: {
    vi: '{platform} đang tạm giới hạn số lần gọi ({detail}).',
    en: '{platform} is limiting calls for now ({detail}).',
  },
  social_unavailable: {
    vi: '{platform} tạm thời không phục vụ (HTTP {status}; {detail}).',
    en: '{platform} is unavailable for now (HTTP {status}; {detail}).',
  },
  social_unreachable: {
    vi: 'Không kết nối được tới {platform} ({detail}): kiểm tra đường Internet của máy chủ.',
    en: "Could not reach {platform} ({detail}): check the server's Internet link.",
  },
  social_refused: { vi: '{platform} không nhận: {detail}', en: '{platform} did not accept it: {detail}' },
  // What happens next to a delivery, by its status (social-publisher.ts words())
  social_state_waiting_token: {
    vi: 'Bài đang chờ mã và được gửi ngay khi có mã; thời gian chờ không tính vào số lần thử.',
    en: 'It waits for the token and goes out as soon as the token is there; waiting does not count as an attempt.',
  },
  social_state_will_retry: {
    vi: 'Sẽ tự thử lại (đã thử {attempts} trên tối đa {max} lần); lần thử sau dùng mã mới nếu đã ghi.',
    en: 'It will be tried again ({attempts} of at most {max, plural, one {# attempt} other {# attempts}} made); the next attempt uses a new token if one was written.',
  },
  social_state_gave_up: {
    vi: 'Đã ngừng thử sau {attempts} lần. Khắc phục lỗi trên rồi gửi lại: POST /api/social/deliveries/{id}/retry (quản trị viên).',
    en: 'Gave up after {attempts, plural, one {# attempt} other {# attempts}}. Fix the problem above, then send it again: POST /api/social/deliveries/{id}/retry (administrators).',
  },
  social_state_cancelled_post: {
    vi: 'Đã hủy, không đăng lên {platform}: bản tin đã bị rút, chuyển nội bộ hoặc hủy phát trước khi bài được đăng.',
    en: 'Cancelled, not posted on {platform}: the bulletin was withdrawn, made private or its broadcast cancelled before the post went out.',
  },
  social_state_cancelled_takedown: {
    vi: 'Đã hủy: bài chưa từng lên {platform}, không có gì để gỡ.',
    en: 'Cancelled: the post never reached {platform}, so there is nothing to take down.',
  },
  what_social_delivery: { vi: 'lượt đăng bài', en: 'Social delivery' },
  social_retry_not_failed: {
    vi: 'Chỉ gửi lại được lượt đăng đã ngừng thử (failed); lượt này đang ở trạng thái "{status}".',
    en: 'Only a delivery that gave up (failed) can be sent again; this one is "{status}".',
  },
} as const satisfies Catalogue;
