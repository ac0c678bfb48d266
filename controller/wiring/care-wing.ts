import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMERGENCY_LANE_MS } from '../coverage/ack-inbox.js';
import { AlertMailer } from '../health/alert-mailer.js';
import { HealthService } from '../health/health-service.js';
import { RemoteOps } from '../health/remote-ops.js';
import { ReportsService } from '../reports/reports-service.js';
import { Rollups } from '../reports/rollups.js';
import { UpwardReporter } from '../reports/upward-reporter.js';
import { loadOrCreateSecret } from '../system/secrets.js';
import { RolloutsService } from '../updates/rollouts-service.js';
import type { Commune } from './commune-wing.js';
import type { Messaging } from './infrastructure.js';
import type { Receipts } from './receipts-wing.js';
import type { Sending } from './sending-wing.js';
import type { WiringContext } from './wiring-context.js';

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
  // The emergency lane: while an emergency goes out, the flood of acks and a check of the store
  // wait (see AckIngestor.giveWay).
  sending.broadcasts.events.on('emergency', () => {
    receipts.acks.giveWay(EMERGENCY_LANE_MS);
    receipts.coverage.giveWay(EMERGENCY_LANE_MS);
  });
  const reports = new ReportsService({
    db,
    rollups,
    hamlets: commune.hamletsRepo,
    receivers: commune.receiversRepo,
    presence: commune.presence,
    clock,
    settings: { timezone: settings.commune.timezone, weekly_targets: settings.console.weekly_targets },
    verifyStore: async () => {
      const check = await receipts.coverage.verifyAll();
      if (!check.ok)
        log.error(
          { problems: check.problems.slice(0, 20) },
          'the tamper-evident store is not intact: rows altered, deleted or forged',
        );
      return check;
    },
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
  receipts.acks.events.on('stored', (stored) => receiverHealth.onPlayback(stored));
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
        // Also a receiver's first start (its first memory): a warning only when something had to be sent again.
        log[n > 0 ? 'warn' : 'info'](
          { receiver_id: receiverId, count: n },
          'receiver started with a new memory (its first start, or its state was wiped): fresh copies of what it still has to play',
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
