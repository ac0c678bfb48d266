/**
 * The programme's schedules: list, create and change (through the schedule desk, which puts the
 * safety gate's questions), switch on and off, delete.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { confirmationSchema, confirmationView } from '../broadcasts/confirmation-schemas.js';
import type { Clock } from '../clock.js';
import { callerOf } from '../http/auth.js';
import { errorSchema, protectedErrors, rowSchema, uuidParams } from '../http/schemas.js';
import { nextStart } from './recurrence.js';
import type { Saved, ScheduleDesk } from './schedule-desk.js';
import { scheduleSpecSchema } from './schedule-spec.js';
import type { Schedule, SchedulesService } from './schedules-service.js';

const tags = ['programme'];

const explanationSchema = z.object({
  code: z.string(),
  message: z.string(),
  message_en: z.string(),
  other_schedule_id: z.string(),
  at: z.string(),
});

export interface ScheduleRoutesDeps {
  schedules: SchedulesService;
  desk: ScheduleDesk;
  clock: Clock;
}

export const scheduleRoutes =
  ({ schedules, desk, clock }: ScheduleRoutesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const scheduleView = (s: Schedule) => {
      const { accept_conflicts: _, ...spec } = s.spec;
      return {
        id: s.row.id,
        enabled: s.row.enabled === 1,
        created_by: s.row.created_by,
        created_at: s.row.created_at,
        updated_at: s.row.updated_at,
        ...spec,
        next: nextStart(s.spec, clock.now()),
      };
    };
    app.get(
      '/api/schedules',
      {
        config: { permission: 'broadcasts:read' },
        schema: { tags, summary: 'Schedules', response: { 200: z.array(rowSchema) } },
      },
      async () => schedules.list().map(scheduleView),
    );
    app.get(
      '/api/schedules/:id',
      {
        config: { permission: 'broadcasts:read' },
        schema: { tags, summary: 'One schedule', params: uuidParams, response: { 200: rowSchema } },
      },
      async (req) => scheduleView(schedules.get(req.params.id)),
    );
    /** A saved schedule, with the confirmation it waits for (202) when the safety gate asks for one. */
    const saved = (r: Saved) => ({
      schedule: scheduleView(r.schedule),
      warnings: r.warnings,
      ...(r.pending ? confirmationView(r.pending) : {}),
    });
    const savedSchema = z.object({ schedule: z.unknown(), warnings: z.array(explanationSchema) });
    const waitingSchema = savedSchema.extend(confirmationSchema.shape);
    app.post(
      '/api/schedules',
      {
        config: { permission: 'schedules:write' },
        schema: {
          tags,
          summary:
            'Create a schedule: checked for dates, quiet hours and conflicts; its occurrences are computed and sent ahead. An emergency or whole-commune schedule is saved switched off and answered 202 with the confirmation that switches it on',
          body: scheduleSpecSchema,
          response: { 201: savedSchema, 202: waitingSchema, 409: errorSchema, 422: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => {
        const result = await desk.create(req.body, callerOf(req));
        return reply.status(result.pending ? 202 : 201).send(saved(result));
      },
    );
    app.put(
      '/api/schedules/:id',
      {
        config: { permission: 'schedules:write' },
        schema: {
          tags,
          summary:
            'Change a schedule: occurrences not yet started are cancelled (stopped on receivers) and computed again. An emergency or whole-commune schedule is switched off until the change is confirmed (202)',
          params: uuidParams,
          body: scheduleSpecSchema,
          response: { 200: savedSchema, 202: waitingSchema, 409: errorSchema, 422: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => {
        const result = await desk.update(req.params.id, req.body, callerOf(req));
        return reply.status(result.pending ? 202 : 200).send(saved(result));
      },
    );
    for (const [path, enabled] of [
      ['enable', true],
      ['disable', false],
    ] as const) {
      app.post(
        `/api/schedules/:id/${path}`,
        {
          config: { permission: 'schedules:write' },
          schema: {
            tags,
            summary: enabled
              ? 'Enable a schedule (an emergency or whole-commune one answers 202 with the confirmation that switches it on)'
              : 'Disable a schedule (its coming occurrences are cancelled)',
            params: uuidParams,
            response: {
              200: rowSchema.describe('The schedule'),
              202: rowSchema
                .extend(confirmationSchema.shape)
                .describe('The schedule, with the confirmation that switches it on'),
              409: errorSchema,
              ...protectedErrors,
            },
          },
        },
        async (req, reply) => {
          const result = await desk.setEnabled(req.params.id, enabled, callerOf(req));
          if (result.pending)
            return reply.status(202).send({ ...scheduleView(result.schedule), ...confirmationView(result.pending) });
          return scheduleView(result.schedule);
        },
      );
    }
    app.delete(
      '/api/schedules/:id',
      {
        config: { permission: 'schedules:write' },
        schema: {
          tags,
          summary: 'Delete a schedule (its coming occurrences are cancelled; past ones stay on record)',
          params: uuidParams,
          response: { 204: z.null(), ...protectedErrors },
        },
      },
      async (req, reply) => {
        await desk.remove(req.params.id, callerOf(req));
        return reply.status(204).send(null);
      },
    );
  };
