/**
 * What the API says of a confirmation that no longer waits (confirm, withdraw or read it): what
 * became of it when the controller knows, so that nobody sends an emergency twice on a guess.
 */
export const confirmationMessages = {
  confirmation_unknown: {
    vi: 'Không tìm thấy yêu cầu xác nhận này (mã sai, hoặc đã quá cũ). Xem danh sách lượt phát trước khi gửi lại.',
    en: 'No such confirmation (a wrong id, or too old). Check the list of broadcasts before sending again.',
  },
  confirmation_already_confirmed: {
    vi: 'Yêu cầu này đã được xác nhận (tin đã phát, hoặc lịch đã bật): không còn gì để xác nhận hay hủy. Kết quả ở trang Kết quả phát.',
    en: 'This request has already been confirmed (the broadcast sent, or the schedule switched on): there is nothing left to confirm or withdraw. See the coverage page.',
  },
  confirmation_already_confirming: {
    vi: 'Yêu cầu này vừa được xác nhận và đang được phát đi: không xác nhận hay hủy lại.',
    en: 'This request has just been confirmed and is being sent: do not confirm or withdraw it again.',
  },
  confirmation_already_withdrawn: {
    vi: 'Yêu cầu này đã bị hủy: tin chưa được phát. Gửi lại nếu vẫn cần.',
    en: 'This request was withdrawn: it was not sent. Send it again if it is still needed.',
  },
  confirmation_lapsed: {
    vi: 'Yêu cầu này đã hết hạn chờ xác nhận (hoặc bộ điều khiển đã khởi động lại khi nó đang chờ): tin chưa được phát. Gửi lại nếu vẫn cần.',
    en: 'This request lapsed (or the controller restarted while it waited): it was not sent. Send it again if it is still needed.',
  },
} as const;
