import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/auth.js';
import { errorSchema, idParams, protectedErrors } from '../http/schemas.js';
import { idSchema } from '../protocol/messages.js';
import type { HamletsService } from './hamlets-service.js';
import { inQuietHours, type QuietHours } from '../broadcasts/quiet-hours.js';
import type { Clock } from '../clock.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, local wall time');
/** zod's kind of a schema's own finding (not a catalogue key, which `code: '…'` would read as). */
const ISSUE_CUSTOM = 'custom' as const;
// The messages of the schema's own rules are keys of the catalogue's words (http/validation-words.ts).
// An empty window (21:00-21:00) is no quiet hours at all: said, not stored as if it were some.
const QUIET_DIFFER = { message: 'invalid_quiet_differ', path: ['quiet_end'] };

/**
 * Both ends of a hamlet's quiet hours or neither (null for both: the commune's); the end given
 * alone was stored and did nothing. The finding names the end that is missing.
 */
function quietTogether(h: { quiet_start?: string | null; quiet_end?: string | null }, ctx: z.RefinementCtx): void {
  const given = (v: unknown) => v !== undefined && v !== null;
  if (given(h.quiet_start) === given(h.quiet_end) && (h.quiet_start === undefined) === (h.quiet_end === undefined))
    return;
  const missing = given(h.quiet_start) ? 'quiet_end' : given(h.quiet_end) ? 'quiet_start' : 'quiet_end';
  ctx.addIssue({ code: ISSUE_CUSTOM, message: 'invalid_quiet_together', path: [missing] });
}
const hamletSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    households: z.number(),
    population: z.number(),
    lat: z.number().nullable(),
    lon: z.number().nullable(),
    quiet_start: z.string().nullable(),
    quiet_end: z.string().nullable(),
    quiet_window: z
      .object({ start: hhmm, end: hhmm })
      .nullable()
      .describe("The quiet hours in force here (local HH:MM): the hamlet's own, else the commune's; null: none"),
    quiet_now: z
      .boolean()
      .describe("True while they are on, by the controller's clock: only an emergency may sound here now"),
    created_at: z.string(),
  })
  .meta({
    examples: [
      {
        id: 'thon-1',
        name: 'Thôn Đông',
        households: 100,
        population: 400,
        lat: 21.0285,
        lon: 105.8542,
        quiet_start: null,
        quiet_end: null,
        quiet_window: { start: '22:00', end: '05:00' },
        quiet_now: false,
        created_at: '2026-01-05T02:00:00.000Z',
      },
    ],
  });
const hamletInput = z
  .object({
    id: idSchema,
    name: z.string().min(1).max(120),
    households: z.number().int().nonnegative().default(0),
    population: z.number().int().nonnegative().default(0),
    lat: z
      .number()
      .min(-90)
      .max(90)
      .nullable()
      .default(null)
      .describe('WGS 84 latitude: matches CAP alert areas, draws the map'),
    lon: z.number().min(-180).max(180).nullable().default(null),
    quiet_start: hhmm
      .nullable()
      .default(null)
      .describe("This hamlet's own quiet hours (local HH:MM); null with quiet_end: the commune's"),
    quiet_end: hhmm.nullable().default(null),
  })
  .superRefine(quietTogether)
  .refine((h) => h.quiet_start === null || h.quiet_start !== h.quiet_end, QUIET_DIFFER);
const hamletPatch = z
  .object({
    name: z.string().min(1).max(120),
    households: z.number().int().nonnegative(),
    population: z.number().int().nonnegative(),
    lat: z.number().min(-90).max(90).nullable(),
    lon: z.number().min(-180).max(180).nullable(),
    quiet_start: hhmm.nullable(),
    quiet_end: hhmm.nullable(),
  })
  .partial()
  // One end alone was stored and did nothing (the commune's window stayed in force, unsaid).
  .superRefine(quietTogether)
  .refine((h) => !h.quiet_start || h.quiet_start !== h.quiet_end, QUIET_DIFFER);
const tags = ['hamlets'];

/** Where a hamlet's quiet hours come from, and the controller's clock to tell whether they are on. */
export interface QuietNow {
  hours: QuietHours;
  clock: Clock;
}

export const hamletsRoutes =
  (service: HamletsService, quiet: QuietNow): FastifyPluginAsyncZod =>
  async (app) => {
    /** A hamlet as the API gives it: with the quiet hours in force, and whether they are on at `now`. */
    const withQuiet = <H extends { id: string }>(h: H, now = quiet.clock.now()) => {
      const window = quiet.hours.windowOf(h.id);
      return { ...h, quiet_window: window, quiet_now: inQuietHours(now, quiet.hours.timeZone, window) };
    };

    app.get(
      '/api/hamlets',
      {
        config: { permission: 'hamlets:read' },
        schema: { tags, summary: 'List hamlets (thôn)', response: { 200: z.array(hamletSchema), ...protectedErrors } },
      },
      async () => {
        const now = quiet.clock.now();
        return service.list().map((h) => withQuiet(h, now));
      },
    );

    app.post(
      '/api/hamlets',
      {
        config: { permission: 'hamlets:write' },
        schema: {
          tags,
          summary: 'Create a hamlet',
          body: hamletInput,
          response: { 201: hamletSchema, 409: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => reply.status(201).send(withQuiet(service.create(req.body, actorOf(req)))),
    );

    app.get(
      '/api/hamlets/:id',
      {
        config: { permission: 'hamlets:read' },
        schema: { tags, summary: 'One hamlet', params: idParams, response: { 200: hamletSchema, ...protectedErrors } },
      },
      async (req) => withQuiet(service.get(req.params.id)),
    );

    app.patch(
      '/api/hamlets/:id',
      {
        config: { permission: 'hamlets:write' },
        schema: {
          tags,
          summary: 'Change a hamlet',
          params: idParams,
          body: hamletPatch,
          response: { 200: hamletSchema, ...protectedErrors },
        },
      },
      async (req) => withQuiet(service.update(req.params.id, req.body, actorOf(req))),
    );

    app.delete(
      '/api/hamlets/:id',
      {
        config: { permission: 'hamlets:write' },
        schema: {
          tags,
          summary: 'Delete an empty hamlet',
          params: idParams,
          response: { 204: z.null(), 409: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => {
        service.remove(req.params.id, actorOf(req));
        return reply.status(204).send(null);
      },
    );
  };
