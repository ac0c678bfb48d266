/**
 * Readings that depend on what is around them (issue 24), the commune's own abbreviations, and
 * the report of what the normaliser was unsure of.
 */
import { describe, expect, it } from 'vitest';
import { ABBREVIATIONS, DOCUMENT_TYPES } from '../../../controller/tts/abbreviations-vi.js';
import { CONTEXTUAL } from '../../../controller/tts/abbreviations-context.js';
import { LETTER_NAMES, readCode, spellLetters } from '../../../controller/tts/letters-vi.js';
import { normalizeVietnamese, normalizeVietnameseDetailed } from '../../../controller/tts/normalize-vi.js';

const sure = (written: string, options = {}) => {
  const { spoken, uncertain } = normalizeVietnameseDetailed(written, options);
  expect(uncertain, written).toEqual([]);
  return spoken;
};

describe('abbreviations read by their context', () => {
  it.each([
    // ĐT: a provincial road beside a road number, a telephone beside a phone number.
    ['Sạt lở trên ĐT.477', 'sạt lở trên đường tỉnh bốn trăm bảy mươi bảy'],
    ['tuyến ĐT477B', 'tuyến đường tỉnh bốn trăm bảy mươi bảy bê'],
    ['Liên hệ ĐT: 0912.345.678', 'liên hệ điện thoại: không chín một hai, ba bốn năm, sáu bảy tám'],
    ['ĐT 024 3826 1234', 'điện thoại không hai bốn, ba tám hai sáu, một hai ba bốn'],
    ['ghi rõ số ĐT', 'ghi rõ số điện thoại'],
    // Roads and kilometre posts.
    ['QL1A', 'quốc lộ một a'],
    ['QL.10 và Quốc lộ 1A', 'quốc lộ mười và quốc lộ một a'],
    ['Tại Km 15+200', 'tại ki lô mét mười lăm cộng hai trăm'],
    ['tại km7+050', 'tại ki lô mét bảy cộng năm mươi'],
    ['dài 15 km', 'dài mười lăm ki lô mét'],
    ['cao tốc CT.01', 'cao tốc một'],
    // TT: a circular in a document number or before one, a centre before what it serves.
    [
      'Thông tư 39/2020/TT-BTTTT',
      'thông tư ba mươi chín năm hai nghìn không trăm hai mươi thông tư bộ thông tin và truyền thông',
    ],
    ['theo TT số 39', 'theo thông tư số ba mươi chín'],
    ['TT Y tế xã', 'trung tâm y tế xã'],
    ['TT. Nho Quan', 'thị trấn nho quan'],
    // CT: a directive in a document number, a chairman before an organisation.
    ['Chỉ thị 05/CT-UBND', 'chỉ thị năm chỉ thị ủy ban nhân dân'],
    ['Chỉ thị 35-CT/TW', 'chỉ thị ba mươi lăm chỉ thị trung ương'],
    ['Đ/c CT UBND xã', 'đồng chí chủ tịch ủy ban nhân dân xã'],
    ['Phó CT HĐND', 'phó chủ tịch hội đồng nhân dân'],
    // ND: farmers after "Hội", the people after "Ủy ban".
    ['Hội ND xã', 'hội nông dân xã'],
    ['Ủy ban ND xã', 'ủy ban nhân dân xã'],
    // CP: the government in a decree, a joint-stock company after "Công ty".
    ['Nghị định 49/2024/NĐ-CP', 'nghị định bốn mươi chín năm hai nghìn không trăm hai mươi tư nghị định chính phủ'],
    ['Công ty CP Môi trường', 'công ty cổ phần môi trường'],
    // HĐ: a contract or a council; CĐ: an urgent dispatch, a college or a trade union.
    ['ký HĐ lao động', 'ký hợp đồng lao động'],
    ['HĐ thi đua', 'hội đồng thi đua'],
    ['CĐ số 12', 'công điện số mười hai'],
    ['Trường CĐ Y tế', 'trường cao đẳng y tế'],
    // CN: Sunday in a week, industry after "khu".
    ['thứ 2 - CN', 'thứ hai đến chủ nhật'],
    ['Khu CN Gián Khẩu', 'khu công nghiệp gián khẩu'],
  ])('%s', (written, spoken) => expect(sure(written)).toBe(spoken));

  it('reports the reading it fell back on when nothing decides', () => {
    const { spoken, uncertain } = normalizeVietnameseDetailed('Liên hệ ĐT hoặc đến trụ sở');
    expect(spoken).toBe('liên hệ điện thoại hoặc đến trụ sở');
    expect(normalizeVietnameseDetailed('đi ĐT rồi về').uncertain).toEqual([
      { text: 'ĐT', reading: 'điện thoại', why: 'ambiguous_abbreviation' },
    ]);
    expect(uncertain).toEqual([]);
  });

  it('has a fallback for every context-dependent abbreviation, and tests above for each', () => {
    for (const [abbr, entry] of Object.entries(CONTEXTUAL)) {
      expect(entry.otherwise, abbr).toBeTruthy();
      expect(
        normalizeVietnameseDetailed(`rồi ${abbr} rồi`).uncertain.map((u) => u.text),
        abbr,
      ).toEqual([abbr]);
    }
  });
});

describe('document numbers', () => {
  it.each([
    ['Số 123/QĐ-UBND', 'số một trăm hai mươi ba quyết định ủy ban nhân dân'],
    ['Công văn số 234/UBND-VP', 'công văn số hai trăm ba mươi tư ủy ban nhân dân văn phòng'],
    ['Quyết định 13/QĐ-TTg', 'quyết định mười ba quyết định thủ tướng'],
    ['Kế hoạch số 45/KH-BCĐ', 'kế hoạch số bốn mươi lăm kế hoạch ban chỉ đạo'],
    ['Nghị quyết 57-NQ/TW', 'nghị quyết năm mươi bảy nghị quyết trung ương'],
    ['Thông báo 12/TB-ĐU', 'thông báo mười hai thông báo đảng ủy'],
  ])('%s', (written, spoken) => expect(sure(written)).toBe(spoken));

  it('spells and reports a part it does not know', () => {
    const { spoken, uncertain } = normalizeVietnameseDetailed('Số 15/QĐ-XQZ');
    expect(spoken).toBe('số mười lăm quyết định ích qui dét');
    expect(uncertain).toEqual([{ text: 'XQZ', reading: 'ích qui dét', why: 'unknown_document_part' }]);
  });
});

describe('the list of abbreviations', () => {
  it('holds the official and mass-organisation abbreviations of issue 24', () => {
    const listed = [
      'UBND',
      'HĐND',
      'MTTQ',
      'LHPN',
      'HLHPN',
      'HND',
      'HCCB',
      'ĐTN',
      'ĐTNCS',
      'HCM',
      'CCB',
      'BCH',
      'BQL',
      'THCS',
      'THPT',
      'QĐ',
      'NĐ-CP',
      'TTg',
      'CV',
      'KH',
      'BC',
      'TB',
      'PCCC',
      'ATGT',
      'ANTT',
      'BHYT',
      'BHXH',
      'CSGT',
      'CAX',
    ];
    expect(listed.filter((a) => !ABBREVIATIONS[a])).toEqual([]);
    expect(['TT', 'CT'].filter((a) => !CONTEXTUAL[a] || !DOCUMENT_TYPES[a])).toEqual([]);
  });

  it.each([
    ['Hội LHPN, HND, HCCB, ĐTN xã', 'hội liên hiệp phụ nữ, hội nông dân, hội cựu chiến binh, đoàn thanh niên xã'],
    ['HLHPN và Đoàn ĐTNCS HCM', 'hội liên hiệp phụ nữ và đoàn đoàn thanh niên cộng sản hồ chí minh'],
    [
      'BHYT, BHXH, CSGT, CAX, PCCC',
      'bảo hiểm y tế, bảo hiểm xã hội, cảnh sát giao thông, công an xã, phòng cháy chữa cháy',
    ],
  ])('%s', (written, spoken) => expect(sure(written)).toBe(spoken));

  it('spells capitals it does not know, and reports them', () => {
    const { spoken, uncertain } = normalizeVietnameseDetailed('Đoàn XQZV về xã');
    expect(spoken).toBe('đoàn ích qui dét vê về xã');
    expect(uncertain).toEqual([{ text: 'XQZV', reading: 'ích qui dét vê', why: 'unknown_capitals' }]);
  });

  it('reads a headline in capitals as words, not letters', () => {
    expect(sure('THÔNG BÁO KHẨN: LỊCH TIÊM PHÒNG')).toBe('thông báo khẩn: lịch tiêm phòng');
  });
});

describe("a commune's own abbreviations", () => {
  const abbreviations = {
    HTX: 'hợp tác xã nông nghiệp',
    TCKT: 'tài chính kế toán',
    'P.VHXH': 'phòng văn hóa xã hội',
    CT: 'công ty',
  };

  it('are read, and win over the built-in list and over the contexts', () => {
    expect(sure('HTX Thành Công và TCKT xã', { abbreviations })).toBe(
      'hợp tác xã nông nghiệp thành công và tài chính kế toán xã',
    );
    expect(sure('Gửi P.VHXH trước 5/1', { abbreviations })).toBe(
      'gửi phòng văn hóa xã hội trước ngày mồng năm tháng một',
    );
    expect(sure('CT Môi trường', { abbreviations })).toBe('công ty môi trường');
  });

  it('are used for the issuer in a document number, while its type keeps its own reading', () => {
    expect(sure('Số 7/CT-TCKT', { abbreviations })).toBe('số bảy chỉ thị tài chính kế toán');
  });

  it('leave the normaliser as it was when none are given', () => {
    expect(normalizeVietnamese('HTX Thành Công')).toBe('hợp tác xã thành công');
    expect(normalizeVietnameseDetailed('TCKT').uncertain).toHaveLength(1);
  });
});

describe('codes, letter by letter', () => {
  it('names the letters as announcers spell codes, one name for each letter', () => {
    expect(spellLetters('ABCDĐEFGHIJKLMNOPQRSTUVWXYZ')).toBe(
      'a bê xê dê đê e ép gờ hát i giây ca lờ em en o pê qui rờ ét tê u vê vê kép ích i dài dét',
    );
    expect(new Set(Object.values(LETTER_NAMES)).size).toBe(Object.keys(LETTER_NAMES).length);
  });

  it.each([
    ['Cúm A/H5N1', 'cúm a hát năm en một'],
    ['lớp 10A1', 'lớp mười a một'],
    ['mã B0123', 'mã bê không một hai ba'],
  ])('reads %s and reports it', (written, spoken) => {
    const { spoken: words, uncertain } = normalizeVietnameseDetailed(written);
    expect(words).toBe(spoken);
    expect(uncertain).toEqual([expect.objectContaining({ why: 'spelled_code' })]);
  });

  it('reads codes everyone knows without a doubt', () => {
    expect(sure('bệnh nhân F0, sóng 4G')).toBe('bệnh nhân ép không, sóng bốn gờ');
    expect(readCode('H5N1')).toBe('hát năm en một');
  });
});

describe('unit pairs and ranges that are not what they seem', () => {
  it.each([
    ['Giá lúa (đ/kg)', 'giá lúa (đồng một ki lô gam)'],
    ['Mật độ dân số (người/km²)', 'mật độ dân số (người trên ki lô mét vuông)'],
    ['Giá 35.000 đ/người', 'giá ba mươi lăm nghìn đồng một người'],
    ['lưu lượng 1.200 m³/s', 'lưu lượng một nghìn hai trăm mét khối trên giây'],
    ['Từ 14-16h chiều', 'từ mười bốn đến mười sáu giờ chiều'],
    ['mất điện trong 2-3 giờ', 'mất điện trong hai đến ba giờ'],
    ['thứ 2-6, tháng 6-8', 'thứ hai đến thứ sáu, tháng sáu đến tháng tám'],
  ])('%s', (written, spoken) => expect(sure(written)).toBe(spoken));

  it('reads a spaced dash after a numbered name as a pause, and reports it', () => {
    const { spoken, uncertain } = normalizeVietnameseDetailed('Thôn 1 - 25 hộ');
    expect(spoken).toBe('thôn một, hai mươi lăm hộ');
    expect(uncertain).toEqual([expect.objectContaining({ text: '1 - 25' })]);
  });
});

describe('fragments an outsider brought (issue 24, second round)', () => {
  it.each([
    // The issuer after the type is a ministry: "TT-BTC" is the Ministry of Finance.
    ['Thông tư 39/2020/TT-BTC', 'thông tư ba mươi chín năm hai nghìn không trăm hai mươi thông tư bộ tài chính'],
    ['Thông tư 12/2024/TT-BCT', 'thông tư mười hai năm hai nghìn không trăm hai mươi tư thông tư bộ công thương'],
    ['Ban tổ chức (BTC) thông báo', 'ban tổ chức (ban tổ chức) thông báo'],
    ['Họp lúc 7g30 sáng, kết thúc 9g tối', 'họp lúc bảy giờ ba mươi phút sáng, kết thúc chín giờ tối'],
    ['Có 1/2 số hộ đã đăng ký', 'có một phần hai số hộ đã đăng ký'],
    [
      '5/5 thôn đã hoàn thành, 12/12 hộ nhận hỗ trợ',
      'năm trên năm thôn đã hoàn thành, mười hai trên mười hai hộ nhận hỗ trợ',
    ],
    ['Nhiệt độ thấp nhất -5°C', 'nhiệt độ thấp nhất âm năm độ xê'],
    ['- 5 hộ nghèo', '- năm hộ nghèo'],
    ['Gọi đường dây nóng 1900 1234', 'gọi đường dây nóng một chín không không, một hai ba bốn'],
    ['Khi có cháy gọi 114 hoặc 115', 'khi có cháy gọi một một bốn hoặc một một năm'],
    ['Quý I/2025', 'quý một năm hai nghìn không trăm hai mươi lăm'],
    ['làm việc từ T2-T6', 'làm việc từ thứ hai đến thứ sáu'],
  ])('%s', (written, spoken) => expect(sure(written)).toBe(spoken));

  it('reads a web or mail address with chấm and gạch chéo, and reports it: its letters have no tones', () => {
    const { spoken, uncertain } = normalizeVietnameseDetailed(
      'Xem tại https://xuanhung.gov.vn/tin-tuc hoặc gửi thư đến ubnd@xuanhung.gov.vn.',
    );
    expect(spoken).toBe(
      'xem tại xuan hung chấm gờ o vê chấm vê en gạch chéo tin tuc hoặc gửi thư đến u bê en dê a còng xuan hung chấm gờ o vê chấm vê en.',
    );
    expect(uncertain.map((u) => [u.text, u.why])).toEqual([
      ['ubnd@xuanhung.gov.vn', 'web_address'],
      ['https://xuanhung.gov.vn/tin-tuc', 'web_address'],
    ]);
  });

  it('reads "ngày 1-7" as the first of July, and asks whether days one to seven were meant', () => {
    const { spoken, uncertain } = normalizeVietnameseDetailed('Từ ngày 1-7 áp dụng mức mới');
    expect(spoken).toBe('từ ngày mồng một tháng bảy áp dụng mức mới');
    expect(uncertain).toEqual([expect.objectContaining({ text: 'ngày 1-7', why: 'ambiguous_date' })]);
    // With its year it is a date without a doubt.
    expect(sure('từ ngày 1-7-2025')).toBe('từ ngày mồng một tháng bảy năm hai nghìn không trăm hai mươi lăm');
  });
});

describe('fragments the outsider brought (issue 24, third round)', () => {
  it.each([
    ['Làm việc đến 17g', 'làm việc đến mười bảy giờ'],
    ['Từ 7g đến 11g hằng ngày', 'từ bảy giờ đến mười một giờ hằng ngày'],
    ['Tập trung 9g sáng, kết thúc 11g.', 'tập trung chín giờ sáng, kết thúc mười một giờ.'],
    ['mỗi gói nặng 9g.', 'mỗi gói nặng chín gam.'],
    ['Đường dây nóng hỗ trợ 24/7', 'đường dây nóng hỗ trợ hai mươi tư trên bảy'],
    ['ngày 24/7', 'ngày hai mươi tư tháng bảy'],
    ['Mỗi hộ cử 01 người, nộp 02 bản sao', 'mỗi hộ cử một người, nộp hai bản sao'],
    ['Kính gửi Anh/chị, Ông/bà', 'kính gửi anh chị, ông bà'],
    ['V/v tổ chức họp', 'về việc tổ chức họp'],
    ['tại H. Xuân Trường, X. Xuân Hưng', 'tại huyện xuân trường, xã xuân hưng'],
    ['TM. UBND xã, KT. CHỦ TỊCH', 'thay mặt ủy ban nhân dân xã, ký thay chủ tịch'],
    ['Tuyến đường ĐT.477', 'tuyến đường tỉnh bốn trăm bảy mươi bảy'],
    ['sạt lở Km15+200 - Km16+500', 'sạt lở từ ki lô mét mười lăm cộng hai trăm đến ki lô mét mười sáu cộng năm trăm'],
    ['ĐT: +84 912 345 678', 'điện thoại: cộng tám tư, chín một hai, ba bốn năm, sáu bảy tám'],
    ['Quyết định 1.234/QĐ-UBND', 'quyết định một nghìn hai trăm ba mươi tư quyết định ủy ban nhân dân'],
    ['Sơ tán 1.250 hộ/4.380 khẩu', 'sơ tán một nghìn hai trăm năm mươi hộ, bốn nghìn ba trăm tám mươi khẩu'],
    ['vé 25k, cài VNeID', 'vé hai mươi lăm nghìn, cài vê en e ai đi'],
    ['Luật 45/2019/QH14', 'luật bốn mươi lăm năm hai nghìn không trăm mười chín quốc hội khóa mười bốn'],
    ['theo NĐ 100/2019', 'theo nghị định một trăm năm hai nghìn không trăm mười chín'],
    ['nghỉ T7 và CN', 'nghỉ thứ bảy và chủ nhật'],
    [
      '65 triệu đồng/người/năm, 3 lần/ngày, 0,5ml/con',
      'sáu mươi lăm triệu đồng một người một năm, ba lần một ngày, không phẩy năm mi li lít một con',
    ],
    [
      'Ban CHQS xã, công tác DS-KHHGĐ, Đoàn TN',
      'ban chỉ huy quân sự xã, công tác dân số kế hoạch hóa gia đình, đoàn thanh niên',
    ],
  ])('%s', (written, spoken) => expect(sure(written)).toBe(spoken));

  it('reports an hour written with g that nothing decides, and a dash between numbered places', () => {
    expect(normalizeVietnameseDetailed('Tập trung 9g.')).toEqual({
      spoken: 'tập trung chín giờ.',
      uncertain: [expect.objectContaining({ why: 'hour_or_weight' })],
    });
    expect(normalizeVietnameseDetailed('Thôn 1-2 mất điện')).toEqual({
      spoken: 'thôn một đến hai mất điện',
      uncertain: [expect.objectContaining({ text: '1-2', why: 'numbered_range' })],
    });
  });
});
