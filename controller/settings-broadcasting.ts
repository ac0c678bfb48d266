/**
 * Settings for making and sending broadcasts: media processing, broadcast limits and quiet hours,
 * the programme scheduler, re-sending to receivers, and emergencies. Part of `settingsSchema`
 * (settings.ts).
 */
import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, local wall time');

export const mediaSettingsSchema = z
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
  .prefault({});

export const broadcastsSettingsSchema = z
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
    /**
     * A technician's test tone in quiet hours plays at this volume: 0 (the default) runs the
     * receiver's whole playback chain silently (decoder, sound device, amplifier input) without
     * waking the hamlet; a commune may allow a low audible tone (e.g. 10). null refuses test
     * tones in quiet hours.
     */
    quiet_test_tone_pct: z.number().int().min(0).max(100).nullable().default(0),
    /** Volume ceilings by time of day for normal and priority items, e.g. [{ from: "05:00", to: "06:30", max_pct: 70 }]. */
    volume_caps: z.array(z.object({ from: hhmm, to: hhmm, max_pct: z.number().int().min(0).max(100) })).default([]),
  })
  .prefault({});

export const programmeSettingsSchema = z
  .object({
    /** Occurrences are computed and sent to receivers this far ahead (receivers then play them offline). */
    horizon_hours: z.number().int().min(1).max(168).default(48),
    /** How often the scheduler looks for work. */
    tick_s: z.number().int().min(1).max(300).default(30),
    /** How far ahead a new schedule is checked for conflicts and quiet hours. */
    check_days: z.number().int().min(1).max(366).default(14),
  })
  .prefault({});

export const deliverySettingsSchema = z
  .object({
    /** Receivers that have not answered a broadcast (other than an emergency) after this long are sent it again, until its window closes. */
    retry_after_s: z.number().int().min(1).max(3600).default(60),
    /** A gap in a receiver's ack numbers still open after this long is asked for again (resend_acks). */
    ack_gap_wait_s: z.number().int().min(1).max(3600).default(30),
  })
  .prefault({});

export const emergencySettingsSchema = z
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
  .prefault({});
