/**
 * What an operator saves as a schedule, as one zod schema: the content, when it recurs (solar or
 * lunar), the wall-clock start time and its zone, the target, and the policies for missed starts
 * and pre-emption. Stored as JSON beside the schedule row.
 */
import { z } from 'zod';
import { IANAZone } from 'luxon';
import { idSchema, prioritySchema } from '../protocol/messages.js';
import { CATEGORIES } from '../bulletins/bulletins-read-model.js';
import { holidayIds } from './holidays.js';

export const localTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'HH:MM or HH:MM:SS, local wall time');
export const localDateSchema = z.iso.date(); // YYYY-MM-DD, a wall-clock date in the schedule's zone

const lunarDateSchema = z.object({
  day: z.number().int().min(1).max(30),
  month: z.number().int().min(1).max(12),
  year: z.number().int().min(1900).max(2199),
  leap: z.boolean().default(false).describe('A day of the leap month (tháng nhuận)'),
});

export const recurrenceSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('once'), date: localDateSchema.optional(), lunar: lunarDateSchema.optional() })
    .describe('One day, given as a solar date or as a lunar date'),
  z.object({ kind: z.literal('daily') }),
  z.object({
    kind: z.literal('weekly'),
    weekdays: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .max(7)
      .describe('1 = Thứ hai (Monday) … 7 = Chủ nhật (Sunday)'),
  }),
  z.object({
    kind: z.literal('monthly'),
    days: z
      .array(
        z
          .number()
          .int()
          .min(-1)
          .max(31)
          .refine((d) => d !== 0, 'days are 1-31, or -1 for the last day'),
      )
      .min(1)
      .max(31)
      .describe('Days of the month; -1 is the last day; a day a month does not have is skipped that month'),
  }),
  z.object({
    kind: z.literal('lunar_monthly'),
    days: z
      .array(z.number().int().min(1).max(30))
      .min(1)
      .max(30)
      .describe('Lunar days (1 = mùng một, 15 = rằm), leap months included; day 30 is skipped in a 29-day month'),
  }),
  z.object({
    kind: z.literal('lunar_yearly'),
    month: z.number().int().min(1).max(12),
    day: z
      .number()
      .int()
      .min(1)
      .max(30)
      .describe('Every year on this lunar date (e.g. 10/3 Giỗ Tổ), in the regular month, never the leap one'),
  }),
  z.object({
    kind: z.literal('holiday'),
    holiday: z.enum(holidayIds),
    days_before: z
      .number()
      .int()
      .min(0)
      .max(30)
      .default(0)
      .describe('A national holiday from GET /api/programme/holidays, or this many days before it'),
  }),
]);
export type Recurrence = z.infer<typeof recurrenceSchema>;

export const scheduleTargetSchema = z.object({
  all: z.boolean().optional(),
  hamlet_ids: z.array(idSchema).max(1000).optional(),
  receiver_ids: z.array(idSchema).max(10_000).optional(),
});

export const scheduleSpecSchema = z.object({
  name: z.string().trim().min(1).max(200),
  /** Exactly one: a media item, a playlist (joined into one file with its jingles), or a relay. */
  media_id: z.uuid().optional(),
  playlist_id: z.uuid().optional(),
  /** Relay a live stream (e.g. the provincial station) for a time window; needs the link up (nothing to cache). */
  relay: z
    .object({
      url: z.url({ protocol: /^https?$/ }).describe('An HTTP(S) audio stream'),
      duration_s: z
        .number()
        .int()
        .min(10)
        .max(6 * 3600),
    })
    .optional(),
  target: scheduleTargetSchema,
  priority: prioritySchema.default('normal'),
  /** What it is about (a bulletin category), counted in reports against the plan's weekly targets. */
  category: z.enum(CATEGORIES).optional(),
  volume_pct: z.number().int().min(0).max(100).default(80),
  start_time: localTimeSchema,
  timezone: z
    .string()
    .refine((tz) => IANAZone.isValidZone(tz), 'an IANA time zone such as Asia/Ho_Chi_Minh')
    .optional(),
  recurrence: recurrenceSchema,
  valid_from: localDateSchema.optional(),
  valid_until: localDateSchema.optional(),
  /** When a start is missed (controller or receiver down): play late within the grace window, or skip and record it. */
  missed: z
    .object({
      policy: z.enum(['play_late', 'skip']).default('play_late'),
      grace_min: z.number().int().min(0).max(180).default(15),
    })
    .prefault({}),
  /** When an emergency interrupts this item: play it again from the start afterwards (within its window), or record it as interrupted. */
  on_preempt: z.enum(['resume', 'drop']).default('resume'),
  /** Save even though a schedule of the same priority overlaps (the later-saved one then waits its turn). */
  accept_conflicts: z.boolean().default(false),
});
export type ScheduleSpec = z.infer<typeof scheduleSpecSchema>;
export type ScheduleSpecInput = z.input<typeof scheduleSpecSchema>;
