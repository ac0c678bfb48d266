/**
 * The receiver agent's configuration file, produced by the controller at enrolment and read by
 * the agent at start. It holds the receiver's secret: keep it readable by the agent only (0600).
 */
import { z } from 'zod';
import { idSchema } from './messages.js';

export const playerConfigSchema = z.discriminatedUnion('kind', [
  /** Plays through ffmpeg to a sound device, e.g. ALSA "default". */
  z.object({
    kind: z.literal('ffmpeg'),
    output_format: z.string().default('alsa'),
    output_device: z.string().default('default'),
  }),
  /** Writes what would have played to files in a directory (tests, recording). */
  z.object({ kind: z.literal('file'), directory: z.string() }),
  /** Plays nothing; takes `speed` times the audio's duration (simulation). */
  z.object({ kind: z.literal('silent'), speed: z.number().positive().default(1) }),
]);
export type PlayerConfig = z.infer<typeof playerConfigSchema>;

export const agentConfigSchema = z.object({
  receiver_id: idSchema,
  hamlet_id: idSchema,
  mqtt_url: z.string().min(1),
  /** The same secret authenticates MQTT (username = receiver id) and media downloads (HTTP Basic). */
  secret: z.string().min(32),
  controller_public_keys: z.array(z.string().includes('PUBLIC KEY')).min(1),
  /** The receiver's own Ed25519 key (PKCS#8 PEM): it signs every ack. */
  ack_signing_key: z.string().includes('PRIVATE KEY').optional(),
  state_dir: z.string().default('/var/lib/truyen-thanh-agent'),
  player: playerConfigSchema.default({ kind: 'ffmpeg', output_format: 'alsa', output_device: 'default' }),
  /** How far the receiver's clock may run behind the controller's before a fresh command looks "not yet valid". */
  max_clock_skew_s: z.number().int().min(0).max(3600).default(120),
  /**
   * PEM certificate(s) to trust for mqtts:// and https:// (a commune's own, self-signed CA).
   * Absent: the system's trusted CAs.
   */
  ca_cert: z.string().includes('CERTIFICATE').optional(),
  /**
   * When the controller made this config (its clock): commands issued before it are refused
   * (`predates_memory`), so a re-enrolled receiver never plays a command captured before.
   */
  enrolled_at: z.iso.datetime().optional(),
  /** Send telemetry this often. */
  telemetry_interval_s: z.number().int().min(5).default(60),
});
export type AgentConfig = z.infer<typeof agentConfigSchema>;
