/**
 * National holidays and commemorations a commune's programme follows: public holidays (Labour
 * Code 2019, art. 112) and the anniversaries the commune plan asks propaganda for. Lunar ones are
 * given on the lunar calendar; an operator schedules by id, optionally some days before.
 */
export interface Holiday {
  id: string;
  calendar: 'solar' | 'lunar';
  month: number;
  day: number;
  name_vi: string;
  name_en: string;
  public_holiday: boolean;
}

export const HOLIDAYS: readonly Holiday[] = [
  {
    id: 'tet-duong-lich',
    calendar: 'solar',
    month: 1,
    day: 1,
    name_vi: 'Tết Dương lịch',
    name_en: "New Year's Day",
    public_holiday: true,
  },
  {
    id: 'thanh-lap-dang',
    calendar: 'solar',
    month: 2,
    day: 3,
    name_vi: 'Ngày thành lập Đảng Cộng sản Việt Nam',
    name_en: 'Founding of the Communist Party of Viet Nam',
    public_holiday: false,
  },
  {
    id: 'giai-phong-mien-nam',
    calendar: 'solar',
    month: 4,
    day: 30,
    name_vi: 'Ngày Giải phóng miền Nam, thống nhất đất nước',
    name_en: 'Reunification Day',
    public_holiday: true,
  },
  {
    id: 'quoc-te-lao-dong',
    calendar: 'solar',
    month: 5,
    day: 1,
    name_vi: 'Ngày Quốc tế Lao động',
    name_en: 'International Labour Day',
    public_holiday: true,
  },
  {
    id: 'sinh-nhat-bac-ho',
    calendar: 'solar',
    month: 5,
    day: 19,
    name_vi: 'Ngày sinh Chủ tịch Hồ Chí Minh',
    name_en: "President Hồ Chí Minh's birthday",
    public_holiday: false,
  },
  {
    id: 'thuong-binh-liet-si',
    calendar: 'solar',
    month: 7,
    day: 27,
    name_vi: 'Ngày Thương binh - Liệt sĩ',
    name_en: "War Invalids and Martyrs' Day",
    public_holiday: false,
  },
  {
    id: 'quoc-khanh',
    calendar: 'solar',
    month: 9,
    day: 2,
    name_vi: 'Ngày Quốc khánh',
    name_en: 'National Day',
    public_holiday: true,
  },
  {
    id: 'phu-nu-viet-nam',
    calendar: 'solar',
    month: 10,
    day: 20,
    name_vi: 'Ngày Phụ nữ Việt Nam',
    name_en: "Vietnamese Women's Day",
    public_holiday: false,
  },
  {
    id: 'dai-doan-ket',
    calendar: 'solar',
    month: 11,
    day: 18,
    name_vi: 'Ngày hội Đại đoàn kết toàn dân tộc',
    name_en: 'Great National Unity Day',
    public_holiday: false,
  },
  {
    id: 'nha-giao-viet-nam',
    calendar: 'solar',
    month: 11,
    day: 20,
    name_vi: 'Ngày Nhà giáo Việt Nam',
    name_en: "Vietnamese Teachers' Day",
    public_holiday: false,
  },
  {
    id: 'quan-doi-nhan-dan',
    calendar: 'solar',
    month: 12,
    day: 22,
    name_vi: 'Ngày thành lập Quân đội nhân dân Việt Nam',
    name_en: "Vietnam People's Army Day",
    public_holiday: false,
  },
  {
    id: 'tet-nguyen-dan',
    calendar: 'lunar',
    month: 1,
    day: 1,
    name_vi: 'Tết Nguyên đán',
    name_en: 'Lunar New Year (Tết)',
    public_holiday: true,
  },
  {
    id: 'ram-thang-gieng',
    calendar: 'lunar',
    month: 1,
    day: 15,
    name_vi: 'Rằm tháng Giêng (Tết Nguyên tiêu)',
    name_en: 'First full moon (Lantern Festival)',
    public_holiday: false,
  },
  {
    id: 'gio-to-hung-vuong',
    calendar: 'lunar',
    month: 3,
    day: 10,
    name_vi: 'Giỗ Tổ Hùng Vương',
    name_en: 'Hùng Kings Commemoration Day',
    public_holiday: true,
  },
  {
    id: 'le-vu-lan',
    calendar: 'lunar',
    month: 7,
    day: 15,
    name_vi: 'Lễ Vu Lan',
    name_en: 'Vu Lan festival',
    public_holiday: false,
  },
  {
    id: 'tet-trung-thu',
    calendar: 'lunar',
    month: 8,
    day: 15,
    name_vi: 'Tết Trung thu',
    name_en: 'Mid-Autumn Festival',
    public_holiday: false,
  },
  {
    id: 'ong-cong-ong-tao',
    calendar: 'lunar',
    month: 12,
    day: 23,
    name_vi: 'Tết ông Công ông Táo',
    name_en: 'Kitchen Gods Day',
    public_holiday: false,
  },
];

export const holidayIds = HOLIDAYS.map((h) => h.id) as [string, ...string[]];
export const holidayById = (id: string) => HOLIDAYS.find((h) => h.id === id);
