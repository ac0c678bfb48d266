/**
 * Controller settings: one zod schema with safe defaults, read from a YAML file and then
 * overridden by TT_* environment variables. Nothing here is a secret: secrets (signing key,
 * admin token, broker passwords) live in files under data_dir/secrets, created at first start.
 * The larger sections have their own files: settings-broadcasting.ts, settings-publishing.ts,
 * settings-tts.ts.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { idSchema } from './protocol/messages.js';
import {
  broadcastsSettingsSchema,
  deliverySettingsSchema,
  emergencySettingsSchema,
  mediaSettingsSchema,
  programmeSettingsSchema,
} from './settings-broadcasting.js';
import { publishingSettingsSchema } from './settings-publishing.js';
import { ttsSettingsSchema } from './settings-tts.js';

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
      /**
       * After the controller (re)connects to its broker, how long it waits for each receiver's
       * retained status before counting one it has not heard from as offline (a broker restarted
       * without its retained messages, or a receiver gone while the controller was away).
       */
      status_wait_seconds: z.number().int().min(1).max(600).default(30),
    })
    .prefault({}),
  media: mediaSettingsSchema,
  broadcasts: broadcastsSettingsSchema,
  publishing: publishingSettingsSchema,
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
          recipients: z.array(z.string().max(200)).max(12).default(['UBND tỉnh (để báo cáo)', 'Lưu: VT']), // no district level since 1 July 2025
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
  programme: programmeSettingsSchema,
  delivery: deliverySettingsSchema,
  emergency: emergencySettingsSchema,
  tts: ttsSettingsSchema,
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
      /** A receiver enrolled this long ago and never connected raises one `never_connected` alert (never an "offline" one). */
      never_connected_hours: z.number().positive().default(24),
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
