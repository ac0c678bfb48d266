/**
 * Live progress of a broadcast as Server-Sent Events: a "coverage" event at once and whenever
 * acks for it are stored or a stop goes out (at most every 250 ms), a "retry" event when silent receivers are sent
 * their command again, and "complete" when every receiver has an outcome. Coverage also changes
 * with no ack at all (a receiver that died mid-item turns unfinished, one goes offline): it is
 * looked at again every heartbeat and sent when it differs from what was last sent.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { BroadcastsService } from './broadcasts-service.js';
import type { AckIngestor } from '../coverage/ack-ingestor.js';
import type { CoverageService } from '../coverage/coverage-service.js';
import { uuidParams, protectedErrors, textAnswer } from '../http/schemas.js';
import type { Ack } from '../protocol/messages.js';
import type { FollowUp, RetryEvent } from './follow-up.js';
import type { StopDesk } from './stop-desk.js';

const THROTTLE_MS = 250;
/** Keeps proxies from closing an idle stream, and is when coverage is looked at again without an ack. */
const HEARTBEAT_MS = 15_000;

export const broadcastEventsRoutes =
  (
    coverage: CoverageService,
    broadcasts: BroadcastsService,
    acks: AckIngestor,
    followUp: FollowUp,
    stops: Pick<StopDesk, 'events'>,
  ): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/broadcasts/:id/events',
      {
        config: { permission: 'coverage:read' },
        schema: {
          tags: ['coverage'],
          summary: 'Live per-hamlet progress (text/event-stream): events coverage, retry, complete',
          params: uuidParams,
          response: {
            200: textAnswer(
              'Server-sent events',
              ['text/event-stream'],
              'event: coverage\ndata: {"totals":{"targeted":6,"finished":2}}\n\n',
            ),
            ...protectedErrors,
          },
        },
      },
      async (req, reply) => {
        const id = req.params.id;
        broadcasts.get(id); // 404 before the stream starts
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
          'x-content-type-options': 'nosniff',
        });
        const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        let timer: NodeJS.Timeout | undefined;
        let closed = false;
        let last = '';
        /** Sends coverage; on a heartbeat only when it changed (one query a stream every 15 s, nothing sent when idle). */
        const push = (onlyIfChanged = false) => {
          if (closed) return;
          const c = coverage.ofBroadcast(id);
          const text = JSON.stringify(c);
          if (onlyIfChanged && text === last) {
            raw.write(': keep-alive\n\n');
            return;
          }
          last = text;
          raw.write(`event: coverage\ndata: ${text}\n\n`);
          if (c.complete) {
            send('complete', { broadcast_id: id, totals: c.totals });
            cleanup();
            raw.end();
          }
        };
        const soon = () => {
          timer ??= setTimeout(() => {
            timer = undefined;
            push();
          }, THROTTLE_MS);
        };
        // Its own acks, and a stop of hamlets taken (an ack naming no broadcast): either may change it.
        const onStored = (stored: Ack[]) => {
          if (stored.some((a) => a.broadcast_id === id || a.broadcast_id === null)) soon();
        };
        // A stop sent: its receivers not yet answered are "stop sent" from now, not at the next heartbeat.
        const onStop = () => soon();
        const onRetry = (e: RetryEvent) => e.broadcast_id === id && send('retry', e);
        const heartbeat = setInterval(() => {
          // A timer's throw would take the whole controller down: a failed look (the database
          // closing at shutdown) only skips this beat.
          try {
            push(true);
          } catch (err) {
            req.log.warn({ err, broadcast_id: id }, 'coverage for the event stream failed');
          }
        }, HEARTBEAT_MS);
        const cleanup = () => {
          closed = true;
          clearTimeout(timer);
          clearInterval(heartbeat);
          acks.events.off('stored', onStored);
          followUp.events.off('retry', onRetry);
          stops.events.off('stopped', onStop);
        };
        acks.events.on('stored', onStored);
        followUp.events.on('retry', onRetry);
        stops.events.on('stopped', onStop);
        raw.on('close', cleanup);
        push();
      },
    );
  };
