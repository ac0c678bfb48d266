import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, callerOf } from '../http/auth.js';
import type { FastifyRequest } from 'fastify';
import type { BulletinsService } from '../bulletins/bulletins-service.js';
import { publicationNoteSchema, type PublicationAfter } from '../bulletins/publication-note.js';
import type { SendDesk } from './send-desk.js';
import type { StopDesk } from './stop-desk.js';
import { confirmationSchema, confirmationView } from './confirmation-schemas.js';
import { errorSchema, protectedErrors, uuidParams } from '../http/schemas.js';
import { idSchema, prioritySchema } from '../protocol/messages.js';
import { pickLang, t } from '../i18n/messages.js';
import type { BroadcastsService } from './broadcasts-service.js';
import type { Broadcast } from './broadcasts-read-model.js';

const broadcastSchema = z.object({
  id: z.string(),
  title: z.string().nullable().optional().describe('What it plays, as people name it (in lists)'),
  media_id: z.string().nullable(),
  live_id: z.string().nullable(),
  priority: prioritySchema,
  volume_pct: z.number(),
  target: z.unknown(),
  source: z.string(),
  created_by: z.string(),
  created_at: z.string(),
  play_at: z.string().nullable(),
  expires_at: z.string(),
  drill: z.boolean(),
  repeat_count: z.number(),
  stopped_at: z.string().nullable(),
  confirmed_by: z.string().nullable(),
});
/** What a send answers: the broadcast, how many receivers it targets, and whether it is recorded yet. */
const sentSchema = broadcastSchema.extend({
  targeted_receivers: z.number(),
  recorded: z
    .boolean()
    .describe('false only for an emergency sent while the disk was full: its record follows when there is room'),
  warning: z.object({ code: z.string(), message: z.string(), message_en: z.string() }).optional(),
});
/** What confirming a send answers: a bulletin's says what became of its publication, as its unconfirmed send does. */
const confirmedSchema = sentSchema.extend({ publication: publicationNoteSchema.optional() });
/** What confirming a schedule answers: it is switched on. */
const scheduleConfirmedSchema = z.object({ schedule_id: z.string(), enabled: z.literal(true) });
const createBody = z.object({
  media_id: z.uuid().optional().describe('The audio to play; or live_id'),
  live_id: z.uuid().optional().describe('A live session (POST /api/live) to play as it comes'),
  target: z.object({
    all: z.boolean().optional().describe('The whole commune'),
    hamlet_ids: z.array(idSchema).max(1000).optional(),
    receiver_ids: z.array(idSchema).max(10_000).optional(),
  }),
  priority: prioritySchema.default('normal').describe('Circular 39/2020: normal, priority or emergency'),
  volume_pct: z
    .number()
    .int()
    .min(0)
    .max(100)
    .optional()
    .describe('Capped by broadcasts.max_volume_pct; an emergency plays at emergency.max_volume_pct unless told'),
  repeat_count: z.number().int().min(1).max(10).optional().describe('Default 1; emergencies: emergency.repeat_count'),
  repeat_interval_s: z.number().int().min(0).max(600).optional(),
  drill: z.boolean().optional().describe('A drill (diễn tập): the drill preamble plays first'),
  expires_in_s: z
    .number()
    .int()
    .min(10)
    .optional()
    .describe(
      'How late after its start (play_at, or now) a receiver may still start it; a receiver that gets the command later never plays it',
    ),
  play_at: z.iso
    .datetime({ offset: true })
    .nullable()
    .optional()
    .describe('Synchronised start; omitted plays as soon as the audio is verified'),
});
const tags = ['broadcasts'];

export interface BroadcastsRoutesDeps {
  broadcasts: BroadcastsService;
  sendDesk: SendDesk;
  stopDesk: StopDesk;
  bulletins: BulletinsService;
  /** What a confirmed bulletin's broadcast did to its publication (bulletins-routes.ts answers it too). */
  publicationAfter?: PublicationAfter;
  /** The stops of a broadcast's hamlets that silence it (stop-alls.ts). */
  hamletStops: (b: Broadcast) => { hamlets: { hamlet_id: string; at: string }[]; all_at: string | null };
}

/** Sending over HTTP: send (with confirmation when needed), stop all, stop one, cancel and correct, and reading broadcasts. */
export const broadcastsRoutes =
  ({
    broadcasts: service,
    sendDesk,
    stopDesk,
    bulletins,
    publicationAfter,
    hamletStops,
  }: BroadcastsRoutesDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const view = (b: ReturnType<BroadcastsService['get']>) => {
      const { target_json, drill, ...rest } = b;
      return { ...rest, drill: drill === 1, target: JSON.parse(target_json) };
    };
    /** The broadcast as sent, with a warning when a full disk kept it from being recorded yet. */
    const sent = (req: FastifyRequest, result: { broadcast_id: string; targeted: number; recorded: boolean }) => {
      const lang = pickLang(req.headers['accept-language']);
      return {
        ...view(service.get(result.broadcast_id)),
        targeted_receivers: result.targeted,
        recorded: result.recorded,
        ...(result.recorded
          ? {}
          : {
              warning: {
                code: 'disk_full_emergency_sent',
                message: t('disk_full_emergency_sent', lang),
                message_en: t('disk_full_emergency_sent', 'en'),
              },
            }),
      };
    };

    app.post(
      '/api/broadcasts',
      {
        config: { permission: 'broadcast:normal' },
        schema: {
          tags,
          summary: 'Broadcast now: to the whole commune, some hamlets or some receivers',
          body: createBody,
          response: {
            201: sentSchema,
            202: confirmationSchema,
            409: errorSchema,
            422: errorSchema,
            ...protectedErrors,
          },
        },
      },
      async (req, reply) => {
        const body = sendDesk.shape({
          ...req.body,
          play_at: req.body.play_at ? new Date(req.body.play_at).toISOString() : null,
        });
        const result = await sendDesk.request(body, callerOf(req));
        if (result.kind === 'confirm') return reply.status(202).send(confirmationView(result.pending));
        return reply.status(201).send(sent(req, result));
      },
    );

    app.post(
      '/api/broadcasts/confirmations/:id/confirm',
      {
        config: { permission: 'broadcast:normal' },
        schema: {
          tags,
          summary:
            'The second confirmation of an emergency or whole-commune broadcast or schedule (by another person when configured): answers the broadcast sent, or the schedule switched on',
          params: uuidParams,
          response: { 201: z.union([confirmedSchema, scheduleConfirmedSchema]), ...protectedErrors },
        },
      },
      async (req, reply) => {
        const result = await sendDesk.confirm(req.params.id.toLowerCase(), callerOf(req));
        if (result.kind === 'schedule')
          return reply.status(201).send({ schedule_id: result.schedule_id, enabled: true });
        const bulletinId = result.context.bulletin_id;
        if (bulletinId && result.recorded) bulletins.markBroadcast(bulletinId, result.broadcast_id, actorOf(req));
        const publication = bulletinId ? publicationAfter?.(bulletins.get(bulletinId), result.broadcast_id) : undefined;
        return reply.status(201).send({ ...sent(req, result), ...(publication ? { publication } : {}) });
      },
    );

    app.post(
      '/api/broadcasts/confirmations/:id/cancel',
      {
        config: { permission: 'broadcast:normal' },
        schema: {
          tags,
          summary: 'Withdraw a confirmation not given yet (nothing is sent; it leaves the waiting list)',
          params: uuidParams,
          response: { 204: z.null(), ...protectedErrors },
        },
      },
      async (req, reply) => {
        sendDesk.cancel(req.params.id.toLowerCase(), callerOf(req));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/broadcasts/stop',
      {
        config: { permission: 'broadcast:normal' },
        schema: {
          tags,
          summary:
            'STOP ALL: silence every receiver at once, or those of chosen hamlets (works during an emergency too)',
          body: z.object({ hamlet_ids: z.array(idSchema).max(1000).optional() }).default({}),
          response: {
            202: z.object({
              command_ids: z.array(z.string()),
              hamlets: z.array(z.string()),
              receivers: z.number().describe('Enrolled receivers in those hamlets: what the stop can reach'),
              hamlets_without_receivers: z
                .array(z.string())
                .describe('Of those hamlets, the ones with no enrolled receiver'),
            }),
            ...protectedErrors,
          },
        },
      },
      async (req, reply) => reply.status(202).send(await stopDesk.stopAll(req.body.hamlet_ids, actorOf(req))),
    );

    app.post(
      '/api/broadcasts/:id/stop',
      {
        config: { permission: 'broadcast:normal' },
        schema: {
          tags,
          summary: 'Stop one broadcast wherever it plays or waits',
          params: uuidParams,
          response: { 202: z.object({ command_ids: z.array(z.string()) }), ...protectedErrors },
        },
      },
      async (req, reply) => reply.status(202).send(await stopDesk.stop(req.params.id, actorOf(req))),
    );

    app.post(
      '/api/broadcasts/:id/cancel',
      {
        config: { permission: 'broadcast:normal' },
        schema: {
          tags,
          summary:
            'Cancel and correct: stop the broadcast at once and send a correction to the same receivers. The prepared correction (emergency.correction_text) goes at once (201); your own text is a new announcement and follows the same rules as any (an emergency or whole-commune correction answers 202 with the confirmation it needs). A broadcast is cancelled once (409 after).',
          params: uuidParams,
          body: z
            .object({
              text: z
                .string()
                .min(1)
                .max(2000)
                .optional()
                .describe('Your own correction text; omitted: the prepared correction'),
            })
            .default({}),
          response: {
            201: z.object({ stopped: z.array(z.string()), correction_broadcast_id: z.string() }),
            202: z.object({ stopped: z.array(z.string()), confirmation: confirmationSchema.shape.confirmation }),
            409: errorSchema,
            ...protectedErrors,
          },
        },
      },
      async (req, reply) => {
        const original = service.get(req.params.id);
        const caller = callerOf(req);
        // The prepared text was approved in the configuration: it goes at once, as the stop did. Your
        // own text is a new announcement. The gate is asked before the stop, so a refusal stops nothing.
        const options = { path: 'correction', origin: req.body.text === undefined ? 'prepared' : 'person' } as const;
        sendDesk.preflight({ ...JSON.parse(original.target_json), priority: original.priority }, caller, options);
        const { stopped, correction } = await stopDesk.cancel(req.params.id, req.body.text, actorOf(req));
        const result = await sendDesk.request(sendDesk.shape(correction), caller, { source: 'correction' }, options);
        if (result.kind === 'confirm')
          return reply.status(202).send({ stopped, confirmation: confirmationView(result.pending).confirmation });
        return reply.status(201).send({ stopped, correction_broadcast_id: result.broadcast_id });
      },
    );

    app.get(
      '/api/broadcasts',
      {
        config: { permission: 'broadcasts:read' },
        schema: {
          tags,
          summary: 'Recent broadcasts, newest first',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
          response: { 200: z.array(broadcastSchema), ...protectedErrors },
        },
      },
      async (req) => service.list(req.query.limit).map(view),
    );

    app.get(
      '/api/broadcasts/:id',
      {
        config: { permission: 'broadcasts:read' },
        schema: {
          tags,
          summary: 'One broadcast with its commands',
          params: uuidParams,
          response: {
            200: broadcastSchema.extend({
              stopped_at: z
                .string()
                .nullable()
                .describe(
                  'When this broadcast itself was stopped (POST /api/broadcasts/{id}/stop); see hamlets_stopped',
                ),
              stop_all_sent_at: z
                .string()
                .nullable()
                .describe(
                  'When stops of hamlets (POST /api/broadcasts/stop: every hamlet, or chosen ones), made while it could play, had been sent to every hamlet it was sent to where it had not ended on its own; null until then. Such a stop marks no broadcast stopped',
                ),
              hamlets_stopped: z
                .array(z.object({ hamlet_id: z.string(), stop_sent_at: z.string() }))
                .describe(
                  'Its hamlets where a stop of hamlets was sent and it had not ended on its own (some receiver there did not finish, fail or refuse it but for a stop), with the first such stop; whether each receiver took it is in the coverage',
                ),
              commands: z.array(
                z.object({
                  id: z.string(),
                  topic: z.string(),
                  created_at: z.string(),
                  published_at: z.string().nullable(),
                }),
              ),
            }),
            ...protectedErrors,
          },
        },
      },
      async (req) => {
        const b = service.get(req.params.id);
        const stops = hamletStops(b);
        return {
          ...view(b),
          stop_all_sent_at: stops.all_at,
          hamlets_stopped: stops.hamlets.map((h) => ({ hamlet_id: h.hamlet_id, stop_sent_at: h.at })),
          commands: service
            .commands(req.params.id)
            .map((c) => ({ id: c.id, topic: c.topic, created_at: c.created_at, published_at: c.published_at })),
        };
      },
    );
  };
