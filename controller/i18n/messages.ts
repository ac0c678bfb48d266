/**
 * The server's message catalogue: every string a person reads in an API answer, a log line, an
 * e-mail, the public page or a report, Vietnamese first, English second. Placeholders are {name};
 * fill them with `t()`. An English count takes the plural form its number needs:
 * `{count, plural, one {# hamlet} other {# hamlets}}` (plural.ts); Vietnamese keeps `{count} thôn`.
 * The programme's, publishing's, reports', CAP alerts' and receiver alerts' words (among others)
 * are in the files beside this one and join here; the console's own words are in
 * console-messages.ts and the files it joins, and GET /api/i18n serves both (see `catalogue`
 * there).
 */
import { proofMessages } from './proof-messages.js';
import { auditMessages } from './audit-messages.js';
import { fieldMessages } from './field-messages.js';
import { reportDocumentMessages } from './report-document-messages.js';
import { programmeMessages } from './programme-messages.js';
import { publishingMessages } from './publishing-messages.js';
import { reportMessages } from './report-messages.js';
import { ttsMessages } from './tts-messages.js';
import { conformanceMessages } from './conformance-messages.js';
import { conformanceLinkMessages } from './conformance-link-messages.js';
import { conformanceRunMessages } from './conformance-run-messages.js';
import { bridgeMessages } from './bridge-messages.js';
import { cliMessages } from './cli-messages.js';
import { capMessages } from './cap-messages.js';
import { receiverAlertMessages } from './receiver-alert-messages.js';
import { confirmationMessages } from './confirmation-messages.js';
import { plurals } from './plural.js';

/** Words in both languages, by key. */
export type Catalogue = Record<string, { vi: string; en: string }>;

/** The API's own words: errors, accounts, media, speech, bulletins, live, urgent sends, updates. */
export const apiMessages = {
  internal_error: {
    vi: 'Lỗi hệ thống. Vui lòng thử lại; nếu vẫn lỗi, báo kỹ thuật viên kèm mã yêu cầu {request_id}.',
    en: 'Internal error. Please try again; if it persists, tell a technician the request id {request_id}.',
  },
  validation_failed: {
    vi: 'Dữ liệu gửi lên chưa đúng: {problem}',
    en: 'The request is not valid: {problem}',
  },
  unauthorized: {
    vi: 'Cần đăng nhập: gửi mã truy cập trong tiêu đề Authorization: Bearer <mã>.',
    en: 'Authentication required: send an access token in the header Authorization: Bearer <token>.',
  },
  forbidden: {
    vi: 'Tài khoản này không có quyền thực hiện thao tác này.',
    en: 'This account is not allowed to do this.',
  },
  level_not_allowed: {
    vi: 'Tài khoản này không được phát tin ở mức "{level}". Hãy nhờ người có quyền (xem bảng vai trò trong README) hoặc chọn mức thấp hơn.',
    en: 'This account may not broadcast at the "{level}" level. Ask someone who may (see the role table in the README), or choose a lower level.',
  },
  not_found: {
    vi: 'Không tìm thấy {what} "{id}".',
    en: '{what} "{id}" was not found.',
  },
  route_not_found: {
    vi: 'Không có địa chỉ {method} {url}. Xem danh sách tại /docs.',
    en: 'There is no route {method} {url}. See /docs for the list.',
  },
  receiver_id_taken: {
    vi: 'Mã cụm loa này đã được dùng cho "{name}" ({hamlet}). Hãy chọn mã khác, ví dụ thêm số thứ tự.',
    en: 'This receiver id is already used by "{name}" ({hamlet}). Choose another, e.g. add a number.',
  },
  already_exists: {
    vi: 'Đã có {what} "{id}". Hãy chọn tên khác.',
    en: 'There is already a {what} "{id}". Choose another.',
  },
  unknown_hamlets: {
    vi: 'Không có thôn: {ids}. Kiểm tra mã thôn tại GET /api/hamlets.',
    en: 'Unknown hamlets: {ids}. Check the hamlet ids at GET /api/hamlets.',
  },
  unknown_receivers: {
    vi: 'Không có cụm loa: {ids}. Kiểm tra mã cụm loa tại GET /api/receivers.',
    en: 'Unknown receivers: {ids}. Check the receiver ids at GET /api/receivers.',
  },
  no_receivers_targeted: {
    vi: 'Không có cụm loa nào đã đăng ký trong vùng phát đã chọn. Hãy đăng ký cụm loa trước.',
    en: 'No enrolled receiver in the chosen target. Enrol receivers first.',
  },
  target_required: {
    vi: 'Chọn vùng phát: toàn xã (all: true), một số thôn (hamlet_ids) hoặc một số cụm loa (receiver_ids).',
    en: 'Choose a target: the whole commune (all: true), some hamlets (hamlet_ids) or some receivers (receiver_ids).',
  },
  expiry_too_long: {
    vi: 'Thời hạn hiệu lực {expires_in_s} giây vượt quá giới hạn {max_s} giây.',
    en: 'An expiry of {expires_in_s} s exceeds the limit of {max_s} s.',
  },
  already_cancelled: {
    vi: 'Bản tin {id} đã được hủy và đính chính rồi; không gửi đính chính lần nữa. Cần nói thêm thì phát một thông báo mới.',
    en: 'Broadcast {id} has already been cancelled and corrected; no second correction is sent. To say more, send a new announcement.',
  },
  cancel_correction: {
    vi: 'Bản tin {id} là một bản đính chính; không hủy-đính chính được nó. Dừng nó (…/stop) hoặc phát một thông báo mới.',
    en: 'Broadcast {id} is itself a correction; it cannot be cancelled and corrected. Stop it (…/stop) or send a new announcement.',
  },
  play_at_too_far: {
    vi: 'Giờ phát {play_at} quá xa: chỉ hẹn giờ phát trong vòng {max_hours} giờ tới. Việc phát định kỳ hãy đặt thành lịch phát (POST /api/schedules).',
    en: 'The start {play_at} is too far ahead: a broadcast may be set at most {max_hours, plural, one {# hour} other {# hours}} ahead. For recurring items, make a schedule (POST /api/schedules).',
  },
  play_at_past: {
    vi: 'Giờ phát {play_at} đã qua. Bỏ play_at để phát ngay, hoặc chọn một giờ sắp tới.',
    en: 'The start {play_at} has passed. Leave play_at out to play now, or choose a time to come.',
  },
  media_not_ready: {
    vi: 'Tệp âm thanh "{id}" đang được xử lý ({progress_pct}%). Chờ xử lý xong rồi phát.',
    en: 'Audio "{id}" is still being processed ({progress_pct}%). Broadcast it once it is ready.',
  },
  media_failed: {
    vi: 'Tệp âm thanh "{id}" xử lý không thành công, không thể phát. Hãy tải lên lại.',
    en: 'Audio "{id}" failed to process and cannot be broadcast. Upload it again.',
  },
  upload_missing_file: {
    vi: 'Chưa có tệp âm thanh. Gửi tệp trong trường "file" (multipart/form-data).',
    en: 'No audio file. Send the file in the field "file" (multipart/form-data).',
  },
  upload_malformed: {
    vi: 'Không đọc được dữ liệu tải lên ({detail}). Gửi tệp dạng multipart/form-data trong trường "file".',
    en: 'The upload could not be read ({detail}). Send the file as multipart/form-data in the field "file".',
  },
  disk_full: {
    vi: 'Ổ đĩa của máy điều khiển đã đầy: không lưu được nên chưa làm được việc này. Hãy xoá bớt tệp âm thanh cũ hoặc báo kỹ thuật viên giải phóng dung lượng, rồi thử lại. Bản tin khẩn cấp vẫn phát được.',
    en: "The controller's disk is full: nothing could be stored, so this was not done. Delete old audio files or ask a technician to free space, then try again. Emergency broadcasts still go out.",
  },
  disk_full_emergency_sent: {
    vi: 'Bản tin khẩn cấp đã được phát, nhưng ổ đĩa đầy nên chưa ghi được vào sổ. Bản ghi sẽ được lưu ngay khi có chỗ trống; hãy giải phóng dung lượng ổ đĩa.',
    en: 'The emergency broadcast went out, but the disk is full so it is not yet recorded. The record is stored as soon as there is room; free disk space.',
  },
  upload_too_large: {
    vi: 'Tệp quá lớn: giới hạn là {max_mb} MB. Hãy cắt ngắn hoặc nén tệp rồi tải lại.',
    en: 'File too large: the limit is {max_mb} MB. Shorten or compress it and upload again.',
  },
  upload_not_audio: {
    vi: 'Tệp không phải âm thanh hoặc bị hỏng. Hãy dùng tệp MP3, WAV, M4A, OGG hoặc tương tự.',
    en: 'The file is not audio or is damaged. Use an MP3, WAV, M4A, OGG or similar file.',
  },
  upload_too_long: {
    vi: 'Âm thanh dài {duration_s} giây, vượt giới hạn {max_s} giây. Hãy cắt ngắn rồi tải lại.',
    en: 'The audio lasts {duration_s} s, over the limit of {max_s} s. Shorten it and upload again.',
  },
  controller_stopping: {
    vi: 'Máy chủ đang dừng để khởi động lại: chưa nhận tệp này. Hãy thử lại sau một phút.',
    en: 'The controller is stopping to restart: this file was not taken. Try again in a minute.',
  },
  upload_truncated: {
    vi: 'Tệp âm thanh bị cắt cụt: phần đầu tệp ghi dài {declared_s} giây nhưng chỉ còn {present_s} giây (tệp tải về chưa hết hoặc bị hỏng khi sao chép). Hãy lấy lại tệp đầy đủ rồi tải lên lại.',
    en: 'The audio file is cut short: its header says {declared_s} s but only {present_s} s is there (a download that did not finish, or a damaged copy). Get the whole file again and upload it.',
  },
  media_warning_too_quiet: {
    vi: 'Âm thanh gốc quá nhỏ ({source_lufs} LUFS): đã khuếch đại tới mức tối đa cho phép ({max_gain_db} dB) mà chỉ đạt {output_lufs} LUFS, dưới mức phát chuẩn {target_lufs} LUFS, nên sẽ nghe nhỏ hơn các bản tin khác. Hãy thu lại, nói gần micrô hơn.',
    en: 'The source is too quiet ({source_lufs} LUFS): raised by the most allowed ({max_gain_db} dB) it reaches only {output_lufs} LUFS, under the broadcast level of {target_lufs} LUFS, so it will sound quieter than other announcements. Record it again, closer to the microphone.',
  },
  media_warning_too_short: {
    vi: 'Tệp rất ngắn ({ms} mili giây): quá ngắn để đo độ to nên giữ nguyên mức âm lượng gốc. Hãy nghe thử trước khi phát.',
    en: 'The file is very short ({ms} ms): too short to measure its loudness, so its level is kept as it was. Listen to it before broadcasting.',
  },
  media_warning_silent: {
    vi: 'Tệp không có tiếng (im lặng hoàn toàn): loa sẽ không phát ra gì. Hãy kiểm tra lại tệp trước khi phát.',
    en: 'The file is silent: the loudspeakers will play nothing. Check the file before broadcasting it.',
  },
  // A joined playlist whose parts carried a warning: joining levels the whole, not each part (playlists-service.ts).
  media_warning_playlist_parts: {
    vi: '{count} phần của danh sách phát có cảnh báo âm lượng khi tải lên (quá nhỏ, im lặng hoặc không đạt mức chuẩn; xem thư viện âm thanh). Khi ghép, các phần đó vẫn nghe khác hẳn phần còn lại. Hãy thay các tệp đó rồi ghép lại.',
    en: '{count, plural, one {# part} other {# parts}} of the playlist had a loudness warning when uploaded (too quiet, silent or off the broadcast level; see the audio library). Joined, such parts still sound unlike the rest. Replace those files and join again.',
  },
  media_warning_off_target: {
    vi: 'Không đưa được âm thanh về mức phát chuẩn {target_lufs} LUFS mà vẫn giữ đỉnh dưới mức cho phép: bản lưu ở {output_lufs} LUFS. Âm thanh có nhiều tiếng đột ngột rất to (tiếng gõ, tiếng nổ, tiếng méo); hãy nghe thử trước khi phát.',
    en: 'The audio could not be brought to the broadcast level of {target_lufs} LUFS with its peaks kept under the limit: it is stored at {output_lufs} LUFS. It has many sudden loud sounds (knocks, bangs, distortion); listen to it before broadcasting.',
  },
  transcode_failed: {
    vi: 'Không chuyển được tệp sang định dạng phát thanh ({detail}).',
    en: 'The file could not be converted to the broadcast format ({detail}).',
  },
  op_volume_out_of_range: {
    vi: 'Âm lượng (volume_pct) phải là số nguyên từ 0 đến 100, không phải "{value}".',
    en: 'The volume (volume_pct) must be a whole number from 0 to 100, not "{value}".',
  },
  receiver_has_no_credentials: {
    vi: 'Cụm loa "{id}" chưa được đăng ký (chưa có thông tin đăng nhập).',
    en: 'Receiver "{id}" is not enrolled (it has no credentials).',
  },
  hamlet_not_empty: {
    vi: 'Thôn "{id}" còn {count} cụm loa. Chuyển hoặc xóa các cụm loa trước.',
    en: 'Hamlet "{id}" still has {count, plural, one {# receiver} other {# receivers}}. Move or remove them first.',
  },
  login_failed: {
    vi: 'Sai tên đăng nhập hoặc mật khẩu.',
    en: 'Wrong username or password.',
  },
  account_locked: {
    vi: 'Tài khoản tạm khóa do đăng nhập sai nhiều lần, đến {until}. Liên hệ quản trị viên để mở khóa sớm.',
    en: 'The account is locked after repeated failed logins until {until}. Ask an administrator to unlock it sooner.',
  },
  totp_required: {
    vi: 'Nhập mã xác thực 6 số từ ứng dụng trên điện thoại (totp_code).',
    en: 'Enter the 6-digit code from your authenticator app (totp_code).',
  },
  totp_invalid: {
    vi: 'Mã xác thực không đúng hoặc đã hết hạn.',
    en: 'The authentication code is wrong or has expired.',
  },
  totp_required_for_emergency_token: {
    vi: 'Phát khẩn cấp bằng mã truy cập API cần mã xác thực hai lớp hiện tại của người tạo mã, gửi trong tiêu đề X-TOTP-Code (người đó phải bật xác thực hai lớp).',
    en: "An emergency sent with an API token needs its owner's current two-factor code in the X-TOTP-Code header (the owner must have two-factor authentication enabled).",
  },
  totp_required_for_emergency: {
    vi: 'Phát khẩn cấp cần đăng nhập có xác thực hai lớp. Hãy bật xác thực hai lớp rồi đăng nhập lại.',
    en: 'Emergency broadcasts need a login with two-factor authentication. Enable it and log in again.',
  },
  csrf_failed: {
    vi: 'Yêu cầu bị từ chối: thiếu mã chống giả mạo (x-csrf-token). Tải lại trang rồi thử lại.',
    en: 'Request refused: the anti-forgery token (x-csrf-token) is missing or wrong. Reload the page and try again.',
  },
  rate_limited: {
    vi: 'Quá nhiều yêu cầu. Vui lòng thử lại sau {after}.',
    en: 'Too many requests. Please try again in {after}.',
  },
  // How long to wait, in words ({after} of rate_limited; http/errors.ts waitWords)
  wait_seconds: { vi: '{n} giây', en: '{n, plural, one {# second} other {# seconds}}' },
  wait_minutes: { vi: '{n} phút', en: '{n, plural, one {# minute} other {# minutes}}' },
  password_too_short: {
    vi: 'Mật khẩu phải có ít nhất {min} ký tự.',
    en: 'The password must have at least {min, plural, one {# character} other {# characters}}.',
  },
  last_admin: {
    vi: 'Không thể hạ quyền hoặc khóa quản trị viên cuối cùng.',
    en: 'The last administrator cannot be demoted or disabled.',
  },
  token_exceeds_creator: {
    vi: 'Không thể tạo mã truy cập có quyền mà bạn không có: {permissions}.',
    en: 'You cannot create a token with permissions you do not hold: {permissions}.',
  },
  bulletin_status_draft: { vi: 'bản nháp', en: 'a draft' },
  bulletin_status_submitted: { vi: 'chờ duyệt', en: 'awaiting approval' },
  bulletin_status_approved: { vi: 'đã duyệt', en: 'approved' },
  bulletin_status_rejected: { vi: 'bị từ chối', en: 'rejected' },
  bulletin_status_broadcast: { vi: 'đã phát', en: 'broadcast' },
  bulletin_action_edit: { vi: 'sửa', en: 'edited' },
  bulletin_action_submit: { vi: 'gửi duyệt', en: 'submitted' },
  bulletin_action_approve: { vi: 'duyệt', en: 'approved' },
  bulletin_action_reject: { vi: 'từ chối', en: 'rejected' },
  bulletin_wrong_state: {
    vi: 'Bản tin đang ở trạng thái {status} nên không thể {action}.',
    en: 'The bulletin is {status}, so it cannot be {action}.',
  },
  bulletin_not_approved: {
    vi: 'Bản tin chưa được phê duyệt. Chỉ phát được bản tin đã phê duyệt.',
    en: 'The bulletin is not approved. Only approved bulletins can be broadcast.',
  },
  bulletin_needs_content: {
    vi: 'Bản tin cần có văn bản hoặc một bản ghi âm.',
    en: 'A bulletin needs text or a recording.',
  },
  what_bulletin: { vi: 'bản tin', en: 'Bulletin' },
  what_live: { vi: 'phiên phát trực tiếp', en: 'Live session' },
  what_alert: { vi: 'cảnh báo', en: 'Alert' },
  quiet_hours: {
    vi: 'Đang trong giờ yên tĩnh ({start}–{end}) ở {hamlets}: chỉ được phát tin khẩn cấp. Hãy phát lại sau {end} (hoặc lập lịch phát ở trang Chương trình phát), bỏ các thôn đó ra, hoặc, nếu thật sự khẩn cấp, chọn mức khẩn cấp (hoặc nhờ người có quyền phát khẩn cấp, như lãnh đạo UBND xã).',
    en: 'Quiet hours ({start}–{end}) in {hamlets}: only an emergency may sound. Send it again after {end} (or schedule it on the Programme page), leave those hamlets out, or, if it truly is an emergency, choose the emergency level (or ask someone allowed to send one, such as the commune leaders).',
  },
  // A receiver is named by its own name, which often begins with "Cụm loa": never "Cụm loa "Cụm loa …"".
  op_receiver_offline: {
    vi: '"{id}" đang mất kết nối nên không nhận được lệnh. Thử lại khi nó kết nối lại; xem lịch sử kết nối của nó.',
    en: '"{id}" is offline and cannot take the command. Try again once it reconnects; see its connection history.',
  },
  op_receiver_never_connected: {
    vi: '"{id}" chưa từng kết nối tới bộ điều khiển nên không trả lời trong {seconds} giây. Kiểm tra nguồn điện, mạng và tệp cấu hình đã nạp vào cụm loa.',
    en: '"{id}" has never connected to the controller and did not answer within {seconds} s. Check its power, network and the config file loaded onto it.',
  },
  op_timeout: {
    vi: '"{id}" không trả lời trong {seconds} giây: có thể đang mất kết nối hoặc mất điện. Xem trạng thái và lịch sử kết nối của nó.',
    en: '"{id}" did not answer within {seconds} s: it may be offline or without power. Check its status and connection history.',
  },
  live_bad_source: {
    vi: 'Nguồn tiếp sóng phải là địa chỉ http:// hoặc https://.',
    en: 'A relayed source must be an http:// or https:// address.',
  },
  live_not_voice: {
    vi: 'Phiên này tiếp sóng một nguồn khác, không nhận giọng nói.',
    en: 'This session relays another source; it does not take a voice.',
  },
  live_ended: {
    vi: 'Phiên phát trực tiếp "{id}" đã kết thúc.',
    en: 'Live session "{id}" has ended.',
  },
  media_or_live: {
    vi: 'Chọn đúng một nguồn: tệp âm thanh (media_id) hoặc phiên trực tiếp (live_id).',
    en: 'Choose exactly one source: an audio file (media_id) or a live session (live_id).',
  },
  confirm_broker_down: {
    // Made when the request was: true as long as it is read (the banner says whether the broker is back).
    vi: 'CHÚ Ý: khi yêu cầu này được tạo, bộ điều khiển đang mất kết nối với máy chủ MQTT: không cụm loa nào nhận được tin cho tới khi kết nối trở lại (khi đó tin được gửi ngay, nếu chưa hết hạn); trạng thái cụm loa dưới đây là trạng thái cuối cùng đã biết.',
    en: "NOTE: when this was asked for, the controller had lost its MQTT broker: no receiver gets it until the link is back (it goes out then, if not expired); the receivers' states below are the last known.",
  },
  confirm_summary: {
    // No time left in words here: it would stand still in a list read later (expires_at counts down).
    vi: 'Phát {level}{drill} tới {receivers} cụm loa ở {hamlets} thôn.',
    en: 'Broadcast {level}{drill} to {receivers, plural, one {# receiver} other {# receivers}} in {hamlets, plural, one {# hamlet} other {# hamlets}}.',
  },
  confirm_summary_effects: {
    vi: 'Âm lượng {volume}%, phát {repeats} lần.',
    en: 'At {volume}% volume, played {repeats, plural, one {once} other {# times}}.',
  },
  confirm_summary_schedule: {
    vi: 'Lịch phát {level} tới {receivers} cụm loa ở {hamlets} thôn đã được lưu nhưng đang tắt. Xác nhận trong {ttl} giây để bật lịch; quá hạn thì bật lại lịch để xin xác nhận mới.',
    en: 'The {level} schedule for {receivers, plural, one {# receiver} other {# receivers}} in {hamlets, plural, one {# hamlet} other {# hamlets}} is saved, switched off. Confirm within {ttl, plural, one {# second} other {# seconds}} to switch it on; after that, enable the schedule again to ask anew.',
  },
  level_normal: { vi: 'tin thường', en: 'a normal item' },
  level_priority: { vi: 'tin ưu tiên', en: 'a priority item' },
  level_emergency: { vi: 'KHẨN CẤP', en: 'an EMERGENCY' },
  drill_suffix: { vi: ' (DIỄN TẬP)', en: ' (DRILL)' },
  second_person_required: {
    vi: 'Phát khẩn cấp cần người thứ hai xác nhận. Nhờ một lãnh đạo khác có quyền phát khẩn cấp xác nhận.',
    en: 'An emergency broadcast needs a second person to confirm. Ask another leader who may send emergencies.',
  },
  what_hamlet: { vi: 'thôn', en: 'Hamlet' },
  what_abbreviation: { vi: 'chữ viết tắt', en: 'Abbreviation' },
  what_user: { vi: 'tài khoản', en: 'User' },
  what_token: { vi: 'mã truy cập', en: 'Token' },
  what_receiver: { vi: 'cụm loa', en: 'Receiver' },
  what_media: { vi: 'tệp âm thanh', en: 'Audio' },
  what_broadcast: { vi: 'lượt phát', en: 'Broadcast' },
  live_chunk_gap: {
    vi: 'Thiếu một phần âm thanh (đang chờ phần số {expected}). Hãy dừng và bắt đầu phát trực tiếp lại.',
    en: 'A piece of audio is missing (waiting for piece {expected}). Stop and start the live broadcast again.',
  },
  what_update: { vi: 'bản cập nhật', en: 'Update' },
  what_rollout: { vi: 'đợt cập nhật', en: 'Rollout' },
  rollout_running: {
    vi: 'Đang có một đợt cập nhật chạy. Hãy đợi nó xong hoặc dừng nó trước.',
    en: 'A rollout is already running. Wait for it to finish, or stop it first.',
  },
  update_needs_version: {
    vi: 'Trường version: ghi số phiên bản (chữ, số, dấu chấm) trước tệp.',
    en: 'Field version: give the version (letters, digits, dots) before the file.',
  },
} as const satisfies Catalogue;

/** Every key the server looks up with `t()`. */
export const messages = {
  ...apiMessages,
  ...programmeMessages,
  ...publishingMessages,
  ...reportMessages,
  ...proofMessages,
  ...auditMessages,
  ...fieldMessages,
  ...reportDocumentMessages,
  ...ttsMessages,
  ...conformanceMessages,
  ...conformanceLinkMessages,
  ...conformanceRunMessages,
  ...bridgeMessages,
  ...cliMessages,
  ...capMessages,
  ...receiverAlertMessages,
  ...confirmationMessages,
};

export type MessageKey = keyof typeof messages;
export type Lang = 'vi' | 'en';
/** A value is the same in both languages, or given in each (words made elsewhere, e.g. a hint). */
export type MessageParams = Record<string, string | number | { vi: string; en: string }>;

/** Fills the placeholders, and picks each plural block's form (`{n, plural, one {…} other {…}}`: plural.ts). */
export function t(key: MessageKey, lang: Lang, params: MessageParams = {}): string {
  const valueOf = (name: string) => {
    if (!(name in params)) return undefined;
    const value = params[name];
    return typeof value === 'object' ? value[lang] : String(value);
  };
  return plurals(messages[key][lang], lang, valueOf).replace(
    /\{(\w+)\}/g,
    (match, name: string) => valueOf(name) ?? match,
  );
}

/** A message in both languages, for answers and reports that carry both. */
export const inBoth = (key: MessageKey, params: MessageParams = {}): { vi: string; en: string } => ({
  vi: t(key, 'vi', params),
  en: t(key, 'en', params),
});

/** A message for a terminal: Vietnamese, then English, one line each. */
export const inBothLanguages = (key: MessageKey, params: MessageParams = {}): string =>
  `${t(key, 'vi', params)}\n${t(key, 'en', params)}`;

/** Vietnamese unless the client clearly prefers English. */
export function pickLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'vi';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'vi';
}
