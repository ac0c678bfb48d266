/**
 * The bridge's configuration file (YAML or JSON): the device groups it fronts, each enrolled as
 * one receiver (its own agent config from the controller, its own state), and the driver that
 * makes its sound. Example: config/bridge.example.yaml.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { inBoth } from '../../controller/i18n/messages.js';
import { agentConfigSchema, type AgentConfig } from '../../controller/protocol/agent-config.js';
import {
  BridgeConfigError,
  describeIssue,
  parseConfigText,
  pathText,
  problemsOf,
  type ConfigProblem,
} from './config-problems.js';

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/;

/** `host:port`; an IPv6 host in brackets (`[ff02::1]:5004`). Messages are catalogue keys: config-problems.ts says them. */
const addressSchema = z
  .string()
  .regex(HOST_PORT, 'bridge_expect_host_port')
  // Port 0 cannot be sent to, and a port past 65535 does not exist (the form alone lets both through).
  .refine((a) => {
    const port = HOST_PORT.exec(a)?.[2];
    return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
  }, 'bridge_expect_port');

/**
 * The packet times (ptime, ms) each codec can fill: G.711 is one byte a sample, so any whole
 * number of 10 ms fits one packet up to 60 ms; Opus packs one frame a packet, and a frame is
 * 2.5, 5, 10, 20, 40 or 60 ms (the two shortest are no use for paging).
 */
export const PACKET_MS = {
  pcmu: [10, 20, 30, 40, 50, 60],
  pcma: [10, 20, 30, 40, 50, 60],
  opus: [10, 20, 40, 60],
} as const;

const packetFits = (codec: string, ms: number) =>
  !(codec in PACKET_MS) || (PACKET_MS[codec as keyof typeof PACKET_MS] as readonly number[]).includes(ms);

/** A short tone that opens a page, as paging systems sound before an announcement. */
const preambleSchema = z.object({
  frequency_hz: z.number().min(100).max(4000).default(880),
  duration_ms: z.number().int().min(50).max(10_000).default(1000),
});

export const rtpDriverSchema = z
  .object({
    kind: z.literal('rtp'),
    /** G.711 (8 kHz mono) or Opus (48 kHz). */
    codec: z.enum(['pcmu', 'pcma', 'opus']).default('pcmu'),
    /** RTP payload type: default 0 (PCMU), 8 (PCMA), 111 (Opus, dynamic). */
    payload_type: z.number().int().min(0).max(127).optional(),
    /** Audio per packet (ptime): one of the codec's PACKET_MS. */
    packet_ms: z.number().default(20),
    /** One multicast group, or the unicast addresses of each device. */
    destinations: z.array(addressSchema).min(1),
    /** Multicast hops (IP TTL). */
    ttl: z.number().int().min(1).max(255).default(8),
    /** The local interface (its IPv4 address) multicast leaves by, on a host with several networks; default: the routing table's choice. */
    multicast_interface: z.ipv4('bridge_expect_ipv4').optional(),
    preamble: preambleSchema.nullable().default(null),
  })
  // Each codec its own packet times; an unknown codec is its own problem, already said.
  .refine((d) => d.codec !== 'opus' || packetFits('opus', d.packet_ms), {
    path: ['packet_ms'],
    message: 'bridge_expect_packet_ms_opus',
  })
  .refine((d) => d.codec === 'opus' || packetFits(d.codec, d.packet_ms), {
    path: ['packet_ms'],
    message: 'bridge_expect_packet_ms_g711',
  });

export const streamDriverSchema = z.object({
  kind: z.literal('http_stream'),
  /** Where the group's speakers pull from: http://<bridge>:<stream_server.port><mount>. */
  mount: z.string().regex(/^\/[A-Za-z0-9._/-]*$/, 'bridge_expect_mount'),
  /** Shown by players (Icecast `icy-name`, sent without the Vietnamese marks: stream-mount.ts). */
  name: z.string().max(100).default('Truyền thanh'),
  /** An MPEG-1 Layer III bitrate (48 kHz mono CBR). */
  bitrate_kbps: z
    .number()
    .refine(
      (b) => [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320].includes(b),
      'bridge_expect_mp3_bitrate',
    )
    .default(64),
  /** The speakers expected to pull: a fetch is named by IP (and User-Agent when given). */
  devices: z
    .array(z.object({ name: z.string().min(1), ip: z.string().min(1), user_agent: z.string().optional() }))
    .default([]),
});

const serialKeySchema = z.object({
  kind: z.literal('serial'),
  /** The serial device (line settings are the system's: `stty -F /dev/ttyUSB0 9600 raw`). */
  path: z.string().min(1),
  /** What keys and unkeys the transmitter; `hex: true` when these are hex bytes. */
  key: z.string().min(1),
  unkey: z.string().min(1),
  hex: z.boolean().default(false),
});

const gpioKeySchema = z.object({
  kind: z.literal('gpio'),
  /** A sysfs value file (`/sys/class/gpio/gpio17/value`), exported and set to output beforehand. */
  path: z.string().min(1),
  active_low: z.boolean().default(false),
});

export const fmDriverSchema = z.object({
  kind: z.literal('fm'),
  /** ffmpeg's output to the exciter's sound input: `-f <output_format> <output_device>`. */
  output_format: z.string().default('alsa'),
  output_device: z.string().default('default'),
  ptt: z.discriminatedUnion('kind', [serialKeySchema, gpioKeySchema]),
  /** The carrier settles before the audio starts; the tail keeps it up past the last word. */
  lead_ms: z.number().int().min(0).max(10_000).default(500),
  tail_ms: z.number().int().min(0).max(10_000).default(500),
});

export const driverSchema = z.discriminatedUnion('kind', [rtpDriverSchema, streamDriverSchema, fmDriverSchema]);
export type DriverConfig = z.infer<typeof driverSchema>;
export type RtpDriverConfig = z.infer<typeof rtpDriverSchema>;
export type StreamDriverConfig = z.infer<typeof streamDriverSchema>;
export type FmDriverConfig = z.infer<typeof fmDriverSchema>;

export const bridgeConfigSchema = z.object({
  /** Each group's state lives in `<state_root>/<receiver_id>` unless the group names its own. */
  state_root: z.string().default('/var/lib/truyen-thanh-bridge'),
  /** The one HTTP server for every `http_stream` group (port 0: any free port, logged). */
  stream_server: z
    .object({
      host: z.string().default('0.0.0.0'),
      port: z
        .number()
        .int('bridge_expect_stream_port')
        .min(0, 'bridge_expect_stream_port')
        .max(65535, 'bridge_expect_stream_port')
        .default(8000),
    })
    .default({ host: '0.0.0.0', port: 8000 }),
  ffmpeg_path: z.string().optional(),
  groups: z
    .array(
      z.object({
        /** The agent config the controller produced when this group was enrolled as a receiver. */
        agent_config: z.string().min(1),
        state_dir: z.string().optional(),
        driver: driverSchema,
      }),
    )
    .min(1),
});
export type BridgeConfig = z.infer<typeof bridgeConfigSchema>;

export interface BridgeGroup {
  agent: AgentConfig;
  driver: DriverConfig;
}

/**
 * Reads the bridge file and each group's agent config (paths relative to the bridge file). Every
 * problem found, in any of them, is thrown at once as a BridgeConfigError: fixed in one go.
 */
export function loadBridgeConfig(file: string): { config: BridgeConfig; groups: BridgeGroup[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const what = inBoth('bridge_config_unreadable', { file, error: (err as Error).message });
    throw new BridgeConfigError(file, [{ path: '', line: null, what }]);
  }
  const parsed = parseConfigText(file, text);
  const result = bridgeConfigSchema.safeParse(parsed.data);
  if (!result.success) throw new BridgeConfigError(file, problemsOf(result.error.issues, parsed));
  const config = result.data;
  const base = dirname(resolve(file));
  const problems: ConfigProblem[] = [];
  const groups: BridgeGroup[] = [];
  for (const [i, g] of config.groups.entries()) {
    const at = ['groups', i, 'agent_config'];
    const agent = readAgentConfig(resolve(base, g.agent_config), (what) =>
      problems.push({ path: pathText(at), line: parsed.lineOf(at), what }),
    );
    if (!agent) continue;
    if (groups.some((other) => other.agent.receiver_id === agent.receiver_id)) {
      problems.push({
        path: pathText(at),
        line: parsed.lineOf(at),
        what: inBoth('bridge_receiver_twice', { receiver: agent.receiver_id }),
      });
      continue;
    }
    groups.push({
      agent: {
        ...agent,
        state_dir: g.state_dir ? resolve(base, g.state_dir) : join(resolve(base, config.state_root), agent.receiver_id),
      },
      driver: g.driver,
    });
  }
  if (problems.length) throw new BridgeConfigError(file, problems);
  return { config, groups };
}

type Problem = (what: { vi: string; en: string }) => void;

/** One group's agent config, or undefined after saying what is wrong with it. */
function readAgentConfig(file: string, problem: Problem): AgentConfig | undefined {
  return checkedAgentConfig(file, problem, 'bridge_agent_config_unreadable');
}

/**
 * The agent's own file (`npm run agent -- --config`), said as a group's agent_config is: each
 * field that is wrong, in Vietnamese then English; undefined after saying so.
 */
export function readAgentConfigFile(file: string, problem: Problem): AgentConfig | undefined {
  return checkedAgentConfig(file, problem, 'agent_config_unreadable');
}

function checkedAgentConfig(
  file: string,
  problem: Problem,
  unreadable: 'bridge_agent_config_unreadable' | 'agent_config_unreadable',
): AgentConfig | undefined {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    problem(inBoth(unreadable, { file, error: (err as Error).message }));
    return undefined;
  }
  const result = agentConfigSchema.safeParse(data);
  if (result.success) return result.data;
  for (const issue of result.error.issues.slice(0, 5)) {
    const d = describeIssue(issue, data);
    problem(
      inBoth('bridge_agent_config_invalid', { file, field: pathText(issue.path), what: inBoth(d.what, d.params) }),
    );
  }
  return undefined;
}
