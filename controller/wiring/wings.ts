/**
 * Wiring of the wings, grouped as the controller's jobs are: the commune (accounts, hamlets,
 * receivers, presence), content (media, speech, bulletins, the programme), sending (broadcasts,
 * the send and stop desks, follow-up, live, CAP), receipts (acks, coverage, reports) and care
 * (receiver health, remote operations, agent rollouts, publishing). Services meet here: through
 * constructor options and typed events, never through properties set after construction.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccountsRepository } from '../accounts/accounts-repository.js';
import { AccountsService } from '../accounts/accounts-service.js';
import { BroadcastsRepository } from '../broadcasts/broadcasts-repository.js';
import { BroadcastsService } from '../broadcasts/broadcasts-service.js';
import { FollowUp } from '../broadcasts/follow-up.js';
import { QuietHours } from '../broadcasts/quiet-hours.js';
import { SendDesk } from '../broadcasts/send-desk.js';
import { SafetyGate } from '../safety/safety-gate.js';
import { QuietWatch } from '../broadcasts/quiet-watch.js';
import { ScheduleDesk } from '../programme/schedule-desk.js';
import { StopDesk } from '../broadcasts/stop-desk.js';
import { BulletinsRepository } from '../bulletins/bulletins-repository.js';
import { BulletinsService } from '../bulletins/bulletins-service.js';
import { CapPoller } from '../cap/cap-poller.js';
import { CapRepository } from '../cap/cap-repository.js';
import { CapService } from '../cap/cap-service.js';
import type { Clock } from '../clock.js';
import { AckChain } from '../coverage/ack-chain.js';
import { ProofKeeper } from '../proof/proof-keeper.js';
import { Witness } from '../proof/witness.js';
import { AckIngestor } from '../coverage/ack-ingestor.js';
import { AcksRepository } from '../coverage/acks-repository.js';
import { CoverageService } from '../coverage/coverage-service.js';
import { HamletsRepository } from '../hamlets/hamlets-repository.js';
import { HamletsService } from '../hamlets/hamlets-service.js';
import { AlertMailer } from '../health/alert-mailer.js';
import { HealthService } from '../health/health-service.js';
import { RemoteOps } from '../health/remote-ops.js';
import { LiveService } from '../live/live-service.js';
import type { Logger } from '../logger.js';
import { MediaRepository } from '../media/media-repository.js';
import { MediaService } from '../media/media-service.js';
import { PlaylistsRepository } from '../programme/playlists-repository.js';
import { PlaylistsService } from '../programme/playlists-service.js';
import { M3uImporter } from '../programme/m3u-import.js';
import { MediaLinks } from '../media/media-links.js';
import { Scheduler } from '../programme/scheduler.js';
import { SchedulesRepository } from '../programme/schedules-repository.js';
import { SchedulesService } from '../programme/schedules-service.js';
import { PublicationsRepository } from '../publishing/publications-repository.js';
import { PublishingService } from '../publishing/publishing-service.js';
import { WebhooksRepository } from '../publishing/webhooks-repository.js';
import { WebhooksService } from '../publishing/webhooks-service.js';
import { FacebookPage } from '../publishing/facebook-page.js';
import { SocialDeliveriesRepository } from '../publishing/social-deliveries-repository.js';
import { SocialPublisher, type SocialOutlet } from '../publishing/social-publisher.js';
import { tokenSource } from '../publishing/social-token.js';
import { ZaloOa } from '../publishing/zalo-oa.js';
import { ReceiverPresence } from '../receivers/receiver-presence.js';
import { ReceiversRepository } from '../receivers/receivers-repository.js';
import { ReceiversService } from '../receivers/receivers-service.js';
import { ReportsService } from '../reports/reports-service.js';
import { Rollups } from '../reports/rollups.js';
import { UpwardReporter } from '../reports/upward-reporter.js';
import type { Settings } from '../settings.js';
import { TtsRepository } from '../tts/tts-repository.js';
import { TtsService } from '../tts/tts-service.js';
import { AbbreviationsService } from '../tts/abbreviations-service.js';
import { AbbreviationsRepository } from '../tts/abbreviations-repository.js';
import { RolloutsService } from '../updates/rollouts-service.js';
import { loadOrCreateSecret } from '../system/secrets.js';
import type { Storage } from './infrastructure.js';
import type { Messaging } from './infrastructure.js';

/** A file named in an imported M3U may be large and the link slow; an upload has no tighter bound either. */
const M3U_FETCH_TIMEOUT_MS = 5 * 60_000;
export interface WiringContext {
  settings: Settings;
  clock: Clock;
  log: Logger;
  storage: Storage;
  /** The controller's own broker password. */
  mqttSecret: string;
  /** Where staff and receivers reach the controller: the configured public URLs or, once started, the local ones. */
  urls: { http(): string; mqtt(): string };
  /** Heads signed at every receipt round and every second (false only in the benchmark that prices them). */
  signProofHeads?: boolean;
}

/** Accounts, hamlets, receivers and their presence: the commune itself. */
export function wireCommune({ settings, clock, log, storage, mqttSecret, urls }: WiringContext) {
  const { db, audit, signer } = storage;
  const hamletsRepo = new HamletsRepository(db);
  const receiversRepo = new ReceiversRepository(db);
  const accounts = new AccountsService(new AccountsRepository(db), audit, clock, settings.security, log);
  const hamlets = new HamletsService(db, hamletsRepo, receiversRepo, audit, clock);
  const receivers = new ReceiversService({
    db,
    repo: receiversRepo,
    hamlets: hamletsRepo,
    audit,
    clock,
    keys: storage.keys,
    endpoints: {
      mqttUrl: () => urls.mqtt(),
      controllerPublicKeyPem: signer.publicKeyPem,
      caCertPem: settings.tls_ca_file ? readFileSync(settings.tls_ca_file, 'utf8') : undefined,
    },
    controllerSecret: () => mqttSecret,
  });
  const presence = new ReceiverPresence(receiversRepo, log, clock);
  return { hamletsRepo, receiversRepo, accounts, hamlets, receivers, presence };
}
export type Commune = ReturnType<typeof wireCommune>;

/** Media, speech, live sessions and the sending wing: broadcasts, the send and stop desks, follow-up. */
export function wireSending(
  { settings, clock, log, storage, urls }: WiringContext,
  commune: Commune,
  messaging: Messaging,
) {
  const { db, audit, deferred, dataDir } = storage;
  const { publisher } = messaging;
  const live = new LiveService(audit, clock, log, settings.media.bitrate_kbps);
  const mediaRepo = new MediaRepository(db);
  const media = new MediaService({
    dataDir,
    repo: mediaRepo,
    audit,
    clock,
    log,
    profile: {
      loudness_lufs: settings.media.loudness_lufs,
      true_peak_db: settings.media.true_peak_db,
      bitrate_kbps: settings.media.bitrate_kbps,
      timeout_s: settings.media.ffmpeg_timeout_s,
    },
    limits: { max_duration_s: settings.media.max_duration_s },
  });
  const mediaLinks = new MediaLinks({
    key: loadOrCreateSecret(join(storage.secretsDir, 'media-link-key')),
    baseUrl: () => urls.http(),
    clock,
    valid_hours: settings.media.link_valid_hours,
  });
  const broadcastsRepo = new BroadcastsRepository(db);
  const quietHours = new QuietHours(
    (id) => commune.hamletsRepo.get(id),
    settings.broadcasts.quiet_hours,
    settings.commune.timezone,
    settings.broadcasts.volume_caps,
  );
  const gate = new SafetyGate({
    accounts: commune.accounts,
    quiet: quietHours,
    settings,
    audit,
    clock,
    hamletsWithReceivers: () => [...new Set(commune.receiversRepo.enrolledIn().map((r) => r.hamlet_id))],
  });
  const broadcasts = new BroadcastsService({
    db,
    repo: broadcastsRepo,
    media: mediaRepo,
    hamlets: commune.hamletsRepo,
    receivers: commune.receiversRepo,
    audit,
    publisher,
    clock,
    limits: settings.broadcasts,
    quiet: quietHours,
    gate,
    mediaUrl: (mediaId) => `${urls.http()}/api/media/${mediaId}/audio`,
    live: { isLive: (id) => live.isLive(id), streamUrl: (id) => `${urls.http()}/api/live/${id}/stream` },
    deferred,
  });
  const abbreviations = new AbbreviationsService(
    db,
    new AbbreviationsRepository(db),
    settings.tts.abbreviations,
    audit,
    clock,
  );
  const tts = new TtsService({
    repo: new TtsRepository(db),
    media,
    settings: settings.tts,
    clock,
    log,
    abbreviations: () => abbreviations.effective(),
  });
  const followUp = new FollowUp({
    publisher,
    outbox: messaging.outbox,
    clock,
    log: log.child({ component: 'delivery' }),
    retry_after_s: { normal: settings.delivery.retry_after_s, urgent: settings.emergency.retry_after_s },
  });
  const sendDesk = new SendDesk({ broadcasts, tts, media, audit, clock, settings, gate });
  const stopDesk = new StopDesk({
    db,
    repo: broadcastsRepo,
    broadcasts,
    publisher,
    hamlets: commune.hamletsRepo,
    receivers: commune.receiversRepo,
    tts,
    audit,
    clock,
    settings,
  });
  const quietWatch = new QuietWatch({
    repo: broadcastsRepo,
    quiet: quietHours,
    stop: (id, actor) => stopDesk.stop(id, actor),
    endLive: (id, actor) => live.stop(id, actor),
    clock,
    log: log.child({ component: 'quiet-hours' }),
  });
  return {
    live,
    media,
    mediaLinks,
    broadcastsRepo,
    quietHours,
    broadcasts,
    tts,
    abbreviations,
    followUp,
    gate,
    sendDesk,
    stopDesk,
    quietWatch,
  };
}
export type Sending = ReturnType<typeof wireSending>;

/** Acks, the ack chain and coverage: the receipts wing. Built before sending: follow-up reads coverage. */
export function wireReceipts(
  { settings, clock, log, storage, signProofHeads = true }: WiringContext,
  commune: Commune,
  messaging: Messaging,
) {
  const { db, signer, keys, heads, audit } = storage;
  const ackChain = new AckChain(db);
  const acksRepo = new AcksRepository(db, ackChain, keys);
  const coverage = new CoverageService({
    broadcasts: new BroadcastsRepository(db),
    acks: acksRepo,
    hamlets: commune.hamletsRepo,
    clock,
    db,
  });
  const proof = new ProofKeeper({
    db,
    heads,
    keys,
    audit,
    ackTip: () => ackChain.head,
    auditTip: () => audit.tip(),
    signer,
    witness: new Witness(settings.proof, log.child({ component: 'witness' })),
    clock,
    log: log.child({ component: 'proof' }),
    every_ms: signProofHeads ? 1000 : 2 ** 30,
  });
  const acks = new AckIngestor({
    acks: acksRepo,
    publisher: messaging.publisher,
    keys,
    clock,
    log,
    gap_wait_ms: settings.delivery.ack_gap_wait_s * 1000,
    signHead: signProofHeads ? () => proof.signAcks() : undefined,
  });
  // The head a receiver kept from its receipts comes back with its telemetry: compared with the database's.
  commune.presence.events.on('telemetry', (id, t) => {
    if (t.proof_head) proof.checkAnchor(id, t.proof_head);
  });
  return { ackChain, acksRepo, coverage, acks, proof };
}
export type Receipts = ReturnType<typeof wireReceipts>;

/** Bulletins, playlists, schedules and the scheduler, CAP alerts, publishing. */
export function wireContent(
  { settings, clock, log, storage, urls }: WiringContext,
  commune: Commune,
  sending: Sending,
) {
  const { db, audit } = storage;
  const { media, tts, sendDesk, stopDesk, broadcasts, broadcastsRepo, quietHours, live } = sending;
  const bulletinsRepo = new BulletinsRepository(db);
  const bulletins = new BulletinsService({ repo: bulletinsRepo, tts, media, sendDesk, audit, clock });
  const playlists = new PlaylistsService({
    db,
    repo: new PlaylistsRepository(db),
    media,
    bulletins: bulletinsRepo,
    audit,
    clock,
    log,
    links: sending.mediaLinks,
    importer: new M3uImporter({
      media,
      bulletins: bulletinsRepo,
      max_mb: settings.media.max_upload_mb,
      fetch_timeout_ms: M3U_FETCH_TIMEOUT_MS,
    }),
  });
  const webhooks = new WebhooksService({
    db,
    repo: new WebhooksRepository(db),
    audit,
    clock,
    log: log.child({ component: 'webhooks' }),
    settings: settings.publishing,
  });
  const social = new SocialPublisher({
    db,
    repo: new SocialDeliveriesRepository(db),
    outlets: socialOutlets(settings, log.child({ component: 'social' })),
    audit,
    clock,
    log: log.child({ component: 'social' }),
    settings: settings.publishing,
  });
  const publishing = new PublishingService({
    db,
    repo: new PublicationsRepository(db),
    webhooks,
    social,
    broadcasts: broadcastsRepo,
    audit,
    clock,
    log,
    settings: settings.publishing,
    baseUrl: () => urls.http(),
  });
  bulletins.events.on('broadcast', (b, broadcastId) => {
    broadcastsRepo.setCategory(broadcastId, b.category);
    publishing.onBroadcast(b, broadcastId);
  });
  bulletins.events.on('visibility', (b) => publishing.onVisibility(b));
  stopDesk.events.on('cancelled', (broadcastId) => publishing.onCancelled(broadcastId));
  const schedulesRepo = new SchedulesRepository(db);
  const schedules = new SchedulesService({
    db,
    repo: schedulesRepo,
    broadcasts,
    media,
    playlists,
    quiet: quietHours,
    audit,
    clock,
    settings: {
      timezone: settings.commune.timezone,
      horizon_hours: settings.programme.horizon_hours,
      check_days: settings.programme.check_days,
    },
  });
  const scheduler = new Scheduler({
    repo: schedulesRepo,
    schedules,
    broadcasts,
    media,
    playlists,
    stopBroadcast: (id, actor) => stopDesk.stop(id, actor),
    relays: live,
    clock,
    log: log.child({ component: 'scheduler' }),
    tickSeconds: settings.programme.tick_s,
  });
  const scheduleDesk = new ScheduleDesk({ schedules, scheduler, gate: sending.gate, sendDesk });
  const cap = new CapService({
    repo: new CapRepository(db),
    hamlets: commune.hamletsRepo,
    sendDesk,
    stopDesk,
    tts,
    media,
    audit,
    clock,
    settings: settings.cap,
    broadcastExpiryS: settings.broadcasts.default_expiry_s,
    log,
  });
  const capPoller = settings.cap.feed_url
    ? new CapPoller(cap, settings.cap.feed_url, settings.cap.poll_interval_s, log)
    : undefined;
  return {
    bulletins,
    playlists,
    webhooks,
    social,
    publishing,
    schedulesRepo,
    schedules,
    scheduleDesk,
    scheduler,
    cap,
    capPoller,
  };
}
export type Content = ReturnType<typeof wireContent>;

/** The fanpage and the Zalo OA the config switches on, each with where its token is kept (a file, or the environment). */
function socialOutlets(settings: Settings, log: Logger): SocialOutlet[] {
  const { facebook, zalo, webhook_timeout_s: timeout_s } = settings.publishing;
  const outlets: SocialOutlet[] = [];
  if (facebook)
    outlets.push({
      channel: new FacebookPage({ ...facebook, timeout_s }),
      token: tokenSource('TT_FACEBOOK_TOKEN', facebook.token_file),
    });
  if (zalo) {
    const author = zalo.author || `UBND ${settings.commune.name}`;
    outlets.push({
      channel: new ZaloOa({ ...zalo, author, timeout_s }),
      token: tokenSource('TT_ZALO_TOKEN', zalo.token_file),
    });
  }
  // Said at start, not first at the first bulletin: a channel switched on without its token would
  // otherwise look connected until a post waits on it.
  for (const { channel, token } of outlets) {
    let problem: string | undefined;
    try {
      if (!token.read()) problem = 'no token in place';
    } catch (err) {
      problem = `token unreadable: ${(err as Error).message}`;
    }
    if (problem)
      log.warn(
        { channel: channel.name, where: token.where },
        `${channel.name} is switched on, but ${problem}: posts will wait until a token is put at ${token.where}`,
      );
  }
  return outlets;
}

/** Reports and the upward report, receiver health (with its mail), remote operations, agent rollouts. */
export function wireCare(
  { settings, clock, log, storage, urls }: WiringContext,
  commune: Commune,
  messaging: Messaging,
  receipts: Receipts,
  sending: Sending,
) {
  const { db, audit, signer, dataDir } = storage;
  const { publisher } = messaging;
  const rollups = new Rollups(db);
  // A late ack makes a settled broadcast's stored figures stale.
  receipts.acks.events.on('stored', (stored) =>
    rollups.invalidate(new Set(stored.flatMap((a) => (a.broadcast_id ? [a.broadcast_id] : [])))),
  );
  // An emergency sent before its record could be stored: its acks are kept, not dropped as unknown.
  sending.broadcasts.events.on('unrecorded', (commands) => {
    for (const c of commands) receipts.acks.remember(c.command_id, c.broadcast_id);
  });
  const reports = new ReportsService({
    db,
    rollups,
    hamlets: commune.hamletsRepo,
    receivers: commune.receiversRepo,
    presence: commune.presence,
    clock,
    settings: { timezone: settings.commune.timezone, weekly_targets: settings.console.weekly_targets },
    verifyStore: () => receipts.coverage.verifyAll(),
  });
  const provincialToken =
    process.env.TT_PROVINCIAL_TOKEN ??
    (settings.reporting.token_file ? readFileSync(settings.reporting.token_file, 'utf8').trim() : null);
  const upward = new UpwardReporter({
    db,
    reports,
    receivers: commune.receiversRepo,
    signer,
    audit,
    clock,
    log: log.child({ component: 'upward' }),
    settings: { ...settings.reporting, token: provincialToken },
    commune: settings.commune,
    proof: () => receipts.proof.anchors(),
  });
  let mailer: AlertMailer | undefined;
  if (settings.health.smtp) {
    const smtp = settings.health.smtp;
    const password =
      process.env.TT_SMTP_PASSWORD ?? (smtp.password_file ? readFileSync(smtp.password_file, 'utf8').trim() : null);
    mailer = new AlertMailer({ ...smtp, password }, settings.commune.name, log.child({ component: 'mail' }));
  }
  const webhookSecret = settings.health.webhook_url
    ? loadOrCreateSecret(join(storage.secretsDir, 'health-webhook-secret'))
    : undefined;
  const receiverHealth = new HealthService({
    db,
    receivers: commune.receiversRepo,
    audit,
    clock,
    settings: settings.health,
    log,
    mailer,
    webhookSecret,
  });
  commune.presence.events.on('telemetry', (id, t) => receiverHealth.onTelemetry(id, t));
  const remoteOps = new RemoteOps({
    receivers: commune.receiversRepo,
    publisher,
    audit,
    clock,
    log,
    gate: sending.gate,
  });
  const rollouts = new RolloutsService({
    dataDir,
    db,
    receivers: commune.receiversRepo,
    publisher,
    audit,
    clock,
    log: log.child({ component: 'rollouts' }),
    packageUrl: (id) => `${urls.http()}/api/agent-updates/${id}/package`,
  });
  commune.presence.events.on('online', (receiverId, memoryRenewed) => {
    if (memoryRenewed) {
      // Its state was wiped: it refuses what was issued before and lost its held programme. Fresh copies.
      void publisher.reissueUnfinishedFor(receiverId).then((n) => {
        log.warn(
          { receiver_id: receiverId, count: n },
          'receiver came back with a new memory (state wiped): fresh copies of what it still has to play',
        );
      });
      return;
    }
    void publisher.republishFor(receiverId).then((n) => {
      if (n > 0)
        log.info(
          { receiver_id: receiverId, count: n },
          'unacknowledged commands published again for a returning receiver',
        );
    });
  });
  return { rollups, reports, upward, receiverHealth, remoteOps, rollouts };
}
export type Care = ReturnType<typeof wireCare>;
