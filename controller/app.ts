/**
 * The composition root: builds every service from settings, wires MQTT and HTTP, and owns
 * start and stop. `buildController(settings, overrides)` is the one seam for tests.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { readFileSync } from 'node:fs';
import { AuditRepository } from './audit/audit-repository.js';
import { DeferredWrites } from './db/deferred-writes.js';
import { BroadcastsRepository } from './broadcasts/broadcasts-repository.js';
import { broadcastsRoutes } from './broadcasts/broadcasts-routes.js';
import { progressRoutes } from './urgent/progress-routes.js';
import { BroadcastsService } from './broadcasts/broadcasts-service.js';
import { QuietHours } from './broadcasts/quiet-hours.js';
import { PlaylistsRepository } from './programme/playlists-repository.js';
import { PublicationsRepository } from './publishing/publications-repository.js';
import { publishingRoutes } from './publishing/publishing-routes.js';
import { consoleRoutes } from './system/console-routes.js';
import { AlertMailer } from './health/alert-mailer.js';
import { rolloutsRoutes } from './updates/rollouts-routes.js';
import { RolloutsService } from './updates/rollouts-service.js';
import { reportsRoutes } from './reports/reports-routes.js';
import { ReportsService } from './reports/reports-service.js';
import { Rollups } from './reports/rollups.js';
import { UpwardReporter } from './reports/upward-reporter.js';
import { PublishingService } from './publishing/publishing-service.js';
import { WebhooksRepository } from './publishing/webhooks-repository.js';
import { WebhooksService } from './publishing/webhooks-service.js';
import { PlaylistsService } from './programme/playlists-service.js';
import { programmeRoutes } from './programme/programme-routes.js';
import { Scheduler } from './programme/scheduler.js';
import { SchedulesRepository } from './programme/schedules-repository.js';
import { SchedulesService } from './programme/schedules-service.js';
import { CommandPublisher } from './outbox/command-publisher.js';
import { OutboxRepository } from './outbox/outbox-repository.js';
import { systemClock, type Clock } from './clock.js';
import { AckIngestor } from './coverage/ack-ingestor.js';
import { AcksRepository } from './coverage/acks-repository.js';
import { AckChain } from './coverage/ack-chain.js';
import { CoverageService } from './coverage/coverage-service.js';
import { openDatabase, type Db } from './db/database.js';
import { HamletsRepository } from './hamlets/hamlets-repository.js';
import { hamletsRoutes } from './hamlets/hamlets-routes.js';
import { HamletsService } from './hamlets/hamlets-service.js';
import { registerAuth } from './http/auth.js';
import { AccountsRepository } from './accounts/accounts-repository.js';
import { accountsRoutes } from './accounts/accounts-routes.js';
import { AccountsService } from './accounts/accounts-service.js';
import { registerErrorHandler } from './http/errors.js';
import { createLogger, type Logger } from './logger.js';
import { MediaRepository } from './media/media-repository.js';
import { mediaRoutes } from './media/media-routes.js';
import { MediaService } from './media/media-service.js';
import { CONTROLLER_USERNAME } from './mqtt/broker-acl.js';
import { EmbeddedBroker } from './mqtt/embedded-broker.js';
import { mosquittoHash, reloadMosquitto, writeMosquittoFiles } from './mqtt/mosquitto-files.js';
import { ControllerMqtt } from './mqtt/mqtt-client.js';
import { controllerSubscriptions, parseReceiverTopic } from './protocol/topics.js';
import type { CommandSigner } from './protocol/signing.js';
import { ReceiverPresence } from './receivers/receiver-presence.js';
import { ReceiversRepository } from './receivers/receivers-repository.js';
import { receiversRoutes } from './receivers/receivers-routes.js';
import { ReceiversService } from './receivers/receivers-service.js';
import type { Settings } from './settings.js';
import { loadOrCreateSigner, randomSecret } from './system/secrets.js';
import { systemRoutes } from './system/system-routes.js';
import { createMetrics } from './system/metrics.js';
import { HealthService } from './health/health-service.js';
import { healthRoutes } from './health/health-routes.js';
import { RemoteOps } from './health/remote-ops.js';
import type { Registry } from 'prom-client';
import { BulletinsRepository } from './bulletins/bulletins-repository.js';
import { bulletinsRoutes } from './bulletins/bulletins-routes.js';
import { BulletinsService } from './bulletins/bulletins-service.js';
import { ttsRoutes } from './tts/tts-routes.js';
import { TtsService } from './tts/tts-service.js';
import { UrgentService } from './urgent/urgent-service.js';
import { FollowUp } from './urgent/follow-up.js';
import { LiveService } from './live/live-service.js';
import { liveRoutes } from './live/live-routes.js';
import { CapPoller } from './cap/cap-poller.js';
import { capRoutes } from './cap/cap-routes.js';
import { CapService } from './cap/cap-service.js';

export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface ControllerOverrides {
  clock?: Clock;
  logger?: Logger;
}

export class Controller {
  readonly db: Db;
  readonly http: FastifyInstance;
  readonly signer: CommandSigner;
  readonly audit: AuditRepository;
  /** Records waiting for room on a full disk (an emergency's, the audit log's). */
  readonly deferred: DeferredWrites;
  readonly accounts: AccountsService;
  readonly hamlets: HamletsService;
  readonly receivers: ReceiversService;
  readonly presence: ReceiverPresence;
  readonly media: MediaService;
  readonly broadcasts: BroadcastsService;
  readonly quietHours: QuietHours;
  readonly coverage: CoverageService;
  readonly tts: TtsService;
  readonly bulletins: BulletinsService;
  readonly urgent: UrgentService;
  readonly cap: CapService;
  readonly followUp: FollowUp;
  readonly live: LiveService;
  readonly metrics: Registry;
  readonly receiverHealth: HealthService;
  readonly remoteOps: RemoteOps;
  readonly rollouts: RolloutsService;
  readonly playlists: PlaylistsService;
  readonly publishing: PublishingService;
  readonly reports: ReportsService;
  readonly rollups: Rollups;
  readonly upward: UpwardReporter;
  readonly webhooks: WebhooksService;
  readonly schedules: SchedulesService;
  readonly scheduler: Scheduler;
  private readonly schedulesRepo: SchedulesRepository;
  private readonly hamletsRepo: HamletsRepository;
  readonly clock: Clock;
  readonly ackChain: AckChain;
  private headTimer?: NodeJS.Timeout;
  private mosquittoSyncPending = false;
  private capPoller?: CapPoller;
  readonly acks: AckIngestor;
  readonly broker?: EmbeddedBroker;
  readonly mqtt: ControllerMqtt;
  readonly secretsDir: string;
  /** Set once started. */
  httpUrl = '';
  mqttUrl = '';
  private readonly controllerMqttSecret: string;
  private readonly log: Logger;

  constructor(readonly settings: Settings, overrides: ControllerOverrides = {}) {
    const clock = (this.clock = overrides.clock ?? systemClock);
    this.log = overrides.logger ?? createLogger(settings.log_level);
    const dataDir = resolve(settings.data_dir);
    mkdirSync(dataDir, { recursive: true });
    this.secretsDir = join(dataDir, 'secrets');
    this.signer = loadOrCreateSigner(this.secretsDir);
    this.db = openDatabase(join(dataDir, 'controller.sqlite'));

    this.audit = new AuditRepository(this.db, clock);
    this.deferred = new DeferredWrites(this.log.child({ component: 'storage' }));
    this.audit.deferred = this.deferred;
    this.accounts = new AccountsService(new AccountsRepository(this.db), this.audit, clock, settings.security, this.log);
    const hamletsRepo = (this.hamletsRepo = new HamletsRepository(this.db));
    const receiversRepo = new ReceiversRepository(this.db);
    const mediaRepo = new MediaRepository(this.db);
    const broadcastsRepo = new BroadcastsRepository(this.db);
    this.ackChain = new AckChain(this.db, this.signer);
    const acksRepo = new AcksRepository(this.db, this.ackChain);

    // The controller's own broker password: made fresh at every start for the embedded broker.
    this.controllerMqttSecret = settings.mqtt.external_url
      ? readFileSync(settings.mqtt.external_password_file ?? '', 'utf8').trim()
      : randomSecret();

    this.hamlets = new HamletsService(this.db, hamletsRepo, receiversRepo, this.audit, clock);
    const httpTls = readTls(settings.http.tls_cert_file, settings.http.tls_key_file);
    const mqttTls = readTls(settings.mqtt.tls_cert_file, settings.mqtt.tls_key_file);
    this.httpTls = httpTls;
    this.receivers = new ReceiversService(this.db, receiversRepo, hamletsRepo, this.audit, clock,
      { mqttUrl: () => settings.mqtt.public_url ?? this.mqttUrl, controllerPublicKeyPem: this.signer.publicKeyPem, caCertPem: settings.tls_ca_file ? readFileSync(settings.tls_ca_file, 'utf8') : undefined },
      () => this.controllerMqttSecret);
    this.presence = new ReceiverPresence(receiversRepo, this.log, clock);
    this.live = new LiveService(this.audit, clock, this.log, settings.media.bitrate_kbps);
    this.media = new MediaService(dataDir, mediaRepo, this.audit, clock, this.log,
      { loudness_lufs: settings.media.loudness_lufs, true_peak_db: settings.media.true_peak_db, bitrate_kbps: settings.media.bitrate_kbps, timeout_s: settings.media.ffmpeg_timeout_s },
      { max_duration_s: settings.media.max_duration_s });

    if (!settings.mqtt.external_url) {
      this.broker = new EmbeddedBroker(this.receivers.brokerAuthenticator(), this.log.child({ component: 'broker' }),
        { host: settings.mqtt.embedded_host, port: settings.mqtt.embedded_port, tls: mqttTls });
      this.receivers.onCredentialsChanged = (id, disconnect) => {
        if (disconnect) this.broker?.disconnectClient(id);
      };
    } else if (settings.mqtt.mosquitto_dir) {
      // Coalesced: enrolling a thousand receivers in one go rewrites the files once, not a thousand times.
      this.receivers.onCredentialsChanged = () => {
        if (this.mosquittoSyncPending) return;
        this.mosquittoSyncPending = true;
        setImmediate(() => {
          this.mosquittoSyncPending = false;
          try {
            this.syncMosquittoFiles();
          } catch (err) {
            this.log.error({ err }, 'could not write the Mosquitto password and ACL files');
          }
        });
      };
    }
    this.mqtt = new ControllerMqtt({
      username: settings.mqtt.external_username ?? CONTROLLER_USERNAME,
      password: this.controllerMqttSecret,
      clientId: `tt-controller-${settings.commune.id}`,
      ca: [mqttTls?.cert, settings.tls_ca_file ? readFileSync(settings.tls_ca_file, 'utf8') : undefined].filter(Boolean).join('\n') || undefined,
    }, this.log);
    const publisher = new CommandPublisher(this.signer, this.mqtt, new OutboxRepository(this.db), clock, this.log);
    this.quietHours = new QuietHours((id) => hamletsRepo.get(id), settings.broadcasts.quiet_hours, settings.commune.timezone, settings.broadcasts.volume_caps);
    this.broadcasts = new BroadcastsService(this.db, broadcastsRepo, mediaRepo, hamletsRepo, receiversRepo, this.audit, publisher, clock,
      settings.broadcasts, this.quietHours, (mediaId) => `${settings.http.public_url ?? this.httpUrl}/api/media/${mediaId}/audio`,
      { isLive: (id) => this.live.isLive(id), streamUrl: (id) => `${settings.http.public_url ?? this.httpUrl}/api/live/${id}/stream` });
    this.coverage = new CoverageService(broadcastsRepo, acksRepo, hamletsRepo, clock, this.db, this.signer.publicKeyPem);
    this.tts = new TtsService(this.db, this.media, settings.tts, clock, this.log);
    this.followUp = new FollowUp(this.coverage, publisher, settings.emergency, this.log);
    this.urgent = new UrgentService(this.db, this.broadcasts, broadcastsRepo, publisher, hamletsRepo, receiversRepo, this.tts, this.media, this.audit, clock, settings, this.followUp);
    const bulletinsRepo = new BulletinsRepository(this.db);
    this.bulletins = new BulletinsService(bulletinsRepo, this.tts, this.media, this.urgent, this.audit, clock);
    this.playlists = new PlaylistsService(this.db, new PlaylistsRepository(this.db), this.media, bulletinsRepo, this.audit, clock, this.log);
    const publicUrl = () => settings.http.public_url ?? this.httpUrl;
    this.webhooks = new WebhooksService(this.db, new WebhooksRepository(this.db), this.audit, clock, this.log.child({ component: 'webhooks' }), settings.publishing);
    this.publishing = new PublishingService(this.db, new PublicationsRepository(this.db), this.webhooks, broadcastsRepo, this.audit, clock, this.log, settings.publishing, publicUrl);
    this.bulletins.events.on('broadcast', (b, broadcastId) => {
      broadcastsRepo.setCategory(broadcastId, b.category);
      this.publishing.onBroadcast(b, broadcastId);
    });
    this.bulletins.events.on('visibility', (b) => this.publishing.onVisibility(b));
    this.urgent.events.on('cancelled', (broadcastId) => this.publishing.onCancelled(broadcastId));
    this.rollups = new Rollups(this.db);
    this.reports = new ReportsService(this.db, this.rollups, hamletsRepo, receiversRepo, this.presence, clock,
      { timezone: settings.commune.timezone, weekly_targets: settings.console.weekly_targets }, () => this.coverage.verifyAll());
    const provincialToken = process.env.TT_PROVINCIAL_TOKEN ?? (settings.reporting.token_file ? readFileSync(settings.reporting.token_file, 'utf8').trim() : null);
    this.upward = new UpwardReporter(this.db, this.reports, receiversRepo, this.signer, this.audit, clock, this.log.child({ component: 'upward' }),
      { ...settings.reporting, token: provincialToken }, settings.commune);
    this.schedulesRepo = new SchedulesRepository(this.db);
    this.schedules = new SchedulesService(this.db, this.schedulesRepo, this.broadcasts, this.media, this.playlists, this.quietHours, this.audit, clock,
      { timezone: settings.commune.timezone, horizon_hours: settings.programme.horizon_hours, check_days: settings.programme.check_days });
    this.scheduler = new Scheduler(this.schedulesRepo, this.schedules, this.broadcasts, this.media, this.playlists,
      (id, actor) => this.urgent.stop(id, actor), this.live, clock, this.log.child({ component: 'scheduler' }), settings.programme.tick_s);
    this.cap = new CapService(this.db, hamletsRepo, this.urgent, this.tts, this.media, this.audit, clock, settings.cap, settings.broadcasts.default_expiry_s, this.log);
    if (settings.cap.feed_url) this.capPoller = new CapPoller(this.cap, settings.cap.feed_url, settings.cap.poll_interval_s, this.log);
    this.acks = new AckIngestor(acksRepo, publisher, clock, this.log);
    this.broadcasts.deferred = this.deferred;
    this.broadcasts.onUnrecorded = (commands) => {
      for (const c of commands) this.acks.remember(c.command_id, c.broadcast_id);
    };
    // A late ack makes a settled broadcast's stored figures stale.
    this.acks.events.on('stored', (stored: { broadcast_id: string | null }[]) => this.rollups.invalidate(new Set(stored.flatMap((a) => (a.broadcast_id ? [a.broadcast_id] : [])))));
    this.republish = () => publisher.republishUnconfirmed();
    this.receiverHealth = new HealthService(this.db, receiversRepo, this.audit, clock, settings.health, this.log);
    this.presence.events.on('telemetry', (id, t) => this.receiverHealth.onTelemetry(id, t));
    if (settings.health.smtp) {
      const smtp = settings.health.smtp;
      const password = process.env.TT_SMTP_PASSWORD ?? (smtp.password_file ? readFileSync(smtp.password_file, 'utf8').trim() : null);
      this.receiverHealth.mailer = new AlertMailer({ ...smtp, password }, settings.commune.name, this.log.child({ component: 'mail' }));
    }
    this.remoteOps = new RemoteOps(receiversRepo, publisher, this.audit, clock, this.log);
    this.rollouts = new RolloutsService(dataDir, this.db, receiversRepo, publisher, this.audit, clock, this.log.child({ component: 'rollouts' }),
      (id) => `${settings.http.public_url ?? this.httpUrl}/api/agent-updates/${id}/package`);
    this.metrics = createMetrics({
      receivers: receiversRepo, broadcasts: broadcastsRepo, acks: this.acks,
      connectedClients: () => (this.broker ? this.broker.connectedClients : null), mqttConnected: () => this.mqtt.connected,
    });
    this.presence.events.on('online', (receiverId) => {
      void publisher.republishFor(receiverId).then((n) => {
        if (n > 0) this.log.info({ receiver_id: receiverId, count: n }, 'unacknowledged commands published again for a returning receiver');
      });
    });

    this.http = this.buildHttp();
  }

  private readonly republish: () => Promise<number>;
  private rollupTimer?: NodeJS.Timeout;
  private readonly httpTls?: { cert: string; key: string };

  /** Every route with what it declares: the permission matrix test walks this list. */
  readonly routes: { method: string; url: string; permission?: string; receivers?: boolean }[] = [];

  private buildHttp(): FastifyInstance {
    const app = Fastify({
      loggerInstance: this.log as FastifyBaseLogger,
      bodyLimit: 1024 * 1024,
      // Behind a reverse proxy, set http.trust_proxy so that audit and rate limits see the real client.
      trustProxy: this.settings.http.trust_proxy,
      ...(this.httpTls ? { https: { ...this.httpTls, minVersion: 'TLSv1.2' as const } } : {}),
    }) as unknown as FastifyInstance;
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') this.routes.push({ method, url: route.url, permission: route.config?.permission, receivers: route.config?.receivers });
      }
    });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    app.decorate('settings', this.settings);
    registerErrorHandler(app);
    app.register(fastifySwagger, {
      openapi: {
        info: { title: 'Truyền thanh thông minh — controller API', version: VERSION, description: 'Commune smart loudspeaker network controller. Authenticate with Authorization: Bearer <token>.' },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, receiverBasic: { type: 'http', scheme: 'basic' } } },
        security: [{ bearer: [] }],
        tags: ['hamlets', 'receivers', 'media', 'tts', 'bulletins', 'broadcasts', 'live', 'coverage', 'alerts', 'accounts', 'system'].map((name) => ({ name })),
      },
      transform: jsonSchemaTransform,
    });
    app.register(fastifySwaggerUi, { routePrefix: '/docs', uiHooks: {}, staticCSP: true });
    app.register(fastifyHelmet, {
      // The API serves JSON and audio; /docs needs its own scripts and styles, nothing else.
      contentSecurityPolicy: { directives: {
        defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:', ...(this.settings.console.tile_url ? [new URL(this.settings.console.tile_url.replace(/\{[a-z]\}/g, '0')).origin] : [])], styleSrc: ["'self'", "'unsafe-inline'"], scriptSrc: ["'self'"],
        // On a plain-HTTP commune LAN, upgrading requests to HTTPS would break every page.
        upgradeInsecureRequests: this.settings.http.tls_cert_file ? [] : null,
      } },
      hsts: this.settings.http.tls_cert_file ? { maxAge: 31536000 } : false,
    });
    app.register(fastifyCookie);
    app.register(fastifyRateLimit, { global: false });
    app.register(fastifyMultipart);
    app.register(fastifyStatic, { root: this.media.mediaDir, serve: false });
    app.register(async (scoped) => {
      registerAuth(scoped, this.accounts, this.receivers);
      scoped.register(accountsRoutes(this.accounts, { secureCookie: Boolean(this.settings.http.tls_cert_file) || this.settings.http.trust_proxy !== false, loginRatePerMinute: this.settings.security.login_rate_per_minute }));
      scoped.register(hamletsRoutes(this.hamlets));
      scoped.register(receiversRoutes(this.receivers, this.presence));
      scoped.register(mediaRoutes(this.media, this.settings.media.max_upload_mb));
      scoped.register(broadcastsRoutes(this.broadcasts, this.coverage, this.accounts, this.urgent, this.bulletins));
      scoped.register(progressRoutes(this.coverage, this.broadcasts, this.acks, this.followUp));
      scoped.register(systemRoutes(this, this.audit, VERSION, this.metrics));
      scoped.register(ttsRoutes(this.tts, this.media));
      scoped.register(bulletinsRoutes(this.bulletins, this.media, this.accounts));
      scoped.register(capRoutes(this.cap));
      scoped.register(liveRoutes(this.live));
      scoped.register(healthRoutes(this.receiverHealth, this.remoteOps));
      scoped.register(rolloutsRoutes(this.rollouts));
      scoped.register(reportsRoutes(this.reports, this.upward, this.signer, this.settings.commune));
      scoped.register(publishingRoutes(this.publishing, this.webhooks, this.bulletins, this.media, this.settings.commune, () => this.settings.http.public_url ?? this.httpUrl));
      scoped.register(consoleRoutes(this.presence, this.receiverHealth, this.acks, { commune: this.settings.commune, tileUrl: this.settings.console.tile_url, weeklyTargets: this.settings.console.weekly_targets }));
      scoped.register(programmeRoutes(this.schedules, this.scheduler, this.schedulesRepo, this.playlists, this.coverage, this.hamletsRepo, this.accounts, this.clock, this.quietHours));
    });
    return app;
  }

  /**
   * Rewrites the external Mosquitto's password and ACL files from the database and asks it to
   * reload them. Mosquitto applies a revocation to new connections only, so a revoked receiver's
   * open session ends when it next reconnects; its commands are refused by signature checks meanwhile.
   */
  syncMosquittoFiles(): void {
    const dir = this.settings.mqtt.mosquitto_dir;
    if (!dir) return;
    writeMosquittoFiles(dir, mosquittoHash(this.controllerMqttSecret), this.receivers.brokerAccounts());
    reloadMosquitto(join(dir, 'mosquitto.pid'));
  }

  health() {
    return {
      mqtt_connected: this.mqtt.connected,
      broker: this.broker ? ('embedded' as const) : ('external' as const),
      connected_clients: this.broker ? this.broker.connectedClients : null,
      acks: { ...this.acks.stats },
      malformed_status: this.presence.malformed,
      storage: { disk_full_since: this.deferred.fullSince, writes_waiting: this.deferred.pending },
    };
  }

  /** Starts broker, MQTT link and HTTP; says so when it just created the first administrator. */
  async start(env: NodeJS.ProcessEnv = process.env): Promise<{ admin?: { username: string; passwordFile?: string } }> {
    const seeded = this.hamlets.seed(this.settings);
    if (seeded.hamlets + seeded.receivers > 0) this.log.info(seeded, 'hamlets and receivers created from the config file');
    this.media.start();
    const admin = await this.accounts.bootstrapAdmin(env, this.secretsDir);

    this.syncMosquittoFiles();
    const mqttPort = this.broker ? await this.broker.start() : undefined;
    const localMqttUrl = this.settings.mqtt.external_url ?? `${this.settings.mqtt.tls_cert_file ? "mqtts" : "mqtt"}://127.0.0.1:${mqttPort}`;
    await this.mqtt.start(localMqttUrl, controllerSubscriptions, (topic, payload) => this.route(topic, payload));

    await this.http.listen({ host: this.settings.http.host, port: this.settings.http.port });
    const httpPort = (this.http.server.address() as { port: number }).port;
    const advertisedHost = this.settings.http.host === '0.0.0.0' ? '127.0.0.1' : this.settings.http.host;
    this.httpUrl = `${this.httpTls ? 'https' : 'http'}://${advertisedHost}:${httpPort}`;
    this.mqttUrl = this.settings.mqtt.external_url ?? `${this.settings.mqtt.tls_cert_file ? 'mqtts' : 'mqtt'}://${advertisedHost}:${mqttPort}`;

    this.capPoller?.start();
    this.receiverHealth.start();
    this.scheduler.start();
    this.webhooks.start();
    this.rollouts.startTimer();
    this.upward.start();
    this.rollupTimer = setInterval(() => this.rollups.rollUpSettled(this.clock.now()), 10 * 60_000);
    // Sign the ack chain's head every five minutes, so a deleted tail shows.
    this.headTimer = setInterval(() => this.ackChain.signHead(new Date().toISOString()), 5 * 60_000);
    this.headTimer.unref();
    const republished = await this.republish();
    if (republished > 0) this.log.info({ count: republished }, 'unconfirmed commands published again after start');
    return { admin };
  }

  /** The MQTT edge: never throws; unknown topics are logged and dropped. */
  private route(topic: string, payload: Buffer): void {
    const parsed = parseReceiverTopic(topic);
    if (!parsed) return this.log.warn({ topic }, 'message on an unexpected topic dropped');
    if (parsed.kind === 'ack') this.acks.handle(parsed.receiverId, payload);
    else if (parsed.kind === 'reply') this.remoteOps.handle(parsed.receiverId, payload);
    else if (parsed.kind === 'status') this.presence.handleStatus(parsed.receiverId, payload);
    else this.presence.handleTelemetry(parsed.receiverId, payload);
  }

  async stop(): Promise<void> {
    this.capPoller?.stop();
    this.scheduler.stop();
    this.webhooks.stop();
    this.rollouts.stopTimer();
    this.upward.stop();
    clearInterval(this.rollupTimer);
    this.followUp.stop();
    this.receiverHealth.stop();
    this.live.stopAll();
    await this.http.close();
    this.presence.stop();
    await this.acks.stop();
    clearInterval(this.headTimer);
    this.ackChain.signHead(new Date().toISOString());
    await this.media.idle();
    await this.tts.close();
    await this.mqtt.stop();
    await this.broker?.stop();
    this.deferred.stop();
    this.db.close();
  }
}

function readTls(certFile: string | null, keyFile: string | null): { cert: string; key: string } | undefined {
  if (!certFile || !keyFile) return undefined;
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

export function buildController(settings: Settings, overrides?: ControllerOverrides): Controller {
  return new Controller(settings, overrides);
}

declare module 'fastify' {
  interface FastifyInstance {
    settings: Settings;
  }
}
