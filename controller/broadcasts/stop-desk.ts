/**
 * The stop desk: a stop silences every receiver or chosen hamlets at once, including what is
 * still downloading; a stop of one broadcast reaches it wherever it was sent; a cancel stops a
 * broadcast and sends the prepared correction in one step. Stops go through the outbox like
 * every command.
 */
import type { Actor } from '../audit/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { HamletsReadModel } from '../hamlets/hamlets-read-model.js';
import type { CommandPublisher } from '../outbox/command-publisher.js';
import type { ReceiversReadModel } from '../receivers/receivers-read-model.js';
import type { Settings } from '../settings.js';
import { DomainError, notFound } from '../shared/domain-error.js';
import { fanOutEvents } from '../shared/typed-events.js';
import type { TtsService } from '../tts/tts-service.js';
import type { BroadcastsRepository } from './broadcasts-repository.js';
import type { BroadcastRequest, BroadcastsService } from './broadcasts-service.js';

const STOP_TTL_MS = 10 * 60_000;

export interface StopDeskEvents {
  /** A broadcast was cancelled and corrected (its publication is withdrawn). */
  cancelled: [broadcastId: string];
  /** A stop went out (of every hamlet, of some, or of one broadcast): coverage says "stop sent" at once. */
  stopped: [];
}

export interface StopDeskOptions {
  db: Db;
  repo: BroadcastsRepository;
  broadcasts: BroadcastsService;
  publisher: CommandPublisher;
  hamlets: HamletsReadModel;
  receivers: ReceiversReadModel;
  tts: TtsService;
  audit: AuditLog;
  clock: Clock;
  settings: Pick<Settings, 'emergency'>;
}

export class StopDesk {
  readonly events = fanOutEvents<StopDeskEvents>();

  constructor(private readonly o: StopDeskOptions) {}

  /** Silences every receiver, or those of chosen hamlets, at once. */
  async stopAll(
    hamletIds: string[] | undefined,
    actor: Actor,
  ): Promise<{ command_ids: string[]; hamlets: string[]; receivers: number; hamlets_without_receivers: string[] }> {
    const { hamlets, clock, publisher, audit } = this.o;
    const ids = hamletIds ?? hamlets.list().map((h) => h.id);
    const unknown = hamlets.missing(ids);
    if (unknown.length > 0) throw new DomainError('not_found', 'unknown_hamlets', { ids: unknown.join(', ') });
    // Valid as long as anything it silences could still start: a receiver offline now that gets
    // the queued play when it comes back must get a stop it still takes, or it would play what
    // staff silenced (an outsider's worry, session 18).
    const now = clock.now();
    const latestPlay = this.o.db
      .prepare<[string], { at: string | null }>(
        'SELECT max(expires_at) AS at FROM broadcasts WHERE expires_at > ? AND stopped_at IS NULL',
      )
      .get(now.toISOString())?.at;
    const expires = new Date(Math.max(now.getTime() + STOP_TTL_MS, latestPlay ? Date.parse(latestPlay) : 0));
    const commands = ids.map((id) =>
      publisher.build({ type: 'stop', broadcast_id: null }, { kind: 'hamlet', id }, expires),
    );
    const stored = this.o.db.transaction(() => {
      const rows = commands.map((c) => publisher.store(c));
      // A stop of chosen hamlets is not "stop all": the log says which it was, and where.
      audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: hamletIds ? 'broadcast.stop_hamlets' : 'broadcast.stop_all',
        subject: hamletIds ? ids.map((id) => hamlets.get(id)?.name ?? id).join(', ') : null,
        detail: { hamlets: ids },
      });
      return rows;
    })();
    await Promise.all(stored.map((c) => publisher.publishStored(c)));
    this.events.emit('stopped');
    // What the stop can reach: the desk says "sent to N receivers in M hamlets", and names the
    // hamlets with none (counting them as stopped read as more than it was: outsider, session 19).
    const enrolled = this.o.receivers.enrolledIn(ids);
    const reached = new Set(enrolled.map((r) => r.hamlet_id));
    return {
      command_ids: commands.map((c) => c.command_id),
      hamlets: ids,
      receivers: enrolled.length,
      hamlets_without_receivers: ids.filter((id) => !reached.has(id)),
    };
  }

  /** Stops one broadcast wherever it was sent. */
  async stop(broadcastId: string, actor: Actor): Promise<{ command_ids: string[] }> {
    const { repo, clock, publisher, audit } = this.o;
    const broadcast = repo.get(broadcastId);
    if (!broadcast) throw notFound('what_broadcast', broadcastId);
    // Valid as long as the broadcast could still start: a receiver that was offline gets both.
    const expires = new Date(Math.max(clock.now().getTime() + STOP_TTL_MS, Date.parse(broadcast.expires_at)));
    const targets = publisher
      .commandsOf(broadcastId)
      .filter((c) => c.type === 'play')
      .map((c) => (JSON.parse(c.payload) as { target: { kind: 'hamlet' | 'receiver'; id: string } }).target);
    const commands = targets.map((target) =>
      publisher.build({ type: 'stop', broadcast_id: broadcastId }, target, expires),
    );
    const stored = this.o.db.transaction(() => {
      const rows = commands.map((c) => publisher.store(c));
      repo.markStopped(broadcastId, clock.now().toISOString());
      audit.append({ actor: actor.id, source_ip: actor.ip, action: 'broadcast.stopped', subject: broadcastId });
      return rows;
    })();
    await Promise.all(stored.map((c) => publisher.publishStored(c)));
    this.events.emit('stopped');
    return { command_ids: commands.map((c) => c.command_id) };
  }

  /**
   * Cancels a broadcast: stops it at once (a stop never waits for anyone: Hawaii, 2018) and
   * prepares its correction for the same receivers, at its priority and volume. The caller sends
   * the correction through the send desk, whose rules apply to it as to any broadcast. A broadcast
   * is cancelled once: a second cancel is refused, never a second correction.
   */
  async cancel(
    broadcastId: string,
    text: string | undefined,
    actor: Actor,
  ): Promise<{ stopped: string[]; correction: BroadcastRequest }> {
    const { repo, receivers, tts, audit, clock } = this.o;
    const original = repo.get(broadcastId);
    if (!original) throw notFound('what_broadcast', broadcastId);
    if (original.source === 'correction') throw new DomainError('conflict', 'cancel_correction', { id: broadcastId });
    if (!repo.markCancelled(broadcastId, clock.now().toISOString()))
      throw new DomainError('conflict', 'already_cancelled', { id: broadcastId });
    const { command_ids } = await this.stop(broadcastId, actor);
    const correction = await tts.render(
      { text: text ?? this.o.settings.emergency.correction_text, title: 'Đính chính' },
      actor,
    );
    const receiverIds = repo
      .targetsOf(broadcastId)
      .map((t) => t.receiver_id)
      .filter((id) => receivers.get(id)?.secret_hash);
    audit.append({
      actor: actor.id,
      source_ip: actor.ip,
      action: 'broadcast.cancelled',
      subject: broadcastId,
      detail: { prepared_text: text === undefined },
    });
    this.events.emit('cancelled', broadcastId);
    return {
      stopped: command_ids,
      correction: {
        media_id: correction.media.id,
        target: { receiver_ids: receiverIds },
        priority: original.priority,
        volume_pct: original.volume_pct,
        drill: original.drill === 1,
      },
    };
  }
}
