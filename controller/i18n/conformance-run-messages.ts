/**
 * The conformance kit's words about the run itself (npm run conformance): what the record says
 * about the kit, the operator, the device and its tolerances, what the kit does not test, the
 * report's signature, a device that exited, never started, dropped off or never connected, the
 * notices while the kit waits for it, and a refused password. The cases'
 * own words are in conformance-messages.ts, the link findings in conformance-link-messages.ts. Part of `messages`.
 */
import type { Catalogue } from './messages.js';

export const conformanceRunMessages = {
  conf_report_kit: {
    vi: 'Bộ kiểm tra: phiên bản {version}; cách chạy: {mode}',
    en: 'Kit: version {version}; mode: {mode}',
  },
  conf_mode_spawn: {
    vi: 'bộ kiểm tra tự khởi động thiết bị (--spawn): {command}',
    en: 'the kit started the device (--spawn): {command}',
  },
  conf_mode_spawn_agent: {
    vi: 'bộ kiểm tra khởi động phần mềm cụm loa của dự án (--spawn-agent)',
    en: "the kit started the project's own receiver agent (--spawn-agent)",
  },
  conf_mode_wait: {
    vi: 'kỹ thuật viên nạp cấu hình và khởi động thiết bị (--wait)',
    en: 'a technician loaded the enrolment and started the device (--wait)',
  },
  conf_mode_library: { vi: 'gọi trực tiếp từ chương trình', en: 'called from a program' },
  conf_report_operator: { vi: 'Người kiểm tra: {operator}', en: 'Tested by: {operator}' },
  conf_report_declared: {
    vi: 'Thiết bị (người kiểm tra khai): hãng {make}; kiểu máy {model}; phiên bản phần mềm {firmware}',
    en: 'Device (as the operator declared it): make {make}; model {model}; firmware {firmware}',
  },
  conf_report_firmware_differs: {
    vi: 'Lưu ý: phiên bản người kiểm tra khai ({declared}) khác phiên bản thiết bị tự báo ({reported}).',
    en: 'Note: the firmware the operator declared ({declared}) differs from the one the device announced ({reported}).',
  },
  conf_report_tolerances: {
    vi: 'Dung sai và thời hạn đã dùng: giờ hẹn ±{play_at_tolerance_ms} ms; trả lời lệnh trong {answer_ms} ms; theo dõi im lặng {quiet_ms} ms; kết nối lại trong {reconnect_ms} ms; mỗi mục tối đa {case_limit_s} giây; chờ kết nối đầu tiên {connect_timeout_s} giây.',
    en: 'Tolerances and time limits used: play_at ±{play_at_tolerance_ms} ms; answer within {answer_ms} ms; quiet watch {quiet_ms} ms; reconnect within {reconnect_ms} ms; at most {case_limit_s} s a case; first connection within {connect_timeout_s} s.',
  },

  conf_not_tested_title: {
    vi: 'Bộ kiểm tra KHÔNG kiểm tra (phải nghiệm thu riêng, tại hiện trường):',
    en: 'What the kit does NOT test (to be accepted separately, on site):',
  },
  conf_not_tested_sound: {
    vi: 'thiết bị có thật sự phát ra tiếng hay không: bộ kiểm tra chỉ dựa vào xác nhận của thiết bị',
    en: "whether the device really makes sound: the kit judges by the device's own acks",
  },
  conf_not_tested_audio_quality: {
    vi: 'chất lượng âm thanh ở loa (méo tiếng, nhiễu, độ rõ lời)',
    en: 'audio quality at the speaker (distortion, noise, intelligibility)',
  },
  conf_not_tested_amplifier: {
    vi: 'công suất thật của bộ khuếch đại và loa',
    en: 'the real power of the amplifier and horns',
  },
  conf_not_tested_audibility: {
    vi: 'độ nghe rõ ngoài trời trên vùng phủ (đo tại hiện trường)',
    en: 'outdoor audibility over the area covered (measured on site)',
  },
  conf_not_tested_radio: {
    vi: 'tầm phủ sóng và chất lượng đường truyền (4G, FM, Wi-Fi) tại nơi lắp đặt',
    en: 'radio range and link quality (4G, FM, Wi-Fi) where it is installed',
  },
  conf_not_tested_weather: {
    vi: 'khả năng chịu mưa, nắng, nóng ẩm và sét (cấp bảo vệ IP, chống sét lan truyền)',
    en: 'weatherproofing: rain, sun, heat, humidity, lightning (IP rating, surge protection)',
  },
  conf_not_tested_power: {
    vi: 'nguồn điện: mất điện, pin dự phòng, điện lưới chập chờn',
    en: 'power: outages, backup battery, unstable mains',
  },
  conf_not_tested_long_run: {
    vi: 'độ ổn định khi chạy lâu dài, quá thời gian của lần kiểm tra này',
    en: 'long-run stability beyond the length of this run',
  },
  conf_not_tested_physical: {
    vi: 'an toàn vật lý và bảo mật tại chỗ của thiết bị (mở vỏ, lấy khóa, cổng gỡ lỗi)',
    en: "the device's physical and local security (opening it, extracting keys, debug ports)",
  },

  conf_report_signature: {
    vi: 'Báo cáo JSON được ký số bằng khóa của bộ kiểm tra (Ed25519, mã khóa {key_id}). Khóa công khai: {public_key}. Ghi khóa này vào biên bản giấy; kiểm tra tệp JSON bằng: npm run conformance -- --verify-report TỆP.',
    en: "The JSON report is signed with the kit's key (Ed25519, key id {key_id}). Public key: {public_key}. Write this key on the paper record; check the JSON file with: npm run conformance -- --verify-report FILE.",
  },
  conf_verify_ok: {
    vi: 'Chữ ký hợp lệ: báo cáo {file} không bị sửa từ khi bộ kiểm tra ký (mã khóa {key_id}, khóa công khai {public_key}). So khóa này với khóa in trên biên bản giấy. Kết luận trong báo cáo: {verdict}.',
    en: 'Valid signature: the report {file} is unchanged since the kit signed it (key id {key_id}, public key {public_key}). Compare this key with the one printed on the paper record. The verdict it records: {verdict}.',
  },
  conf_verify_bad: {
    vi: 'CHỮ KÝ KHÔNG HỢP LỆ: báo cáo {file} đã bị sửa sau khi ký, hoặc không phải do bộ kiểm tra ký ({reason}).',
    en: 'INVALID SIGNATURE: the report {file} was changed after it was signed, or the kit did not sign it ({reason}).',
  },
  conf_verify_no_signature: { vi: 'không có chữ ký', en: 'it has no signature' },
  conf_verify_mismatch: { vi: 'chữ ký không khớp nội dung', en: 'the signature does not match the content' },
  conf_verify_unreadable: {
    vi: 'Không đọc được tệp báo cáo {file} ({error}): chưa kiểm tra được chữ ký. Kiểm tra đường dẫn và xem tệp có phải tệp JSON bộ kiểm tra đã ghi (--json) không.',
    en: 'The report file {file} could not be read ({error}): its signature was not checked. Check the path, and that it is the JSON file the kit wrote (--json).',
  },
  conf_verdict_word_incomplete: { vi: 'CHƯA ĐỦ', en: 'INCOMPLETE' },

  conf_device_exited: {
    vi: 'THIẾT BỊ ĐÃ DỪNG trong lúc kiểm tra mục {case}: {how}, sau {seconds} giây chạy. Mục đó và các mục sau không được chạy. Lệnh: {command}',
    en: 'THE DEVICE EXITED during the case {case}: {how}, after running {seconds} s. That case and those after it were not run. Command: {command}',
  },
  conf_device_failed_to_start: {
    vi: 'LỆNH KHỞI ĐỘNG THIẾT BỊ KHÔNG CHẠY ĐƯỢC, hoặc đã dừng trước khi thiết bị kết nối: {how}, sau {seconds} giây. Lệnh: {command}',
    en: 'THE DEVICE COMMAND FAILED TO START, or ended before the device connected: {how}, after {seconds} s. Command: {command}',
  },
  conf_exit_code: { vi: 'mã thoát {code}', en: 'exit code {code}' },
  conf_exit_signal: { vi: 'bị dừng bởi tín hiệu {signal}', en: 'killed by signal {signal}' },
  conf_exit_error: { vi: 'không chạy được ({error})', en: 'could not be run ({error})' },
  conf_exit_hint_127: {
    vi: 'Mã 127: hệ điều hành không tìm thấy lệnh. Kiểm tra tên chương trình, đường dẫn và PATH.',
    en: 'Code 127: the command was not found. Check the program name, its path and PATH.',
  },
  conf_exit_hint_126: {
    vi: 'Mã 126: tệp không chạy được (thiếu quyền thực thi, hoặc không phải chương trình).',
    en: 'Code 126: the file cannot be run (no execute permission, or not a program).',
  },
  conf_device_output: {
    vi: 'Những dòng cuối thiết bị ghi ra (nhật ký đầy đủ: {log}):',
    en: 'The last lines the device wrote (full log: {log}):',
  },
  conf_device_no_output: {
    vi: 'Thiết bị không ghi ra dòng nào (nhật ký: {log}).',
    en: 'The device wrote nothing (log: {log}).',
  },
  conf_verdict_device_exited: {
    vi: 'KẾT LUẬN: CHƯA ĐỦ. Thiết bị đã dừng giữa chừng (xem ở trên): {passed}/{total} mục đã chạy đều đạt, {not_run} mục chưa chạy. Không dùng làm biên bản nghiệm thu; khắc phục rồi chạy lại.',
    en: 'VERDICT: INCOMPLETE. The device exited part-way (see above): all {passed}/{total} {total, plural, one {case} other {cases}} that ran passed, {not_run, plural, one {# was} other {# were}} not run. Not an acceptance record: fix the cause and run again.',
  },
  conf_verdict_device_never_ran: {
    vi: 'KẾT LUẬN: CHƯA ĐỦ. Thiết bị không chạy được (xem ở trên): chưa mục nào được kiểm tra. Không dùng làm biên bản nghiệm thu; khắc phục rồi chạy lại.',
    en: 'VERDICT: INCOMPLETE. The device did not run (see above): no case was tested. Not an acceptance record: fix the cause and run again.',
  },
  conf_connection_refused_password: {
    vi: 'Máy chủ đã từ chối một kết nối đúng mã cụm loa và tên đăng nhập nhưng SAI MẬT KHẨU: {who}. Kiểm tra trường secret của tệp cấu hình đã nạp vào thiết bị.',
    en: 'The broker refused a connection with the right client id and username but a WRONG PASSWORD: {who}. Check the secret of the enrolment file loaded into the device.',
  },
  conf_connection_no_password: {
    vi: 'Máy chủ đã từ chối một kết nối đúng mã cụm loa và tên đăng nhập nhưng KHÔNG CÓ MẬT KHẨU: {who}. Thiết bị phải gửi trường secret của tệp cấu hình làm mật khẩu MQTT.',
    en: 'The broker refused a connection with the right client id and username but NO PASSWORD: {who}. The device must send the secret of the enrolment file as its MQTT password.',
  },
  conf_device_link_lost: {
    vi: 'MẤT KẾT NỐI VỚI THIẾT BỊ trong lúc kiểm tra mục {case}: thiết bị đã rời máy chủ tin nhắn (kết nối MQTT đã đóng) mà bộ kiểm tra không yêu cầu; đã chờ {seconds} giây. Mục đó và các mục sau không được chạy. Kiểm tra thiết bị còn chạy, còn điện và còn mạng, rồi chạy lại.',
    en: 'LOST THE DEVICE during the case {case}: it left the broker (its MQTT connection closed) without the kit asking; waited {seconds} s. That case and those after it were not run. Check that the device is still running, powered and on the network, then run again.',
  },
  conf_device_not_back_after_cut: {
    vi: 'THIẾT BỊ KHÔNG KẾT NỐI LẠI sau khi bộ kiểm tra cắt đường truyền (đã chờ {seconds} giây); bộ kiểm tra dừng ở mục {case}: mục đó và các mục sau không được chạy.',
    en: 'THE DEVICE DID NOT RECONNECT after the kit cut its link (waited {seconds} s); the kit stopped at the case {case}: that case and those after it were not run.',
  },
  conf_verdict_device_lost: {
    vi: 'KẾT LUẬN: CHƯA ĐỦ. Thiết bị mất kết nối giữa chừng (xem ở trên): {passed}/{total} mục đã chạy đều đạt, {not_run} mục chưa chạy. Không dùng làm biên bản nghiệm thu; khắc phục rồi chạy lại.',
    en: 'VERDICT: INCOMPLETE. The device dropped off part-way (see above): all {passed}/{total} {total, plural, one {case} other {cases}} that ran passed, {not_run, plural, one {# was} other {# were}} not run. Not an acceptance record: fix the cause and run again.',
  },
  conf_verdict_setup_failed: {
    vi: 'KẾT LUẬN: CHƯA ĐỦ. Khâu chuẩn bị chưa xong: thiết bị chưa kết nối được với bộ kiểm tra, nên chưa mục nào được kiểm tra. Đây không phải kết luận "không đạt". Sửa theo hướng dẫn ở trên rồi chạy lại.',
    en: 'VERDICT: INCOMPLETE. Setup failed: the device never connected to the kit, so no case was tested. This is not a failed conformance. Fix what is said above and run again.',
  },
  conf_never_online: {
    vi: 'Thiết bị đã kết nối tới máy chủ tin nhắn nhưng không báo trực tuyến (trạng thái "online" lưu giữ trên {topic}) trong {seconds} giây.',
    en: 'The device connected to the broker but did not announce itself (a retained "online" status on {topic}) within {seconds} s.',
  },
  conf_waiting_for_device: {
    vi: 'Đang chờ thiết bị kết nối… ({seconds} giây; máy chủ tin nhắn {mqtt})',
    en: 'Waiting for the device to connect… ({seconds} s; broker {mqtt})',
  },
  conf_waiting_refused: {
    vi: 'Máy chủ đã từ chối {count} lần kết nối:',
    en: 'The broker refused {count, plural, one {# connection attempt} other {# connection attempts}}:',
  },
} as const satisfies Catalogue;
