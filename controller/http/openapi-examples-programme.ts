/**
 * Examples of the programme's, the bulletins', the reports' and the webhooks' operations, in the
 * story openapi-examples.ts tells (its ids, people and notice): see there.
 */
import { CHAIRMAN, MEDIA, NOTICE, NOTICE_TEXT, OFFICER, type OperationExample } from './openapi-examples.js';

const SCHEDULE = '9f6b3c0d-ae71-4b3c-9f8d-4d5e6f708192';
const PLAYLIST = 'a1c7d4e2-bf83-4c4d-8a9e-5e6f708192a3';
const BULLETIN = 'b2d8e5f3-c094-4d5e-9baf-6f708192a3b4';
const BULLETIN_MEDIA = 'c3e9f604-d1a5-4e6f-8cb0-708192a3b4c5';

const SCHEDULE_ROW = {
  id: SCHEDULE,
  enabled: true,
  created_by: OFFICER,
  created_at: '2026-03-02T02:00:00.000Z',
  updated_at: '2026-03-02T02:00:00.000Z',
  name: 'Bản tin sức khoẻ sáng thứ Hai, Tư, Sáu',
  media_id: MEDIA,
  target: { hamlet_ids: ['thon-1', 'thon-2'] },
  priority: 'normal',
  category: 'health',
  volume_pct: 80,
  start_time: '06:30',
  recurrence: { kind: 'weekly', weekdays: [1, 3, 5] },
  missed: { policy: 'play_late', grace_min: 15 },
  on_preempt: 'resume',
  timezone: 'Asia/Ho_Chi_Minh',
  next: { at: '2026-03-03T23:30:00.000Z', local_date: '2026-03-04', lunar: { day: 16, month: 1, leap: false } },
};

const playlist = (name: string, title: string | null) => ({
  id: PLAYLIST,
  name,
  opening_media_id: null,
  closing_media_id: null,
  rendered_media_id: null,
  rendered_key: null,
  created_by: OFFICER,
  created_at: '2026-03-02T02:10:00.000Z',
  updated_at: '2026-03-02T02:10:00.000Z',
  items: [{ position: 1, media_id: MEDIA, title, bulletin_id: null }],
  duration_ms: 95430,
});

const M3U = `#EXTM3U\n#EXTINF:95,${NOTICE}\nthong-bao-lich-tiem-phong.wav\n`;

const bulletin = (status: string, more: object = {}) => ({
  id: BULLETIN,
  title: NOTICE,
  category: 'health',
  text: NOTICE_TEXT,
  recorded_media_id: null,
  voice: null,
  engine: null,
  speed: 1,
  chime: 1,
  repeat: 1,
  status,
  reject_reason: null,
  media_id: null,
  created_by: OFFICER,
  created_at: '2026-03-02T02:20:00.000Z',
  updated_at: '2026-03-02T02:20:00.000Z',
  submitted_at: null,
  decided_by: null,
  decided_at: null,
  last_broadcast_id: null,
  public: null,
  ...more,
});

const week = (n: number, from: string, health: number, missing: string[] = []) => ({
  week: `${n}/2026`,
  from,
  categories: { commune_notice: 2, health, agriculture: missing.includes('agriculture') ? 0 : 1 },
  missing,
  status: missing.length ? 'missing' : 'met',
});
/** A period report's broadcasts and minutes: on air, of which heard and only sent (a bridge). */
const minutes = (broadcasts: number, onAir: number, sentOnly = 0) => ({
  broadcasts,
  minutes: onAir,
  minutes_heard: onAir - sentOnly,
  minutes_sent_only: sentOnly,
});

export const PROGRAMME_EXAMPLES: Record<string, OperationExample> = {
  postSchedules: {
    request: {
      name: SCHEDULE_ROW.name,
      media_id: MEDIA,
      target: { hamlet_ids: ['thon-1', 'thon-2'] },
      category: 'health',
      start_time: '06:30',
      recurrence: { kind: 'weekly', weekdays: [1, 3, 5] },
    },
    responses: { 201: { schedule: SCHEDULE_ROW, warnings: [] } },
  },
  getSchedules: { responses: { 200: [SCHEDULE_ROW] } },
  postPlaylists: {
    request: { name: 'Chương trình buổi sáng', items: [{ media_id: MEDIA }] },
    responses: { 201: playlist('Chương trình buổi sáng', null) },
  },
  postPlaylistsImport: {
    request: { name: 'Chương trình buổi chiều', m3u: M3U },
    responses: { 201: playlist('Chương trình buổi chiều', NOTICE) },
  },
  postPlaylistsImportFile: { responses: { 201: playlist('Chương trình buổi tối', NOTICE) } },
  postBulletins: {
    request: { title: NOTICE, category: 'health', text: NOTICE_TEXT, repeat: 1 },
    responses: { 201: bulletin('draft') },
  },
  postBulletinsByIdApprove: {
    responses: {
      200: bulletin('approved', {
        media_id: BULLETIN_MEDIA,
        updated_at: '2026-03-02T02:40:00.000Z',
        submitted_at: '2026-03-02T02:25:00.000Z',
        decided_by: CHAIRMAN,
        decided_at: '2026-03-02T02:40:00.000Z',
      }),
    },
  },
  postBulletinsByIdBroadcast: {
    request: { target: { hamlet_ids: ['thon-1'] } },
    responses: {
      201: {
        broadcast_id: 'e2f3a4b5-c6d7-4e8f-9a0b-1c2d3e4f5a6b',
        targeted_receivers: 1,
        publication: {
          status: 'published',
          publication_id: 'f61c2937-04d8-4192-9fe3-a3b4c5d6e7f8',
          message: 'Đã đăng lên trang tin của xã, podcast và webhook (và Facebook, Zalo nếu đã bật).',
          message_en: "Published on the commune's page, podcast and webhooks (and Facebook, Zalo when switched on).",
        },
      },
    },
  },
  getReportsPeriod: {
    responses: {
      200: {
        period: {
          kind: 'month',
          from: '2026-02-28T17:00:00.000Z',
          to: '2026-03-31T17:00:00.000Z',
          timezone: 'Asia/Ho_Chi_Minh',
          label: 'tháng 3/2026',
          label_en: 'March 2026',
          slug: 'thang-3-2026',
        },
        generated_at: '2026-04-01T01:00:00.000Z',
        totals: {
          broadcasts: 42,
          not_aired: 1,
          under_way: 0,
          stopped: 1,
          drills: 1,
          minutes: 118.5,
          minutes_heard: 112.5,
          minutes_sent_only: 6,
          receivers_targeted: 115,
          receivers_finished: 109,
          receivers_sent: 1,
          households_reached_per_broadcast: 214,
          households_total: 240,
        },
        by_category: {
          commune_notice: minutes(12, 30.5),
          health: minutes(18, 52, 6),
          agriculture: minutes(5, 20),
          law: minutes(4, 9),
          party_state_policy: minutes(3, 7),
        },
        by_priority: { normal: minutes(41, 116, 6), priority: minutes(1, 2.5) },
        by_source: { manual: minutes(10, 21), schedule: minutes(32, 97.5, 6) },
        weeks: [
          week(9, '2026-02-22T17:00:00.000Z', 3),
          week(10, '2026-03-01T17:00:00.000Z', 3),
          week(11, '2026-03-08T17:00:00.000Z', 3, ['agriculture']),
          week(12, '2026-03-15T17:00:00.000Z', 3),
          week(13, '2026-03-22T17:00:00.000Z', 3),
          week(14, '2026-03-29T17:00:00.000Z', 3),
        ],
        hamlets: [
          {
            hamlet_id: 'thon-1',
            name: 'Thôn Đông',
            households: 100,
            population: 400,
            receivers: 1,
            broadcasts: 44,
            reached: 41,
            not_reached: { sent: 1, no_receiver: 0, offline: 1, stopped: 1, failed: 0, waiting: 0 },
            share_played: 97.6,
          },
        ],
        receivers: [
          {
            receiver_id: 'loa-dong-01',
            hamlet_id: 'thon-1',
            hamlet: 'Thôn Đông',
            name: 'Cụm loa nhà văn hoá thôn Đông',
            enrolled: true,
            uptime_pct: 98.3,
          },
        ],
        urgent: [],
        integrity: {
          ok: true,
          acks_checked: 3412,
          acks_unchecked: 0,
          signed_head: 3412,
          audit_rows: 611,
          problems: 0,
          checked_at: '2026-04-01T00:55:00.000Z',
        },
      },
    },
  },
  postWebhooks: {
    request: { url: 'https://ubnd.xa.example.vn/hooks/truyen-thanh', description: 'Cổng thông tin điện tử xã' },
    responses: {
      201: {
        id: 'e50b1826-f3c7-4081-8ed2-92a3b4c5d6e7',
        url: 'https://ubnd.xa.example.vn/hooks/truyen-thanh',
        secret: 'eNMcJH26VUMEfpBihH0RBZeTb3px4qEkiI6tTp0RXNM',
        description: 'Cổng thông tin điện tử xã',
        created_by: 'admin',
        created_at: '2026-03-02T03:00:00.000Z',
        disabled_at: null,
      },
    },
  },
};
