/**
 * The receivers page's words (pages/receivers.js): the list and map, enrolling a receiver, its
 * history and charts, its alerts, and remote operations. Part of the console's catalogue (see
 * `catalogue` in console-messages.ts).
 */
import type { Catalogue } from './messages.js';

export const consoleReceiverMessages = {
  ui_map_unplaced: {
    vi: 'Chưa có tọa độ nên chưa hiện trên bản đồ: {names}. Thêm vĩ độ, kinh độ (lat, lon) của thôn vào tệp cấu hình; bản đồ nhận sau lần khởi động lại.',
    en: "Not on the map yet (no coordinates): {names}. Add the hamlet's latitude and longitude (lat, lon) to the configuration file; the map takes them at the next start.",
  },
  ui_alert_acknowledge: { vi: 'Đã biết, đang xử lý', en: 'Acknowledge: being dealt with' },
  ui_map_label: {
    vi: 'Bản đồ cụm loa: xanh đang hoạt động, cam có cảnh báo, đỏ mất kết nối, xám chưa từng kết nối',
    en: 'Map of receivers: green online, orange with an alert, red offline, grey never connected',
  },
  ui_enrol_receiver: { vi: 'Đăng ký cụm loa mới', en: 'Enrol a new receiver' },
  ui_id_hint: {
    vi: 'Chữ thường không dấu, số và gạch ngang, ví dụ rx-thon-1-b.',
    en: 'Lower-case letters, digits and dashes, e.g. rx-thon-1-b.',
  },
  ui_id_format: {
    vi: 'Mã chỉ gồm chữ thường không dấu, số và gạch ngang (tối đa 64 ký tự).',
    en: 'Only lower-case letters, digits and dashes (at most 64).',
  },
  ui_enrol: { vi: 'Đăng ký', en: 'Enrol' },
  ui_enrolled_once: {
    vi: 'Đã đăng ký {name}. Tải tệp cấu hình ngay: mật khẩu của cụm loa chỉ hiện một lần.',
    en: "Enrolled {name}. Download its config now: the receiver's secret is shown only once.",
  },
  ui_download_config: { vi: 'Tải tệp cấu hình', en: 'Download the config' },
  ui_no_data: { vi: 'Chưa có dữ liệu.', en: 'No data yet.' },
  ui_since: { vi: 'Từ', en: 'Since' },
  ui_uptime_7d: { vi: 'Thời gian hoạt động 7 ngày', en: 'Uptime, 7 days' },
  // Enrolled less than 7 days ago: counted from its enrolment, and said so.
  ui_uptime_since: { vi: 'Thời gian hoạt động từ khi đăng ký ({since})', en: 'Uptime since its enrolment ({since})' },
  ui_agent_version: { vi: 'Phiên bản phần mềm', en: 'Agent version' },
  ui_history: { vi: 'Lịch sử kết nối', en: 'Connection history' },
  ui_chart_temperature: { vi: 'Nhiệt độ (°C)', en: 'Temperature (°C)' },
  ui_chart_signal: { vi: 'Tín hiệu (dBm)', en: 'Signal (dBm)' },
  ui_remote_ops: { vi: 'Điều khiển từ xa', en: 'Remote operations' },
  ui_volume: { vi: 'Âm lượng', en: 'Volume' },
  ui_set_volume: { vi: 'Đặt âm lượng', en: 'Set the volume' },
  ui_op_done: { vi: 'Cụm loa đã thực hiện: {op}.', en: 'The receiver did it: {op}.' },
  ui_op_clock_offset: {
    vi: 'Đồng hồ cụm loa lệch {seconds} giây so với bộ điều khiển (số dương: chạy nhanh hơn).',
    en: 'Its clock is {seconds} s off the controller’s (positive: ahead).',
  },
  // The receiver's own words follow (its software's, often English): said as such, after ours.
  ui_op_failed: {
    vi: 'Cụm loa chưa thực hiện được: {op}. Lỗi cụm loa báo về: {detail}',
    en: 'The receiver could not do it: {op}. The error it reported: {detail}',
  },
  ui_op_test_tone_silent: {
    vi: 'Đang trong giờ yên tĩnh nên âm thử được chạy không ra tiếng: cụm loa đã giải mã và đưa âm thanh qua thiết bị âm thanh tới đầu vào bộ khuếch đại, nhưng loa không phát thành tiếng. Muốn nghe thật, hãy thử lại sau giờ yên tĩnh.',
    en: 'Quiet hours: the test tone ran silently. The receiver decoded it and sent it through its sound device to the amplifier input, but the speaker made no sound. To hear it, test again after quiet hours.',
  },
  ui_op_test_tone_quiet: {
    vi: 'Đang trong giờ yên tĩnh nên âm thử chỉ phát nhỏ, ở âm lượng {pct}%.',
    en: 'Quiet hours: the test tone played quietly, at {pct}% volume.',
  },
  ui_receiver_list: { vi: 'Danh sách cụm loa', en: 'Receivers' },
  ui_show: { vi: 'Hiển thị', en: 'Show' },
  ui_health: { vi: 'Tình trạng', en: 'Health' },
  ui_map: { vi: 'Bản đồ', en: 'Map' },
  ui_filter_all: { vi: 'Tất cả', en: 'All' },
  ui_filter_offline: { vi: 'Mất kết nối', en: 'Offline' },
  ui_filter_warn: { vi: 'Có cảnh báo', en: 'With alerts' },
  ui_filter_ok: { vi: 'Bình thường', en: 'Healthy' },
  ui_filter_unenrolled: { vi: 'Chưa đăng ký', en: 'Not enrolled' },
  ui_health_ok: { vi: 'Bình thường', en: 'Healthy' },
  ui_health_warn: { vi: 'Có cảnh báo', en: 'Alert' },
  ui_health_offline: { vi: 'Mất kết nối', en: 'Offline' },
  ui_health_never: { vi: 'Chưa từng kết nối', en: 'Never connected' },
  ui_health_unenrolled: { vi: 'Chưa đăng ký', en: 'Not enrolled' },
  ui_op_set_volume: { vi: 'đặt âm lượng', en: 'set the volume' },
  ui_op_test_tone: { vi: 'Phát âm thử', en: 'Test tone' },
  ui_op_restart: { vi: 'Khởi động lại', en: 'Restart' },
  ui_op_sync_clock: { vi: 'Đồng bộ đồng hồ', en: 'Sync the clock' },
  ui_op_fetch_logs: { vi: 'Lấy nhật ký', en: 'Fetch logs' },
  ui_op_restart_confirm: {
    vi: 'Khởi động lại "{name}"? Cụm loa ngừng phát trong giây lát (một tin khẩn đang phát thì nó chờ tin khẩn xong).',
    en: 'Restart "{name}"? The receiver stops playing for a moment (during an emergency it waits until the emergency is over).',
  },
  ui_receiver_log_empty: { vi: 'Cụm loa chưa ghi gì.', en: 'The receiver has noted nothing yet.' },
  ui_chart_time: { vi: 'Thời gian', en: 'Time' },
  ui_chart_one: { vi: 'Mới có một số đo: {value} (lúc {at}).', en: 'One reading so far: {value} (at {at}).' },
  ui_chart_storage: { vi: 'Bộ nhớ còn trống (GB)', en: 'Free storage (GB)' },
  ui_chart_volume: { vi: 'Âm lượng (%)', en: 'Volume (%)' },
  ui_chart_clock: { vi: 'Lệch đồng hồ (giây)', en: 'Clock offset (s)' },
} as const satisfies Catalogue;
