/**
 * The conformance kit's words (npm run conformance, firmware-bridge/conformance/): case names,
 * findings with their evidence, and the report a commune attaches to an acceptance record. Part of
 * `messages`.
 */
import type { Catalogue } from './messages.js';

export const conformanceMessages = {
  conf_report_title: {
    vi: 'BIÊN BẢN KIỂM TRA TƯƠNG THÍCH CỤM LOA THÔNG MINH (giao thức truyền thanh v1)',
    en: 'SMART LOUDSPEAKER RECEIVER CONFORMANCE REPORT (broadcast protocol v1)',
  },
  conf_report_device: {
    vi: 'Cụm loa được kiểm tra: {receiver} (thôn {hamlet})',
    en: 'Receiver under test: {receiver} (hamlet {hamlet})',
  },
  conf_report_version: {
    vi: 'Phiên bản phần mềm thiết bị tự báo: {agent} (trạng thái); {firmware} (số liệu vận hành)',
    en: 'Software version the device announced: {agent} (status); {firmware} (telemetry)',
  },
  conf_report_time: {
    vi: 'Thời gian kiểm tra: từ {local} đến {finished_local} (giờ Việt Nam, {zone}); {utc} – {finished_utc} (UTC)',
    en: 'Tested: from {local} to {finished_local} (Việt Nam time, {zone}); {utc} – {finished_utc} (UTC)',
  },
  conf_report_protocol: { vi: 'Phiên bản giao thức: {version}', en: 'Protocol version: {version}' },
  conf_result_pass: { vi: 'ĐẠT', en: 'PASS' },
  conf_result_fail: { vi: 'KHÔNG ĐẠT', en: 'FAIL' },
  conf_verdict_pass: {
    vi: 'KẾT LUẬN: ĐẠT. Cụm loa làm đúng mọi mục kiểm tra ({passed}/{total}).',
    en: 'VERDICT: PASS. The receiver got every case right ({passed}/{total}).',
  },
  conf_verdict_incomplete: {
    vi: 'KẾT LUẬN: CHƯA ĐỦ. {passed}/{total} mục đã chạy đều đạt, nhưng chưa chạy đủ các mục: không dùng làm biên bản nghiệm thu.',
    en: 'VERDICT: INCOMPLETE. All {passed}/{total} {total, plural, one {case} other {cases}} that ran passed, but not every case ran: not an acceptance record.',
  },
  conf_not_run: {
    vi: 'Chưa chạy ({count} mục): {cases}.',
    en: 'Not run ({count, plural, one {# case} other {# cases}}): {cases}.',
  },
  conf_unknown_cases: {
    vi: 'Không có mục kiểm tra: {cases}. Các mục có: {known}.',
    en: 'No such case: {cases}. The cases are: {known}.',
  },
  conf_verdict_fail: {
    vi: 'KẾT LUẬN: KHÔNG ĐẠT. Chỉ {passed}/{total} mục đạt; xem các mục đánh dấu ✗ ở trên.',
    en: 'VERDICT: FAIL. Only {passed}/{total} {total, plural, one {case} other {cases}} passed; see the items marked ✗ above.',
  },

  conf_case_availability: {
    vi: 'Báo trực tuyến (trạng thái lưu giữ) và phiên kết nối bền',
    en: 'Availability (retained status) and a persistent session',
  },
  conf_case_valid_sequence: {
    vi: 'Phát lệnh hợp lệ theo thứ tự, xác nhận từng bước theo thứ tự',
    en: 'Valid commands played in order, every stage acknowledged in order',
  },
  conf_case_forged_signature: { vi: 'Từ chối lệnh giả chữ ký', en: 'Refuses commands with a forged signature' },
  conf_case_bit_flipped: {
    vi: 'Từ chối lệnh bị sửa sau khi ký (đổi một bit)',
    en: 'Refuses a command changed after signing (one bit flipped)',
  },
  conf_case_expired: { vi: 'Từ chối lệnh đã hết hạn', en: 'Refuses an expired command' },
  conf_case_not_yet_valid: {
    vi: 'Từ chối lệnh chưa đến hiệu lực (phát hành ở tương lai)',
    en: 'Refuses a command not yet valid (issued in the future)',
  },
  conf_case_wrong_target: {
    vi: 'Từ chối lệnh gửi cho thôn hoặc cụm loa khác',
    en: 'Refuses commands meant for another hamlet or receiver',
  },
  conf_case_replayed: {
    vi: 'Không phát lại lệnh đã nhận (phát lại, bản sao mới cùng bản tin)',
    en: 'Never acts twice on a command (replay, fresh copy of the same broadcast)',
  },
  conf_case_hash_mismatch: { vi: 'Không phát tệp âm thanh sai mã băm', en: 'Never plays audio whose hash differs' },
  conf_case_stop: { vi: 'Lệnh dừng một bản tin', en: 'Stopping one broadcast' },
  conf_case_stop_all: { vi: 'Lệnh dừng tất cả', en: 'Stop-all' },
  conf_case_preemption: {
    vi: 'Tin khẩn cấp cắt ngang tin thường (Thông tư 39/2020/TT-BTTTT)',
    en: 'An emergency cuts a normal item (Circular 39/2020/TT-BTTTT)',
  },
  conf_case_play_at: { vi: 'Phát đúng giờ hẹn (play_at)', en: 'Starts at the scheduled time (play_at)' },
  conf_case_resend_acks: {
    vi: 'Gửi lại xác nhận theo yêu cầu (resend_acks)',
    en: 'Resends acks when asked (resend_acks)',
  },
  conf_case_controller_restart: {
    vi: 'Bộ điều khiển khởi động lại: gửi lại xác nhận chưa biên nhận',
    en: 'The controller started again: unreceipted acks sent again',
  },
  conf_case_stop_in_backlog: {
    vi: 'Lệnh dừng đến ngay sau lệnh phát khi thiết bị vừa kết nối lại trên đường truyền chậm: không phát',
    en: 'A stop right behind its play as the device reconnects on a slow link: nothing plays',
  },
  conf_case_controller_session: {
    vi: 'Máy chủ MQTT mất phiên của bộ điều khiển: gửi lại xác nhận chưa biên nhận',
    en: "The broker lost the controller's session: unreceipted acks sent again",
  },
  conf_case_link_loss: {
    vi: 'Mất kết nối: giữ xác nhận và gửi lại khi kết nối lại',
    en: 'Link loss: acks kept and sent again after reconnecting',
  },
  conf_case_last_will: {
    vi: 'Báo ngoại tuyến khi mất kết nối đột ngột (last will)',
    en: 'Offline announced on an unclean disconnect (last will)',
  },
  conf_case_ack_signatures: {
    vi: 'Chữ ký của mọi xác nhận khớp khóa đã cấp; đánh số không trùng',
    en: 'Every ack signed with the enrolled key; numbers never reused',
  },

  conf_never_connected: {
    vi: 'Thiết bị không kết nối được tới máy chủ tin nhắn {mqtt} trong {seconds} giây. Kiểm tra: thiết bị đã nạp đúng tệp cấu hình này chưa (địa chỉ máy chủ, mã cụm loa, mật khẩu secret), và có tới được địa chỉ đó qua mạng không (cùng mạng, tường lửa, --host/--advertise).',
    en: 'The device did not connect to the broker {mqtt} within {seconds} s. Check that it was loaded with this enrolment file (broker address, receiver id, secret) and that it can reach that address (same network, firewall, --host/--advertise).',
  },
  conf_connection_refused: {
    vi: 'Máy chủ đã từ chối một kết nối sai danh tính (mã máy khách và tên đăng nhập đều phải là {expected}): {who}',
    en: 'The broker refused a connection with the wrong identity (client id and username must both be {expected}): {who}',
  },
  conf_case_timed_out: {
    vi: 'Mục kiểm tra không xong trong {seconds} giây.',
    en: 'The case did not finish within {seconds} s.',
  },
  conf_case_error: { vi: 'Lỗi khi kiểm tra: {error}', en: 'Error while testing: {error}' },

  conf_no_online_status: { vi: 'Không có trạng thái "online" trên {topic}.', en: 'No "online" status on {topic}.' },
  conf_online_status: {
    vi: 'Trạng thái "online" trên {topic}: phiên {session}, phiên bản {version}, bộ nhớ chống phát lại từ {memory_since}.',
    en: '"online" status on {topic}: session {session}, version {version}, replay memory since {memory_since}.',
  },
  conf_no_agent_version: { vi: 'Trạng thái thiếu agent_version.', en: 'The status has no agent_version.' },
  conf_no_memory_since: {
    vi: 'Trạng thái thiếu memory_since (giao thức yêu cầu luôn gửi).',
    en: 'The status has no memory_since (the protocol asks for it always).',
  },
  conf_status_retained: {
    vi: 'Trạng thái được lưu giữ (retained): bộ điều khiển kết nối sau vẫn nhận được ngay trên {topic}.',
    en: 'The status is retained: a controller connecting later gets it at once on {topic}.',
  },
  conf_status_not_retained: {
    vi: 'Trạng thái KHÔNG được lưu giữ (retained) trên {topic}.',
    en: 'The status is NOT retained on {topic}.',
  },
  conf_persistent_session: {
    vi: 'Phiên MQTT bền (clean session = 0), keepalive {keepalive_s} giây: máy chủ giữ lệnh khi mất kết nối.',
    en: 'Persistent MQTT session (clean session = 0), keepalive {keepalive_s} s: the broker keeps commands while the link is down.',
  },
  conf_clean_session: {
    vi: 'Phiên MQTT không bền (clean session = 1): lệnh gửi lúc mất kết nối sẽ bị mất.',
    en: 'The MQTT session is not persistent (clean session = 1): commands sent while the link is down are lost.',
  },

  conf_stages_in_order: {
    vi: 'Lệnh {command}: xác nhận đủ và đúng thứ tự: {acks}.',
    en: 'Command {command}: every stage acknowledged in order: {acks}.',
  },
  conf_stages_wrong: {
    vi: 'Lệnh {command}: xác nhận {acks}; giao thức yêu cầu {expected}.',
    en: 'Command {command}: acks {acks}; the protocol requires {expected}.',
  },
  conf_played_in_arrival_order: {
    vi: 'Phát theo thứ tự nhận (số xác nhận "started"): {order}.',
    en: 'Played in arrival order ("started" ack numbers): {order}.',
  },
  conf_not_in_arrival_order: {
    vi: 'Không phát theo thứ tự nhận (số xác nhận "started"): {order}.',
    en: 'Not played in arrival order ("started" ack numbers): {order}.',
  },

  conf_refused: {
    vi: 'Lệnh {command} bị từ chối đúng: {acks} (lý do {reason}); không phát.',
    en: 'Command {command} refused as required: {acks} (reason {reason}); nothing played.',
  },
  conf_taken_not_refused: {
    vi: 'Lệnh {command} ĐÃ ĐƯỢC NHẬN thay vì bị từ chối ({reason}): {acks}.',
    en: 'Command {command} was TAKEN instead of refused ({reason}): {acks}.',
  },
  conf_no_refusal_ack: {
    vi: 'Lệnh {command}: không có xác nhận "rejected" ({reason}) trong {seconds} giây.',
    en: 'Command {command}: no "rejected" ack ({reason}) within {seconds} s.',
  },
  conf_refused_wrong_reason: {
    vi: 'Lệnh {command} bị từ chối với lý do {got}; giao thức yêu cầu {reason}.',
    en: 'Command {command} refused with reason {got}; the protocol requires {reason}.',
  },
  conf_replay_original_not_played: {
    vi: 'Lệnh gốc {command} không phát xong ({acks}), không thể kiểm tra phát lại.',
    en: 'The original command {command} did not finish ({acks}): the replay cannot be judged.',
  },
  conf_replay_ignored: {
    vi: 'Gửi lại nguyên văn lệnh {command} (hai kênh): bỏ qua lặng lẽ, không xác nhận, không phát.',
    en: 'The very same command {command} sent again (both topics): ignored silently, no ack, no play.',
  },
  conf_replay_acted_on: {
    vi: 'Lệnh {command} gửi lại đã được xử lý lần nữa: {acks}.',
    en: 'The command {command} sent again was acted on again: {acks}.',
  },
  conf_copy_ignored: {
    vi: 'Bản sao mới {command} của bản tin đã nhận: bỏ qua lặng lẽ.',
    en: 'A fresh copy {command} of a broadcast already taken: ignored silently.',
  },
  conf_copy_acted_on: {
    vi: 'Bản sao mới {command} của bản tin đã nhận lại được xử lý: {acks}.',
    en: 'A fresh copy {command} of a broadcast already taken was acted on: {acks}.',
  },

  conf_failed_as_required: {
    vi: 'Lệnh {command}: báo "failed" lý do {reason} như giao thức yêu cầu: {acks}.',
    en: 'Command {command}: reported "failed" with reason {reason} as the protocol requires: {acks}.',
  },
  conf_played_to_the_end: {
    vi: 'Lệnh {command} vẫn phát đến hết (cần "failed/{reason}"): {acks}.',
    en: 'Command {command} played to the end (expected "failed/{reason}"): {acks}.',
  },
  conf_no_failed_ack: {
    vi: 'Lệnh {command}: không có xác nhận "failed/{reason}": {acks}.',
    en: 'Command {command}: no "failed/{reason}" ack: {acks}.',
  },
  conf_failed_wrong_reason: {
    vi: 'Lệnh {command}: báo "failed" với lý do {got}, cần {reason}: {acks}.',
    en: 'Command {command}: "failed" with reason {got}, expected {reason}: {acks}.',
  },
  conf_hash_mismatch_played: {
    vi: 'Lệnh {command}: tệp sai mã băm vẫn được coi là sẵn sàng hoặc đã phát: {acks}.',
    en: 'Command {command}: audio with the wrong hash was taken as ready or played: {acks}.',
  },
  conf_stop_received: {
    vi: 'Lệnh dừng {command}: chỉ xác nhận "received" như giao thức: {acks}.',
    en: 'Stop command {command}: acknowledged "received" only, as the protocol says: {acks}.',
  },
  conf_stop_not_received: {
    vi: 'Lệnh dừng {command}: xác nhận {acks}; giao thức yêu cầu đúng một "received".',
    en: 'Stop command {command}: acks {acks}; the protocol requires exactly one "received".',
  },
  conf_did_not_start: {
    vi: 'Lệnh {command} không bắt đầu phát: {acks}.',
    en: 'Command {command} never started: {acks}.',
  },
  conf_emergency_played: {
    vi: 'Tin khẩn cấp {command} phát ngay sau khi cắt tin thường: {acks}.',
    en: 'The emergency {command} played right after cutting the normal item: {acks}.',
  },
  conf_emergency_not_played: {
    vi: 'Tin khẩn cấp {command} không phát ngay sau khi cắt tin thường: {acks}.',
    en: 'The emergency {command} did not play right after cutting the normal item: {acks}.',
  },
  conf_ready_before_play_at: {
    vi: 'Lệnh {command}: tải và kiểm tra xong trước giờ hẹn {play_at} ("downloaded").',
    en: 'Command {command}: downloaded and verified before its play_at {play_at} ("downloaded").',
  },
  conf_not_ready_before_play_at: {
    vi: 'Lệnh {command}: không sẵn sàng trước giờ hẹn {play_at}: {acks}.',
    en: 'Command {command}: not ready before its play_at {play_at}: {acks}.',
  },
  conf_started_on_time: {
    vi: 'Bắt đầu lệch {delta_ms} ms so với giờ hẹn (cho phép ±{tolerance_ms} ms, theo giờ của thiết bị); xác nhận đến bộ kiểm tra sau {arrival_ms} ms.',
    en: "Started {delta_ms} ms from the scheduled time (tolerance ±{tolerance_ms} ms, by the device's clock); the ack reached the kit {arrival_ms} ms after it.",
  },
  conf_started_off_time: {
    vi: 'Bắt đầu lệch {delta_ms} ms so với giờ hẹn, vượt mức cho phép ±{tolerance_ms} ms (xác nhận đến sau {arrival_ms} ms).',
    en: 'Started {delta_ms} ms from the scheduled time, beyond the ±{tolerance_ms} ms tolerance (the ack arrived {arrival_ms} ms after it).',
  },

  conf_wait_instructions: {
    vi: 'Đã sẵn sàng. Nạp tệp cấu hình {file} vào cụm loa {receiver} (máy chủ tin nhắn {mqtt}, máy chủ âm thanh {media}), rồi khởi động thiết bị. Bộ kiểm tra chờ thiết bị kết nối…',
    en: 'Ready. Load the enrolment file {file} into the receiver {receiver} (broker {mqtt}, media server {media}), then start the device. The kit waits for it to connect…',
  },
  conf_spawned: {
    vi: 'Đang khởi động thiết bị: {command} (nhật ký: {log})',
    en: 'Starting the device: {command} (log: {log})',
  },
  conf_json_written: { vi: 'Đã ghi báo cáo JSON: {file}', en: 'JSON report written: {file}' },
  conf_usage: {
    vi: 'Cách dùng: npm run conformance -- (--spawn-agent | --spawn "<lệnh>, {config} là đường dẫn tệp cấu hình" | --wait) [--json TỆP] [--dir THƯ_MỤC] [--host ĐỊA_CHỈ] [--advertise ĐỊA_CHỈ] [--mqtt-port CỔNG] [--media-port CỔNG] [--receiver-id MÃ] [--hamlet-id MÃ] [--play-at-tolerance-ms MS] [--connect-timeout-s GIÂY] [--only mục,mục] [--operator "HỌ TÊN"] [--device-make HÃNG] [--device-model KIỂU_MÁY] [--device-firmware PHIÊN_BẢN]. Kiểm tra chữ ký một báo cáo: npm run conformance -- --verify-report TỆP.json',
    en: 'Usage: npm run conformance -- (--spawn-agent | --spawn "<command>, {config} being the enrolment file path" | --wait) [--json FILE] [--dir DIR] [--host ADDRESS] [--advertise ADDRESS] [--mqtt-port PORT] [--media-port PORT] [--receiver-id ID] [--hamlet-id ID] [--play-at-tolerance-ms MS] [--connect-timeout-s SECONDS] [--only case,case] [--operator "NAME"] [--device-make MAKE] [--device-model MODEL] [--device-firmware VERSION]. Check the signature of a report: npm run conformance -- --verify-report FILE.json',
  },
} as const satisfies Catalogue;
