/**
 * Examples for the operations people call first, by operationId (operationIdOf in openapi.ts):
 * the request body and the answers, as the controller really gives them (taken from a running
 * controller, then given a commune's own words). One story runs through them, so that the ids
 * match from call to call: the cultural officer (cán bộ văn hoá) uploads the vaccination notice,
 * broadcasts it to Thôn Đông and Thôn Đoài, follows who heard it, puts it on the week's
 * programme; the chairman approves a bulletin; the month's
 * report counts it all. Kept here, not beside each route, so the story reads in one place;
 * redocly checks each one against its schema (tests/integration/openapi-validators.test.ts), so
 * they cannot drift from the API unnoticed. This file: accounts, media, receivers, broadcasts,
 * coverage, live, health; openapi-examples-programme.ts the programme, bulletins, reports and
 * webhooks.
 */
export const MEDIA = '0b6f3a52-8c1e-4d5a-9f2b-7c1d2e3f4a5b';
const BROADCAST = '3c1e8f4a-7b2d-4e9a-8c5f-1a2b3c4d5e6f';
const WHOLE_COMMUNE = '5d2f9a6b-8c3e-4f1a-9d6b-2b3c4d5e6f70';
const CONFIRMATION = '7e4a1b8c-9d5f-4a2b-8e7c-3c4d5e6f7081';
export const OFFICER = 'can-bo-van-hoa';
export const CHAIRMAN = 'chu-tich-xa';
export const NOTICE = 'Thông báo lịch tiêm phòng';
export const NOTICE_TEXT =
  'Trạm y tế xã thông báo: sáng thứ Bảy ngày 7 tháng 3, tiêm phòng cho trẻ em dưới 5 tuổi tại nhà văn hoá thôn Đông.';

export interface OperationExample {
  /** The JSON request body (or the only media type's). */
  request?: unknown;
  /** The answers, by status code. */
  responses?: Record<string, unknown>;
}

const receiver = (id: string, hamlet_id: string, name: string, online: boolean, lat: number, lon: number) => ({
  id,
  hamlet_id,
  name,
  enrolled: true,
  enrolled_at: '2026-01-06T03:00:00.000Z',
  revoked_at: null,
  status: online ? 'online' : 'offline',
  status_at: online ? '2026-03-02T01:29:12.000Z' : '2026-03-01T22:41:05.000Z',
  agent_version: '0.1.0',
  lat,
  lon,
  telemetry: online
    ? { at: '2026-03-02T01:29:12.000Z', uptime_s: 412300, rssi_dbm: -71, network: '4G', supply_v: 12.4 }
    : null,
  created_at: '2026-01-06T02:55:00.000Z',
});
const RECEIVERS = [
  receiver('loa-dong-01', 'thon-1', 'Cụm loa nhà văn hoá thôn Đông', true, 21.0291, 105.8533),
  receiver('loa-doai-01', 'thon-2', 'Cụm loa đình thôn Đoài', true, 21.0263, 105.8478),
  receiver('loa-nam-01', 'thon-3', 'Cụm loa chợ thôn Nam', false, 21.0219, 105.8551),
];

const broadcast = (id: string, at: string, expires: string, target: object, more: object = {}) => ({
  id,
  media_id: MEDIA,
  live_id: null,
  priority: 'normal',
  volume_pct: 80,
  target,
  source: 'manual',
  created_by: OFFICER,
  created_at: at,
  play_at: null,
  expires_at: expires,
  drill: false,
  repeat_count: 1,
  stopped_at: null,
  confirmed_by: null,
  ...more,
});
const SENT = broadcast(BROADCAST, '2026-03-02T01:30:00.000Z', '2026-03-02T01:45:00.000Z', {
  hamlet_ids: ['thon-1', 'thon-2'],
});
const SENT_TO_ALL = broadcast(
  WHOLE_COMMUNE,
  '2026-03-02T01:40:30.000Z',
  '2026-03-02T01:55:30.000Z',
  { all: true },
  {
    confirmed_by: OFFICER,
  },
);

const hamletWhere = (hamlet_id: string, name: string, offline: string[] = []) => ({
  hamlet_id,
  name,
  receivers: 1,
  offline,
  never_connected: [],
  not_enrolled: [],
});
const CONFIRMATION_REQUIRED = {
  status: 'confirmation_required',
  confirmation: {
    id: CONFIRMATION,
    summary: 'Phát tin thường tới 3 cụm loa ở 3 thôn. Xác nhận trong 120 giây để phát.',
    summary_en: 'Broadcast a normal item to 3 receivers in 3 hamlets. Confirm within 120 seconds to send it.',
    requires_second_person: false,
    expires_at: '2026-03-02T01:42:00.000Z',
    confirm_url: `/api/broadcasts/confirmations/${CONFIRMATION}/confirm`,
    where: {
      hamlets: [
        hamletWhere('thon-1', 'Thôn Đông'),
        hamletWhere('thon-2', 'Thôn Đoài'),
        hamletWhere('thon-3', 'Thôn Nam', ['Cụm loa chợ thôn Nam']),
      ],
      without_receivers: [],
    },
    similar: { waiting: [], sent_at: null },
    listen_url: `/api/media/${MEDIA}/audio`,
  },
};

const totals = (n: number) => ({
  targeted: n,
  received: n,
  downloaded: n,
  started: n,
  finished: n,
  sent: 0,
  playing: 0,
  holding: 0,
  unfinished: 0,
  failed: 0,
  rejected: 0,
  waiting: 0,
  no_answer: 0,
  offline: 0,
  stopped: 0,
  preempted: 0,
});
const heard = (hamlet_id: string, name: string, households: number, population: number, r: string, rn: string) => ({
  hamlet_id,
  name,
  households,
  population,
  totals: totals(1),
  receivers: [
    {
      receiver_id: r,
      name: rn,
      outcome: 'finished',
      received_at: '2026-03-02T01:30:01.120Z',
      downloaded_at: '2026-03-02T01:30:02.480Z',
      started_at: '2026-03-02T01:30:03.000Z',
      finished_at: '2026-03-02T01:31:38.010Z',
      failed_at: null,
      reason: null,
      detail: null,
      restarted_at: null,
      cut_by_restart: false,
      silent_from: null,
      online: true,
      retrying: null,
    },
  ],
  reached: true,
});

export const BROADCASTING_EXAMPLES: Record<string, OperationExample> = {
  postAuthLogin: {
    request: { username: OFFICER, password: 'mật-khẩu-của-chị-Lan' },
    responses: {
      200: {
        user: {
          id: 'd4fa0715-e2b6-4f70-9dc1-8192a3b4c5d6',
          username: OFFICER,
          display_name: 'Nguyễn Thị Lan',
          role: 'operator',
          totp_enabled: false,
          locked_until: null,
          disabled: false,
          created_at: '2026-01-05T02:00:00.000Z',
        },
        csrf_token: 'q7Vd2mK9xLp4Rt8ZbN3sWc6Hf1Jy5GaE',
        expires_at: '2026-03-02T13:00:00.000Z',
      },
    },
  },
  postMedia: {
    responses: {
      202: {
        id: MEDIA,
        title: NOTICE,
        status: 'processing',
        progress_pct: 0,
        error_code: null,
        loudness_lufs: null,
        true_peak_dbtp: null,
        sha256: null,
        size_bytes: null,
        duration_ms: 95000,
        source_format: 'wav',
        created_by: OFFICER,
        created_at: '2026-03-02T01:15:00.000Z',
        origin: 'upload',
        file_name: 'thong-bao-lich-tiem-phong.wav',
      },
    },
  },
  getReceivers: { responses: { 200: RECEIVERS } },
  postReceivers: {
    request: { id: 'loa-nam-01', hamlet_id: 'thon-3', name: 'Cụm loa chợ thôn Nam' },
    responses: {
      201: {
        receiver: { ...RECEIVERS[2], status: 'unknown', status_at: null, agent_version: null, lat: null, lon: null },
        agent_config: {
          receiver_id: 'loa-nam-01',
          hamlet_id: 'thon-3',
          mqtt_url: 'mqtts://loa.xa.example.vn:8883',
          secret: 'UvIcmNN4alMzY6HQ-KijNQm9tvxvTb22v0rMx-doVKY',
          controller_public_keys: ['-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA…\n-----END PUBLIC KEY-----\n'],
          ack_signing_key: '(the receiver’s own Ed25519 private key, PEM)',
          state_dir: '/var/lib/truyen-thanh-agent',
          player: { kind: 'ffmpeg', output_format: 'alsa', output_device: 'default' },
          max_clock_skew_s: 120,
          telemetry_interval_s: 60,
          enrolled_at: '2026-01-06T03:00:00.000Z',
        },
      },
    },
  },
  postBroadcasts: {
    request: { media_id: MEDIA, target: { hamlet_ids: ['thon-1', 'thon-2'] }, volume_pct: 80 },
    responses: { 201: { ...SENT, targeted_receivers: 2, recorded: true }, 202: CONFIRMATION_REQUIRED },
  },
  getBroadcasts: {
    responses: {
      200: [
        { ...SENT_TO_ALL, title: NOTICE, stopped_at: '2026-03-02T01:41:00.000Z' },
        { ...SENT, title: NOTICE },
      ],
    },
  },
  postBroadcastsConfirmationsByIdConfirm: {
    responses: { 201: { ...SENT_TO_ALL, targeted_receivers: 3, recorded: true } },
  },
  postBroadcastsByIdStop: {
    responses: {
      202: { command_ids: ['1f0e2d3c-4b5a-4697-8a8b-9c0d1e2f3a4b', '2a1b0c9d-8e7f-4a6b-9c5d-4e3f2a1b0c9d'] },
    },
  },
  postBroadcastsStop: {
    request: { hamlet_ids: ['thon-1'] },
    responses: {
      202: {
        command_ids: ['3b2c1d0e-9f8a-4b7c-8d6e-5f4a3b2c1d0e'],
        hamlets: ['thon-1'],
        receivers: 3,
        hamlets_without_receivers: [],
      },
    },
  },
  getBroadcastsByIdCoverage: {
    responses: {
      200: {
        broadcast_id: BROADCAST,
        expires_at: SENT.expires_at,
        complete: true,
        totals: totals(2),
        hamlets_targeted: 2,
        without_receivers: [],
        hamlets_reached: 2,
        households_reached: 180,
        hamlets: [
          heard('thon-1', 'Thôn Đông', 100, 400, 'loa-dong-01', 'Cụm loa nhà văn hoá thôn Đông'),
          heard('thon-2', 'Thôn Đoài', 80, 300, 'loa-doai-01', 'Cụm loa đình thôn Đoài'),
        ],
      },
    },
  },
  getSystemHealth: { responses: { 200: { ok: true, mqtt_connected: true } } },
  getHealthAlerts: {
    responses: {
      200: [
        {
          id: '4c3d2e1f-0a9b-4c8d-9e7f-6a5b4c3d2e1f',
          receiver_id: 'loa-nam-01',
          rule: 'offline',
          state: 'open',
          detail: 'offline since 2026-03-01T22:41:05.000Z',
          opened_at: '2026-03-01T22:51:05.000Z',
          acknowledged_at: null,
          acknowledged_by: null,
          resolved_at: null,
        },
      ],
    },
  },
  postLive: {
    request: { title: 'Thông báo khẩn của UBND xã' },
    responses: {
      201: {
        id: '6d5e4f3a-2b1c-4d0e-8f9a-8b7c6d5e4f3a',
        title: 'Thông báo khẩn của UBND xã',
        source: 'voice',
        source_url: null,
        status: 'waiting',
        started_by: OFFICER,
        started_at: '2026-03-02T04:00:00.000Z',
        ended_at: null,
        listeners: 0,
      },
    },
  },
};
