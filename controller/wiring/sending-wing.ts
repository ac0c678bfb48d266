import { join } from 'node:path';
import { BroadcastsRepository } from '../broadcasts/broadcasts-repository.js';
import { BroadcastsService } from '../broadcasts/broadcasts-service.js';
import { FollowUp } from '../broadcasts/follow-up.js';
import { QuietHours } from '../broadcasts/quiet-hours.js';
import { QuietWatch } from '../broadcasts/quiet-watch.js';
import { recallFromAudit } from '../broadcasts/confirmation-recall.js';
import { SendDesk } from '../broadcasts/send-desk.js';
import { StopDesk } from '../broadcasts/stop-desk.js';
import { LiveService } from '../live/live-service.js';
import { MediaLinks } from '../media/media-links.js';
import { MediaRepository } from '../media/media-repository.js';
import { MediaService } from '../media/media-service.js';
import { SafetyGate } from '../safety/safety-gate.js';
import { loadOrCreateSecret } from '../system/secrets.js';
import { AbbreviationsRepository } from '../tts/abbreviations-repository.js';
import { AbbreviationsService } from '../tts/abbreviations-service.js';
import { TtsRepository } from '../tts/tts-repository.js';
import { TtsService } from '../tts/tts-service.js';
import type { Commune } from './commune-wing.js';
import type { Messaging } from './infrastructure.js';
import type { WiringContext } from './wiring-context.js';

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
    log: log.child({ component: 'broadcasts' }),
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
  const recallOutcome = recallFromAudit(db, clock.now().toISOString());
  const sendDesk = new SendDesk({ broadcasts, tts, media, audit, clock, settings, gate, recallOutcome });
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
