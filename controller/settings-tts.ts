/**
 * Settings for text-to-speech: the engine, the announcement pace and pauses, the commune's own
 * abbreviations, and the cloud voices. Part of `settingsSchema` (settings.ts).
 */
import { z } from 'zod';

export const ttsSettingsSchema = z
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
  .prefault({});
