/**
 * The urgent page's words (pages/urgent.js): sending an announcement or a drill, the confirmation
 * of where it will sound, the microphone and live voice, each hamlet's progress, and stopping.
 * Part of the console's catalogue (see `catalogue` in console-messages.ts).
 */
import type { Catalogue } from './messages.js';

export const consoleUrgentMessages = {
  ui_sending: { vi: 'Đang gửi…', en: 'Sending…' },
  ui_progress: { vi: 'Tiến độ ở từng thôn', en: 'Progress in each hamlet' },
  ui_receivers_outcome: {
    vi: 'Cụm loa phát xong: {finished}/{targeted}; lỗi: {failed}; không trả lời: {silent}',
    en: 'Receivers finished: {finished}/{targeted}; failed: {failed}; no answer: {silent}',
  },
  // Stopped by a person or cut off by an emergency: no fault of the receivers', never counted as "lỗi".
  ui_receivers_stopped: {
    vi: 'Bị dừng hoặc tin khẩn cắt ngang: {stopped}',
    en: 'Stopped or cut off by an emergency: {stopped}',
  },
  ui_receivers_sent: {
    vi: 'Chỉ phát đi, chưa xác nhận nghe: {sent}',
    en: 'Only sent, not confirmed heard: {sent}',
  },
  // Of those without a final word (waiting, holding, playing by their last report, unfinished): not connected now.
  ui_receivers_offline: {
    vi: 'Mất kết nối: {offline}',
    en: 'Not connected: {offline}',
  },
  ui_receivers_unfinished: {
    vi: 'Đã bắt đầu, không báo kết thúc: {unfinished}',
    en: 'Started, no end reported: {unfinished}',
  },
  ui_unfinished_summary: {
    vi: '{receivers} cụm loa đã bắt đầu phát nhưng không báo kết thúc (mất kết nối hoặc hỏng giữa chừng): không rõ đã phát hết.',
    en: '{receivers, plural, one {# receiver} other {# receivers}} started but never reported an end (cut off or broken down part-way): not known to have played to the end.',
  },
  ui_broadcast_complete: {
    vi: 'Hoàn tất: mọi cụm loa đã phát xong. Số thôn đã nghe: {hamlets}; số hộ: {households}.',
    en: 'Complete: every receiver finished. Hamlets that heard it: {hamlets}; households: {households}.',
  },
  ui_broadcast_ended: {
    vi: 'Đã kết thúc nhưng CHƯA phát đủ. Thôn đã nghe: {reached}/{hamlets} ({households} hộ); cụm loa lỗi: {failed}; không trả lời: {silent}.',
    en: 'Ended, but NOT everywhere. Hamlets that heard it: {reached}/{hamlets} ({households, plural, one {# household} other {# households}}); receivers failed: {failed}; no answer: {silent}.',
  },
  // Ended after a person's stop: not "NOT everywhere" as if it had failed.
  ui_broadcast_ended_stopped: {
    vi: 'Đã kết thúc: đã dừng theo lệnh. Thôn đã nghe trọn trước khi dừng: {reached}/{hamlets} ({households} hộ); cụm loa lỗi: {failed}; không trả lời: {silent}.',
    en: 'Ended: stopped as ordered. Hamlets that heard it whole before the stop: {reached}/{hamlets} ({households, plural, one {# household} other {# households}}); receivers failed: {failed}; no answer: {silent}.',
  },
  ui_receivers_stop_unconfirmed: {
    vi: 'Chưa xác nhận lệnh dừng: {count}',
    en: 'Stop not yet confirmed: {count}',
  },
  ui_drill_banner: { vi: 'DIỄN TẬP — không phải tình huống thật.', en: 'DRILL — not a real event.' },
  ui_urgent_title: { vi: 'Phát thông báo khẩn', en: 'Send an urgent announcement' },
  ui_urgent_drill_title: { vi: 'Phát diễn tập', en: 'Send a drill' },
  ui_what: { vi: 'Phát gì', en: 'What' },
  ui_mode_text: { vi: 'Gõ nội dung (đọc bằng giọng máy)', en: 'Type it (read by the synthetic voice)' },
  ui_mode_file: { vi: 'Tệp âm thanh có sẵn', en: 'An uploaded audio file' },
  ui_announcement_text: { vi: 'Nội dung thông báo', en: 'Announcement' },
  ui_prepare_send: { vi: 'Kiểm tra và gửi', en: 'Check and send' },
  ui_waiting_title: { vi: 'Đang chờ xác nhận ({count})', en: 'Waiting for confirmation ({count})' },
  ui_confirmation_lapsed: {
    vi: 'Đã quá thời hạn xác nhận: chưa phát gì. Bấm "Hủy" rồi gửi lại nếu vẫn cần.',
    en: 'The confirmation has lapsed: nothing was sent. Press "Cancel" and send again if it is still needed.',
  },
  ui_waiting_cap_sender: { vi: 'nguồn: {sender}', en: 'sender: {sender}' },
  ui_waiting_by: { vi: 'do {who} gửi, hết hạn lúc {until}', en: 'asked by {who}, lapses at {until}' },
  ui_stop_all: { vi: 'DỪNG TẤT CẢ LOA', en: 'STOP ALL SPEAKERS' },
  ui_confirm_where: {
    vi: 'Sẽ phát tới {receivers} cụm loa ở {hamlets} thôn:',
    en: 'It will sound on {receivers, plural, one {# receiver} other {# receivers}} in {hamlets, plural, one {# hamlet} other {# hamlets}}:',
  },
  ui_confirm_hamlet: {
    vi: '{name}: {receivers} cụm loa',
    en: '{name}: {receivers, plural, one {# receiver} other {# receivers}}',
  },
  ui_confirm_offline: {
    vi: 'Đang mất kết nối (sẽ phát nếu kết nối lại kịp): {names}',
    en: 'Not connected now (they play it if they come back in time): {names}',
  },
  ui_waiting_what: { vi: 'Nội dung: {title}', en: 'What: {title}' },
  ui_quiet_now_priority: {
    vi: 'Đang trong giờ yên tĩnh ở: {where}. Tin Ưu tiên gửi tới đó sẽ bị từ chối: bỏ chọn các thôn này, hoặc gửi tin Khẩn cấp (trong giờ yên tĩnh chỉ tin Khẩn cấp được phát).',
    en: 'Quiet hours are on in: {where}. A priority announcement sent there will be refused: untick these hamlets, or send an emergency (during quiet hours only an emergency sounds).',
  },
  ui_quiet_now_no_emergency_right: {
    vi: 'Bạn không có quyền gửi tin Khẩn cấp: hãy báo người có quyền.',
    en: 'You may not send an emergency: tell someone who may.',
  },
  ui_reach_none_online: {
    vi: 'Không có cụm loa nào đang kết nối ở: {names}. Các thôn này chỉ nghe được nếu cụm loa kết nối lại kịp.',
    en: 'No receiver is connected now in: {names}. These hamlets hear it only if a receiver comes back in time.',
  },
  ui_confirm_wont_hear: {
    vi: 'Các thôn sau sẽ KHÔNG nghe thấy (không có cụm loa nào đã đăng ký): {names}',
    en: 'These hamlets will NOT hear it (no enrolled receiver): {names}',
  },
  ui_confirm_emergency_effects: {
    vi: 'Tin KHẨN CẤP ngắt mọi tin đang phát ở các thôn này và phát cả trong giờ yên tĩnh ban đêm.',
    en: 'An EMERGENCY cuts off whatever is playing in these hamlets and sounds in the night quiet hours too.',
  },
  ui_withdraw_request: { vi: 'Hủy yêu cầu', en: 'Withdraw the request' },
  // Not the dialog's own "Xác nhận, phát ngay": on a phone the waiting list sits above the
  // official's own confirmation, and two buttons of one name sent someone else's request.
  ui_confirm_waiting_other_title: {
    vi: 'Đang chờ một lãnh đạo khác xác nhận',
    en: 'Waiting for another leader to confirm',
  },
  // What became of an official's own request once it left the waiting list (ui_own_request_<kind>).
  ui_own_request_confirmed: {
    vi: '{who} đã xác nhận yêu cầu của bạn: tin đã được phát (kết quả từng thôn ở dưới).',
    en: "{who} confirmed your request: it was sent (each hamlet's outcome below).",
  },
  ui_own_request_withdrawn: {
    vi: '{who} đã hủy yêu cầu của bạn: tin chưa được phát. Gửi lại nếu vẫn cần.',
    en: '{who} withdrew your request: it was not sent. Send it again if it is still needed.',
  },
  ui_own_request_lapsed: {
    vi: 'Hết thời gian chờ mà chưa lãnh đạo nào xác nhận yêu cầu của bạn: tin chưa được phát. Gửi lại nếu vẫn cần.',
    en: 'The time to confirm ran out with no leader confirming your request: it was not sent. Send it again if it is still needed.',
  },
  ui_own_request_withdrawn_here: {
    vi: 'Đã hủy yêu cầu của bạn: tin chưa được phát.',
    en: 'Your request is withdrawn: it was not sent.',
  },
  ui_own_request_withdrawn_self: {
    vi: 'Bạn đã hủy yêu cầu này (từ một thiết bị hoặc phiên khác): tin chưa được phát.',
    en: 'You withdrew this request (from another device or session): it was not sent.',
  },
  // The controller restarted while it waited, and nobody had confirmed it (its audit log says so).
  ui_own_request_dropped: {
    vi: 'Bộ điều khiển đã khởi động lại khi yêu cầu của bạn đang chờ, và chưa ai xác nhận nó: tin chưa được phát. Gửi lại nếu vẫn cần.',
    en: 'The controller restarted while your request waited, and nobody had confirmed it: it was not sent. Send it again if it is still needed.',
  },
  // The controller no longer knows it at all: it cannot say whether it was sent.
  ui_own_request_unknown: {
    vi: 'Bộ điều khiển không còn biết yêu cầu của bạn: không rõ tin đã được phát hay chưa. Xem danh sách lượt phát trước khi gửi lại.',
    en: 'The controller no longer knows your request: it cannot say whether it was sent. Check the list of broadcasts before sending again.',
  },
  ui_confirm_other_lapsed_title: { vi: 'Đã hết thời gian chờ xác nhận', en: 'The time to confirm is over' },
  // Not "nothing was sent": another leader may have confirmed it in its last seconds.
  ui_confirmation_lapsed_other: {
    vi: 'Đã hết thời gian chờ xác nhận. Nếu một lãnh đạo khác đã xác nhận trong những giây cuối thì tin đã được phát: trong khi trang này còn mở, bàn này vẫn hỏi bộ điều khiển và sẽ báo ngay khi biết, kể cả khi bạn đóng hộp này.',
    en: 'The time to confirm is over. If another leader confirmed it in its last seconds, it was sent: while this page stays open, this desk keeps asking the controller and will say so as soon as it knows, even if you close this box.',
  },
  ui_close: { vi: 'Đóng', en: 'Close' },
  ui_mic_second_person: {
    vi: 'Không thể nói trực tiếp khi tin khẩn cấp cần một lãnh đạo khác xác nhận (micrô sẽ phải chờ): hãy gõ nội dung hoặc chọn tệp âm thanh.',
    en: 'A live voice cannot wait for another leader to confirm an emergency: type the announcement or choose an audio file.',
  },
  // Read by the other leaders, not by the one who asked (who is told to ask someone).
  ui_waiting_second_person: {
    vi: 'Cần một lãnh đạo khác với người yêu cầu xác nhận.',
    en: 'To be confirmed by a leader other than the one who asked.',
  },
  ui_waiting_confirm: { vi: 'Xác nhận yêu cầu này, phát ngay', en: 'Confirm this request and send now' },
  ui_request_withdrawn: {
    vi: 'Đã hủy yêu cầu của {who}: tin sẽ không được phát.',
    en: 'Withdrew the request of {who}: it will not be sent.',
  },
  ui_similar_sent: {
    vi: 'Chú ý: chính thông báo này (cùng nội dung, cùng mức, cùng nơi) vừa được phát lúc {time}. Chỉ xác nhận nếu cần phát lại.',
    en: 'Note: this very announcement (same words, level and place) was sent at {time}. Confirm only if it must go again.',
  },
  ui_similar_waiting: {
    vi: 'Chú ý: một yêu cầu giống hệt (cùng nội dung, cùng mức, cùng nơi) đang chờ xác nhận. Đừng xác nhận cả hai nếu chỉ cần phát một lần.',
    en: 'Note: an identical request (same words, level and place) is also waiting for confirmation. Do not confirm both unless it must go twice.',
  },
  // Her own request, seen from another device or after a reload (the desk that asked shows it in its dialog).
  ui_waiting_yours: { vi: 'Yêu cầu của bạn.', en: 'Your own request.' },
  ui_waiting_yours_second_person: {
    vi: 'Yêu cầu của bạn: cần một lãnh đạo khác xác nhận, bạn không tự xác nhận được. Bạn vẫn có thể hủy yêu cầu.',
    en: 'Your own request: another leader must confirm it; you cannot confirm it yourself. You may still withdraw it.',
  },
  ui_sent_now: {
    vi: 'Đã gửi lúc {time}. Kết quả từng thôn ở dưới; toàn bộ ở trang Kết quả phát.',
    en: 'Sent at {time}. Each hamlet’s result is below; all of it on the coverage page.',
  },
  ui_confirm_listen: { vi: 'Nghe trước nội dung sẽ phát', en: 'Listen to what will be broadcast' },
  ui_confirm_countdown: {
    vi: 'Còn {seconds} giây để xác nhận.',
    en: '{seconds, plural, one {# second} other {# seconds}} left to confirm.',
  },
  ui_stop_selected: { vi: 'Chỉ dừng các thôn đã chọn ({count})', en: 'Stop only the chosen hamlets ({count})' },
  ui_stopped: {
    vi: 'Đã gửi lệnh dừng tới {receivers} cụm loa ở {hamlets} thôn.',
    en: 'Stop sent to {receivers, plural, one {# receiver} other {# receivers}} in {hamlets, plural, one {# hamlet} other {# hamlets}}.',
  },
  ui_stopped_where: { vi: 'Lệnh dừng gửi tới: {names}.', en: 'Stop sent to: {names}.' },
  ui_stopped_nothing_in: {
    vi: 'Lúc bấm dừng, không có tin nào đang phát ở: {names}.',
    en: 'Nothing was playing in {names} when you pressed stop.',
  },
  ui_stop_awaiting: {
    vi: 'Đã gửi lệnh dừng, đang chờ cụm loa xác nhận: {names}.',
    en: 'Stop sent, waiting for the receivers to confirm: {names}.',
  },
  // The desk, beside the stop buttons: receivers gone silent mid-play that will sound again at power-back unless stopped.
  ui_may_replay_where: {
    vi: 'Có thể phát lại khi có điện trở lại, đến {until}: «{title}» ở: {names} (cụm loa mất kết nối giữa chừng). Bấm dừng để rút lại.',
    en: 'May play again when the power comes back, until {until}: “{title}” in: {names} (receivers silent mid-play). Press stop to withdraw it.',
  },
  // Beside one broadcast on the desk: its own stop, wherever it was sent (the big button stops everything).
  ui_stop_this: { vi: 'Dừng tin này', en: 'Stop this one' },
  // Read by screen readers after "Stop this one": which broadcast (a visible label would repeat the line).
  ui_stop_this_what: { vi: ': «{title}»', en: ': “{title}”' },
  ui_stopped_one: {
    vi: 'Đã gửi lệnh dừng «{title}» tới mọi cụm loa được gửi tin này (ở: {names}).',
    en: 'Stop of “{title}” sent to every receiver it went to (in: {names}).',
  },
  // After a press: nothing it silenced plays or can play again there (the receivers took the stop,
  // or what a dark one held has expired: "confirmed" would then be untrue, an outsider found).
  ui_stop_confirmed: {
    vi: 'Không còn gì đang phát hay có thể phát lại ở {names}.',
    en: 'Nothing plays or can play again in {names}.',
  },
  ui_sounding_what: { vi: 'Đang phát «{title}» ở: {names}.', en: 'Playing “{title}” in: {names}.' },
  ui_stopped_nothing_there: {
    vi: 'Lúc bấm dừng, ở đó không có tin nào đang phát.',
    en: 'Nothing was playing there when you pressed stop.',
  },
  ui_still_sounding_elsewhere: {
    vi: 'Vẫn đang phát ở thôn không dừng: {names}.',
    en: 'Still playing in hamlets not stopped: {names}.',
  },
  ui_stop_heading: { vi: 'Dừng phát', en: 'Stop' },
  ui_sounding_nowhere: { vi: 'Hiện không thôn nào đang phát.', en: 'Nothing is playing in any hamlet now.' },
  ui_stopped_no_receivers: {
    vi: 'Chưa có cụm loa nào đã đăng ký ở: {names}.',
    en: 'No enrolled receiver yet in: {names}.',
  },
  ui_hamlet_state_done: { vi: 'Đã phát xong', en: 'Done' },
  ui_hamlet_state_playing: { vi: 'Đang phát', en: 'Playing' },
  ui_hamlet_state_unfinished: { vi: 'Không rõ đã phát hết', en: 'Not known to have played to the end' },
  ui_hamlet_state_failed: { vi: 'Không phát được', en: 'Failed' },
  ui_hamlet_state_partial: { vi: 'Phát chưa đủ', en: 'Partly played' },
  ui_hamlet_state_sent: { vi: 'Đã phát đi, chưa xác nhận nghe', en: 'Sent, not confirmed heard' },
  ui_hamlet_state_waiting: { vi: 'Đang chờ', en: 'Waiting' },
  ui_hamlet_state_stopped: { vi: 'Đã dừng', en: 'Stopped' },
  ui_hamlet_state_stop_sent: { vi: 'Đã gửi lệnh dừng, chưa xác nhận', en: 'Stop sent, not confirmed' },
  ui_hamlet_state_preempted: { vi: 'Bị tin khẩn cắt ngang', en: 'Cut off by an emergency' },
  ui_hamlet_state_offline: { vi: 'Cụm loa không kết nối, chưa nghe', en: 'Receivers not connected: not heard' },
  ui_mode_mic: { vi: 'Nói trực tiếp qua micrô', en: 'Speak live through the microphone' },
  ui_mic_hint: {
    vi: 'Micrô được mở và thử trước khi gửi; sau khi xác nhận, hãy nói rõ ràng rồi bấm "Kết thúc".',
    en: 'The microphone is opened and checked before anything is sent; after you confirm, speak clearly, then press "End".',
  },
  ui_mic_unavailable: {
    vi: 'Trình duyệt này không dùng được micrô. Hãy dùng Chrome hoặc Firefox, qua HTTPS hoặc trên máy chủ.',
    en: 'This browser cannot use the microphone. Use Chrome or Firefox, over HTTPS or on the box itself.',
  },
  ui_confirm_never_connected: {
    vi: 'Chưa từng kết nối (sẽ phát nếu kết nối kịp): {names}',
    en: 'Never connected (they play it if they connect in time): {names}',
  },
  ui_confirm_not_enrolled: {
    vi: 'Chưa đăng ký, sẽ KHÔNG nghe thấy: {names}',
    en: 'Not enrolled, will NOT hear it: {names}',
  },
  ui_mic_missing: {
    vi: 'Máy này không có micrô (hoặc micrô chưa cắm). Hãy cắm micrô, hoặc gõ nội dung để máy đọc.',
    en: 'This computer has no microphone (or it is unplugged). Plug one in, or type the announcement to be read.',
  },
  ui_stop_failed: {
    vi: 'CHƯA DỪNG ĐƯỢC: {why} Hãy bấm lại; nếu vẫn không được, tắt nguồn cụm loa tại chỗ.',
    en: 'NOT STOPPED: {why} Press again; if it still fails, switch the receivers off where they are.',
  },
  ui_preparing: {
    vi: 'Đang chuẩn bị (đọc văn bản thành tiếng, kiểm tra nơi phát)…',
    en: 'Preparing (reading the text aloud, checking where it will sound)…',
  },
  ui_mic_denied: {
    vi: 'Không mở được micrô: hãy cho phép trình duyệt dùng micrô rồi thử lại.',
    en: 'Could not open the microphone: allow the browser to use it, then try again.',
  },
  ui_live_title: { vi: 'Thông báo trực tiếp', en: 'Live announcement' },
  ui_on_air: { vi: 'ĐANG PHÁT TRỰC TIẾP.', en: 'ON AIR.' },
  ui_speak_now: { vi: 'Hãy nói vào micrô.', en: 'Speak into the microphone.' },
  ui_end_live: { vi: 'Kết thúc', en: 'End' },
} as const satisfies Catalogue;
