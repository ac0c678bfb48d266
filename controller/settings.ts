/**
 * Controller settings: one zod schema with safe defaults, read from a YAML file and then
 * overridden by TT_* environment variables. Nothing here is a secret: secrets (signing key,
 * admin token, broker passwords) live in files under data_dir/secrets, created at first start.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { idSchema } from './protocol/messages.js';

const receiverSeedSchema = z.object({
  id: idSchema,
  name: z.string().min(1).max(120),
});

const hamletSeedSchema = z.object({
  id: idSchema,
  name: z.string().min(1).max(120),
  households: z.number().int().nonnegative().default(0),
  population: z.number().int().nonnegative().default(0),
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  receivers: z.array(receiverSeedSchema).default([]),
});

/** Apple Podcasts' top-level categories, spelled as itunes:category must spell them. */
const APPLE_PODCAST_CATEGORIES = [
  'Arts',
  'Business',
  'Comedy',
  'Education',
  'Fiction',
  'Government',
  'Health & Fitness',
  'History',
  'Kids & Family',
  'Leisure',
  'Music',
  'News',
  'Religion & Spirituality',
  'Science',
  'Society & Culture',
  'Sports',
  'Technology',
  'True Crime',
  'TV & Film',
] as const;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, local wall time');

export const settingsSchema = z.object({
  commune: z.object({
    id: idSchema,
    name: z.string().min(1),
    timezone: z.string().default('Asia/Ho_Chi_Minh'),
  }),
  hamlets: z.array(hamletSeedSchema).default([]),
  data_dir: z.string().default('./data'),
  http: z
    .object({
      host: z.string().default('0.0.0.0'),
      port: z.number().int().min(0).max(65535).default(8080),
      /** The base URL receivers use to download media; derived from host and port when empty. */
      public_url: z.url().nullable().default(null),
      /** PEM files; when both are set the API is served over HTTPS only. */
      tls_cert_file: z.string().nullable().default(null),
      tls_key_file: z.string().nullable().default(null),
      /** Trust X-Forwarded-For from a reverse proxy (its address, or true for any). */
      trust_proxy: z.union([z.boolean(), z.string()]).default(false),
    })
    .prefault({}),
  /** A CA certificate (PEM) to hand to receivers at enrolment, for a self-signed deployment. */
  tls_ca_file: z.string().nullable().default(null),
  mqtt: z
    .object({
      /** An external broker (mqtt:// or mqtts://); when set, the embedded broker is not started. */
      external_url: z.string().nullable().default(null),
      /** The controller's own broker account on an external broker. */
      external_username: z.string().nullable().default(null),
      external_password_file: z.string().nullable().default(null),
      embedded_host: z.string().default('0.0.0.0'),
      embedded_port: z.number().int().min(0).max(65535).default(1883),
      /**
       * With an external Mosquitto: the folder where the controller keeps its password and ACL
       * files (and finds mosquitto.pid to make it reload them). Make them first with
       * `npm run admin -- mosquitto --out DIR`.
       */
      mosquitto_dir: z.string().nullable().default(null),
      /** PEM files; when both are set the embedded broker speaks MQTT over TLS only (mqtts). */
      tls_cert_file: z.string().nullable().default(null),
      tls_key_file: z.string().nullable().default(null),
      /** The URL written into receivers' agent configs; derived when empty. */
      public_url: z.string().nullable().default(null),
    })
    .prefault({}),
  media: z
    .object({
      max_upload_mb: z.number().positive().default(100),
      max_duration_s: z.number().positive().default(3600),
      loudness_lufs: z.number().min(-40).max(-5).default(-16),
      true_peak_db: z.number().min(-9).max(0).default(-1.5),
      bitrate_kbps: z.number().int().min(32).max(320).default(64),
      /** A transcode running longer than this is killed. */
      ffmpeg_timeout_s: z.number().int().positive().default(600),
      /** How long the signed audio links in an exported playlist (.m3u8) play without an account (media-links.ts). */
      link_valid_hours: z
        .number()
        .int()
        .min(1)
        .max(24 * 90)
        .default(24 * 7),
    })
    .prefault({}),
  broadcasts: z
    .object({
      default_expiry_s: z.number().int().min(10).max(86_400).default(900),
      max_expiry_s: z
        .number()
        .int()
        .min(10)
        .max(7 * 86_400)
        .default(86_400),
      /** A broadcast's play_at may lie at most this far ahead (further: make a schedule). */
      max_ahead_hours: z
        .number()
        .int()
        .min(1)
        .max(24 * 31)
        .default(48),
      /** Normal and priority items never play louder than this (people complain about noise). */
      max_volume_pct: z.number().int().min(0).max(100).default(85),
      /** Local wall times (commune.timezone) when only an emergency may sound; null: none. */
      quiet_hours: z
        .object({
          start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
          end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
        })
        .nullable()
        .default({ start: '21:30', end: '05:30' }),
      /** Volume ceilings by time of day for normal and priority items, e.g. [{ from: "05:00", to: "06:30", max_pct: 70 }]. */
      volume_caps: z.array(z.object({ from: hhmm, to: hhmm, max_pct: z.number().int().min(0).max(100) })).default([]),
    })
    .prefault({}),
  publishing: z
    .object({
      /** Urgent and emergency bulletins lead the feed and the public page this long after they are broadcast. */
      urgent_valid_hours: z
        .number()
        .positive()
        .max(24 * 30)
        .default(24),
      /** Items in each feed and on the page. */
      feed_items: z.number().int().min(1).max(500).default(50),
      /** What podcast directories (Apple Podcasts, Podcast Index) read of the show: feeds.ts. */
      podcast: z
        .object({
          /** Cover art: a square JPEG or PNG of 1400 to 3000 px (Apple's rule); null: the default shipped with the controller. */
          cover_image_file: z.string().nullable().default(null),
          /** itunes:owner, whom Apple writes to; empty name: "UBND" + the commune's name. Apple verifies a show by the email: set it before submitting. */
          owner_name: z.string().max(200).default(''),
          owner_email: z.email().nullable().default(null),
          /** One of Apple Podcasts' categories, and optionally one of its subcategories (e.g. News / Daily News). */
          category: z.enum(APPLE_PODCAST_CATEGORIES).default('Government'),
          subcategory: z.string().min(1).max(100).nullable().default(null),
        })
        .prefault({}),
      /** How long a webhook, the fanpage or Zalo may take to answer one request. */
      webhook_timeout_s: z.number().int().min(1).max(120).default(10),
      /**
       * Attempts before a delivery (to a webhook, the fanpage or the Zalo OA) is marked failed
       * (backoff 10 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h).
       */
      webhook_max_attempts: z.number().int().min(1).max(8).default(8),
      /**
       * Post public bulletins on the commune's Facebook Page (Graph API page posts); null: off.
       * The Page access token (with pages_manage_posts) is read from token_file, or env
       * TT_FACEBOOK_TOKEN; never written here.
       */
      facebook: z
        .object({
          page_id: z
            .string()
            .regex(/^\d{5,30}$/, "the Page id: digits, as Facebook shows it in the Page's About / Page transparency"),
          token_file: z.string().nullable().default(null),
          /** The Graph API with its version, as the Pages API guide calls it. */
          graph_url: z.url().default('https://graph.facebook.com/v25.0'),
        })
        .nullable()
        .default(null),
      /**
       * Publish public bulletins as articles of the commune's Zalo Official Account; null: off.
       * The OA access token is read from token_file, or env TT_ZALO_TOKEN; never written here.
       */
      zalo: z
        .object({
          token_file: z.string().nullable().default(null),
          api_url: z.url().default('https://openapi.zalo.me'),
          /** A Zalo article must have a cover photo: the commune's picture (a public https JPG/PNG, at most 1 MB). */
          cover_photo_url: z.url(),
          /** The article's author line (Zalo allows 50 characters); empty: "UBND" + the commune's name. */
          author: z.string().max(50).default(''),
        })
        .nullable()
        .default(null),
    })
    .prefault({}),
  console: z
    .object({
      /** Map tiles for the receivers' map, e.g. "https://tile.openstreetmap.org/{z}/{x}/{y}.png"; null: the map draws without tiles. */
      tile_url: z
        .string()
        .regex(/^https?:\/\/[^/]+\/.*\{z\}.*\{x\}.*\{y\}/, 'a URL template with {z}, {x} and {y}')
        .nullable()
        .default(null),
      /** Bulletins per category a week the commune plan asks for (the dashboard compares); e.g. { health: 1, law: 1 }. */
      weekly_targets: z
        .record(z.string(), z.number().int().min(0).max(100))
        .default({ party_state_policy: 1, law: 1, commune_notice: 1, health: 1, agriculture: 1 }),
    })
    .prefault({}),
  reporting: z
    .object({
      /** The provincial source-information system's endpoint for activity reports (tt-activity/1); null: none. */
      provincial_url: z.string().nullable().default(null),
      /** A file holding the bearer token the province gave (or env TT_PROVINCIAL_TOKEN). */
      token_file: z.string().nullable().default(null),
      max_attempts: z.number().int().min(1).max(20).default(12),
      timeout_s: z.number().int().min(1).max(300).default(30),
      /**
       * How the report documents (PDF, DOCX) are headed and signed, as Decree 30/2020/NĐ-CP lays out
       * an administrative report: the body above the issuer, the issuer, the number's symbol, the
       * place on the date line, the signer, and who receives it. Empty: taken from the commune's name.
       */
      document: z
        .object({
          parent_body: z.string().max(200).default(''),
          issuer: z.string().max(200).default(''),
          number_symbol: z.string().max(40).default('BC-UBND'),
          place: z.string().max(100).default(''),
          /** Lines split by \n: "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", or "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH". */
          signer_title: z.string().max(100).default('TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH'),
          signer_name: z.string().max(100).default(''),
          recipients: z.array(z.string().max(200)).max(12).default(['UBND huyện (để báo cáo)', 'Lưu: VT']),
        })
        .prefault({}),
    })
    .prefault({}),
  proof: z
    .object({
      /**
       * A directory on another disk or share (a USB stick, a network mount) where every signed head
       * and key change is appended (anchors.jsonl): a copy the database's owner cannot quietly
       * change. null: none (receivers and upward reports still keep copies).
       */
      witness_dir: z.string().nullable().default(null),
      /** A URL every signed head and key change is POSTed to as JSON (the province's collector, a second store). */
      witness_url: z.url().nullable().default(null),
    })
    .prefault({}),
  programme: z
    .object({
      /** Occurrences are computed and sent to receivers this far ahead (receivers then play them offline). */
      horizon_hours: z.number().int().min(1).max(168).default(48),
      /** How often the scheduler looks for work. */
      tick_s: z.number().int().min(1).max(300).default(30),
      /** How far ahead a new schedule is checked for conflicts and quiet hours. */
      check_days: z.number().int().min(1).max(366).default(14),
    })
    .prefault({}),
  delivery: z
    .object({
      /** Receivers that have not answered a broadcast (other than an emergency) after this long are sent it again, until its window closes. */
      retry_after_s: z.number().int().min(1).max(3600).default(60),
      /** A gap in a receiver's ack numbers still open after this long is asked for again (resend_acks). */
      ack_gap_wait_s: z.number().int().min(1).max(3600).default(30),
    })
    .prefault({}),
  emergency: z
    .object({
      /** Emergencies may go up to this volume, and play at it unless told otherwise. */
      max_volume_pct: z.number().int().min(0).max(100).default(100),
      repeat_count: z.number().int().min(1).max(10).default(3),
      repeat_interval_s: z.number().int().min(0).max(600).default(10),
      /** Whole-commune broadcasts need a second confirmation too. */
      confirm_whole_commune: z.boolean().default(true),
      /** An emergency must be confirmed by a second person holding the emergency permission. */
      second_person: z.boolean().default(false),
      confirmation_ttl_s: z.number().int().min(10).max(3600).default(120),
      /** Receivers that have not answered an emergency after this long are sent it again, and again, until its window closes. */
      retry_after_s: z.number().int().min(1).max(600).default(20),
      /** No longer used (re-sends go on until the command's window closes); accepted so older configs still load. */
      max_retries: z.number().int().min(0).max(10).optional(),
      drill_preamble: z.string().default('Đây là bản tin diễn tập. Đây không phải tình huống thật.'),
      correction_text: z
        .string()
        .default('Thông báo vừa phát là nhầm lẫn, đã được hủy bỏ. Đề nghị bà con bỏ qua thông báo đó. Xin lỗi bà con.'),
    })
    .prefault({}),
  tts: z
    .object({
      /** espeak (offline, default) or a cloud voice: fpt, viettel, zalo, vbee. */
      engine: z.enum(['espeak', 'fpt', 'viettel', 'zalo', 'vbee']).default('espeak'),
      voice: z.string().nullable().default(null),
      speed: z.number().min(0.5).max(2).default(1),
      chime: z.boolean().default(true),
      /** A chime of your own (any audio file); a two-tone chime is made when null. */
      chime_file: z.string().nullable().default(null),
      max_chars: z.number().int().min(100).max(20_000).default(5000),
      /**
       * Announcement pace: `speed` is multiplied by this for every voice not in rate_by_voice.
       * Loudspeakers outdoors, echoing between houses, need slower than conversation.
       */
      loudspeaker_rate: z.number().min(0.5).max(1.5).default(0.9),
      /** The rate by voice id, or by engine id for all its voices, in place of loudspeaker_rate: { vi: 0.85, banmai: 0.95 }. */
      rate_by_voice: z.record(z.string().min(1).max(80), z.number().min(0.5).max(1.5)).default({}),
      /** Announcement pauses at sentences, clauses, lines, list items, paragraphs and before "xin nhắc lại"; numbers, dates, times and names read slower. */
      prosody: z
        .object({
          /** false: only the voice's own pauses (loudspeaker_rate still applies). */
          enabled: z.boolean().default(true),
          /** Numbers, dates, times and names are read at this fraction of the rate. */
          slow_rate: z.number().min(0.5).max(1).default(0.85),
          /** Silence in ms at each boundary; espeak-ng keeps its own pause where that is longer. */
          pauses_ms: z
            .object({
              comma: z.number().int().min(0).max(5000).default(300),
              semicolon: z.number().int().min(0).max(5000).default(450),
              colon: z.number().int().min(0).max(5000).default(500),
              sentence: z.number().int().min(0).max(5000).default(800),
              line: z.number().int().min(0).max(5000).default(800),
              list_item: z.number().int().min(0).max(5000).default(600),
              paragraph: z.number().int().min(0).max(5000).default(1200),
              repeat: z.number().int().min(0).max(5000).default(1500),
              number: z.number().int().min(0).max(5000).default(120),
            })
            .prefault({}),
        })
        .prefault({}),
      /** The commune's own abbreviations and how to read them (win over the built-in list): { HTX: 'hợp tác xã' }. */
      abbreviations: z.record(z.string().min(1).max(40), z.string().min(1).max(200)).default({}),
      timeout_s: z.number().positive().default(30),
      /** Cloud voices: base URL and the file holding the key (or env TT_<ENGINE>_API_KEY). */
      fpt: z
        .object({
          base_url: z.string().default('https://api.fpt.ai'),
          api_key_file: z.string().nullable().default(null),
        })
        .prefault({}),
      viettel: z
        .object({
          base_url: z.string().default('https://viettelai.vn'),
          api_key_file: z.string().nullable().default(null),
        })
        .prefault({}),
      zalo: z
        .object({
          base_url: z.string().default('https://api.zalo.ai'),
          api_key_file: z.string().nullable().default(null),
        })
        .prefault({}),
      vbee: z
        .object({
          base_url: z.string().default('https://vbee.vn'),
          api_key_file: z.string().nullable().default(null),
          app_id: z.string().nullable().default(null),
        })
        .prefault({}),
    })
    .prefault({}),
  cap: z
    .object({
      /** CAP geocode values that mean this commune (every hamlet), e.g. its administrative code. */
      geocodes: z.array(z.string()).default([]),
      /** Alerts from these senders (CAP <sender>) play on their own; any other sender's wait for a person's confirmation. */
      trusted_senders: z.array(z.string()).default([]),
      /** An alert whose chosen <info> has no <expires> is stale (recorded, never played) once its <sent> is older than this. */
      max_age_without_expiry_s: z
        .number()
        .int()
        .min(60)
        .default(6 * 3600),
      /** A CAP alert or an Atom/RSS feed of CAP alerts to poll. */
      feed_url: z.string().nullable().default(null),
      poll_interval_s: z.number().int().min(10).default(60),
      /** Urgency/severity/certainty to priority, first match wins; "none" does not broadcast. */
      rules: z
        .array(
          z.object({
            urgency: z.array(z.string()).optional(),
            severity: z.array(z.string()).optional(),
            certainty: z.array(z.string()).optional(),
            priority: z.enum(['emergency', 'priority', 'normal', 'none']),
          }),
        )
        .default([
          {
            urgency: ['Immediate', 'Expected'],
            severity: ['Extreme', 'Severe'],
            certainty: ['Observed', 'Likely'],
            priority: 'emergency',
          },
          { severity: ['Extreme', 'Severe', 'Moderate'], priority: 'priority' },
          { priority: 'normal' },
        ]),
      max_audio_mb: z.number().positive().default(20),
    })
    .prefault({}),
  health: z
    .object({
      /** Keep at most one telemetry sample per receiver per this many seconds. */
      telemetry_sample_s: z.number().int().min(10).default(300),
      telemetry_retention_days: z.number().int().min(1).default(30),
      offline_minutes: z.number().positive().default(10),
      temperature_max_c: z.number().default(70),
      storage_min_bytes: z
        .number()
        .nonnegative()
        .default(50 * 1024 * 1024),
      clock_drift_max_ms: z.number().nonnegative().default(5000),
      /** Alerts, when they open and when they resolve, are POSTed here as JSON, signed with data_dir/secrets/health-webhook-secret. */
      webhook_url: z.string().nullable().default(null),
      /** And e-mailed, when set (the password from password_file, or env TT_SMTP_PASSWORD). */
      smtp: z
        .object({
          host: z.string().min(1),
          port: z.number().int().min(1).max(65535).default(587),
          secure: z.boolean().default(false),
          username: z.string().nullable().default(null),
          password_file: z.string().nullable().default(null),
          from: z.string().min(3),
          to: z.array(z.string().min(3)).min(1),
        })
        .nullable()
        .default(null),
      check_interval_s: z.number().int().min(5).default(60),
    })
    .prefault({}),
  security: z
    .object({
      session_hours: z
        .number()
        .positive()
        .max(24 * 30)
        .default(12),
      max_failed_logins: z.number().int().min(1).max(100).default(5),
      lockout_minutes: z.number().positive().default(15),
      /** Emergency broadcasts then need a login confirmed with a TOTP code. */
      require_totp_for_emergency: z.boolean().default(false),
      min_password_length: z.number().int().min(8).default(12),
      /** Login attempts per client address per minute. */
      login_rate_per_minute: z.number().int().min(1).default(10),
    })
    .prefault({}),
  log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

export function parseSettings(input: unknown): Settings {
  const result = settingsSchema.safeParse(input);
  if (!result.success) throw new Error(`Invalid settings / Cấu hình không hợp lệ:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** Reads the YAML file, then applies environment overrides. */
export function loadSettings(path: string, env: NodeJS.ProcessEnv = process.env): Settings {
  const raw = (parseYaml(readFileSync(path, 'utf8')) ?? {}) as Record<string, any>;
  raw.http ??= {};
  raw.mqtt ??= {};
  const int = (v: string) => Number.parseInt(v, 10);
  if (env.TT_DATA_DIR) raw.data_dir = env.TT_DATA_DIR;
  if (env.TT_HTTP_HOST) raw.http.host = env.TT_HTTP_HOST;
  if (env.TT_HTTP_PORT) raw.http.port = int(env.TT_HTTP_PORT);
  if (env.TT_PUBLIC_URL) raw.http.public_url = env.TT_PUBLIC_URL;
  if (env.TT_MQTT_URL) raw.mqtt.external_url = env.TT_MQTT_URL;
  if (env.TT_MQTT_USERNAME) raw.mqtt.external_username = env.TT_MQTT_USERNAME;
  if (env.TT_MQTT_PASSWORD_FILE) raw.mqtt.external_password_file = env.TT_MQTT_PASSWORD_FILE;
  if (env.TT_MQTT_PORT) raw.mqtt.embedded_port = int(env.TT_MQTT_PORT);
  if (env.TT_MQTT_PUBLIC_URL) raw.mqtt.public_url = env.TT_MQTT_PUBLIC_URL;
  if (env.TT_LOG_LEVEL) raw.log_level = env.TT_LOG_LEVEL;
  return parseSettings(raw);
}
