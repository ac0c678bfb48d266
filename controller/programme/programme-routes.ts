import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { QuietHours } from '../broadcasts/quiet-hours.js';
import type { Clock } from '../clock.js';
import type { CoverageService } from '../coverage/coverage-service.js';
import type { HamletsReadModel } from '../hamlets/hamlets-read-model.js';
import { actorOf, callerOf } from '../http/auth.js';
import { confirmationSchema, confirmationView } from '../broadcasts/confirmation-schemas.js';
import { AppError, notFound, uploadError } from '../http/errors.js';
import {
  errorSchema,
  objectSchema,
  rowOf,
  protectedErrors,
  rowSchema,
  textAnswer,
  uuidParams,
} from '../http/schemas.js';
import { HOLIDAYS } from './holidays.js';
import { describeReason } from './occurrence-reason.js';
import { weekCalendar } from './week-calendar.js';
import { nextStart } from './recurrence.js';
import { decodeM3u, M3uCharsetError } from './m3u.js';
import type { PlaylistsService } from './playlists-service.js';
import { scheduleSpecSchema } from './schedule-spec.js';
import type { Scheduler } from './scheduler.js';
import type { Saved, ScheduleDesk } from './schedule-desk.js';
import type { Occurrence, SchedulesRepository } from './schedules-repository.js';
import type { Schedule, SchedulesService } from './schedules-service.js';

const tags = ['programme'];

/** An M3U file is a few kilobytes; this leaves room for a long list. */
const MAX_M3U_BYTES = 1024 * 1024;

/** The uploaded M3U file's text (its charset decided by its name) and the optional name field. */
async function m3uFile(req: FastifyRequest): Promise<{ text: string; name: string | undefined }> {
  if (!req.isMultipart()) throw new AppError(415, 'upload_missing_file');
  let file;
  let bytes: Buffer;
  try {
    file = await req.file({ limits: { fileSize: MAX_M3U_BYTES, files: 1, fields: 2, fieldSize: 1000 } });
    if (!file) throw new AppError(400, 'upload_missing_file');
    bytes = await file.toBuffer();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 413)
      throw new AppError(413, 'upload_too_large', { max_mb: MAX_M3U_BYTES / 1024 / 1024 });
    throw uploadError(err);
  }
  const field = file.fields.name;
  const name =
    field && 'value' in field && typeof field.value === 'string' && field.value.trim()
      ? field.value.trim().slice(0, 200)
      : undefined;
  try {
    return { text: decodeM3u(bytes, file.filename ?? ''), name };
  } catch (err) {
    if (err instanceof M3uCharsetError) throw new AppError(422, 'm3u_not_utf8');
    throw err;
  }
}

const playlistInput = z.object({
  name: z.string().trim().min(1).max(200),
  opening_media_id: z.uuid().nullable().optional().describe('Opening jingle (nhạc hiệu)'),
  closing_media_id: z.uuid().nullable().optional(),
  items: z
    .array(
      z.union([
        z.object({ media_id: z.uuid(), title: z.string().max(200).nullable().optional() }),
        z.object({ bulletin_id: z.uuid(), title: z.string().max(200).nullable().optional() }),
      ]),
    )
    .max(200),
});

const explanationSchema = z.object({
  code: z.string(),
  message: z.string(),
  message_en: z.string(),
  other_schedule_id: z.string(),
  at: z.string(),
});

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
  ({
    schedules,
    repo,
    playlists,
    coverage,
    hamlets,
    desk,
    clock,
    quietHours,
  }: ProgrammeRoutesDeps): FastifyPluginAsyncZod =>
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
    const occurrenceView = (o: Occurrence) => ({ ...o, late: o.late === 1, reason: describeReason(o.reason) });

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

    // Playlists
    app.get(
      '/api/playlists',
      {
        config: { permission: 'broadcasts:read' },
        schema: { tags, summary: 'Playlists', response: { 200: z.array(rowSchema) } },
      },
      async () => playlists.list(),
    );
    app.get(
      '/api/playlists/:id',
      {
        config: { permission: 'broadcasts:read' },
        schema: { tags, summary: 'One playlist with its items', params: uuidParams, response: { 200: rowSchema } },
      },
      async (req) => playlists.get(req.params.id),
    );
    app.post(
      '/api/playlists',
      {
        config: { permission: 'schedules:write' },
        schema: {
          tags,
          summary: 'Create a playlist: items in order, opening and closing jingles',
          body: playlistInput,
          response: { 201: rowSchema.describe('The playlist'), 409: errorSchema, 422: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => reply.status(201).send(playlists.save(req.body, actorOf(req))),
    );
    app.put(
      '/api/playlists/:id',
      {
        config: { permission: 'schedules:write' },
        schema: {
          tags,
          summary:
            'Replace a playlist (its schedules use the new items from their next occurrence not yet sent). Needs the level of every schedule that plays it; an emergency or whole-commune schedule is switched off until its new content is confirmed (listed in confirmations)',
          params: uuidParams,
          body: playlistInput,
          response: {
            200: rowSchema
              .extend({ confirmations: z.array(objectSchema) })
              .describe('The playlist, with the confirmations its schedules now wait for'),
            409: errorSchema,
            422: errorSchema,
            ...protectedErrors,
          },
        },
      },
      async (req) => {
        const caller = callerOf(req);
        const toConfirm = desk.checkPlaylistChange(req.params.id, caller);
        const saved = await playlists.save(req.body, actorOf(req), req.params.id);
        const confirmations = (await desk.reconfirm(toConfirm, caller)).map((p) => confirmationView(p).confirmation);
        return { ...saved, confirmations };
      },
    );
    app.delete(
      '/api/playlists/:id',
      {
        config: { permission: 'schedules:write' },
        schema: {
          tags,
          summary: 'Delete a playlist (refused, 409 playlist_in_use, while a schedule plays it)',
          params: uuidParams,
          response: { 204: z.null(), 409: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => {
        desk.checkPlaylistRemoval(req.params.id);
        playlists.remove(req.params.id, actorOf(req));
        return reply.status(204).send(null);
      },
    );
    const importSummary =
      'M3U as players and radio tools write it (Winamp, VLC; playlists/README.md): http(s) URLs are fetched and uploaded, file names and paths are matched against uploaded audio; every line that cannot be used is named at once (422 m3u_invalid)';
    app.post(
      '/api/playlists/import',
      {
        config: { permission: 'schedules:write' },
        schema: {
          tags,
          summary: `Import a playlist from M3U text. ${importSummary}`,
          body: z.object({ m3u: z.string().max(200_000), name: z.string().trim().min(1).max(200).optional() }),
          response: { 201: rowSchema.describe('The playlist'), 422: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await playlists.importM3u(req.body.m3u, req.body.name, actorOf(req))),
    );
    app.post(
      '/api/playlists/import/file',
      {
        config: { permission: 'schedules:write' },
        schema: {
          tags,
          consumes: ['multipart/form-data'],
          summary: `Import an .m3u or .m3u8 file (multipart field "file"; optional field "name" before it). .m3u8 is UTF-8; .m3u is UTF-8 when it reads as such, else Windows-1252 (Winamp). ${importSummary}`,
          response: {
            201: rowSchema.describe('The playlist'),
            413: errorSchema,
            415: errorSchema,
            422: errorSchema,
            ...protectedErrors,
          },
        },
      },
      async (req, reply) => {
        const upload = await m3uFile(req);
        return reply.status(201).send(await playlists.importM3u(upload.text, upload.name, actorOf(req)));
      },
    );
    app.get(
      '/api/playlists/:id/m3u',
      {
        config: { permission: 'broadcasts:read' },
        schema: {
          tags,
          summary:
            'Export as extended M3U in UTF-8 (.m3u8): each entry a signed link to its audio that players (VLC, ffplay, radio tools) open without an account for media.link_valid_hours; our tags before each link keep what it is here (#EXT-X-TT-MEDIA, #EXT-X-TT-BULLETIN)',
          params: uuidParams,
          response: {
            200: textAnswer(
              'Extended M3U, UTF-8',
              ['audio/x-mpegurl'],
              '#EXTM3U\n#PLAYLIST:Buổi sáng\n#EXTINF:95,Thông báo lịch tiêm phòng\n#EXT-X-TT-MEDIA:0b6f3a52-8c1e-4d5a-9f2b-7c1d2e3f4a5b\nhttps://loa.xa.example.vn/public/media/1767225600/<signature>/0b6f3a52-8c1e-4d5a-9f2b-7c1d2e3f4a5b.mp3\n',
            ),
          },
        },
      },
      async (req, reply) => {
        const { name, text } = playlists.exportM3u8(req.params.id);
        // The id is the plain-ASCII name; clients that read RFC 6266's filename* get the playlist's own.
        const disposition = `attachment; filename="${req.params.id}.m3u8"; filename*=UTF-8''${encodeURIComponent(name.replace(/[\\/:*?"<>|\r\n]+/g, ' ').trim() || req.params.id)}.m3u8`;
        return reply.type('audio/x-mpegurl; charset=utf-8').header('content-disposition', disposition).send(text);
      },
    );
    app.post(
      '/api/playlists/:id/render',
      {
        config: { permission: 'schedules:write' },
        schema: {
          tags,
          summary: 'Join the playlist into one file now (otherwise done when it is first scheduled)',
          params: uuidParams,
          response: {
            200: z.object({ media: rowSchema.nullable().describe('The joined audio; null for an empty playlist') }),
          },
        },
      },
      async (req) => ({ media: await playlists.renderNow(req.params.id, actorOf(req)) }),
    );

    // Schedules
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

    // Occurrences
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
