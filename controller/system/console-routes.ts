/**
 * The operator console: static files (HTML, CSS, ES modules; no build step) served to anyone —
 * everything they show comes from the same API as every other client, behind the same
 * permissions — plus the message catalogue and one live event stream for the console.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StopDesk } from '../broadcasts/stop-desk.js';
import { CATEGORIES } from '../bulletins/bulletins-read-model.js';
import type { ReportsService } from '../reports/reports-service.js';
import { integrityOf, type CheckedStore } from '../reports/store-integrity.js';
import type { Clock } from '../clock.js';
import type { ControllerMqtt } from '../mqtt/mqtt-client.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { objectSchema, textAnswer } from '../http/schemas.js';
import type { AckIngestor } from '../coverage/ack-ingestor.js';
import type { HealthService } from '../health/health-service.js';
import { catalogue } from '../i18n/console-messages.js';
import type { ReceiverPresence } from '../receivers/receiver-presence.js';
import type { Ack } from '../protocol/messages.js';

const CONSOLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'console');
const require = createRequire(import.meta.url);
/** Libraries the console loads, from the installed packages (one file each, ES modules or CSS). */
const VENDOR: Record<string, { file: string; type: string }> = {
  // htm's exports hide its files: find the package from its main entry (dist/htm.js).
  'preact-htm.js': {
    file: join(dirname(require.resolve('htm')), '..', 'preact', 'standalone.module.js'),
    type: 'text/javascript',
  },
  'leaflet.js': {
    file: join(dirname(require.resolve('leaflet/package.json')), 'dist', 'leaflet-src.esm.js'),
    type: 'text/javascript',
  },
  'leaflet.css': {
    file: join(dirname(require.resolve('leaflet/package.json')), 'dist', 'leaflet.css'),
    type: 'text/css',
  },
  'uplot.js': {
    file: join(dirname(require.resolve('uplot/package.json')), 'dist', 'uPlot.esm.js'),
    type: 'text/javascript',
  },
  'uplot.css': {
    file: join(dirname(require.resolve('uplot/package.json')), 'dist', 'uPlot.min.css'),
    type: 'text/css',
  },
};
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

export interface ConsoleOptions {
  commune: { name: string; timezone: string };
  /** A map tile URL template (e.g. an OpenStreetMap mirror); null: the map draws without tiles. */
  tileUrl: string | null;
  /** Bulletins per category a week the commune plan asks for. */
  weeklyTargets: Record<string, number>;
  /** media.max_upload_mb: the console refuses a bigger file before sending a byte of it. */
  maxUploadMb: number;
  clock: Clock;
  brokerLink: BrokerLinkSource;
  /** Stops sent: an open coverage page says "stop sent" at once (StopDesk). */
  stops: { events: Pick<StopDesk['events'], 'on' | 'off'> };
  /** The store's integrity: its last check, and each check made after an outside write (ReportsService). */
  integrity: {
    events: Pick<ReportsService['events'], 'on' | 'off'>;
    storeIntegrity(): CheckedStore | null;
  };
}

/** The controller's MQTT link and its changes (ControllerMqtt). */
export type BrokerLinkSource = Pick<ControllerMqtt, 'link' | 'events'>;

export const consoleRoutes =
  (
    presence: ReceiverPresence,
    health: HealthService,
    acks: AckIngestor,
    options: ConsoleOptions,
  ): FastifyPluginAsyncZod =>
  async (app) => {
    const cache = new Map<string, Buffer>();
    const read = (file: string) => {
      let b = cache.get(file);
      if (!b || process.env.TT_CONSOLE_DEV) cache.set(file, (b = readFileSync(file)));
      return b;
    };

    app.get('/', { config: { permission: 'public' }, schema: { hide: true } }, async (_req, reply) =>
      reply.redirect('/console/', 302),
    );
    app.get('/console', { config: { permission: 'public' }, schema: { hide: true } }, async (_req, reply) =>
      reply.redirect('/console/', 301),
    );
    app.get('/console/', { config: { permission: 'public' }, schema: { hide: true } }, async (_req, reply) =>
      reply
        .type(TYPES.html)
        .header('cache-control', 'no-cache')
        .send(read(join(CONSOLE_DIR, 'index.html'))),
    );
    app.get(
      '/console/vendor/:file',
      { config: { permission: 'public' }, schema: { hide: true, params: z.object({ file: z.string() }) } },
      async (req, reply) => {
        const v = VENDOR[req.params.file];
        if (!v) return reply.status(404).send();
        return reply.type(v.type).header('cache-control', 'public, max-age=86400').send(read(v.file));
      },
    );
    app.get(
      '/console/:dir/:file',
      {
        config: { permission: 'public' },
        schema: {
          hide: true,
          params: z.object({ dir: z.enum(['pages', 'lib']), file: z.string().regex(/^[a-z0-9-]+\.js$/) }),
        },
      },
      async (req, reply) =>
        reply
          .type(TYPES.js)
          .header('cache-control', 'no-cache')
          .send(read(join(CONSOLE_DIR, req.params.dir, req.params.file))),
    );
    app.get(
      '/console/:file',
      {
        config: { permission: 'public' },
        schema: { hide: true, params: z.object({ file: z.string().regex(/^[a-z0-9-]+\.(js|css)$/) }) },
      },
      async (req, reply) => {
        const ext = req.params.file.split('.').pop()!;
        try {
          return reply
            .type(TYPES[ext])
            .header('cache-control', 'no-cache')
            .send(read(join(CONSOLE_DIR, req.params.file)));
        } catch {
          return reply.status(404).send();
        }
      },
    );

    app.get(
      '/api/i18n',
      {
        config: { permission: 'public' },
        schema: {
          tags: ['system'],
          summary: 'The message catalogue (Vietnamese and English), for the console and other clients',
          response: {
            200: z.looseObject({
              messages: z.record(z.string(), z.unknown()),
              commune: objectSchema,
              tile_url: z.string().nullable(),
            }),
          },
        },
      },
      async (_req, reply) =>
        reply.header('cache-control', 'no-cache').send({
          messages: catalogue,
          commune: options.commune,
          tile_url: options.tileUrl,
          weekly_targets: options.weeklyTargets,
          max_upload_mb: options.maxUploadMb,
          // The bulletin categories the forms offer: the server's list, one home.
          categories: CATEGORIES,
        }),
    );

    app.get(
      '/api/events',
      {
        config: { permission: 'receivers:read' },
        schema: {
          tags: ['system'],
          summary:
            "Live events for the console (text/event-stream): receiver (availability), alert (opened, resolved), acks (broadcast ids with new acks; stop_all: a stop sent, or an ack of a stop of hamlets, which names no broadcast), broker (the controller's link to its broker: first on connecting, then on every change), integrity (the last check of the acknowledgement store: first on connecting, then after every check made because the database was written from outside)",
          response: { 200: textAnswer('Server-sent events', ['text/event-stream']) },
        },
      },
      async (req, reply) => {
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
          'x-content-type-options': 'nosniff',
        });
        const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        const onStatus = (e: unknown) => send('receiver', e);
        const onAlert = (e: unknown) => send('alert', e);
        const onLink = (e: unknown) => send('broker', e);
        // Acks come in bursts: the ids of broadcasts that moved, at most twice a second.
        let pending = new Set<string>();
        // An ack of a stop of every hamlet names no broadcast, yet it turns "stop sent" into "stopped" on any.
        let stopAll = false;
        let timer: NodeJS.Timeout | undefined;
        const onStored = (stored: Ack[]) => {
          for (const a of stored)
            if (a.broadcast_id) pending.add(a.broadcast_id);
            else stopAll = true;
          timer ??= setTimeout(() => {
            timer = undefined;
            send('acks', { broadcast_ids: [...pending], ...(stopAll ? { stop_all: true } : {}) });
            pending = new Set();
            stopAll = false;
          }, 500);
        };
        // A stop sent changes the coverage of whatever it silences, before any receiver answers.
        const onStop = () => {
          stopAll = true;
          onStored([]);
        };
        presence.events.on('status', onStatus);
        health.events.on('alert', onAlert);
        acks.events.on('stored', onStored);
        options.brokerLink.events.on('link', onLink);
        options.stops.events.on('stopped', onStop);
        // Records found altered: every page says so (a tamper after a page was opened went unseen).
        const onIntegrity = (e: unknown) => send('integrity', e);
        options.integrity.events.on('integrity', onIntegrity);
        const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
        raw.on('close', () => {
          clearInterval(heartbeat);
          clearTimeout(timer);
          presence.events.off('status', onStatus);
          health.events.off('alert', onAlert);
          acks.events.off('stored', onStored);
          options.brokerLink.events.off('link', onLink);
          options.stops.events.off('stopped', onStop);
          options.integrity.events.off('integrity', onIntegrity);
        });
        send('hello', { at: options.clock.now().toISOString() });
        send('broker', options.brokerLink.link);
        send('integrity', integrityOf(options.integrity.storeIntegrity()));
      },
    );
  };
