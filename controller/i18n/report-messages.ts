/** The reports' words (XLSX, PDF, the console's report page). Part of `messages`. */
import type { Catalogue } from './messages.js';

export const reportMessages = {
  // Console words that the reports also use as column headings and lines
  ui_category: { vi: 'Chuyên mục', en: 'Category' },
  ui_hamlet: { vi: 'Thôn', en: 'Hamlet' },
  ui_priority: { vi: 'Mức ưu tiên', en: 'Priority' },
  ui_receiver_id: { vi: 'Mã cụm loa', en: 'Receiver id' },
  ui_households: { vi: 'Số hộ', en: 'Households' },
  ui_reached: { vi: 'Đã nghe', en: 'Reached' },
  ui_when: { vi: 'Thời gian', en: 'When' },
  ui_priority_normal: { vi: 'Thông thường', en: 'Normal' },
  ui_priority_priority: { vi: 'Ưu tiên', en: 'Priority' },
  ui_priority_emergency: { vi: 'Khẩn cấp', en: 'Emergency' },
  // Reports
  report_title: { vi: 'Báo cáo hoạt động truyền thanh cơ sở', en: 'Grassroots radio activity report' },
  report_uncategorised: { vi: 'Chưa phân loại', en: 'Uncategorised' },
  report_sheet_summary: { vi: 'Tổng hợp', en: 'Summary' },
  report_sheet_categories: { vi: 'Theo chuyên mục', en: 'By category' },
  report_sheet_weeks: { vi: 'Theo tuần', en: 'By week' },
  report_sheet_hamlets: { vi: 'Theo thôn', en: 'By hamlet' },
  report_sheet_receivers: { vi: 'Cụm loa', en: 'Receivers' },
  report_sheet_urgent: { vi: 'Tin khẩn', en: 'Urgent announcements' },
  report_sheet_as_run: { vi: 'Nhật ký phát', en: 'As-run log' },
  report_item: { vi: 'Mục', en: 'Item' },
  report_value: { vi: 'Giá trị', en: 'Value' },
  report_period: { vi: 'Kỳ báo cáo', en: 'Period' },
  report_broadcasts: { vi: 'Số lượt phát', en: 'Broadcasts' },
  report_minutes: {
    vi: 'Tổng số phút lên sóng (kể cả số phút chỉ gửi đi)',
    en: 'Minutes on air in all (minutes only sent included)',
  },
  report_minutes_heard: {
    vi: 'Số phút nghe được (cụm loa xác nhận đã phát ra loa)',
    en: 'Minutes heard (a receiver confirmed its loudspeaker played them)',
  },
  report_minutes_sent_only: {
    vi: 'Số phút chỉ xác nhận đã gửi đi, chưa xác nhận nghe',
    en: 'Minutes only sent, not confirmed heard',
  },
  report_minutes_short: { vi: 'phút', en: 'min' },
  report_drills: { vi: 'Số lượt diễn tập (không tính)', en: 'Drills (not counted)' },
  report_not_aired: { vi: 'Số lượt đã ra lệnh nhưng không cụm loa nào phát', en: 'Issued but played by no receiver' },
  report_under_way: {
    vi: 'Số lượt còn trong thời gian phát (chưa tính)',
    en: 'Still within their time to play (not counted yet)',
  },
  report_stopped: {
    vi: 'Số lượt bị dừng hoặc bị tin khẩn cấp cắt ngang trước khi cụm loa nào phát hết (không tính là lỗi)',
    en: 'Stopped or cut off by an emergency before any receiver played them through (not counted as a fault)',
  },
  report_receivers_targeted: { vi: 'Lượt cụm loa được giao', en: 'Receiver plays given' },
  report_households_total: { vi: 'Tổng số hộ của xã', en: 'Households in the commune' },
  report_hamlets_addressed: { vi: 'Số thôn được gửi', en: 'Hamlets addressed' },
  report_receivers_finished: { vi: 'Lượt cụm loa phát trọn', en: 'Receiver plays finished' },
  report_receivers_sent: {
    vi: 'Lượt chỉ xác nhận đã phát đi, chưa xác nhận nghe',
    en: 'Receiver plays only sent, not confirmed heard',
  },
  report_households_per_broadcast: {
    vi: 'Số hộ nghe được trung bình mỗi lượt phát',
    en: 'Households reached per broadcast',
  },
  report_integrity: { vi: 'Kiểm tra toàn vẹn dữ liệu xác nhận', en: 'Integrity of the acknowledgement store' },
  report_integrity_ok: {
    vi: 'Nguyên vẹn ({count} xác nhận đã kiểm tra)',
    en: 'Intact ({count, plural, one {# acknowledgement} other {# acknowledgements}} checked)',
  },
  report_integrity_broken: {
    vi: 'CÓ SAI LỆCH: {count} mục bị sửa, xóa hoặc giả mạo',
    en: 'ALTERED: {count, plural, one {# entry} other {# entries}} edited, deleted or forged',
  },
  report_generated_at: { vi: 'Thời điểm lập', en: 'Generated at' },
  report_week: { vi: 'Tuần', en: 'Week' },
  report_share_played: { vi: 'Tỷ lệ thời lượng đã phát (%)', en: 'Share actually played (%)' },
  report_uptime: { vi: 'Thời gian hoạt động (%)', en: 'Uptime (%)' },
  report_hamlets_reached: { vi: 'Số thôn nghe được', en: 'Hamlets reached' },
  report_households_reached: { vi: 'Số hộ nghe được', en: 'Households reached' },
  report_bad_range: {
    vi: 'Đến ngày (to, {to}) đứng trước từ ngày (from, {from}). Hãy đặt ngày kết thúc bằng hoặc sau ngày bắt đầu.',
    en: 'The end date (to, {to}) is before the start (from, {from}). Set the end on or after the start.',
  },
  report_range_incomplete: {
    vi: 'Kỳ "range" cần cả từ ngày (from) và đến ngày (to), dạng năm-tháng-ngày, ví dụ 2026-12-01.',
    en: 'A "range" needs both from and to, as year-month-day, e.g. 2026-12-01.',
  },
  report_dates_need_range: {
    vi: 'Từ ngày (from) và đến ngày (to) chỉ dùng cho kỳ "range", không dùng cho kỳ "{kind}". Hãy bỏ kind, đặt kind=range, hoặc chọn ngày trong kỳ bằng date.',
    en: 'from and to belong to kind=range, not to "{kind}". Leave kind out, set kind=range, or choose a day inside the period with date.',
  },
  report_csv_signature: {
    vi: 'Chữ ký số của bộ điều khiển (kiểm tra tệp: npm run verify-proof -- --keys <khóa công khai> --report <tệp>)',
    en: "The controller's digital signature (check the file: npm run verify-proof -- --keys <public key> --report <file>)",
  },
  report_range_too_long: {
    vi: 'Khoảng báo cáo dài quá {days} ngày. Hãy chọn báo cáo năm, hoặc một khoảng ngắn hơn.',
    en: 'The range is longer than {days, plural, one {# day} other {# days}}. Choose a year report, or a shorter range.',
  },
  upward_not_configured: {
    vi: 'Chưa cấu hình địa chỉ hệ thống của tỉnh (reporting.provincial_url) nên chưa gửi được báo cáo. Báo kỹ thuật viên cấu hình, hoặc tải tệp báo cáo và gửi theo cách khác.',
    en: "The provincial system's address (reporting.provincial_url) is not configured, so the report cannot be sent. Ask a technician to set it, or download the report file and send it another way.",
  },
  report_future: {
    vi: 'Kỳ {label} chưa bắt đầu: chưa có gì để báo cáo.',
    en: 'The period {label} has not begun: there is nothing to report yet.',
  },
  // A receiver's outcome, a broadcast's source and why a receiver did not play: the console's
  // coverage page and the reports' as-run log use the same words.
  ui_reason_bad_signature: { vi: 'lệnh không có chữ ký hợp lệ', en: 'the command was not validly signed' },
  ui_reason_unknown_key: { vi: 'lệnh ký bằng khóa lạ', en: 'the command was signed with an unknown key' },
  ui_reason_expired: { vi: 'lệnh đã hết hạn khi tới nơi', en: 'the command had expired when it arrived' },
  ui_reason_not_yet_valid: {
    vi: 'đồng hồ cụm loa chậm, đang gửi lại',
    en: "the receiver's clock is behind; sent again",
  },
  ui_reason_wrong_target: { vi: 'lệnh không dành cho cụm loa này', en: 'the command was not for this receiver' },
  ui_reason_malformed: { vi: 'lệnh hỏng', en: 'the command was damaged' },
  ui_reason_predates_memory: {
    vi: 'cụm loa vừa mất bộ nhớ, đang gửi bản mới',
    en: 'the receiver lost its memory; a fresh copy is sent',
  },
  ui_reason_download_failed: { vi: 'không tải được âm thanh', en: 'the audio could not be downloaded' },
  ui_reason_hash_mismatch: {
    vi: 'âm thanh tải về không khớp (bị sửa trên đường truyền?)',
    en: 'the downloaded audio did not match (altered on the way?)',
  },
  ui_reason_size_mismatch: { vi: 'âm thanh tải về sai kích thước', en: 'the downloaded audio had the wrong size' },
  ui_reason_player_error: { vi: 'lỗi bộ phát hoặc bộ khuếch đại', en: 'player or amplifier fault' },
  ui_reason_expired_before_start: { vi: 'hết hạn trước khi kịp phát', en: 'expired before it could start' },
  ui_reason_stopped: { vi: 'đã bị dừng', en: 'stopped' },
  ui_reason_preempted: { vi: 'bị tin khẩn cắt ngang', en: 'cut off by an emergency' },
  // A stopped or pre-empted receiver: whether it had begun to play (cut off) or never had.
  ui_outcome_stopped_started: { vi: 'bị dừng khi đang phát', en: 'stopped while playing' },
  ui_outcome_stopped_unstarted: { vi: 'bị dừng trước khi phát', en: 'stopped before it played' },
  ui_outcome_preempted_started: {
    vi: 'bị tin khẩn cắt ngang khi đang phát',
    en: 'cut off by an emergency while playing',
  },
  // Waiting or unanswered, and a stop went out to it that it has not taken: it may yet start the item.
  ui_stop_unconfirmed: {
    vi: 'đã gửi lệnh dừng, cụm loa chưa xác nhận',
    en: 'a stop was sent; the receiver has not confirmed it',
  },
  // Playing or holding it by its last report, and not connected now: a link lost plays on from its
  // store, a power cut does not; the console cannot tell which (an outsider saw "playing" for a dead one).
  ui_last_report_offline: {
    vi: 'theo báo cáo cuối; cụm loa đang mất kết nối',
    en: 'by its last report; the receiver is not connected now',
  },
  ui_outcome_not_whole: { vi: 'không phát hết', en: 'not played to the end' },
  // Its restart (a power cut) cut it mid-play, a person stopped it meanwhile, and it took the stop on its return.
  ui_outcome_stopped_dark: {
    vi: 'bị dừng theo lệnh khi cụm loa đang mất kết nối, không phát lại',
    en: 'stopped while the receiver was out of reach; not played again',
  },
  ui_cut_by_restart: {
    vi: 'bị ngắt giữa chừng vì cụm loa khởi động lại (mất điện?), báo lúc {at}',
    en: 'cut off mid-play by the receiver restarting (a power cut?), reported at {at}',
  },
  // When its restart's words were its last: when it fell silent, as the controller saw its link go.
  ui_silent_from: { vi: 'im lặng từ {at} (mất kết nối)', en: 'silent from {at} (link lost)' },
  ui_outcome_preempted_unstarted: {
    vi: 'nhường cho tin khẩn, chưa phát',
    en: 'gave way to an emergency before it played',
  },
  ui_reason_storage_error: { vi: 'lỗi bộ nhớ của cụm loa', en: "the receiver's storage failed" },
  ui_reason_stream_dropped: { vi: 'mất luồng phát trực tiếp', en: 'the live stream dropped' },
  ui_outcome_finished: { vi: 'phát xong', en: 'finished' },
  ui_outcome_sent: { vi: 'đã phát đi, chưa xác nhận nghe', en: 'sent, not confirmed heard' },
  ui_outcome_playing: { vi: 'đang phát', en: 'playing' },
  ui_outcome_unfinished: { vi: 'đã bắt đầu, không báo kết thúc', en: 'started, no end reported' },
  ui_outcome_downloaded: { vi: 'đã tải, sẵn sàng', en: 'downloaded, ready' },
  ui_outcome_received: { vi: 'đã nhận lệnh', en: 'received' },
  ui_outcome_failed: { vi: 'không phát được', en: 'failed' },
  ui_outcome_rejected: { vi: 'từ chối lệnh', en: 'refused' },
  ui_outcome_waiting: { vi: 'đang chờ', en: 'waiting' },
  ui_outcome_no_answer: { vi: 'không trả lời', en: 'no answer' },
  ui_source_manual: { vi: 'Phát tay', en: 'Manual' },
  ui_source_schedule: { vi: 'Theo lịch', en: 'Scheduled' },
  ui_source_bulletin: { vi: 'Bản tin', en: 'Bulletin' },
  ui_source_correction: { vi: 'Đính chính', en: 'Correction' },
  ui_source_cap: { vi: 'Cảnh báo CAP', en: 'CAP alert' },
  ui_source_emergency: { vi: 'Khẩn cấp', en: 'Emergency' },
} as const satisfies Catalogue;
