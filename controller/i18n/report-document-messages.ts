/**
 * The words of a report as an administrative document (Decree 30/2020/NĐ-CP: national heading,
 * issuer, number, place and date, title, body, signer, recipients) and of its as-run log as
 * people read it. Part of `messages`.
 */
import type { Catalogue } from './messages.js';

export const reportDocumentMessages = {
  doc_nation: { vi: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', en: 'SOCIALIST REPUBLIC OF VIET NAM' },
  doc_motto: { vi: 'Độc lập - Tự do - Hạnh phúc', en: 'Independence - Freedom - Happiness' },
  doc_number: { vi: 'Số:        /{symbol}', en: 'No.:        /{symbol}' },
  doc_place_date: { vi: '{place}, ngày {day} tháng {month} năm {year}', en: '{place}, {day}/{month}/{year}' },
  doc_kind: { vi: 'BÁO CÁO', en: 'REPORT' },
  doc_subject: { vi: 'Kết quả hoạt động truyền thanh cơ sở {period}', en: 'Grassroots radio activity in {period}' },
  doc_issuer_default: { vi: 'UBND {commune}', en: "People's Committee of {commune}" },
  doc_intro: {
    vi: '{issuer} báo cáo kết quả hoạt động của hệ thống truyền thanh cơ sở {period} như sau:',
    en: '{issuer} reports the activity of the grassroots radio system, {period}, as follows:',
  },
  doc_recipients: { vi: 'Nơi nhận:', en: 'Recipients:' },
  doc_section_summary: { vi: 'I. TÌNH HÌNH CHUNG', en: 'I. OVERVIEW' },
  doc_section_categories: { vi: 'II. KẾT QUẢ THEO CHUYÊN MỤC', en: 'II. BY CATEGORY' },
  doc_section_hamlets: { vi: 'III. KẾT QUẢ THEO THÔN', en: 'III. BY HAMLET' },
  doc_section_urgent: { vi: 'IV. THÔNG BÁO KHẨN', en: 'IV. URGENT ANNOUNCEMENTS' },
  doc_section_weeks: { vi: 'V. THỰC HIỆN KẾ HOẠCH HẰNG TUẦN', en: 'V. THE WEEKLY PLAN' },
  doc_section_receivers: { vi: 'VI. TÌNH TRẠNG CỤM LOA', en: 'VI. RECEIVERS' },
  doc_section_integrity: { vi: 'VII. TÍNH TOÀN VẸN CỦA DỮ LIỆU', en: 'VII. INTEGRITY OF THE RECORDS' },
  doc_summary_aired: {
    vi: 'Trong kỳ đã phát {broadcasts} lượt; thời lượng nghe được (cụm loa xác nhận đã phát ra loa) {minutes_heard} phút. {not_aired} lượt đã ra lệnh nhưng không cụm loa nào phát được; {drills} lượt diễn tập không tính vào kết quả.',
    en: 'Broadcasts on air: {broadcasts}; heard (a receiver confirmed its loudspeaker played them): {minutes_heard, plural, one {# minute} other {# minutes}}. Issued but played by no receiver: {not_aired}. Drills, not counted: {drills}.',
  },
  doc_summary_minutes_sent_only: {
    vi: 'Ngoài ra {minutes} phút chỉ xác nhận đã gửi đi (loa mạng IP, luồng phát, máy phát FM), chưa xác nhận có người nghe: không tính vào thời lượng nghe được.',
    en: 'A further {minutes, plural, one {# minute was} other {# minutes were}} only confirmed sent (IP paging, a stream, an FM transmitter), not heard: not counted in the minutes heard.',
  },
  doc_summary_stopped: {
    vi: '{count} lượt đã bị dừng, hủy hoặc bị tin khẩn cấp cắt ngang trước khi cụm loa nào phát hết: không tính là đã phát, cũng không tính là cụm loa lỗi.',
    en: '{count, plural, one {# broadcast was} other {# broadcasts were}} stopped, cancelled or cut off by an emergency before any receiver played it through: counted neither as on air nor as a receiver fault.',
  },
  doc_summary_reach: {
    vi: 'Cụm loa phát trọn vẹn {finished}/{targeted} lượt được giao; bình quân mỗi lượt phát đến được {households}/{total} hộ.',
    en: 'Receivers played {finished} of the {targeted} {targeted, plural, one {play} other {plays}} they were given to the end; each broadcast reached {households} of {total} {total, plural, one {household} other {households}} on average.',
  },
  doc_summary_sent: {
    vi: '{sent} lượt cụm loa chỉ xác nhận đã phát đi (loa mạng IP, luồng phát, máy phát FM), chưa xác nhận có người nghe: không tính vào số thôn, số hộ đã nghe.',
    en: '{sent, plural, one {# receiver play was} other {# receiver plays were}} only confirmed sent (IP paging, a stream, an FM transmitter), not heard: not counted in the hamlets or households reached.',
  },
  doc_col_broadcasts: { vi: 'Số lượt', en: 'Broadcasts' },
  doc_col_minutes_heard: { vi: 'Số phút nghe được', en: 'Minutes heard' },
  doc_col_minutes_sent_only: { vi: 'Số phút chỉ gửi đi', en: 'Minutes only sent' },
  doc_col_receivers: { vi: 'Số cụm loa', en: 'Receivers' },
  doc_col_addressed: { vi: 'Lượt phát tới', en: 'Broadcasts to it' },
  doc_col_heard: { vi: 'Đã nghe', en: 'Heard' },
  doc_col_not_heard: { vi: 'Chưa nghe (lý do)', en: 'Not heard (why)' },
  doc_col_share: { vi: 'Tỷ lệ thời lượng đã phát', en: 'Share played' },
  doc_col_hamlets_heard: { vi: 'Thôn nghe / được gửi', en: 'Hamlets heard / addressed' },
  doc_col_households_heard: { vi: 'Số hộ nghe', en: 'Households reached' },
  doc_col_status: { vi: 'Tình trạng', en: 'Status' },
  doc_col_uptime: { vi: 'Tỷ lệ hoạt động', en: 'Uptime' },
  doc_reason_sent: { vi: 'đã phát đi, chưa xác nhận nghe', en: 'sent, not confirmed heard' },
  doc_reason_no_receiver: { vi: 'chưa có cụm loa đã đăng ký', en: 'no enrolled receiver' },
  doc_reason_offline: { vi: 'cụm loa không kết nối', en: 'receivers not connected' },
  doc_reason_stopped: {
    vi: 'bị dừng hoặc bị tin khẩn cấp cắt ngang',
    en: 'stopped by a person or cut off by an emergency',
  },
  doc_reason_failed: { vi: 'cụm loa lỗi', en: 'receivers failed' },
  doc_reason_waiting: { vi: 'đang phát hoặc chờ phát', en: 'playing or still to play' },
  doc_reasons_none: { vi: '—', en: '—' },
  doc_week_met: { vi: 'Đạt', en: 'Met' },
  doc_week_missing: { vi: 'Thiếu: {categories}', en: 'Missing: {categories}' },
  doc_week_in_progress: {
    vi: 'Đang thực hiện (còn thiếu: {categories})',
    en: 'Under way (still missing: {categories})',
  },
  doc_week_not_started: { vi: 'Hệ thống chưa hoạt động', en: 'Before the network started' },
  doc_week_future: { vi: 'Chưa đến', en: 'Still to come' },
  doc_not_enrolled: { vi: 'Chưa đăng ký', en: 'Not enrolled' },
  doc_never_connected: { vi: 'Chưa từng kết nối', en: 'Never connected' },
  doc_no_broadcasts: { vi: 'Không có lượt phát nào trong kỳ.', en: 'Nothing went on air in the period.' },
  doc_summary_under_way: {
    vi: '{count} lượt còn trong thời gian phát (chưa tính).',
    en: '{count} still within their time to play (not counted yet).',
  },
  doc_integrity_ok_at: {
    vi: 'Dữ liệu xác nhận phát nguyên vẹn: {count} xác nhận đã kiểm tra lúc {at}.',
    en: 'The playback records are intact: {count} checked at {at}.',
  },
  doc_integrity_since: {
    vi: '{count} xác nhận lưu sau lần kiểm tra đó chưa được kiểm tra.',
    en: '{count} stored since that check not checked yet.',
  },
  doc_integrity_broken_at: {
    vi: 'DỮ LIỆU CÓ SAI LỆCH: {count} mục bị sửa, xóa hoặc giả mạo (kiểm tra lúc {at}).',
    en: 'RECORDS ALTERED: {count, plural, one {# entry} other {# entries}} edited, deleted or forged (checked at {at}).',
  },
  doc_no_urgent: { vi: 'Không có thông báo khẩn trong kỳ.', en: 'No urgent announcements in the period.' },
  doc_no_receivers: { vi: 'Chưa có cụm loa nào.', en: 'No receivers yet.' },
  // Opens the summary when the check found the records altered: the figures below rest on them.
  doc_integrity_warning: {
    vi: 'CẢNH BÁO: dữ liệu xác nhận phát đã bị sửa, xóa hoặc giả mạo ngoài hệ thống ({count} mục). Các số liệu trong báo cáo này có thể không đúng; quản trị viên xem từng mục ở trang Quản trị, "Kiểm tra tính toàn vẹn".',
    en: 'WARNING: the playback records were edited, deleted or forged outside the system ({count, plural, one {# entry} other {# entries}}). The figures in this report may be wrong; the administrator sees each entry on the Administration page, "Check integrity".',
  },
  doc_integrity_unchecked: { vi: 'Chưa kiểm tra.', en: 'Not checked yet.' },
  // The as-run log as people read it (CSV and the XLSX sheet)
  asrun_csv_title: { vi: 'Nhật ký phát — {commune} — {period}', en: 'As-run log — {commune} — {period}' },
  asrun_scheduled: { vi: 'Giờ phát dự kiến', en: 'Scheduled' },
  asrun_issued: { vi: 'Ra lệnh lúc', en: 'Issued' },
  asrun_title: { vi: 'Nội dung phát', en: 'What was broadcast' },
  asrun_no_answer_reason: {
    vi: 'không trả lời trước khi hết hạn (mất kết nối hoặc mất điện)',
    en: 'no answer before it expired (offline or without power)',
  },
  asrun_source: { vi: 'Nguồn', en: 'Source' },
  asrun_schedule: { vi: 'Lịch phát', en: 'Schedule' },
  asrun_drill: { vi: 'Diễn tập', en: 'Drill' },
  asrun_operator: { vi: 'Người phát', en: 'Issued by' },
  asrun_confirmed_by: { vi: 'Người xác nhận', en: 'Confirmed by' },
  asrun_receiver: { vi: 'Cụm loa', en: 'Receiver' },
  asrun_received: { vi: 'Nhận lệnh lúc', en: 'Received' },
  asrun_started: { vi: 'Bắt đầu phát', en: 'Started' },
  asrun_ended: { vi: 'Kết thúc', en: 'Ended' },
  asrun_outcome: { vi: 'Kết quả', en: 'Outcome' },
  asrun_reason: { vi: 'Lý do', en: 'Reason' },
  asrun_evidence: { vi: 'Mức xác nhận', en: 'Confirmed' },
  asrun_evidence_played: { vi: 'cụm loa xác nhận đã phát ra loa', en: 'played on its loudspeaker' },
  asrun_evidence_sent: {
    vi: 'chỉ xác nhận đã phát đi, chưa xác nhận nghe',
    en: 'only sent, not confirmed heard',
  },
  // Started, and no word that it played to the end (stopped, cut off, or silent since): not a blank.
  asrun_evidence_started: {
    vi: 'cụm loa báo đã bắt đầu phát, không báo phát hết',
    en: 'it said it started playing, not that it finished',
  },
  asrun_detail: { vi: 'Cụm loa báo (nguyên văn)', en: "The receiver's own report" },
  asrun_yes: { vi: 'Có', en: 'Yes' },
  asrun_no: { vi: 'Không', en: 'No' },
} as const satisfies Catalogue;
