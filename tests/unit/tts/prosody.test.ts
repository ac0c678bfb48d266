/**
 * The prosody plan (issue 24): where the pauses go and how long they are, which words are read
 * slower, how the typed layout (paragraphs, lines, list items) shows through, the loudspeaker
 * rate per voice, and the SSML espeak-ng is given.
 */
import { describe, expect, it } from 'vitest';
import { normalizeVietnamese } from '../../../controller/tts/normalize-vi.js';
import { numberSpans, planAnnouncement, type ProsodyPlan, type ProsodyStep } from '../../../controller/tts/prosody.js';
import { splitBlocks } from '../../../controller/tts/prosody-blocks.js';
import { findNames } from '../../../controller/tts/prosody-names.js';
import {
  DEFAULT_PROSODY,
  effectiveSpeed,
  rateFor,
  readProsodyOptions,
  type ProsodyOptions,
} from '../../../controller/tts/prosody-options.js';
import { toEspeakSsml, toPlainText } from '../../../controller/tts/prosody-render.js';

const P = DEFAULT_PROSODY.pauses_ms;

/** The plan of one typed announcement, normalised line by line (and name by name) as the service does. */
function plan(text: string, repeat = 0, options: ProsodyOptions = DEFAULT_PROSODY): ProsodyPlan {
  const blocks = splitBlocks(text).map((b) => ({
    spoken: normalizeVietnamese(b.text),
    before: b.before,
    names: findNames(b.text).map((n) => normalizeVietnamese(n)),
  }));
  return planAnnouncement(blocks, repeat, options);
}

/** A compact picture of a plan: words, "|why:ms|" for pauses, "«…»" around slower words. */
const picture = (steps: ProsodyStep[]) =>
  steps.map((s) => ('pause' in s ? `|${s.why}:${s.pause}|` : s.slow ? `«${s.speak}»` : s.speak)).join(' ');

describe('pauses', () => {
  it('puts a clear pause after a full stop and a shorter one at a comma, a semicolon and a colon', () => {
    expect(picture(plan('Xin chào bà con, thông báo: thôn Đông mất điện; thôn Đoài có điện. Cảm ơn!').steps)).toBe(
      `xin chào bà con, |comma:${P.comma}| thông báo: |colon:${P.colon}| thôn «đông» mất điện; |semicolon:${P.semicolon}| thôn «đoài» có điện. |sentence:${P.sentence}| cảm ơn!`,
    );
    expect(P.comma).toBeLessThan(P.semicolon);
    expect(P.semicolon).toBeLessThan(P.sentence);
  });

  it('pauses longer between paragraphs than between sentences, and longest before "xin nhắc lại"', () => {
    const steps = plan('Thôn đông mất điện.\n\nĐề nghị bà con chú ý.', 1).steps;
    expect(picture(steps)).toBe(
      `thôn đông mất điện. |paragraph:${P.paragraph}| đề nghị bà con chú ý. |repeat:${P.repeat}| xin nhắc lại. |sentence:${P.sentence}| ` +
        `thôn đông mất điện. |paragraph:${P.paragraph}| đề nghị bà con chú ý.`,
    );
    expect(P.sentence).toBeLessThan(P.paragraph);
    expect(P.paragraph).toBeLessThan(P.repeat);
  });

  it('pauses between list items, which need no punctuation of their own', () => {
    const steps = plan('Lịch cắt điện:\n- Sáng nay\n- Chiều mai\n\n1. Tiêm phòng\n2. Vệ sinh chuồng trại').steps;
    expect(picture(steps)).toBe(
      `lịch cắt điện: |list_item:${P.list_item}| sáng nay; |list_item:${P.list_item}| chiều mai. |paragraph:${P.paragraph}| ` +
        `một, |comma:${P.comma}| tiêm phòng; |list_item:${P.list_item}| hai, |comma:${P.comma}| vệ sinh chuồng trại.`,
    );
  });

  it('takes the longest where two boundaries meet, and none at the start or the end', () => {
    const steps = plan('Thông báo.\n\n\nThôn Đông mất điện!').steps;
    expect(steps.filter((s) => 'pause' in s)).toEqual([{ pause: P.paragraph, why: 'paragraph' }]);
    expect('speak' in steps[0] && 'speak' in steps[steps.length - 1]).toBe(true);
  });

  it('ends a title line with a full stop so that the voice lets its pitch fall', () => {
    expect(toPlainText(plan('THÔNG BÁO\nVề lịch tiêm phòng'))).toBe('thông báo. về lịch tiêm phòng.');
  });

  it('uses the lengths it is given; a length of 0 is no pause', () => {
    const options = readProsodyOptions({ prosody: { pauses_ms: { sentence: 1000, comma: 0 } } });
    expect(picture(plan('Việc này, việc kia. Xong.', 0, options).steps)).toBe(
      'việc này, việc kia. |sentence:1000| xong.',
    );
  });
});

describe('numbers, dates and times', () => {
  it('reads a time span slower, as one, after a short pause', () => {
    expect(picture(plan('Thôn 3 mất điện từ 14h đến 16h ngày 15/12, đề nghị bà con chú ý.').steps)).toBe(
      `thôn ba mất điện từ |number:${P.number}| «mười bốn giờ đến mười sáu giờ ngày mười lăm tháng mười hai,» |comma:${P.comma}| đề nghị bà con chú ý.`,
    );
  });

  it('pauses after a date or time, not between a number and its unit', () => {
    expect(picture(plan('Họp lúc 7h30 tại hội trường, mỗi hộ nộp 150.000 đồng.').steps)).toBe(
      `họp lúc |number:${P.number}| «bảy giờ ba mươi phút» |number:${P.number}| tại hội trường, |comma:${P.comma}| mỗi hộ nộp |number:${P.number}| «một trăm năm mươi nghìn» đồng.`,
    );
  });

  it('reads a telephone number slower', () => {
    expect(picture(plan('Gọi 0912345678.').steps)).toBe(
      `gọi |number:${P.number}| «không chín một hai ba bốn năm sáu bảy tám.»`,
    );
  });

  it('leaves a lone word that is only sometimes a number ("năm nay", "một số") at the usual pace', () => {
    expect(numberSpans('năm nay một số hộ ở thôn ba'.split(' '))).toEqual([]);
    expect(numberSpans('thứ hai tuần sau'.split(' '))).toEqual([{ start: 0, end: 2, dateOrTime: false }]);
  });
});

describe('names', () => {
  it("finds names by their capitals, not a sentence's first word nor an abbreviation", () => {
    expect(
      findNames(
        'Mời ông Nguyễn Văn An, bà Lò Thị Mai (thôn Nà Sản) và UBND xã Xuân Hưng. Thôn Đông họp. Đề nghị đến sớm.',
      ),
    ).toEqual(['Nguyễn Văn An', 'Lò Thị Mai', 'Nà Sản', 'Xuân Hưng', 'Thôn Đông']);
    expect(findNames('1, Tiêm phòng tại trạm')).toEqual([]);
  });

  it('reads a name slower, without pausing around it', () => {
    expect(picture(plan('Mời ông Nguyễn Văn An lên nhận quà.').steps)).toBe('mời ông «nguyễn văn an» lên nhận quà.');
  });

  it('slows a name and a time in one clause, each its own way', () => {
    expect(picture(plan('Hội nghị tại xã Xuân Hưng lúc 8h sáng.').steps)).toBe(
      `hội nghị tại xã «xuân hưng» lúc |number:${P.number}| «tám giờ» |number:${P.number}| sáng.`,
    );
  });
});

describe('options and rates', () => {
  it('has announcement defaults when the settings name nothing', () => {
    expect(readProsodyOptions({})).toEqual(DEFAULT_PROSODY);
    expect(readProsodyOptions(undefined)).toEqual(DEFAULT_PROSODY);
  });

  it('reads the settings, keeping each value in range and ignoring the malformed', () => {
    const o = readProsodyOptions({
      loudspeaker_rate: 0.8,
      rate_by_voice: { vi: 0.95, banmai: 9, bad: 'fast' },
      prosody: { enabled: false, slow_rate: 0.1, pauses_ms: { paragraph: 1500, comma: 'long' } },
    });
    expect(o).toMatchObject({
      enabled: false,
      loudspeaker_rate: 0.8,
      slow_rate: 0.5,
      rate_by_voice: { vi: 0.95, banmai: 1.5 },
    });
    expect(o.pauses_ms).toEqual({ ...DEFAULT_PROSODY.pauses_ms, paragraph: 1500 });
  });

  it('slows every voice to the loudspeaker rate unless its voice or engine has its own', () => {
    const o = readProsodyOptions({ loudspeaker_rate: 0.9, rate_by_voice: { vi: 0.85, fpt: 0.95, banmai: 1 } });
    expect(rateFor(o, 'espeak', 'vi')).toBe(0.85);
    expect(rateFor(o, 'espeak', 'vi-vn-x-south')).toBe(0.9);
    expect(rateFor(o, 'fpt', 'leminh')).toBe(0.95);
    expect(rateFor(o, 'fpt', 'banmai')).toBe(1);
  });

  it('multiplies the requested speed by the rate, within what engines take', () => {
    const o = readProsodyOptions({ rate_by_voice: { vi: 0.9 } });
    expect(effectiveSpeed(1, o, 'espeak', 'vi')).toBe(0.9);
    expect(effectiveSpeed(1.2, o, 'espeak', 'vi')).toBe(1.08);
    expect(effectiveSpeed(0.5, o, 'espeak', 'vi')).toBe(0.5);
  });
});

describe('what espeak-ng and the cloud voices are given', () => {
  it('gives espeak-ng SSML: a break per pause, slower numbers and names', () => {
    expect(toEspeakSsml(plan('Mời bà Tư, ông Ba: họp lúc 14h.'))).toBe(
      `<speak>mời bà <prosody rate="85%">tư,</prosody> <break time="${P.comma}ms"/> ông <prosody rate="85%">ba:</prosody> <break time="${P.colon}ms"/> ` +
        `họp lúc <break time="${P.number}ms"/> <prosody rate="85%">mười bốn giờ.</prosody></speak>`,
    );
  });

  it('escapes what SSML would read as markup', () => {
    expect(toEspeakSsml({ steps: [{ speak: `a < b & "c" > 'd'` }], slow_rate: 0.85 })).toBe(
      '<speak>a &lt; b &amp; &quot;c&quot; &gt; &apos;d&apos;</speak>',
    );
  });

  it('gives a cloud voice the words with their punctuation, which is all it pauses by', () => {
    expect(toPlainText(plan('Thôn Đông, thôn Đoài: mất điện.\n- Sáng\n- Chiều', 1))).toBe(
      'thôn đông, thôn đoài: mất điện. sáng; chiều. xin nhắc lại. thôn đông, thôn đoài: mất điện. sáng; chiều.',
    );
  });
});

describe('the layout of the typed text', () => {
  it('finds paragraphs, lines, list items, and lines that only continue the one above', () => {
    expect(
      splitBlocks(
        'Tiêu đề\r\nDòng một tiếp tục\nở dòng sau.\n\n• Mục một\n* Mục hai\na) Mục ba\n  \n12) Mục bốn\n-5 độ là rét',
      ),
    ).toEqual([
      { text: 'Tiêu đề', before: 'none' },
      { text: 'Dòng một tiếp tục ở dòng sau.', before: 'line' },
      { text: 'Mục một', before: 'paragraph' },
      { text: 'Mục hai', before: 'list_item' },
      { text: 'a, Mục ba', before: 'list_item' },
      { text: '12, Mục bốn', before: 'paragraph' },
      { text: '-5 độ là rét', before: 'line' },
    ]);
  });
});
