/**
 * CAP alerts' words: why an alert from the provincial authority was refused, recorded without
 * being played, or held for a person (cap-service.ts). Part of `messages`.
 */
import type { Catalogue } from './messages.js';

export const capMessages = {
  cap_invalid: {
    vi: 'Cảnh báo CAP không hợp lệ: {detail}. Đề nghị nơi gửi sửa và gửi lại theo chuẩn CAP 1.2.',
    en: 'The CAP alert is not valid: {detail}. Ask its sender to correct it and send it again as CAP 1.2.',
  },
  cap_wrong_namespace: {
    vi: 'Không nhận tài liệu này: chỉ nhận cảnh báo CAP 1.2 (không gian tên urn:oasis:names:tc:emergency:cap:1.2), tài liệu gửi đến có không gian tên "{namespace}". Đề nghị nơi gửi gửi lại bản CAP 1.2.',
    en: 'This document is refused: only CAP 1.2 alerts are accepted (namespace urn:oasis:names:tc:emergency:cap:1.2), and it has the namespace "{namespace}". Ask its sender for the CAP 1.2 version.',
  },
  cap_sent_in_future: {
    vi: 'Cảnh báo ghi thời điểm gửi {sent}, muộn hơn giờ hiện tại quá một giờ: đồng hồ của nơi gửi sai hoặc cảnh báo bị giả mạo. Đã ghi lại, không phát.',
    en: "The alert says it was sent at {sent}, more than an hour ahead of now: the sender's clock is wrong or the alert is forged. Recorded, not broadcast.",
  },
  cap_typed_by_person: {
    vi: 'Cảnh báo này được gửi lên bằng tài khoản hoặc mã truy cập của một người (không phải mã tích hợp chỉ có quyền alerts:ingest), nên chưa được phát: một cán bộ có thẩm quyền khác kiểm tra rồi xác nhận tại bàn khẩn cấp để phát.',
    en: "This alert was posted with a person's session or token (not an integration token scoped to alerts:ingest), so it has not been broadcast: another official checks it and confirms it on the urgent desk to broadcast it.",
  },
  cap_untrusted_sender: {
    vi: 'Cảnh báo từ "{sender}" chưa được phát: nguồn này không nằm trong danh sách tin cậy (cap.trusted_senders). Cán bộ có thẩm quyền kiểm tra rồi xác nhận tại bàn khẩn cấp để phát.',
    en: 'The alert from "{sender}" has not been broadcast: it is not a trusted sender (cap.trusted_senders). An official checks it and confirms it on the urgent desk to broadcast it.',
  },
  cap_unknown_reference: {
    vi: 'Lệnh hủy tham chiếu tới cảnh báo chưa từng nhận ({references}), không có gì để hủy. Đề nghị nơi gửi kiểm tra lại phần tham chiếu (references).',
    en: 'The cancellation refers to alerts never received here ({references}); there is nothing to cancel. Ask its sender to check its references.',
  },
  cap_expired: {
    vi: 'Cảnh báo đã hết hiệu lực lúc {expires}: đã ghi nhận, không phát.',
    en: 'The alert expired at {expires}: recorded, not broadcast.',
  },
  cap_stale: {
    vi: 'Cảnh báo không có thời hạn hiệu lực (expires) và được gửi lúc {sent}, đã quá {max_hours} giờ: đã ghi nhận, không phát. Nếu vẫn cần phát, đề nghị nơi gửi gửi lại kèm thời hạn.',
    en: 'The alert has no expiry (expires) and was sent at {sent}, more than {max_hours, plural, one {# hour} other {# hours}} ago: recorded, not broadcast. If it still matters, ask its sender to send it again with an expiry.',
  },
  cap_no_receiver: {
    vi: 'Khu vực cảnh báo gồm thôn {hamlets} nhưng ở đó chưa có cụm loa nào được đăng ký: đã ghi nhận, không phát.',
    en: 'The alert covers hamlets {hamlets}, which have no enrolled receiver: recorded, not broadcast.',
  },
  cap_held_no_vietnamese: {
    vi: 'Cảnh báo không có phần tiếng Việt nên không tự động đọc: đã ghi nhận và giữ lại để cán bộ xem và phát bằng tiếng Việt.',
    en: 'The alert has no Vietnamese part, so it is not read out automatically: recorded and held for an official to read and broadcast in Vietnamese.',
  },
} as const satisfies Catalogue;
