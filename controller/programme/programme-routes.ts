/**
 * The programme's routes: the holidays a schedule can follow, then playlists, schedules and
 * occurrences, each in its own file.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { QuietHours } from '../broadcasts/quiet-hours.js';
import type { Clock } from '../clock.js';
import type { CoverageService } from '../coverage/coverage-service.js';
import type { HamletsReadModel } from '../hamlets/hamlets-read-model.js';
import { rowOf } from '../http/schemas.js';
import { HOLIDAYS } from './holidays.js';
import { occurrenceRoutes } from './occurrence-routes.js';
import { playlistRoutes } from './playlist-routes.js';
import type { PlaylistsService } from './playlists-service.js';
import type { ScheduleDesk } from './schedule-desk.js';
import { scheduleRoutes } from './schedule-routes.js';
import type { Scheduler } from './scheduler.js';
import type { SchedulesRepository } from './schedules-repository.js';
import type { SchedulesService } from './schedules-service.js';

const tags = ['programme'];

export interface ProgrammeRoutesDeps {
  schedules: SchedulesService;
  scheduler: Scheduler;
  repo: SchedulesRepository;
  playlists: PlaylistsService;
  coverage: CoverageService;
  hamlets: HamletsReadModel;
  desk: ScheduleDesk;
  clock: Clock;
  quietHours: QuietHours;
}

export const programmeRoutes =
  (deps: ProgrammeRoutesDeps): FastifyPluginAsyncZod =>
  async (app, opts) => {
    const holidaySchema = rowOf({
      id: z.string(),
      calendar: z.enum(['solar', 'lunar']),
      month: z.number(),
      day: z.number(),
      name_vi: z.string(),
      name_en: z.string(),
    });
    app.get(
      '/api/programme/holidays',
      {
        config: { permission: 'broadcasts:read' },
        schema: {
          tags,
          summary: 'National holidays a schedule can follow (recurrence kind "holiday")',
          response: { 200: z.array(holidaySchema) },
        },
      },
      async () => [...HOLIDAYS],
    );

    // Called on this same instance, not registered as child plugins: the routes keep the scope
    // (hooks, error handler) and the order they had when they were all declared here.
    await playlistRoutes(deps)(app, opts);
    await scheduleRoutes(deps)(app, opts);
    await occurrenceRoutes(deps)(app, opts);
  };
