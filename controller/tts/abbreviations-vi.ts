/**
 * Abbreviations of official notices and of the mass organisations that broadcast on the commune
 * network (CONTEXT.md: MTTQ, women, farmers, youth, veterans), matched as whole words, case as
 * written. Ones whose reading depends on the words around them (ĐT, TT, CT, ND, CP, HĐ, CĐ, CN) are
 * in abbreviations-context.ts; types and issuers of document numbers ("123/QĐ-UBND") are below.
 * A commune adds its own through NormalizeOptions.abbreviations; they win over this list.
 */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  // Party and State bodies, at every level still in use after the 2025 reform.
  UBND: 'ủy ban nhân dân', HĐND: 'hội đồng nhân dân', UBMTTQ: 'ủy ban mặt trận tổ quốc', MTTQ: 'mặt trận tổ quốc',
  UBMTTQVN: 'ủy ban mặt trận tổ quốc việt nam', MTTQVN: 'mặt trận tổ quốc việt nam', UB: 'ủy ban', ĐU: 'đảng ủy', ĐUX: 'đảng ủy xã',
  BCH: 'ban chấp hành', BTV: 'ban thường vụ', BCĐ: 'ban chỉ đạo', BQL: 'ban quản lý', BTC: 'ban tổ chức', BTG: 'ban tuyên giáo',
  BDV: 'ban dân vận', UBKT: 'ủy ban kiểm tra', TW: 'trung ương', BCHTW: 'ban chấp hành trung ương', BCT: 'bộ chính trị', BBT: 'ban bí thư',
  QH: 'quốc hội', UBTVQH: 'ủy ban thường vụ quốc hội', ĐBQH: 'đại biểu quốc hội', TTg: 'thủ tướng', TTCP: 'thủ tướng chính phủ',
  LHQ: 'liên hợp quốc', ĐCSVN: 'đảng cộng sản việt nam', CHXHCN: 'cộng hòa xã hội chủ nghĩa', XHCN: 'xã hội chủ nghĩa', VP: 'văn phòng',
  BTTTT: 'bộ thông tin và truyền thông', STTTT: 'sở thông tin và truyền thông', 'TT-BTTTT': 'thông tư bộ thông tin và truyền thông',
  'NĐ-CP': 'nghị định chính phủ', TAND: 'tòa án nhân dân', VKSND: 'viện kiểm sát nhân dân', TP: 'thành phố', VN: 'việt nam',
  // Mass organisations.
  LHPN: 'liên hiệp phụ nữ', HLHPN: 'hội liên hiệp phụ nữ', HPN: 'hội phụ nữ', PN: 'phụ nữ', HND: 'hội nông dân',
  CCB: 'cựu chiến binh', HCCB: 'hội cựu chiến binh', ĐTN: 'đoàn thanh niên', ĐTNCS: 'đoàn thanh niên cộng sản',
  TNCS: 'thanh niên cộng sản', HCM: 'hồ chí minh', ĐVTN: 'đoàn viên thanh niên', HLHTN: 'hội liên hiệp thanh niên',
  NCT: 'người cao tuổi', HNCT: 'hội người cao tuổi', CTĐ: 'chữ thập đỏ', HCTĐ: 'hội chữ thập đỏ', LĐLĐ: 'liên đoàn lao động',
  CĐCS: 'công đoàn cơ sở', TNXP: 'thanh niên xung phong', ĐV: 'đảng viên', CBCC: 'cán bộ công chức', CBCCVC: 'cán bộ công chức viên chức',
  // Documents, outside a document number.
  QĐ: 'quyết định', NĐ: 'nghị định', NQ: 'nghị quyết', KH: 'kế hoạch', TB: 'thông báo', CV: 'công văn', BC: 'báo cáo',
  TTr: 'tờ trình', KL: 'kết luận', HD: 'hướng dẫn',
  // Security, safety, disasters.
  CA: 'công an', CAX: 'công an xã', CAND: 'công an nhân dân', QĐND: 'quân đội nhân dân', QS: 'quân sự', BCHQS: 'ban chỉ huy quân sự',
  DQTV: 'dân quân tự vệ', LLVT: 'lực lượng vũ trang', NVQS: 'nghĩa vụ quân sự', CSGT: 'cảnh sát giao thông',
  PCCC: 'phòng cháy chữa cháy', CNCH: 'cứu nạn cứu hộ', 'PCCC&CNCH': 'phòng cháy chữa cháy và cứu nạn cứu hộ',
  PCTT: 'phòng chống thiên tai', TKCN: 'tìm kiếm cứu nạn', 'PCTT&TKCN': 'phòng chống thiên tai và tìm kiếm cứu nạn',
  ATGT: 'an toàn giao thông', ANTT: 'an ninh trật tự', 'QP-AN': 'quốc phòng an ninh', QPAN: 'quốc phòng an ninh', ANQP: 'an ninh quốc phòng',
  BĐKH: 'biến đổi khí hậu', CHQS: 'chỉ huy quân sự', BCHQSX: 'ban chỉ huy quân sự xã', TNXH: 'tệ nạn xã hội', VSMT: 'vệ sinh môi trường',
  // Health, insurance, social policy.
  BHYT: 'bảo hiểm y tế', BHXH: 'bảo hiểm xã hội', BHTN: 'bảo hiểm thất nghiệp', TYT: 'trạm y tế', TTYT: 'trung tâm y tế',
  BV: 'bệnh viện', KCB: 'khám chữa bệnh', ATTP: 'an toàn thực phẩm', VSATTP: 'vệ sinh an toàn thực phẩm', SXH: 'sốt xuất huyết',
  TCM: 'tay chân miệng', LMLM: 'lở mồm long móng', CSXH: 'chính sách xã hội', NHCSXH: 'ngân hàng chính sách xã hội',
  LĐTBXH: 'lao động thương binh và xã hội', 'LĐ-TB&XH': 'lao động thương binh và xã hội', NLĐ: 'người lao động',
  // Education, culture, the economy, land.
  GDTX: 'giáo dục thường xuyên', 'DS-KHHGĐ': 'dân số kế hoạch hóa gia đình', KHHGĐ: 'kế hoạch hóa gia đình', TN: 'thanh niên', TX: 'thị xã',
  THCS: 'trung học cơ sở', THPT: 'trung học phổ thông', MN: 'mầm non', HS: 'học sinh', HSSV: 'học sinh sinh viên', GV: 'giáo viên',
  'GD&ĐT': 'giáo dục và đào tạo', GDĐT: 'giáo dục và đào tạo', CLB: 'câu lạc bộ', GĐVH: 'gia đình văn hóa', KDC: 'khu dân cư',
  VHTT: 'văn hóa thông tin', 'VH-XH': 'văn hóa xã hội', VHXH: 'văn hóa xã hội', TDTT: 'thể dục thể thao',
  HTX: 'hợp tác xã', NTM: 'nông thôn mới', DN: 'doanh nghiệp', SXKD: 'sản xuất kinh doanh', 'KT-XH': 'kinh tế xã hội', KTXH: 'kinh tế xã hội',
  'TN&MT': 'tài nguyên và môi trường', TNMT: 'tài nguyên và môi trường', 'NN&PTNT': 'nông nghiệp và phát triển nông thôn',
  NNPTNT: 'nông nghiệp và phát triển nông thôn', GPMB: 'giải phóng mặt bằng', QSDĐ: 'quyền sử dụng đất',
  GCNQSDĐ: 'giấy chứng nhận quyền sử dụng đất', CCCD: 'căn cước công dân', CMND: 'chứng minh nhân dân', SĐT: 'số điện thoại',
  QL: 'quốc lộ', ĐH: 'đại học', BTXM: 'bê tông xi măng', XKLĐ: 'xuất khẩu lao động', TĐKT: 'thi đua khen thưởng', 'CNH-HĐH': 'công nghiệp hóa hiện đại hóa',
  // Titles.
  PCT: 'phó chủ tịch', PBT: 'phó bí thư', GS: 'giáo sư', PGS: 'phó giáo sư', TS: 'tiến sĩ', ThS: 'thạc sĩ', BS: 'bác sĩ',
  // Money, and a few names said as words rather than letters.
  Đ: 'đồng', VNĐ: 'việt nam đồng', VND: 'việt nam đồng', USD: 'đô la mỹ', ĐVT: 'đơn vị tính',
  VNeID: 'vê en e ai đi', SARS: 'sa', 'SARS-CoV-2': 'sa cô vi hai', OCOP: 'ô cốp', VietGAP: 'việt gáp', COVID: 'cô vít', ASEAN: 'a xê an', VOV: 'vê ô vê', VTV: 'vê tê vê',
};

/** The first part after the slash of a document number: what kind of document it is. */
export const DOCUMENT_TYPES: Readonly<Record<string, string>> = {
  QĐ: 'quyết định', NĐ: 'nghị định', NQ: 'nghị quyết', CT: 'chỉ thị', TT: 'thông tư', TTLT: 'thông tư liên tịch', KH: 'kế hoạch',
  TB: 'thông báo', BC: 'báo cáo', CV: 'công văn', TTr: 'tờ trình', GM: 'giấy mời', HD: 'hướng dẫn', CĐ: 'công điện', KL: 'kết luận',
  QC: 'quy chế', QyĐ: 'quy định', BB: 'biên bản', GP: 'giấy phép', GXN: 'giấy xác nhận', GCN: 'giấy chứng nhận', HĐ: 'hợp đồng',
  PA: 'phương án', ĐA: 'đề án', CTr: 'chương trình', DS: 'danh sách', L: 'luật', PL: 'pháp lệnh', UBTVQH: 'ủy ban thường vụ quốc hội',
};

/** Issuers after the type ("NĐ-CP", "QĐ-TTg", "TT-BTC"); inside a document number they win over the list above. */
export const DOCUMENT_ISSUERS: Readonly<Record<string, string>> = {
  CP: 'chính phủ', TTg: 'thủ tướng', VPCP: 'văn phòng chính phủ', BNV: 'bộ nội vụ', BTC: 'bộ tài chính', BYT: 'bộ y tế',
  BCA: 'bộ công an', BQP: 'bộ quốc phòng', BGDĐT: 'bộ giáo dục và đào tạo', BNNPTNT: 'bộ nông nghiệp và phát triển nông thôn',
  BNNMT: 'bộ nông nghiệp và môi trường', BVHTTDL: 'bộ văn hóa thể thao và du lịch', BKHCN: 'bộ khoa học và công nghệ',
  BCT: 'bộ công thương', BXD: 'bộ xây dựng', BTP: 'bộ tư pháp', BNG: 'bộ ngoại giao', BTNMT: 'bộ tài nguyên và môi trường',
  BLĐTBXH: 'bộ lao động thương binh và xã hội', BKHĐT: 'bộ kế hoạch và đầu tư', BGTVT: 'bộ giao thông vận tải',
  BTTTT: 'bộ thông tin và truyền thông', BDTTG: 'bộ dân tộc và tôn giáo', UBDT: 'ủy ban dân tộc', NHNN: 'ngân hàng nhà nước',
  TTCP: 'thanh tra chính phủ', VKSNDTC: 'viện kiểm sát nhân dân tối cao', TANDTC: 'tòa án nhân dân tối cao',
  TU: 'tỉnh ủy', ĐU: 'đảng ủy', ĐĐ: 'đảng đoàn', BTV: 'ban thường vụ', TTHĐND: 'thường trực hội đồng nhân dân',
};
