/** What the programme plays: its occurrences (with coverage), the week's calendar and the per-hamlet preview. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { QuietHours } from '../broadcasts/quiet-hours.js';
import type { Clock } from '../clock.js';
import type { CoverageService } from '../coverage/coverage-service.js';
import type { HamletsReadModel } from '../hamlets/hamlets-read-model.js';
import { notFound } from '../http/errors.js';
import { objectSchema, rowSchema, uuidParams } from '../http/schemas.js';
import { describeReason } from './occurrence-reason.js';
import type { Occurrence, SchedulesRepository } from './schedules-repository.js';
import type { SchedulesService } from './schedules-service.js';
import { weekCalendar } from './week-calendar.js';

const tags = ['programme'];

export interface OccurrenceRoutesDeps {
  schedules: SchedulesService;
  repo: SchedulesRepository;
  coverage: CoverageService;
  hamlets: HamletsReadModel;
  clock: Clock;
  quietHours: QuietHours;
}

export const occurrenceRoutes =
  ({ schedules, repo, coverage, hamlets, clock, quietHours }: OccurrenceRoutesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const occurrenceView = (o: Occurrence) => ({ ...o, late: o.late === 1, reason: describeReason(o.reason) });

    const range = z.object({
      from: z.iso.datetime({ offset: true }).optional().describe('Default: now'),
      hours: z.coerce
        .number()
        .int()
        .min(1)
        .max(24 * 31)
        .default(48),
    });
    app.get(
      '/api/occurrences',
      {
        config: { permission: 'broadcasts:read' },
        schema: {
          tags,
          summary: 'Occurrences in a window: planned, sent, missed (with the reason) or cancelled',
          querystring: range,
          response: { 200: z.array(rowSchema) },
        },
      },
      async (req) => {
        const from = req.query.from ? new Date(req.query.from) : clock.now();
        const to = new Date(from.getTime() + req.query.hours * 3_600_000);
        return repo.between(from.toISOString(), to.toISOString()).map(occurrenceView);
      },
    );
    app.get(
      '/api/occurrences/:id',
      {
        config: { permission: 'broadcasts:read' },
        schema: {
          tags,
          summary: 'One occurrence, with its coverage: "downloaded" receivers are ready to play it from their cache',
          params: uuidParams,
          response: { 200: rowSchema.extend({ coverage: objectSchema.nullable() }) },
        },
      },
      async (req) => {
        const o = repo.occurrence(req.params.id);
        if (!o) throw notFound('what_occurrence', req.params.id);
        return { ...occurrenceView(o), coverage: o.broadcast_id ? coverage.ofBroadcast(o.broadcast_id) : null };
      },
    );
    app.get(
      '/api/programme/calendar',
      {
        config: { permission: 'broadcasts:read' },
        schema: {
          tags,
          summary:
            "The week's programme from the schedules (computed, not only what is stored): each start with its hamlets and overlaps, and the quiet hours",
          querystring: z.object({
            from: z.iso.date().optional().describe('Local date; default today'),
            days: z.coerce.number().int().min(1).max(31).default(7),
          }),
          response: {
            200: z.looseObject({
              from: z.string(),
              to: z.string(),
              timezone: z.string(),
              days: z.array(objectSchema),
              items: z.array(objectSchema),
            }),
          },
        },
      },
      async (req) => weekCalendar({ schedules, hamlets, quietHours, clock }, req.query.from, req.query.days),
    );

    app.get(
      '/api/programme/preview',
      {
        config: { permission: 'broadcasts:read' },
        schema: {
          tags,
          summary: 'What will play in each hamlet in the coming hours (default 24), with how many receivers are ready',
          querystring: range.extend({ hours: z.coerce.number().int().min(1).max(48).default(24) }),
          response: {
            200: z.object({
              from: z.string(),
              to: z.string(),
              hamlets: z.array(z.object({ hamlet_id: z.string(), name: z.string(), items: z.array(z.unknown()) })),
            }),
          },
        },
      },
      async (req) => {
        const from = req.query.from ? new Date(req.query.from) : clock.now();
        const to = new Date(from.getTime() + req.query.hours * 3_600_000);
        const byHamlet = new Map(
          hamlets.list().map((h) => [h.id, { hamlet_id: h.id, name: h.name, items: [] as unknown[] }]),
        );
        const hamletsOfSchedule = new Map<string, string[]>();
        for (const o of repo.between(from.toISOString(), to.toISOString())) {
          if (o.status === 'cancelled') continue;
          let targets = hamletsOfSchedule.get(o.schedule_id);
          if (!targets) {
            try {
              targets = schedules.hamletsOf(schedules.get(o.schedule_id).spec);
            } catch {
              targets = [];
            }
            hamletsOfSchedule.set(o.schedule_id, targets);
          }
          const ready = o.broadcast_id
            ? new Map(coverage.ofBroadcast(o.broadcast_id).hamlets.map((h) => [h.hamlet_id, h.totals]))
            : null;
          for (const hamletId of targets) {
            const totals = ready?.get(hamletId);
            byHamlet.get(hamletId)?.items.push({
              occurrence_id: o.id,
              schedule_id: o.schedule_id,
              name: o.schedule_name,
              starts_at: o.starts_at,
              ends_at: o.ends_at,
              priority: o.priority,
              status: o.status,
              reason: describeReason(o.reason),
              receivers: totals
                ? { targeted: totals.targeted, ready: totals.downloaded, finished: totals.finished }
                : null,
            });
          }
        }
        return { from: from.toISOString(), to: to.toISOString(), hamlets: [...byHamlet.values()] };
      },
    );
  };
