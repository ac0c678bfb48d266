/** An announcement's title from its words: cut between words, never inside one (outsider, session 18). */
import { describe, expect, it } from 'vitest';
import { titleFromText } from '../../../controller/tts/tts-service.js';

describe('titleFromText', () => {
  it('keeps a short text whole, its spaces tidied', () => {
    expect(titleFromText('  Thông báo   khẩn:\nbão số 3  ')).toBe('Thông báo khẩn: bão số 3');
  });

  it('cuts a long one between words, with an ellipsis, within the limit', () => {
    const text =
      'Thông báo khẩn: bão số 3 đổ bộ vào đêm nay, đề nghị bà con thôn Đông và thôn Đoài sơ tán ngay trước 18 giờ, mang theo giấy tờ';
    const title = titleFromText(text);
    expect(title.length).toBeLessThanOrEqual(80);
    expect(title.endsWith('…')).toBe(true);
    const shown = title.slice(0, -1);
    expect(text.startsWith(shown)).toBe(true);
    expect(text[shown.length]).toMatch(/[\s,]/); // the next character was a space or a comma: no word cut
  });
});
