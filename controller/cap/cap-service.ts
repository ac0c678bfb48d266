/**
 * CAP 1.2 alerts from the provincial disaster authority: validated (CAP 1.2 namespace only),
 * de-duplicated by sender and identifier, judged block by block (every <info> in Vietnamese; the
 * most severe one over a hamlet is acted on), matched against the hamlets' locations, mapped to a
 * priority by configurable rules, and broadcast at once when its sender is trusted (an automated
 * source: there is nobody to confirm at 3 a.m.). Any other sender's alert waits for a person's
 * confirmation on the urgent desk. Update and Cancel follow their references: what they replace
 * is stopped. Only status Actual plays live; Exercise and Test play as drills; System and Draft
 * never play. Expired alerts, and alerts without an expiry sent too long ago (stale), are
 * recorded and never played; so are alerts with no Vietnamese block (held for a person) and
 * alerts over hamlets with no receiver (nothing is fetched for them). Every alert received has a
 * record and an audit entry, refused ones included. The pieces of that judgement live beside this
 * file: which block (cap-info.ts), where and how urgent (cap-targeting.ts), what it sounds like
 * (cap-audio.ts), refusals (cap-refusal.ts) and the answer (cap-result.ts).
 */
import { DomainError } from '../shared/domain-error.js';
import { t } from '../i18n/messages.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { HamletsReadModel } from '../hamlets/hamlets-read-model.js';
import type { Logger } from '../logger.js';
import type { MediaService } from '../media/media-service.js';
import type { Priority } from '../protocol/messages.js';
import type { Actor } from '../audit/actor.js';
import type { Settings } from '../settings.js';
import type { TtsService } from '../tts/tts-service.js';
import type { PendingConfirmation, SendDesk } from '../broadcasts/send-desk.js';
import type { StopDesk } from '../broadcasts/stop-desk.js';
import type { CapAlertRow, CapRepository } from './cap-repository.js';
import { CapError, parseCap, type CapAlert, type CapInfo } from './cap-parser.js';
import { blocksToEvaluate, chooseInfo } from './cap-info.js';
import { audioFor } from './cap-audio.js';
import { recordRefusal } from './cap-refusal.js';
import { toCapResult, type CapMessage, type CapResult } from './cap-result.js';
import { matchHamlets, priorityOf } from './cap-targeting.js';

export type { CapAlertRow } from './cap-repository.js';
export type { CapResult } from './cap-result.js';

export interface CapServiceOptions {
  repo: CapRepository;
  hamlets: HamletsReadModel;
  sendDesk: SendDesk;
  stopDesk: StopDesk;
  tts: TtsService;
  media: MediaService;
  audit: AuditLog;
  clock: Clock;
  settings: Settings['cap'];
  /** The longest a CAP broadcast stays valid (broadcasts.default_expiry_s). */
  broadcastExpiryS: number;
  log: Logger;
}

export class CapService {
  private readonly repo: CapRepository;
  private readonly hamlets: HamletsReadModel;
  private readonly sendDesk: SendDesk;
  private readonly stopDesk: StopDesk;
  private readonly tts: TtsService;
  private readonly media: MediaService;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly settings: Settings['cap'];
  private readonly broadcastExpiryS: number;
  private readonly log: Logger;

  constructor(o: CapServiceOptions) {
    this.repo = o.repo;
    this.hamlets = o.hamlets;
    this.sendDesk = o.sendDesk;
    this.stopDesk = o.stopDesk;
    this.tts = o.tts;
    this.media = o.media;
    this.audit = o.audit;
    this.clock = o.clock;
    this.settings = o.settings;
    this.broadcastExpiryS = o.broadcastExpiryS;
    this.log = o.log;
    this.sendDesk.onConfirmed((pending, broadcastId, recorded) => this.confirmed(pending, broadcastId, recorded));
  }

  /** The hamlets as the POST answers them (an array), not as stored (JSON text): an outsider's script read a string. */
  list(limit = 100): (Omit<CapAlertRow, 'xml' | 'hamlets'> & { hamlets: string[] | null })[] {
    return this.repo
      .list(limit)
      .map((row) => this.settle(row))
      .map(({ xml: _, hamlets, ...r }) => ({ ...r, hamlets: hamlets ? (JSON.parse(hamlets) as string[]) : null }));
  }

  /**
   * An alert that waited for a confirmation nobody gave in time (or whose confirmation a restart
   * forgot) is no longer waiting: it is recorded as expired, never left looking pending.
   */
  private settle(row: CapAlertRow): CapAlertRow {
    if (
      row.outcome !== 'awaiting_confirmation' ||
      (row.confirmation_id && this.sendDesk.pendingConfirmation(row.confirmation_id))
    )
      return row;
    this.repo.setOutcome(row.key, 'confirmation_expired');
    this.audit.append({
      actor: 'system',
      action: 'cap.confirmation_expired',
      subject: row.key,
      detail: { confirmation_id: row.confirmation_id },
    });
    return { ...row, outcome: 'confirmation_expired' };
  }

  /**
   * Takes one CAP document. `typedBy`: the person (`person:<id>`) whose session posted it: a
   * document a person types in is that person's request, never a trusted source's (whatever its
   * <sender> says), so it waits for a confirmation like their own emergency would.
   */
  async ingest(xml: string, via: 'post' | 'feed', actor: Actor, typedBy?: string): Promise<CapResult> {
    let alert: CapAlert;
    try {
      alert = parseCap(xml);
    } catch (err) {
      const e = err as CapError;
      const refusal =
        e.code === 'cap_wrong_namespace'
          ? new DomainError('invalid', 'cap_wrong_namespace', e.params)
          : new DomainError('malformed', 'cap_invalid', { detail: e.message });
      throw this.refuse(
        xml,
        via,
        actor,
        refusal,
        e.code === 'cap_wrong_namespace' ? 'refused_namespace' : 'refused_invalid',
      );
    }
    const key = `${alert.sender}|${alert.identifier}`;
    const existing = this.row(key);
    if (existing) return this.result(this.settle(existing), true, []);

    const trusted = !typedBy && this.settings.trusted_senders.includes(alert.sender);
    const warnings: string[] = [];
    const referenced = alert.referenced
      .map((r) => this.row(`${r.sender}|${r.identifier}`))
      .filter((r): r is CapAlertRow => r !== undefined);
    if (alert.msgType === 'Cancel' && referenced.length === 0) {
      throw this.refuse(
        xml,
        via,
        actor,
        new DomainError('invalid', 'cap_unknown_reference', { references: alert.references ?? '' }),
        'refused_unknown_reference',
        alert,
      );
    }
    if (alert.referenced.length > referenced.length) warnings.push('some references are unknown here');

    // Every block in Vietnamese is judged (none: every block); the most severe one over a hamlet is acted on.
    const now = this.clock.now();
    const { blocks, vietnamese } = blocksToEvaluate(alert.info);
    const chosen = chooseInfo(
      blocks.map((i) => ({
        info: i,
        hamlets: this.matchHamlets(i),
        priority: this.priorityOf(i),
        expired: Boolean(i.expires && Date.parse(i.expires) <= now.getTime()),
      })),
    );
    const info = chosen?.info;

    const base = {
      key,
      identifier: alert.identifier,
      sender: alert.sender,
      sent: alert.sent,
      status: alert.status,
      msg_type: alert.msgType,
      event: info?.event ?? null,
      headline: info?.headline ?? null,
      xml,
      received_at: now.toISOString(),
      via,
      expires_at: info?.expires ? new Date(info.expires).toISOString() : null,
    };
    const store = (outcome: string, extra: Partial<CapAlertRow> = {}, message?: CapMessage) => {
      const row: CapAlertRow = {
        ...base,
        outcome,
        priority: null,
        hamlets: null,
        broadcast_id: null,
        confirmation_id: null,
        ...extra,
      };
      this.repo.insert(row);
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'cap.received',
        subject: key,
        detail: {
          msg_type: alert.msgType,
          status: alert.status,
          outcome,
          broadcast_id: row.broadcast_id,
          confirmation_id: row.confirmation_id,
          trusted,
          why: message ? t(message.key, 'en', message.params) : outcome,
        },
      });
      return this.result(row, false, warnings, message);
    };

    // Update and Cancel replace what they reference: stop it first. Only a trusted sender's do so
    // on their own; anyone else's waits for a person like the rest of its alert.
    if (alert.msgType === 'Update' || alert.msgType === 'Cancel') {
      if (trusted) {
        for (const r of referenced) {
          if (r.broadcast_id) await this.stopDesk.stop(r.broadcast_id, actor);
          this.repo.setOutcome(r.key, alert.msgType === 'Cancel' ? 'cancelled' : 'superseded');
        }
      } else if (referenced.length > 0)
        warnings.push('the sender is not trusted: what it references was not stopped; stop it by hand if need be');
    }
    if (alert.msgType === 'Ack' || alert.msgType === 'Error' || !info || !chosen) return store('ignored');
    if (alert.scope !== 'Public' || alert.status === 'System' || alert.status === 'Draft') return store('not_public');
    if (chosen.expired) return store('expired', {}, { key: 'cap_expired', params: { expires: info.expires! } });
    // A <sent> more than an hour ahead of our clock is a wrong clock or a forgery, not an alert to play for years.
    if (Date.parse(alert.sent) > now.getTime() + 3_600_000)
      return store('sent_in_future', {}, { key: 'cap_sent_in_future', params: { sent: alert.sent } });
    const maxAge = this.settings.max_age_without_expiry_s;
    if (!info.expires && now.getTime() - Date.parse(alert.sent) > maxAge * 1000) {
      return store(
        'stale',
        {},
        { key: 'cap_stale', params: { sent: alert.sent, max_hours: Math.round((maxAge / 3600) * 10) / 10 } },
      );
    }

    let hamlets = chosen.hamlets;
    if (hamlets.length === 0 && alert.msgType === 'Cancel')
      hamlets = referenced.flatMap((r) => (r.hamlets ? (JSON.parse(r.hamlets) as string[]) : []));
    hamlets = [...new Set(hamlets)].sort();
    if (hamlets.length === 0) return store('outside_area');
    const priority = this.priorityOf(info);
    const matched = { hamlets: JSON.stringify(hamlets), priority: priority === 'none' ? null : priority };
    if (priority === 'none') return store('no_broadcast', matched);
    // Never read another language with the Vietnamese voice: a person decides.
    if (!vietnamese) return store('held_no_vietnamese', matched, { key: 'cap_held_no_vietnamese' });
    // Nothing can play it: record it, fetch and render nothing.
    if (this.sendDesk.receiversIn(hamlets) === 0)
      return store('no_receiver', matched, { key: 'cap_no_receiver', params: { hamlets: hamlets.join(', ') } });

    const drill = alert.status !== 'Actual';
    const mediaId = await this.audioFor(info, actor).catch((err) => {
      this.log.error({ key, err: (err as Error).message }, 'no audio for a CAP alert');
      return undefined;
    });
    if (!mediaId) return store('no_audio', matched);
    const untilExpiry = info.expires
      ? Math.floor((Date.parse(info.expires) - now.getTime()) / 1000)
      : this.broadcastExpiryS;
    const expires_in_s = Math.max(60, Math.min(untilExpiry, this.broadcastExpiryS));
    const shaped = this.sendDesk.shape({
      media_id: mediaId,
      target: { hamlet_ids: hamlets },
      priority,
      expires_in_s,
      drill,
    });
    try {
      // The safety gate: a trusted sender's alert goes at once; any other waits on the urgent desk
      // for a person's confirmation, like a person's emergency (the poster is not the second person).
      const caller = { key: typedBy ?? `cap:${alert.sender}`, actor };
      const asked = await this.sendDesk.request(
        shaped,
        caller,
        { source: 'cap', cap_key: key, cap: { sender: alert.sender, headline: info.headline ?? info.event ?? null } },
        { path: 'cap', origin: trusted ? 'trusted_source' : 'untrusted_source' },
      );
      if (asked.kind === 'confirm') {
        const why: CapMessage = typedBy
          ? { key: 'cap_typed_by_person' }
          : { key: 'cap_untrusted_sender', params: { sender: alert.sender } };
        return store('awaiting_confirmation', { ...matched, confirmation_id: asked.pending.id }, why);
      }
      return store(drill ? 'drill' : 'broadcast', { ...matched, broadcast_id: asked.broadcast_id });
    } catch (err) {
      // A non-emergency alert in quiet hours is recorded, not sounded.
      if (err instanceof DomainError && err.code === 'quiet_hours') return store('quiet_hours', matched);
      if (err instanceof DomainError) throw this.refuse(xml, via, actor, err, 'refused', alert);
      throw err;
    }
  }

  /** A confirmed alert from a sender not trusted: it went out. */
  private confirmed(pending: PendingConfirmation, broadcastId: string, recorded: boolean): void {
    const key = pending.context.cap_key;
    if (pending.context.source !== 'cap' || !key || !recorded) return;
    const row = this.row(key);
    if (!row || row.outcome !== 'awaiting_confirmation') return;
    const outcome = pending.request.drill ? 'drill' : 'broadcast';
    this.repo.setBroadcast(key, outcome, broadcastId);
    this.audit.append({
      actor: 'system',
      action: 'cap.confirmed',
      subject: key,
      detail: { confirmation_id: pending.id, broadcast_id: broadcastId, outcome },
    });
  }

  /** A refused document: recorded with an audit entry saying why (cap-refusal.ts). Returns the error to throw. */
  private refuse(
    xml: string,
    via: string,
    actor: Actor,
    err: DomainError,
    outcome: string,
    alert?: CapAlert,
  ): DomainError {
    return recordRefusal(
      { repo: this.repo, audit: this.audit, clock: this.clock },
      { xml, via, actor, err, outcome, alert },
    );
  }

  /** A feed entry that could not be read (dead link, refused answer): recorded, the next entries are still read. */
  recordFeedFailure(link: string, reason: string): void {
    this.audit.append({ actor: 'cap-feed', action: 'cap.feed_entry_failed', subject: link, detail: { why: reason } });
  }

  /** Hamlets inside any area: polygon or circle against coordinates; our geocodes mean all. */
  matchHamlets(info: CapInfo): string[] {
    return matchHamlets(info, this.hamlets.list(), this.settings.geocodes);
  }

  priorityOf(info: CapInfo): Priority | 'none' {
    return priorityOf(info, this.settings.rules);
  }

  /** The alert's own audio when it carries some, else the headline, description and instruction read aloud. */
  private audioFor(info: CapInfo, actor: Actor): Promise<string> {
    return audioFor(
      { media: this.media, tts: this.tts, maxAudioMb: this.settings.max_audio_mb, log: this.log },
      info,
      actor,
    );
  }

  private row(key: string): CapAlertRow | undefined {
    return this.repo.get(key);
  }

  private result(row: CapAlertRow, duplicate: boolean, warnings: string[], message?: CapMessage): CapResult {
    return toCapResult(row, duplicate, warnings, message);
  }
}
