/**
 * The controller: builds every wing from settings (wiring/*.ts), and runs ONE list of parts,
 * started in order and stopped in reverse. Read `parts` top to bottom for the start order and
 * bottom to top for the stop order.
 */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { AccountsService } from '../accounts/accounts-service.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import type { BroadcastsService } from '../broadcasts/broadcasts-service.js';
import type { FollowUp } from '../broadcasts/follow-up.js';
import type { QuietHours } from '../broadcasts/quiet-hours.js';
import type { SendDesk } from '../broadcasts/send-desk.js';
import type { QuietWatch } from '../broadcasts/quiet-watch.js';
import type { StopDesk } from '../broadcasts/stop-desk.js';
import type { BulletinsService } from '../bulletins/bulletins-service.js';
import type { CapService } from '../cap/cap-service.js';
import { systemClock, type Clock } from '../clock.js';
import type { AckChain } from '../coverage/ack-chain.js';
import type { ProofKeeper } from '../proof/proof-keeper.js';
import type { AckIngestor } from '../coverage/ack-ingestor.js';
import type { CoverageService } from '../coverage/coverage-service.js';
import type { Db } from '../db/database.js';
import type { DeferredWrites } from '../db/deferred-writes.js';
import type { HamletsService } from '../hamlets/hamlets-service.js';
import type { HealthService } from '../health/health-service.js';
import type { RemoteOps } from '../health/remote-ops.js';
import type { LiveService } from '../live/live-service.js';
import { createLogger, type Logger } from '../logger.js';
import type { MediaService } from '../media/media-service.js';
import type { EmbeddedBroker } from '../mqtt/embedded-broker.js';
import type { ControllerMqtt } from '../mqtt/mqtt-client.js';
import type { PlaylistsService } from '../programme/playlists-service.js';
import type { Scheduler } from '../programme/scheduler.js';
import type { SchedulesService } from '../programme/schedules-service.js';
import type { CommandSigner } from '../protocol/signing.js';
import { controllerSubscriptions, parseReceiverTopic } from '../protocol/topics.js';
import type { PublishingService } from '../publishing/publishing-service.js';
import type { WebhooksService } from '../publishing/webhooks-service.js';
import type { SocialPublisher } from '../publishing/social-publisher.js';
import type { ReceiverPresence } from '../receivers/receiver-presence.js';
import type { ReceiversService } from '../receivers/receivers-service.js';
import type { ReportsService } from '../reports/reports-service.js';
import type { Rollups } from '../reports/rollups.js';
import type { UpwardReporter } from '../reports/upward-reporter.js';
import type { Settings } from '../settings.js';
import { createMetrics } from '../system/metrics.js';
import type { TtsService } from '../tts/tts-service.js';
import type { RolloutsService } from '../updates/rollouts-service.js';
import { VERSION } from '../version.js';
import { seedFromConfig } from './config-seed.js';
import { wireHttp, type RouteInfo } from './http.js';
import { AliveMark } from '../system/alive-mark.js';
import { controllerMqttSecret, readTls, wireMessaging, wireStorage, type Messaging } from './infrastructure.js';
import { part, startParts, stopParts, type Part } from './parts.js';
import { wireCare } from './care-wing.js';
import { wireCommune, type Commune } from './commune-wing.js';
import { wireContent } from './content-wing.js';
import { wireReceipts } from './receipts-wing.js';
import { wireSending } from './sending-wing.js';
import type { WiringContext } from './wiring-context.js';

export interface ControllerOverrides {
  clock?: Clock;
  logger?: Logger;
  /** false: no heads signed while acks flow (only at start and stop). For the benchmark that measures what signing them costs; never in service. */
  signProofHeads?: boolean;
}

export class Controller {
  readonly clock: Clock;
  readonly db: Db;
  readonly http: FastifyInstance;
  readonly signer: CommandSigner;
  readonly audit: AuditRepository;
  /** Records waiting for room on a full disk (an emergency's, the audit log's). */
  readonly deferred: DeferredWrites;
  readonly secretsDir: string;
  readonly accounts: AccountsService;
  readonly hamlets: HamletsService;
  readonly receivers: ReceiversService;
  readonly presence: ReceiverPresence;
  readonly media: MediaService;
  readonly tts: TtsService;
  readonly live: LiveService;
  readonly broadcasts: BroadcastsService;
  readonly quietHours: QuietHours;
  readonly sendDesk: SendDesk;
  readonly stopDesk: StopDesk;
  readonly followUp: FollowUp;
  readonly quietWatch: QuietWatch;
  readonly bulletins: BulletinsService;
  readonly cap: CapService;
  readonly playlists: PlaylistsService;
  readonly schedules: SchedulesService;
  readonly scheduler: Scheduler;
  readonly publishing: PublishingService;
  readonly webhooks: WebhooksService;
  /** Posts on the fanpage and the Zalo OA. */
  readonly social: SocialPublisher;
  readonly ackChain: AckChain;
  readonly proof: ProofKeeper;
  readonly acks: AckIngestor;
  readonly coverage: CoverageService;
  readonly rollups: Rollups;
  readonly reports: ReportsService;
  readonly upward: UpwardReporter;
  readonly receiverHealth: HealthService;
  readonly remoteOps: RemoteOps;
  readonly rollouts: RolloutsService;
  readonly metrics: Registry;
  readonly broker?: EmbeddedBroker;
  readonly mqtt: ControllerMqtt;
  /** Every route with what it declares: the permission matrix test walks this list. */
  readonly routes: RouteInfo[] = [];
  /** Set once started. */
  httpUrl = '';
  mqttUrl = '';
  /** Started in this order, stopped in reverse. */
  private readonly parts: readonly Part[];
  private readonly log: Logger;
  /** The controller's own broker password (tests/helpers reads it to play an attacker who stole it). */
  private readonly controllerMqttSecret: string;
  private readonly messaging: Messaging;
  private readonly commune: Commune;
  private startEnv: NodeJS.ProcessEnv = process.env;
  private admin?: { username: string; passwordFile?: string };

  constructor(
    readonly settings: Settings,
    overrides: ControllerOverrides = {},
  ) {
    const clock = (this.clock = overrides.clock ?? systemClock);
    const log = (this.log = overrides.logger ?? createLogger(settings.log_level));
    const storage = wireStorage(settings, clock, log);
    ({
      db: this.db,
      signer: this.signer,
      audit: this.audit,
      deferred: this.deferred,
      secretsDir: this.secretsDir,
    } = storage);
    const publicHttpUrl = () => settings.http.public_url ?? this.httpUrl;
    this.controllerMqttSecret = controllerMqttSecret(settings);
    const ctx: WiringContext = {
      settings,
      clock,
      log,
      storage,
      mqttSecret: this.controllerMqttSecret,
      signProofHeads: overrides.signProofHeads ?? true,
      urls: { http: publicHttpUrl, mqtt: () => settings.mqtt.public_url ?? this.mqttUrl },
    };

    const commune = (this.commune = wireCommune(ctx));
    const messaging = (this.messaging = wireMessaging({
      ...ctx,
      receivers: commune.receivers,
      mqttSecret: ctx.mqttSecret,
    }));
    const receipts = wireReceipts(ctx, commune, messaging);
    const sending = wireSending(ctx, commune, messaging);
    const content = wireContent(ctx, commune, sending);
    const care = wireCare(ctx, commune, messaging, receipts, sending);

    ({ accounts: this.accounts, hamlets: this.hamlets, receivers: this.receivers, presence: this.presence } = commune);
    ({ broker: this.broker, mqtt: this.mqtt } = messaging);
    // The receivers' connections, and the last wills that would have said so, end with the embedded broker.
    this.broker?.events.on('connectionsEnded', () => this.presence.connectionsEnded());
    this.mqtt.events.on('link', (link) => link.down_since && this.presence.linkLost(link.down_since));
    ({ ackChain: this.ackChain, acks: this.acks, coverage: this.coverage, proof: this.proof } = receipts);
    ({
      live: this.live,
      media: this.media,
      tts: this.tts,
      broadcasts: this.broadcasts,
      quietHours: this.quietHours,
      sendDesk: this.sendDesk,
      stopDesk: this.stopDesk,
      followUp: this.followUp,
      quietWatch: this.quietWatch,
    } = sending);
    ({
      bulletins: this.bulletins,
      playlists: this.playlists,
      webhooks: this.webhooks,
      social: this.social,
      publishing: this.publishing,
      schedules: this.schedules,
      scheduler: this.scheduler,
      cap: this.cap,
    } = content);
    ({
      rollups: this.rollups,
      reports: this.reports,
      upward: this.upward,
      receiverHealth: this.receiverHealth,
      remoteOps: this.remoteOps,
      rollouts: this.rollouts,
    } = care);
    this.metrics = createMetrics({
      receivers: commune.receiversRepo,
      broadcasts: sending.broadcastsRepo,
      acks: this.acks,
      connectedClients: () => (this.broker ? this.broker.connectedClients : null),
      mqttConnected: () => this.mqtt.connected,
    });
    const httpTls = readTls(settings.http.tls_cert_file, settings.http.tls_key_file);
    this.http = wireHttp({
      settings,
      version: VERSION,
      log,
      clock,
      tls: httpTls,
      signer: this.signer,
      audit: this.audit,
      keys: storage.keys,
      heads: storage.heads,
      metrics: this.metrics,
      health: this,
      commune,
      sending,
      receipts,
      content,
      care,
      publicHttpUrl,
      brokerLink: this.mqtt,
      routes: this.routes,
    });

    let mqttPort: number | undefined;
    let alive: AliveMark | undefined;
    let rollupTimer: NodeJS.Timeout | undefined;
    const capPoller = content.capPoller;
    this.parts = [
      part('database', {
        stop: () => {
          this.db.close();
        },
      }),
      part('deferred writes', { stop: () => this.deferred.stop() }),
      // Early to start (triggers checked before anything writes) and late to stop (the last head covers every row).
      part('proof', { start: () => this.proof.start(), stop: () => this.proof.stop() }),
      part('config seed', {
        start: () => {
          const seeded = seedFromConfig(
            { db: this.db, hamlets: commune.hamletsRepo, receivers: commune.receiversRepo, audit: this.audit, clock },
            settings,
          );
          if (seeded.hamlets + seeded.receivers > 0)
            log.info(seeded, 'hamlets and receivers created from the config file');
        },
      }),
      part('broadcast targets', {
        start: () => {
          // Before republish, presence and follow-up look for receivers that still need a command.
          const { mended, unresolved } = this.broadcasts.restoreMissingTargets();
          if (mended.length > 0)
            log.warn({ broadcasts: mended }, 'target rows of broadcasts sent just before a stop rebuilt');
          if (unresolved.length > 0)
            log.warn({ broadcasts: unresolved }, 'broadcasts without target rows whose hamlets or receivers are gone');
        },
      }),
      part('media queue', { start: () => this.media.start() }),
      part('first administrator', {
        start: async () => {
          this.admin = await this.accounts.bootstrapAdmin(this.startEnv, this.secretsDir);
        },
      }),
      part('alive mark', {
        start: () => {
          alive = new AliveMark(this.db, clock, log);
          alive.start();
        },
        stop: () => alive?.stop(),
      }),
      part('broker', {
        start: async () => {
          this.syncMosquittoFiles();
          // A controller that was killed left its receivers recorded online, on a broker that is
          // gone: gone since that run's last alive mark, not since now.
          if (this.broker) this.presence.connectionsEnded(alive?.previous ?? undefined);
          mqttPort = this.broker ? await this.broker.start() : undefined;
        },
        stop: () => this.broker?.stop(),
      }),
      part('mqtt link', {
        start: () => {
          const localMqttUrl =
            settings.mqtt.external_url ?? `${settings.mqtt.tls_cert_file ? 'mqtts' : 'mqtt'}://127.0.0.1:${mqttPort}`;
          return this.mqtt.start(
            localMqttUrl,
            controllerSubscriptions,
            (topic, payload) => this.route(topic, payload),
            () => this.presence.awaitStatuses(settings.mqtt.status_wait_seconds * 1000, () => this.mqtt.connected),
          );
        },
        stop: () => this.mqtt.stop(),
      }),
      part('media and speech work', {
        stop: async () => {
          await this.media.close();
          await this.tts.close();
        },
      }),
      part('ack ingest', { start: () => this.acks.start(), stop: () => this.acks.stop() }),
      part('presence', { stop: () => this.presence.stop() }),
      part('http', {
        start: async () => {
          await this.http.listen({ host: settings.http.host, port: settings.http.port });
          const httpPort = (this.http.server.address() as { port: number }).port;
          const advertisedHost = settings.http.host === '0.0.0.0' ? '127.0.0.1' : settings.http.host;
          this.httpUrl = `${httpTls ? 'https' : 'http'}://${advertisedHost}:${httpPort}`;
          this.mqttUrl =
            settings.mqtt.external_url ??
            `${settings.mqtt.tls_cert_file ? 'mqtts' : 'mqtt'}://${advertisedHost}:${mqttPort}`;
        },
        stop: () => this.http.close(),
      }),
      part('live sessions', { stop: () => this.live.stopAll() }),
      part('receiver health', { start: () => this.receiverHealth.start(), stop: () => this.receiverHealth.stop() }),
      part('delivery follow-up', { start: () => this.followUp.start(), stop: () => this.followUp.stop() }),
      part('quiet-hours watch', { start: () => this.quietWatch.start(), stop: () => this.quietWatch.stop() }),
      part('report rollups', {
        start: () => {
          rollupTimer = setInterval(() => this.rollups.rollUpSettled(clock.now()), 10 * 60_000);
        },
        stop: () => clearInterval(rollupTimer),
      }),
      part('upward reports', { start: () => this.upward.start(), stop: () => this.upward.stop() }),
      part('store watch', {
        start: () => this.reports.watchOutsideWrites(),
        stop: () => this.reports.stopWatching(),
      }),
      part('rollouts', { start: () => this.rollouts.startTimer(), stop: () => this.rollouts.stopTimer() }),
      part('webhooks', { start: () => this.webhooks.start(), stop: () => this.webhooks.stop() }),
      part('social posts', { start: () => this.social.start(), stop: () => this.social.stop() }),
      part('scheduler', { start: () => this.scheduler.start(), stop: () => this.scheduler.stop() }),
      part('cap poller', { start: () => capPoller?.start(), stop: () => capPoller?.stop() }),
      part('republish', {
        start: async () => {
          const republished = await messaging.publisher.republishUnconfirmed();
          if (republished > 0) log.info({ count: republished }, 'unconfirmed commands published again after start');
        },
      }),
    ];
  }

  /** Rewrites the external Mosquitto's password and ACL files and asks it to reload them. */
  syncMosquittoFiles(): void {
    this.messaging.syncMosquittoFiles();
  }

  health() {
    return {
      mqtt_connected: this.mqtt.connected,
      mqtt_down_since: this.mqtt.link.down_since,
      broker: this.broker ? ('embedded' as const) : ('external' as const),
      connected_clients: this.broker ? this.broker.connectedClients : null,
      acks: (({ refused, ...counts }) => ({
        ...counts,
        ...Object.fromEntries(Object.entries(refused).map(([k, v]) => [`refused_${k}`, v])),
      }))(this.acks.stats),
      malformed_status: this.presence.malformed,
      storage: { disk_full_since: this.deferred.fullSince, writes_waiting: this.deferred.pending },
    };
  }

  /** Starts every part in order; says so when it just created the first administrator. */
  async start(env: NodeJS.ProcessEnv = process.env): Promise<{ admin?: { username: string; passwordFile?: string } }> {
    this.startEnv = env;
    await startParts(this.parts);
    return { admin: this.admin };
  }

  /** Stops every part in reverse order: HTTP closes before the acks flush, the database closes last. */
  async stop(): Promise<void> {
    await stopParts(this.parts);
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
}
