/**
 * How an announcement is paced (issue 24): the pauses at each kind of boundary, how much slower
 * numbers and names are read, and the loudspeaker speaking rate per voice. Read from `settings.tts` with
 * defaults, so a settings file written before these keys existed still gets announcement pacing.
 */

/** Boundaries the planner puts a pause at; each has its own length. */
export const PAUSE_KINDS = [
  'comma',
  'semicolon',
  'colon',
  'sentence',
  'line',
  'list_item',
  'paragraph',
  'repeat',
  'number',
] as const;
export type PauseKind = (typeof PAUSE_KINDS)[number];

export interface ProsodyOptions {
  /** false: the text is read with only the voice's own pauses, at the voice's rate. */
  enabled: boolean;
  /** Milliseconds of silence at each boundary. */
  pauses_ms: Record<PauseKind, number>;
  /** Spelled-out numbers, dates and times, and names, are read at this fraction of the rate. */
  slow_rate: number;
  /** Multiplier on `tts.speed` for voices not in `rate_by_voice`. */
  loudspeaker_rate: number;
  /** Multiplier by voice id, or by engine id for all of its voices. */
  rate_by_voice: Record<string, number>;
}

/**
 * Defaults, chosen by ear for a loudspeaker on a pole: espeak-ng's own pauses (about 250 ms at a
 * comma, 450 ms at a full stop) run sentences together once the sound echoes between houses.
 * Lengths are the whole gap: espeak-ng takes the longer of its own pause and the one asked for.
 */
export const DEFAULT_PROSODY: ProsodyOptions = {
  enabled: true,
  pauses_ms: {
    comma: 300,
    semicolon: 450,
    colon: 500,
    sentence: 800,
    line: 800,
    list_item: 600,
    paragraph: 1200,
    repeat: 1500,
    number: 120,
  },
  slow_rate: 0.85,
  // Slower than conversation: outdoors, a syllable must end before its echo from the next house does.
  loudspeaker_rate: 0.9,
  rate_by_voice: {},
};

const SPEED_MIN = 0.5;
const SPEED_MAX = 2;

const num = (value: unknown, fallback: number, min: number, max: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? Math.max(min, Math.min(max, value)) : fallback;

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/**
 * The options from `settings.tts` (typed loosely: the keys may not be in the settings schema
 * yet), each missing or malformed value replaced by its default.
 */
export function readProsodyOptions(tts: unknown): ProsodyOptions {
  const t = record(tts);
  const p = record(t.prosody);
  const pauses = record(p.pauses_ms);
  const d = DEFAULT_PROSODY;
  const rates: Record<string, number> = {};
  for (const [key, value] of Object.entries(record(t.rate_by_voice))) {
    if (typeof value === 'number' && Number.isFinite(value)) rates[key] = num(value, 1, 0.5, 1.5);
  }
  return {
    enabled: typeof p.enabled === 'boolean' ? p.enabled : d.enabled,
    pauses_ms: Object.fromEntries(
      PAUSE_KINDS.map((k) => [k, Math.round(num(pauses[k], d.pauses_ms[k], 0, 5000))]),
    ) as Record<PauseKind, number>,
    slow_rate: num(p.slow_rate, d.slow_rate, 0.5, 1),
    loudspeaker_rate: num(t.loudspeaker_rate, d.loudspeaker_rate, 0.5, 1.5),
    rate_by_voice: rates,
  };
}

/** The rate multiplier for a voice: its own, else its engine's, else the loudspeaker rate. */
export function rateFor(options: ProsodyOptions, engine: string, voice: string): number {
  return options.rate_by_voice[voice] ?? options.rate_by_voice[engine] ?? options.loudspeaker_rate;
}

/** The speed an engine is asked for: the requested speed times the voice's rate, kept in 0.5-2. */
export function effectiveSpeed(speed: number, options: ProsodyOptions, engine: string, voice: string): number {
  const s = speed * rateFor(options, engine, voice);
  // Rounded so that float noise does not make distinct cache keys for the same sound.
  return Math.round(Math.max(SPEED_MIN, Math.min(SPEED_MAX, s)) * 1000) / 1000;
}
