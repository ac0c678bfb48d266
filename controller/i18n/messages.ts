/**
 * The message catalogue: every string a person reads, Vietnamese first, English second.
 * Placeholders are {name}; fill them with `t()`.
 */
export const messages = {
  internal_error: {
    vi: 'Lỗi hệ thống. Vui lòng thử lại; nếu vẫn lỗi, báo kỹ thuật viên kèm mã yêu cầu {request_id}.',
    en: 'Internal error. Please try again; if it persists, tell a technician the request id {request_id}.',
  },
  validation_failed: {
    vi: 'Dữ liệu gửi lên không hợp lệ: {details}',
    en: 'The request is not valid: {details}',
  },
  unauthorized: {
    vi: 'Cần đăng nhập: gửi mã truy cập trong tiêu đề Authorization: Bearer <mã>.',
    en: 'Authentication required: send an access token in the header Authorization: Bearer <token>.',
  },
  forbidden: {
    vi: 'Tài khoản này không có quyền thực hiện thao tác này.',
    en: 'This account is not allowed to do this.',
  },
  not_found: {
    vi: 'Không tìm thấy {what} "{id}".',
    en: '{what} "{id}" was not found.',
  },
  route_not_found: {
    vi: 'Không có địa chỉ {method} {url}. Xem danh sách tại /docs.',
    en: 'There is no route {method} {url}. See /docs for the list.',
  },
  already_exists: {
    vi: '{what} "{id}" đã tồn tại.',
    en: '{what} "{id}" already exists.',
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
  upload_too_large: {
    vi: 'Tệp quá lớn: giới hạn là {max_mb} MB. Hãy cắt ngắn hoặc nén tệp rồi tải lại.',
    en: 'File too large: the limit is {max_mb} MB. Shorten or compress it and upload again.',
  },
  upload_not_audio: {
    vi: 'Tệp không phải âm thanh hoặc bị hỏng ({detail}). Hãy dùng tệp MP3, WAV, M4A, OGG hoặc tương tự.',
    en: 'The file is not audio or is damaged ({detail}). Use an MP3, WAV, M4A, OGG or similar file.',
  },
  upload_too_long: {
    vi: 'Âm thanh dài {duration_s} giây, vượt giới hạn {max_s} giây. Hãy cắt ngắn rồi tải lại.',
    en: 'The audio lasts {duration_s} s, over the limit of {max_s} s. Shorten it and upload again.',
  },
  transcode_failed: {
    vi: 'Không chuyển được tệp sang định dạng phát thanh ({detail}).',
    en: 'The file could not be converted to the broadcast format ({detail}).',
  },
  receiver_has_no_credentials: {
    vi: 'Cụm loa "{id}" chưa được đăng ký (chưa có thông tin đăng nhập).',
    en: 'Receiver "{id}" is not enrolled (it has no credentials).',
  },
  hamlet_not_empty: {
    vi: 'Thôn "{id}" còn {count} cụm loa. Chuyển hoặc xóa các cụm loa trước.',
    en: 'Hamlet "{id}" still has {count} receivers. Move or remove them first.',
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
  password_too_short: {
    vi: 'Mật khẩu phải có ít nhất {min} ký tự.',
    en: 'The password must have at least {min} characters.',
  },
  last_admin: {
    vi: 'Không thể hạ quyền hoặc khóa quản trị viên cuối cùng.',
    en: 'The last administrator cannot be demoted or disabled.',
  },
  token_exceeds_creator: {
    vi: 'Không thể tạo mã truy cập có quyền mà bạn không có: {permissions}.',
    en: 'You cannot create a token with permissions you do not hold: {permissions}.',
  },
  tts_text_empty: {
    vi: 'Chưa có nội dung để đọc. Hãy nhập văn bản thông báo.',
    en: 'There is nothing to read. Type the announcement text.',
  },
  tts_text_too_long: {
    vi: 'Văn bản dài {length} ký tự, vượt giới hạn {max} ký tự. Hãy chia thành nhiều bản tin.',
    en: 'The text has {length} characters, over the limit of {max}. Split it into several bulletins.',
  },
  tts_unsupported_characters: {
    vi: 'Văn bản có ký tự không đọc được: {characters}. Hãy viết bằng tiếng Việt hoặc bỏ các ký tự đó.',
    en: 'The text has characters that cannot be read aloud: {characters}. Write in Vietnamese or remove them.',
  },
  tts_unknown_voice: {
    vi: 'Không có giọng đọc "{voice}". Các giọng có sẵn: {voices}.',
    en: 'There is no voice "{voice}". Available voices: {voices}.',
  },
  tts_engine_unavailable: {
    vi: 'Bộ đọc "{engine}" chưa được cấu hình (thiếu khóa API). Dùng bộ đọc ngoại tuyến "espeak" hoặc khai báo khóa.',
    en: 'The "{engine}" voice engine is not configured (no API key). Use the offline "espeak" engine or configure the key.',
  },
  tts_failed: {
    vi: 'Không tạo được giọng đọc ({engine}): {detail}.',
    en: 'Speech synthesis failed ({engine}): {detail}.',
  },
  tts_no_audio: {
    vi: 'Bộ đọc {engine} không trả về âm thanh dùng được.',
    en: 'The {engine} engine returned no usable audio.',
  },
  bulletin_wrong_state: {
    vi: 'Bản tin đang ở trạng thái "{status}", không thể {action}.',
    en: 'The bulletin is "{status}": it cannot be {action}.',
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
    vi: 'Đang trong giờ yên tĩnh ({start}–{end}) ở thôn {hamlets}: chỉ được phát tin khẩn cấp. Hãy hẹn giờ phát sau {end}, bỏ các thôn đó ra, hoặc chọn mức khẩn cấp nếu thật sự khẩn cấp.',
    en: 'Quiet hours ({start}–{end}) in hamlets {hamlets}: only an emergency may sound. Schedule it for after {end}, leave those hamlets out, or choose the emergency level if it truly is one.',
  },
  op_timeout: {
    vi: 'Cụm loa "{id}" không trả lời trong {seconds} giây: có thể đang mất kết nối hoặc mất điện. Xem trạng thái và lịch sử kết nối của nó.',
    en: 'Receiver "{id}" did not answer within {seconds} s: it may be offline or without power. Check its status and connection history.',
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
  cap_invalid: {
    vi: 'Cảnh báo CAP không hợp lệ: {detail}',
    en: 'The CAP alert is not valid: {detail}',
  },
  cap_untrusted_sender: {
    vi: 'Không nhận cảnh báo từ "{sender}": nguồn này không nằm trong danh sách tin cậy (cap.trusted_senders).',
    en: 'Alerts from "{sender}" are not accepted: it is not a trusted sender (cap.trusted_senders).',
  },
  cap_unknown_reference: {
    vi: 'Lệnh hủy tham chiếu tới cảnh báo chưa từng nhận ({references}), không có gì để hủy.',
    en: 'The cancellation refers to alerts never received here ({references}); there is nothing to cancel.',
  },
  confirm_summary: {
    vi: 'Phát {level}{drill} tới {receivers} cụm loa ở {hamlets} thôn. Xác nhận trong {ttl} giây để phát.',
    en: 'Broadcast {level}{drill} to {receivers} receivers in {hamlets} hamlets. Confirm within {ttl} seconds to send it.',
  },
  level_normal: { vi: 'tin thường', en: 'a normal item' },
  level_priority: { vi: 'tin ưu tiên', en: 'a priority item' },
  level_emergency: { vi: 'KHẨN CẤP', en: 'an EMERGENCY' },
  drill_suffix: { vi: ' (DIỄN TẬP)', en: ' (DRILL)' },
  confirmation_unknown: {
    vi: 'Yêu cầu xác nhận không tồn tại hoặc đã hết hạn. Hãy gửi lại lệnh phát.',
    en: 'The confirmation does not exist or has expired. Send the broadcast again.',
  },
  second_person_required: {
    vi: 'Phát khẩn cấp cần người thứ hai xác nhận. Nhờ một lãnh đạo khác có quyền phát khẩn cấp xác nhận.',
    en: 'An emergency broadcast needs a second person to confirm. Ask another leader who may send emergencies.',
  },
  what_hamlet: { vi: 'thôn', en: 'Hamlet' },
  what_user: { vi: 'tài khoản', en: 'User' },
  what_token: { vi: 'mã truy cập', en: 'Token' },
  what_receiver: { vi: 'cụm loa', en: 'Receiver' },
  what_media: { vi: 'tệp âm thanh', en: 'Audio' },
  what_broadcast: { vi: 'lượt phát', en: 'Broadcast' },
  // Programmes and schedules
  what_schedule: { vi: 'lịch phát', en: 'Schedule' },
  what_playlist: { vi: 'danh sách phát', en: 'Playlist' },
  what_occurrence: { vi: 'lượt phát theo lịch', en: 'Occurrence' },
  schedule_content_required: {
    vi: 'Lịch phát cần đúng một nội dung: media_id (một tệp âm thanh), playlist_id (một danh sách phát) hoặc relay (tiếp sóng một luồng phát trực tiếp).',
    en: 'A schedule needs exactly one content: media_id (an audio file), playlist_id (a playlist) or relay (a live stream to relay).',
  },
  schedule_once_needs_date: {
    vi: 'Trường recurrence: lịch một lần cần đúng một ngày, hoặc date (dương lịch, YYYY-MM-DD) hoặc lunar (âm lịch: day, month, year).',
    en: 'Field recurrence: a one-off schedule needs exactly one day, either date (solar, YYYY-MM-DD) or lunar (day, month, year).',
  },
  lunar_date_missing: {
    vi: 'Trường {field}: ngày {date} âm lịch không có trong năm {year}. {hint}',
    en: 'Field {field}: the lunar date {date} does not exist in {year}. {hint}',
  },
  end_before_start: {
    vi: 'Trường valid_until ({until}) đứng trước valid_from ({from}). Hãy đặt ngày kết thúc bằng hoặc sau ngày bắt đầu.',
    en: 'Field valid_until ({until}) is before valid_from ({from}). Set the end on or after the start.',
  },
  schedule_in_past: {
    vi: 'Trường recurrence: lượt phát duy nhất ({at}) đã qua. Hãy chọn một ngày giờ trong tương lai.',
    en: 'Field recurrence: the only occurrence ({at}) is in the past. Choose a date and time in the future.',
  },
  schedule_never_plays: {
    vi: 'Lịch này không có lượt phát nào trong {days} ngày tới (trường recurrence, valid_from, valid_until). Kiểm tra lại ngày, thứ và khoảng hiệu lực.',
    en: 'This schedule has no occurrence in the next {days} days (fields recurrence, valid_from, valid_until). Check the days and the validity window.',
  },
  schedule_in_quiet_hours: {
    vi: 'Trường start_time: lượt phát lúc {at} rơi vào giờ yên tĩnh ({start}–{end}) ở thôn {hamlets}. Chỉ tin khẩn cấp được phát trong giờ yên tĩnh; hãy chọn giờ khác.',
    en: 'Field start_time: the occurrence at {at} falls in quiet hours ({start}–{end}) in hamlets {hamlets}. Only an emergency may sound then; choose another time.',
  },
  schedule_conflict: {
    vi: 'Lịch này trùng giờ với lịch cùng mức ưu tiên: {details}. Hãy đổi giờ, hoặc gửi accept_conflicts: true để lịch này chờ lượt (phát sau lịch kia).',
    en: 'This schedule overlaps a schedule of the same priority: {details}. Change the time, or send accept_conflicts: true to let it wait its turn (play after the other).',
  },
  conflict_same_priority: {
    vi: '"{other}" lúc {at} ở thôn {hamlets}: cùng mức ưu tiên, lịch nào bắt đầu sau sẽ chờ lịch kia phát xong',
    en: '"{other}" at {at} in hamlets {hamlets}: same level; whichever starts later waits for the other to finish',
  },
  conflict_emergency_preempts: {
    vi: '"{first}" (khẩn cấp) lúc {at} ở thôn {hamlets} sẽ ngắt "{second}"; "{second}" phát lại từ đầu sau đó hoặc được ghi là bị ngắt, theo cài đặt on_preempt của nó',
    en: '"{first}" (emergency) at {at} in hamlets {hamlets} will interrupt "{second}"; "{second}" then plays again from the start or is recorded as interrupted, as its on_preempt says',
  },
  conflict_priority_first: {
    vi: '"{first}" (ưu tiên) lúc {at} ở thôn {hamlets} được chèn vào trước "{second}" (thường); "{second}" chờ đến lượt',
    en: '"{first}" (priority) at {at} in hamlets {hamlets} is inserted ahead of "{second}" (normal); "{second}" waits its turn',
  },
  playlist_empty: {
    vi: 'Danh sách phát cần ít nhất một mục (trường items).',
    en: 'A playlist needs at least one item (field items).',
  },
  m3u_invalid: {
    vi: 'Tệp M3U không hợp lệ ở dòng {line}: {problem}',
    en: 'The M3U file is not valid at line {line}: {problem}',
  },
  missed_controller_down: {
    vi: 'Không phát: bộ điều khiển không hoạt động lúc bắt đầu và đã quá thời gian cho phép phát muộn.',
    en: 'Not played: the controller was down at the start, and the grace window for a late start had passed.',
  },
  missed_content_not_ready: {
    vi: 'Không phát: nội dung chưa sẵn sàng (đang xử lý hoặc lỗi) lúc bắt đầu.',
    en: 'Not played: the content was not ready (still processing, or failed) at the start.',
  },
  missed_refused: {
    vi: 'Không phát: {detail}',
    en: 'Not played: {detail}',
  },
  cancelled_schedule_changed: {
    vi: 'Đã hủy vì lịch phát bị sửa, tắt hoặc xóa.',
    en: 'Cancelled because the schedule was changed, disabled or deleted.',
  },
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
  public_withdrawn_reason_cancelled: { vi: 'Đã hủy và đính chính', en: 'Cancelled and corrected' },
} as const satisfies Record<string, { vi: string; en: string }>;

export type MessageKey = keyof typeof messages;
export type Lang = 'vi' | 'en';
/** A value is the same in both languages, or given in each (words made elsewhere, e.g. a hint). */
export type MessageParams = Record<string, string | number | { vi: string; en: string }>;

export function t(key: MessageKey, lang: Lang, params: MessageParams = {}): string {
  return messages[key][lang].replace(/\{(\w+)\}/g, (match, name: string) => {
    if (!(name in params)) return match;
    const value = params[name];
    return typeof value === 'object' ? value[lang] : String(value);
  });
}

/** Vietnamese unless the client clearly prefers English. */
export function pickLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'vi';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'vi';
}
