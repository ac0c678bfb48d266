/** Speech's words: what the normaliser was unsure of, the commune's abbreviations, and why a text cannot be spoken. Part of `messages`. */
import type { Catalogue } from './messages.js';

export const ttsMessages = {
  tts_uncertain_unknown_capitals: {
    vi: '"{text}" không có trong danh sách viết tắt: sẽ đọc từng chữ "{reading}". Hãy viết rõ hoặc thêm vào danh sách viết tắt của xã.',
    en: '"{text}" is not a known abbreviation: it will be spelled "{reading}". Write it out or add it to the commune\'s abbreviations.',
  },
  tts_uncertain_ambiguous_abbreviation: {
    vi: '"{text}" có nhiều cách đọc; sẽ đọc là "{reading}". Hãy viết rõ nếu không đúng.',
    en: '"{text}" has several readings; it will be read "{reading}". Write it out if that is wrong.',
  },
  tts_uncertain_falling_days: {
    vi: '"{text}": ngày sau nhỏ hơn ngày trước; sẽ đọc là "{reading}". Hãy kiểm tra lại ngày.',
    en: '"{text}": the second day is before the first; it will be read "{reading}". Check the dates.',
  },
  tts_uncertain_unknown_document_part: {
    vi: '"{text}" trong số hiệu văn bản không rõ nghĩa: sẽ đọc từng chữ "{reading}".',
    en: '"{text}" in a document number is unknown: it will be spelled "{reading}".',
  },
  tts_uncertain_spelled_code: {
    vi: 'Mã "{text}" sẽ đọc từng chữ: "{reading}".',
    en: 'The code "{text}" will be spelled: "{reading}".',
  },
  tts_uncertain_dash_as_pause: {
    vi: 'Dấu gạch trong "{text}" sẽ đọc như chỗ ngắt, không phải "đến": "{reading}".',
    en: 'The dash in "{text}" is read as a pause, not "to": "{reading}".',
  },
  tts_uncertain_falling_range: {
    vi: '"{text}": số sau nhỏ hơn số trước; sẽ đọc là khoảng "{reading}". Hãy kiểm tra lại.',
    en: '"{text}": the second number is smaller; it will be read as the range "{reading}". Check it.',
  },
  tts_uncertain_web_address: {
    vi: 'Địa chỉ "{text}" sẽ đọc là "{reading}"; chữ không dấu có thể đọc sai. Hãy viết theo cách muốn đọc (ví dụ "xuân hưng chấm gờ o vê chấm vê en").',
    en: 'The address "{text}" will be read "{reading}"; letters without tone marks may be misread. Write it as it should be said (e.g. "xuân hưng chấm gờ o vê chấm vê en").',
  },
  tts_uncertain_ambiguous_date: {
    vi: '"{text}" sẽ đọc là "{reading}". Nếu ý là nhiều ngày, hãy viết "từ ngày … đến ngày …".',
    en: '"{text}" will be read "{reading}". If you mean a span of days, write "từ ngày … đến ngày …".',
  },
  tts_uncertain_hour_or_weight: {
    vi: '"{text}" sẽ đọc là "{reading}" (giờ). Nếu là khối lượng, hãy viết "gam".',
    en: '"{text}" will be read "{reading}" (an hour). If it is a weight, write "gam".',
  },
  tts_uncertain_numbered_range: {
    vi: '"{text}" sẽ đọc là "{reading}". Nếu là hai nơi riêng, hãy viết ví dụ "thôn 1 và thôn 2".',
    en: '"{text}" will be read "{reading}". If these are two separate places, write e.g. "thôn 1 và thôn 2".',
  },
  tts_text_empty: {
    vi: 'Chưa có nội dung để đọc. Hãy nhập văn bản thông báo.',
    en: 'There is nothing to read. Type the announcement text.',
  },
  tts_abbreviation_written_invalid: {
    vi: 'Chữ viết tắt "{written}" không hợp lệ: cần 1 đến 30 ký tự, có ít nhất một chữ in hoa, không có dấu cách (ví dụ HTX, P.VHXH). Một từ thường như "thôn" không thể là chữ viết tắt: nó sẽ đổi mọi bản tin có từ đó.',
    en: 'The abbreviation "{written}" is not valid: it needs 1 to 30 characters with at least one capital letter and no spaces (e.g. HTX, P.VHXH). An ordinary word such as "thôn" cannot be an abbreviation: it would change every bulletin that uses it.',
  },
  tts_abbreviation_in_config: {
    vi: '"{written}" nằm trong tệp cấu hình (tts.abbreviations), không xóa được ở đây. Hãy sửa tệp cấu hình, hoặc lưu ở đây một cách đọc khác để thay.',
    en: '"{written}" is in the config file (tts.abbreviations) and cannot be deleted here. Change the config file, or save another reading here to replace it.',
  },
  tts_abbreviation_reading_invalid: {
    vi: 'Cách đọc của "{written}" phải là chữ, viết như khi nói (ví dụ "hợp tác xã"), không có chữ số hay ký hiệu; tối đa 200 ký tự.',
    en: 'The reading of "{written}" must be words, written as they are said (e.g. "hợp tác xã"), without digits or symbols; at most 200 characters.',
  },
  tts_text_too_long: {
    vi: 'Văn bản dài {length} ký tự, vượt giới hạn {max} ký tự. Hãy chia thành nhiều bản tin.',
    en: 'The text has {length, plural, one {# character} other {# characters}}, over the limit of {max}. Split it into several bulletins.',
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
} as const satisfies Catalogue;
