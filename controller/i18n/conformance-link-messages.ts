/**
 * The conformance kit's findings on the link and the acks (cases-link.ts): the last will, coming
 * back, acks sent again, and the signatures over the whole run. The case names and the report's
 * own words are in conformance-messages.ts. Part of `messages`.
 */
import type { Catalogue } from './messages.js';

export const conformanceLinkMessages = {
  conf_no_will: {
    vi: 'Mất kết nối đột ngột nhưng không có trạng thái "offline" (last will) nào.',
    en: 'The link was cut but no "offline" status (last will) came.',
  },
  conf_will_session_differs: {
    vi: 'Thông điệp last will mang phiên {will}, còn "online" của kết nối đó mang phiên {online}.',
    en: 'The last will carries session {will}, but that connection\'s "online" carried session {online}.',
  },
  conf_will_sent: {
    vi: 'Máy chủ phát last will "offline" của thiết bị (phiên {session}) khi kết nối bị cắt.',
    en: 'The broker sent the device\'s "offline" last will (session {session}) when the link was cut.',
  },
  conf_will_retained: {
    vi: 'Trạng thái "offline" được lưu giữ: bộ điều khiển kết nối sau vẫn biết thiết bị ngoại tuyến.',
    en: 'The "offline" status is retained: a controller connecting later still knows the device is offline.',
  },
  conf_will_not_retained: {
    vi: 'Trạng thái lưu giữ trong lúc mất kết nối là "{state}", không phải "offline".',
    en: 'The retained status while the link was down was "{state}", not "offline".',
  },
  conf_backlog_play_not_started: {
    vi: 'Lệnh {command} và lệnh dừng của nó được giữ ở máy chủ khi mất kết nối; thiết bị trở lại trên đường truyền chậm ({link}): không bắt đầu phát ({acks}).',
    en: 'Command {command} and its stop were kept by the broker while the link was down; the device came back on a slow link ({link}) and never started it ({acks}).',
  },
  conf_backlog_play_started: {
    vi: 'Lệnh {command} đã BẮT ĐẦU PHÁT dù lệnh dừng của nó đến ngay sau nó khi thiết bị vừa kết nối lại trên đường truyền chậm ({link}; {acks}). Sau mỗi lần kết nối, thiết bị phải chờ gói SUBACK của kết nối đó, rồi chờ đến khi không còn lệnh phát hay dừng nào đến trong 300 ms, rồi mới phát (PROTOCOL.md, lệnh stop).',
    en: "Command {command} STARTED although its stop came right behind it as the device reconnected on a slow link ({link}; {acks}). After each connection a device must wait for that connection's SUBACK, then until no play or stop has arrived for 300 ms, before it starts anything (PROTOCOL.md, `stop`).",
  },
  conf_backlog_not_read: {
    vi: 'Lệnh {command}, được giữ ở máy chủ khi mất kết nối, không được xử lý sau khi kết nối lại ({link}): {acks}.',
    en: 'Command {command}, kept by the broker while the link was down, was not taken after reconnecting ({link}): {acks}.',
  },
  conf_not_back: {
    vi: 'Thiết bị không kết nối lại trong {seconds} giây sau khi mạng trở lại.',
    en: 'The device did not reconnect within {seconds} s of the link coming back.',
  },
  conf_back_online: {
    vi: 'Thiết bị kết nối lại và báo "online" với phiên mới {session}.',
    en: 'The device reconnected and announced "online" with the new session {session}.',
  },
  conf_session_not_increased: {
    vi: 'Thiết bị kết nối lại với phiên {session}, không lớn hơn phiên trước.',
    en: 'The device reconnected with session {session}, not above the one before.',
  },
  conf_offline_acks_delivered: {
    vi: 'Xác nhận tạo ra khi mất kết nối được gửi sau khi kết nối lại (lệnh {command}): {acks}.',
    en: 'Acks made while the link was down were sent after reconnecting (command {command}): {acks}.',
  },
  conf_offline_acks_lost: {
    vi: 'Xác nhận "{missing}" tạo ra khi mất kết nối đã bị MẤT (lệnh {command}; nhận được: {acks}).',
    en: 'The "{missing}" acks made while the link was down were LOST (command {command}; received: {acks}).',
  },
  conf_unreceipted_resent: {
    vi: 'Xác nhận đã gửi nhưng chưa được biên nhận (số {seqs}) được gửi lại sau khi kết nối lại.',
    en: 'Acks sent but never receipted (numbers {seqs}) were sent again after reconnecting.',
  },
  conf_unreceipted_not_resent: {
    vi: 'Xác nhận chưa được biên nhận số {seqs} KHÔNG được gửi lại sau khi kết nối lại (nhận được: {acks}).',
    en: 'Unreceipted acks {seqs} were NOT sent again after reconnecting (received: {acks}).',
  },

  conf_resend_reply: {
    vi: 'Trả lời resend_acks: đã gửi lại {resent}, đúng bằng số xác nhận chưa biên nhận (số {seqs}); số tiếp theo {next_seq}.',
    en: 'resend_acks answered: {resent} resent, as many as were awaiting receipt (numbers {seqs}); next number {next_seq}.',
  },
  conf_resend_reply_wrong: {
    vi: 'Trả lời resend_acks không đúng: {reply} (đang chờ biên nhận: {held}; số tiếp theo phải là {next_seq}).',
    en: 'resend_acks answered wrongly: {reply} (awaiting receipt: {held}; the next number must be {next_seq}).',
  },
  conf_resent_all: {
    vi: 'Mọi xác nhận chưa biên nhận (số {seqs}) được gửi lại nguyên văn, xác nhận cuối cùng đến {ms} ms sau yêu cầu.',
    en: 'Every unreceipted ack (numbers {seqs}) was sent again unchanged, the last {ms} ms after the request.',
  },
  conf_not_resent: {
    vi: 'Xác nhận chưa biên nhận số {seqs} không được gửi lại.',
    en: 'Unreceipted acks {seqs} were not sent again.',
  },
  conf_restart_resent: {
    vi: 'Bộ điều khiển khởi động lại (lượt chạy mới, thông báo không kèm phiên MQTT, như bộ điều khiển trước 2026-12-06): mọi xác nhận chưa biên nhận (số {seqs}) được gửi lại nguyên văn, xác nhận cuối cùng đến {ms} ms sau thông báo.',
    en: 'The controller started again (a new boot, announced without a broker session, as controllers before 2026-12-06 do): every unreceipted ack (numbers {seqs}) was sent again unchanged, the last {ms} ms after the announcement.',
  },
  conf_restart_not_resent: {
    vi: 'Bộ điều khiển khởi động lại (lượt chạy mới) nhưng xác nhận chưa biên nhận số {seqs} KHÔNG được gửi lại: bộ điều khiển có thể đã mất chúng.',
    en: 'The controller started again (a new boot), but unreceipted acks {seqs} were NOT sent again: it may have lost them.',
  },
  conf_session_resent: {
    vi: 'Bộ điều khiển trở lại với phiên MQTT mới (cùng lượt chạy): mọi xác nhận chưa biên nhận (số {seqs}) được gửi lại nguyên văn, xác nhận cuối cùng đến {ms} ms sau thông báo.',
    en: 'The controller came back with a new broker session (the same boot): every unreceipted ack (numbers {seqs}) was sent again unchanged, the last {ms} ms after the announcement.',
  },
  conf_session_not_resent: {
    vi: 'Bộ điều khiển trở lại với phiên MQTT mới (cùng lượt chạy) nhưng xác nhận chưa biên nhận số {seqs} KHÔNG được gửi lại: những gì gửi trước khi bộ điều khiển đăng ký lại không đến được ai.',
    en: 'The controller came back with a new broker session (the same boot), but unreceipted acks {seqs} were NOT sent again: what was sent before the controller subscribed again reached no one.',
  },
  conf_resend_changed: {
    vi: 'Xác nhận số {seqs} gửi lại đã bị thay đổi (phải gửi lại nguyên văn).',
    en: 'Acks {seqs} came back changed (a resend must be identical).',
  },
  conf_receipted_forgotten: {
    vi: 'Sau biên nhận, hộp thư đi trống: resend_acks gửi lại 0.',
    en: 'Once receipted, the outbox is empty: resend_acks resent 0.',
  },
  conf_receipted_kept: {
    vi: 'Sau biên nhận vẫn còn xác nhận trong hộp thư đi: resend_acks gửi lại {resent}.',
    en: 'Receipted acks stayed in the outbox: resend_acks resent {resent}.',
  },

  conf_no_acks: { vi: 'Không nhận được xác nhận nào.', en: 'No ack was received.' },
  conf_acks_signed: {
    vi: '{count} xác nhận ({distinct} số, từ {from} đến {to}) đều có chữ ký hợp lệ bằng khóa đã cấp cho thiết bị.',
    en: '{count, plural, one {# ack} other {# acks}} ({distinct, plural, one {# number} other {# numbers}}, {from} to {to}) all carry a valid signature by the key enrolled for the device.',
  },
  conf_acks_badly_signed: {
    vi: '{count} xác nhận thiếu chữ ký hoặc chữ ký sai: số {seqs}.',
    en: '{count, plural, one {# ack} other {# acks}} unsigned or badly signed: numbers {seqs}.',
  },
  conf_seq_reused: {
    vi: 'Một số xác nhận bị dùng cho nội dung khác nhau: {seqs}.',
    en: 'Ack numbers used for different contents: {seqs}.',
  },
  conf_chain_broken: {
    vi: 'Trường prev không khớp với xác nhận liền trước: số {seqs}.',
    en: 'prev does not match the ack before: numbers {seqs}.',
  },
  conf_malformed_payloads: {
    vi: '{count} tin nhắn sai định dạng giao thức; đầu tiên trên {topic}: {error}',
    en: "{count, plural, one {# message} other {# messages}} not in the protocol's format; the first on {topic}: {error}",
  },
} as const satisfies Catalogue;
