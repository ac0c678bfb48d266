/** The programme's words: schedules, their conflicts, playlists and why an occurrence did not play. Part of `messages`. */
import type { Catalogue } from './messages.js';

export const programmeMessages = {
  what_schedule: { vi: 'lịch phát', en: 'Schedule' },
  what_playlist: { vi: 'danh sách phát', en: 'Playlist' },
  what_occurrence: { vi: 'lượt phát theo lịch', en: 'Occurrence' },
  schedule_content_required: {
    vi: 'Lịch phát cần đúng một nội dung: media_id (một tệp âm thanh), playlist_id (một danh sách phát) hoặc relay (tiếp sóng một luồng phát trực tiếp).',
    en: 'A schedule needs exactly one content: media_id (an audio file), playlist_id (a playlist) or relay (a live stream to relay).',
  },
  schedule_once_needs_date: {
    vi: 'Lặp lại (recurrence): lịch một lần cần đúng một ngày, hoặc ngày dương lịch (date, YYYY-MM-DD) hoặc ngày âm lịch (lunar: day, month, year).',
    en: 'Repeat (recurrence): a one-off schedule needs exactly one day, either a solar date (date, YYYY-MM-DD) or a lunar one (lunar: day, month, year).',
  },
  lunar_date_missing: {
    vi: 'Trường {field}: ngày {date} âm lịch không có trong năm {year}. {hint}',
    en: 'Field {field}: the lunar date {date} does not exist in {year}. {hint}',
  },
  end_before_start: {
    vi: 'Ngày hết hiệu lực (valid_until, {until}) đứng trước ngày bắt đầu hiệu lực (valid_from, {from}). Hãy đặt ngày kết thúc bằng hoặc sau ngày bắt đầu.',
    en: 'The last valid day (valid_until, {until}) is before the first (valid_from, {from}). Set the end on or after the start.',
  },
  schedule_in_past: {
    vi: 'Lặp lại (recurrence): lượt phát duy nhất ({at}) đã qua. Hãy chọn một ngày giờ trong tương lai.',
    en: 'Repeat (recurrence): the only occurrence ({at}) is in the past. Choose a date and time in the future.',
  },
  schedule_never_plays: {
    vi: 'Lịch này không có lượt phát nào trong {days} ngày tới (trường recurrence, valid_from, valid_until). Kiểm tra lại ngày, thứ và khoảng hiệu lực.',
    en: 'This schedule has no occurrence in the next {days, plural, one {# day} other {# days}} (fields recurrence, valid_from, valid_until). Check the days and the validity window.',
  },
  schedule_in_quiet_hours: {
    vi: 'Giờ bắt đầu (start_time): lượt phát lúc {at} rơi vào giờ yên tĩnh ({start}–{end}) ở {hamlets}. Chỉ tin khẩn cấp được phát trong giờ yên tĩnh; hãy chọn giờ khác.',
    en: 'Start time (start_time): the occurrence at {at} falls in quiet hours ({start}–{end}) in {hamlets}. Only an emergency may sound then; choose another time.',
  },
  schedule_conflict: {
    vi: 'Lịch này trùng giờ với lịch cùng mức ưu tiên: {details}. Hãy đổi giờ, hoặc chọn "Vẫn lưu nếu trùng giờ" (accept_conflicts) để lịch này chờ lượt (phát sau lịch kia).',
    en: 'This schedule overlaps a schedule of the same priority: {details}. Change the time, or choose "Save even if it overlaps" (accept_conflicts) to let it wait its turn (play after the other).',
  },
  conflict_same_priority: {
    vi: '"{other}" lúc {at} ở {hamlets}: cùng mức ưu tiên, lịch nào bắt đầu sau sẽ chờ lịch kia phát xong',
    en: '"{other}" at {at} in {hamlets}: same level; whichever starts later waits for the other to finish',
  },
  conflict_emergency_preempts: {
    vi: '"{first}" (khẩn cấp) lúc {at} ở {hamlets} sẽ ngắt "{second}"; "{second}" phát lại từ đầu sau đó hoặc được ghi là bị ngắt, theo cài đặt on_preempt của nó',
    en: '"{first}" (emergency) at {at} in {hamlets} will interrupt "{second}"; "{second}" then plays again from the start or is recorded as interrupted, as its on_preempt says',
  },
  conflict_priority_first: {
    // As the receivers do it: a priority item goes ahead of a waiting one, never cuts one playing.
    vi: '"{first}" (ưu tiên) lúc {at} ở {hamlets} trùng giờ với "{second}" (thường): nếu "{second}" chưa bắt đầu thì "{first}" phát trước, "{second}" chờ đến lượt; nếu "{second}" đang phát thì "{first}" chờ nó phát xong (chỉ tin khẩn cấp mới ngắt ngang)',
    en: '"{first}" (priority) at {at} in {hamlets} overlaps "{second}" (normal): if "{second}" has not started, "{first}" goes first and "{second}" waits its turn; if "{second}" is playing, "{first}" waits until it ends (only an emergency cuts in)',
  },
  playlist_empty: {
    vi: 'Danh sách phát cần ít nhất một mục (trường items).',
    en: 'A playlist needs at least one item (field items).',
  },
  m3u_invalid: {
    vi: 'Chưa nhập được danh sách phát: {count} dòng trong tệp M3U chưa dùng được. {problems}. Sửa các dòng này rồi nhập lại.',
    en: 'The playlist was not imported: {count, plural, one {# line} other {# lines}} of the M3U file could not be used. {problems}. Fix these lines and import again.',
  },
  // A file with no line naming audio at all: not a list of bad lines (m3u-import.ts)
  m3u_empty: {
    vi: 'Tệp M3U không có mục nào để nhập: không có dòng nào chỉ tới một tệp âm thanh (chỉ có dòng trống, #EXTM3U hoặc ghi chú). Hãy mở tệp bằng trình phát (VLC, Winamp) xem có bài nào không, lưu lại danh sách rồi nhập lại; hoặc tạo danh sách phát mới và thêm bài từ thư viện.',
    en: 'The M3U file has no entries to import: no line names an audio file (only blank lines, #EXTM3U or comments). Open it in a player (VLC, Winamp) to see whether it lists anything, save the list again and import it; or create a new playlist and add audio from the library.',
  },
  m3u_only_jingles: {
    vi: 'Tệp M3U chỉ có nhạc hiệu mở đầu hoặc kết thúc, không có mục nào để phát giữa chúng. Thêm ít nhất một bài vào tệp rồi nhập lại.',
    en: 'The M3U file has only an opening or closing jingle, with nothing to play between them. Add at least one entry to the file and import it again.',
  },
  // One line each of an M3U import that cannot be used (m3u.ts, m3u-import.ts), listed together in m3u_invalid
  m3u_line_bulletin_id: {
    vi: 'dòng {line}: mã bản tin "{id}" không hợp lệ',
    en: 'line {line}: the bulletin id "{id}" is not valid',
  },
  m3u_line_media_id: {
    vi: 'dòng {line}: mã tệp âm thanh "{id}" không hợp lệ',
    en: 'line {line}: the audio id "{id}" is not valid',
  },
  m3u_line_relay: {
    vi: 'dòng {line}: không đặt tiếp sóng trong danh sách phát; hãy tạo một lịch phát riêng có relay (url, duration_s) ngay sau phiên này',
    en: 'line {line}: relays do not go inside a playlist; make a schedule of its own with relay (url, duration_s) right after this session',
  },
  m3u_line_bad_url: {
    vi: 'dòng {line}: không đọc được địa chỉ hay tên tệp "{text}"',
    en: 'line {line}: "{text}" is neither a readable address nor a file name',
  },
  m3u_line_scheme: {
    vi: 'dòng {line}: "{text}": chỉ tải được tệp qua http:// hoặc https://, hoặc tìm theo tên tệp đã tải lên',
    en: 'line {line}: "{text}": files are fetched over http:// or https:// only, or found by the name of a file already uploaded',
  },
  m3u_line_not_uploaded: {
    vi: 'dòng {line}: chưa có tệp "{name}" trong thư viện; hãy tải tệp này lên trước (Thư viện âm thanh, hoặc POST /api/media) rồi nhập lại',
    en: 'line {line}: there is no "{name}" in the library; upload that file first (the audio library, or POST /api/media), then import again',
  },
  m3u_line_media_unknown: {
    vi: 'dòng {line}: không có tệp âm thanh mã "{id}"',
    en: 'line {line}: there is no audio with the id "{id}"',
  },
  m3u_line_media_failed: {
    vi: 'dòng {line}: tệp âm thanh "{id}" xử lý không thành công; hãy tải lên lại',
    en: 'line {line}: the audio "{id}" failed processing; upload it again',
  },
  m3u_line_bulletin_unknown: {
    vi: 'dòng {line}: không có bản tin mã "{id}"',
    en: 'line {line}: there is no bulletin with the id "{id}"',
  },
  m3u_line_bulletin_not_ready: {
    vi: 'dòng {line}: bản tin "{title}" chưa được duyệt, chưa có âm thanh',
    en: 'line {line}: the bulletin "{title}" is not approved and has no audio yet',
  },
  m3u_line_fetch_failed: {
    vi: 'dòng {line}: không tải được {url} ({detail})',
    en: 'line {line}: could not fetch {url} ({detail})',
  },
  m3u_line_fetch_too_large: {
    vi: 'dòng {line}: {url} lớn hơn giới hạn tải lên {max_mb} MB',
    en: 'line {line}: {url} is over the upload limit of {max_mb} MB',
  },
  m3u_line_refused: { vi: 'dòng {line}: {url}: {reason}', en: 'line {line}: {url}: {reason}' },
  m3u_not_utf8: {
    vi: 'Tệp .m3u8 phải được ghi bằng mã UTF-8. Hãy lưu lại tệp với mã UTF-8, hoặc đặt tên đuôi .m3u nếu tệp được ghi bằng mã Windows (Windows-1252).',
    en: 'An .m3u8 file must be written in UTF-8. Save it again as UTF-8, or name it .m3u when it was written in a Windows code page (Windows-1252).',
  },
  media_link_expired: {
    vi: 'Liên kết âm thanh này đã hết hạn. Hãy xuất lại danh sách phát để có liên kết mới.',
    en: 'This audio link has expired. Export the playlist again for fresh links.',
  },
  media_link_forged: {
    vi: 'Liên kết âm thanh này không hợp lệ (sai chữ ký). Hãy dùng liên kết trong danh sách phát vừa xuất.',
    en: 'This audio link is not valid (its signature does not match). Use the links of a freshly exported playlist.',
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
  playlist_in_use: {
    vi: 'Không xóa được danh sách phát: lịch phát {schedules} vẫn dùng nó. Hãy xóa hoặc sửa các lịch đó trước.',
    en: 'The playlist cannot be deleted: the schedules {schedules} still play it. Delete or change those schedules first.',
  },
  cancelled_schedule_changed: {
    vi: 'Đã hủy vì lịch phát bị sửa, tắt hoặc xóa.',
    en: 'Cancelled because the schedule was changed, disabled or deleted.',
  },
} as const satisfies Catalogue;
