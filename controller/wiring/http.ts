/**
 * Wiring of the HTTP side: fastify with its security plugins and OpenAPI, the error handler,
 * authentication, and every wing's routes (each wing's routes live beside its data).
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import { accountsRoutes } from '../accounts/accounts-routes.js';
import { auditRoutes } from '../audit/audit-routes.js';
import { broadcastEventsRoutes } from '../broadcasts/broadcast-events-routes.js';
import { confirmationRoutes } from '../broadcasts/confirmation-routes.js';
import { broadcastsRoutes } from '../broadcasts/broadcasts-routes.js';
import { bulletinsRoutes } from '../bulletins/bulletins-routes.js';
import { capRoutes } from '../cap/cap-routes.js';
import type { Clock } from '../clock.js';
import { coverageRoutes } from '../coverage/coverage-routes.js';
import { proofRoutes } from '../proof/proof-routes.js';
import type { KeyHistory } from '../proof/key-history.js';
import type { ProofHeads } from '../proof/proof-heads.js';
import { hamletsRoutes } from '../hamlets/hamlets-routes.js';
import { healthRoutes } from '../health/health-routes.js';
import { actorOf, registerAuth } from '../http/auth.js';
import { SOUND_ROUTES } from '../safety/safety-gate.js';
import { rateLimitedError, registerErrorHandler } from '../http/errors.js';
import { openapiObjectTransform, openapiRouteTransform } from '../http/openapi.js';
import { liveRoutes } from '../live/live-routes.js';
import type { Logger } from '../logger.js';
import { mediaRoutes } from '../media/media-routes.js';
import { programmeRoutes } from '../programme/programme-routes.js';
import type { CommandSigner } from '../protocol/signing.js';
import { publishingRoutes } from '../publishing/publishing-routes.js';
import { socialRoutes } from '../publishing/social-routes.js';
import { receiversRoutes } from '../receivers/receivers-routes.js';
import { reportsRoutes } from '../reports/reports-routes.js';
import type { Settings } from '../settings.js';
import { consoleRoutes, type BrokerLinkSource } from '../system/console-routes.js';
import { systemRoutes, type HealthSource } from '../system/system-routes.js';
import { ttsRoutes } from '../tts/tts-routes.js';
import { rolloutsRoutes } from '../updates/rollouts-routes.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import type { Care } from './care-wing.js';
import type { Commune } from './commune-wing.js';
import type { Content } from './content-wing.js';
import type { Receipts } from './receipts-wing.js';
import type { Sending } from './sending-wing.js';

export interface RouteInfo {
  method: string;
  url: string;
  permission?: string;
  receivers?: boolean;
}

export interface HttpWiring {
  settings: Settings;
  version: string;
  log: Logger;
  clock: Clock;
  tls?: { cert: string; key: string };
  signer: CommandSigner;
  audit: AuditRepository;
  keys: KeyHistory;
  heads: ProofHeads;
  metrics: Registry;
  health: HealthSource;
  commune: Commune;
  sending: Sending;
  receipts: Receipts;
  content: Content;
  care: Care;
  publicHttpUrl: () => string;
  /** The controller's link to its broker: every console shows when it is down. */
  brokerLink: BrokerLinkSource;
  /** Filled with every route and what it declares: the permission matrix test walks this list. */
  routes: RouteInfo[];
}

export function wireHttp(w: HttpWiring): FastifyInstance {
  const { settings, commune, sending, receipts, content, care } = w;
  const app = Fastify({
    loggerInstance: w.log as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // Behind a reverse proxy, set http.trust_proxy so that audit and rate limits see the real client.
    trustProxy: settings.http.trust_proxy,
    // Stopping closes every connection, also the consoles' open event streams: a SIGTERM must not
    // wait for a browser tab to go away (the restart would then find the ports taken).
    forceCloseConnections: true,
    ...(w.tls ? { https: { ...w.tls, minVersion: 'TLSv1.2' as const } } : {}),
  }) as unknown as FastifyInstance;
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD')
        w.routes.push({
          method,
          url: route.url,
          permission: route.config?.permission,
          receivers: route.config?.receivers,
        });
    }
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('settings', settings);
  registerErrorHandler(app);
  // "Content-Type: application/json" with no body (curl -H ... -X POST, some HTTP clients) is an
  // empty request, not a malformed one: routes whose body is optional answer as if none was sent.
  const defaultJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    defaultJson(req, text, done);
  });
  app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Truyền thanh thông minh — controller API',
        version: w.version,
        // A code span: Swagger UI reads descriptions as Markdown and would swallow <token> as an HTML tag.
        description:
          "Commune smart loudspeaker network controller. Authenticate with `Authorization: Bearer <token>` (an API token), or with the session cookie POST /api/auth/login sets (then send its csrf_token as `x-csrf-token` on every change). Every answer carries the controller's time as `x-controller-time` (ISO 8601, UTC): count deadlines such as a confirmation's expires_at from it, not from the client's clock.",
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          receiverBasic: { type: 'http', scheme: 'basic' },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: openapiRouteTransform,
    transformObject: openapiObjectTransform,
  });
  app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiHooks: {},
    staticCSP: true,
    // Its static CSP asks the browser to fetch every asset over HTTPS: on a plain-HTTP commune LAN
    // (http://controller.local/docs) that is a blank page. Upgrade only where TLS is served.
    transformStaticCSP: (header) =>
      settings.http.tls_cert_file ? header : header.replace(/\s*upgrade-insecure-requests;?/, ''),
  });
  app.register(fastifyHelmet, {
    // The API serves JSON and audio; /docs needs its own scripts and styles, nothing else.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: [
          "'self'",
          'data:',
          ...(settings.console.tile_url ? [new URL(settings.console.tile_url.replace(/\{[a-z]\}/g, '0')).origin] : []),
        ],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        // The console plays previews it has just fetched (text to speech, a bulletin's audio) from blob: URLs.
        mediaSrc: ["'self'", 'blob:'],
        // On a plain-HTTP commune LAN, upgrading requests to HTTPS would break every page.
        upgradeInsecureRequests: settings.http.tls_cert_file ? [] : null,
      },
    },
    hsts: settings.http.tls_cert_file ? { maxAge: 31536000 } : false,
  });
  // What /public serves (feeds, audio, artwork, the page) is for anyone: the commune's website and
  // browser podcast players embed and fetch it from their own origins. No credentials are read
  // there, so any origin may read it; everything else keeps helmet's same-origin policy.
  app.addHook('onSend', async (req, reply) => {
    // The controller's time on every answer: the console counts confirmations down and names
    // "today" by it, not by a phone's clock that may be minutes off.
    reply.header('x-controller-time', w.clock.now().toISOString());
    if (req.url === '/public' || req.url.startsWith('/public/')) {
      reply.header('cross-origin-resource-policy', 'cross-origin').header('access-control-allow-origin', '*');
    }
  });
  app.register(fastifyCookie);
  app.register(fastifyRateLimit, { global: false, errorResponseBuilder: rateLimitedError });
  app.register(fastifyMultipart);
  app.register(fastifyStatic, { root: sending.media.mediaDir, serve: false });
  app.register(async (scoped) => {
    registerAuth(scoped, commune.accounts, commune.receivers, (req, permission) =>
      w.audit.append({
        actor: actorOf(req).id,
        source_ip: req.ip,
        action: 'sound.refused',
        subject: SOUND_ROUTES[`${req.method} ${req.routeOptions.url}`],
        detail: { rule: 'forbidden', permission, route: `${req.method} ${req.routeOptions.url}` },
      }),
    );
    scoped.register(
      accountsRoutes(commune.accounts, {
        secureCookie: Boolean(settings.http.tls_cert_file) || settings.http.trust_proxy !== false,
        loginRatePerMinute: settings.security.login_rate_per_minute,
      }),
    );
    scoped.register(hamletsRoutes(commune.hamlets, { hours: sending.quietHours, clock: w.clock }));
    scoped.register(receiversRoutes(commune.receivers, commune.presence));
    scoped.register(mediaRoutes(sending.media, settings.media.max_upload_mb, sending.mediaLinks));
    scoped.register(
      broadcastsRoutes({
        broadcasts: sending.broadcasts,
        sendDesk: sending.sendDesk,
        stopDesk: sending.stopDesk,
        bulletins: content.bulletins,
        publicationAfter: (b, broadcastId) => content.publishing.afterBroadcast(b, broadcastId),
        hamletStops: (b) => sending.broadcastsRepo.hamletStops(b),
      }),
    );
    scoped.register(
      confirmationRoutes({
        broadcasts: sending.broadcasts,
        sendDesk: sending.sendDesk,
        nameOf: (u) => commune.accounts.displayNameOf(u),
        titleOf: (id) => sending.media.find(id)?.title ?? null,
        clock: w.clock,
      }),
    );
    scoped.register(
      coverageRoutes(receipts.coverage, {
        fresh: () => care.reports.freshIntegrity(),
        writtenSinceCheck: () => care.reports.storeWrittenSinceCheck(),
        latest: () => care.reports.storeIntegrity(),
        checkNow: () => care.reports.checkStoreNow(),
      }),
    );
    scoped.register(proofRoutes(w.keys, w.heads, w.signer.publicKeyPem, settings.commune));
    scoped.register(
      broadcastEventsRoutes(receipts.coverage, sending.broadcasts, receipts.acks, sending.followUp, sending.stopDesk),
    );
    scoped.register(systemRoutes(w.health, w.version, w.metrics));
    scoped.register(auditRoutes(w.audit, w.clock, settings.commune.timezone, () => care.reports.checkStoreNow()));
    scoped.register(ttsRoutes(sending.tts, sending.media, sending.abbreviations));
    scoped.register(
      bulletinsRoutes(content.bulletins, sending.media, (b, broadcastId) =>
        content.publishing.afterBroadcast(b, broadcastId),
      ),
    );
    scoped.register(capRoutes(content.cap));
    scoped.register(liveRoutes(sending.live));
    scoped.register(healthRoutes(care.receiverHealth, care.remoteOps));
    scoped.register(rolloutsRoutes(care.rollouts));
    scoped.register(reportsRoutes(care.reports, care.upward, w.signer, settings.commune, settings.reporting.document));
    scoped.register(
      publishingRoutes(
        content.publishing,
        content.webhooks,
        content.bulletins,
        sending.media,
        settings.commune,
        w.publicHttpUrl,
        settings.publishing.podcast,
      ),
    );
    scoped.register(socialRoutes(content.social));
    scoped.register(
      consoleRoutes(commune.presence, care.receiverHealth, receipts.acks, {
        commune: settings.commune,
        tileUrl: settings.console.tile_url,
        weeklyTargets: settings.console.weekly_targets,
        maxUploadMb: settings.media.max_upload_mb,
        clock: w.clock,
        brokerLink: w.brokerLink,
        stops: sending.stopDesk,
        integrity: care.reports,
      }),
    );
    scoped.register(
      programmeRoutes({
        schedules: content.schedules,
        scheduler: content.scheduler,
        repo: content.schedulesRepo,
        playlists: content.playlists,
        coverage: receipts.coverage,
        hamlets: commune.hamletsRepo,
        desk: content.scheduleDesk,
        clock: w.clock,
        quietHours: sending.quietHours,
      }),
    );
  });
  return app;
}
