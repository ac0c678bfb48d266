import { BulletinsRepository } from '../bulletins/bulletins-repository.js';
import { BulletinsService } from '../bulletins/bulletins-service.js';
import { CapPoller } from '../cap/cap-poller.js';
import { CapRepository } from '../cap/cap-repository.js';
import { CapService } from '../cap/cap-service.js';
import { M3uImporter } from '../programme/m3u-import.js';
import { PlaylistsRepository } from '../programme/playlists-repository.js';
import { PlaylistsService } from '../programme/playlists-service.js';
import { ScheduleDesk } from '../programme/schedule-desk.js';
import { Scheduler } from '../programme/scheduler.js';
import { SchedulesRepository } from '../programme/schedules-repository.js';
import { SchedulesService } from '../programme/schedules-service.js';
import { PublicationsRepository } from '../publishing/publications-repository.js';
import { PublishingService } from '../publishing/publishing-service.js';
import { SocialDeliveriesRepository } from '../publishing/social-deliveries-repository.js';
import { SocialPublisher } from '../publishing/social-publisher.js';
import { WebhooksRepository } from '../publishing/webhooks-repository.js';
import { WebhooksService } from '../publishing/webhooks-service.js';
import type { Commune } from './commune-wing.js';
import type { Sending } from './sending-wing.js';
import { socialOutlets } from './social-outlets.js';
import type { WiringContext } from './wiring-context.js';

/** A file named in an imported M3U may be large and the link slow; an upload has no tighter bound either. */
const M3U_FETCH_TIMEOUT_MS = 5 * 60_000;

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
