/**
 * The send desk: every broadcast goes out through it, normal ones included, and bulletins and
 * CAP alerts too. Urgent and emergency work is made hard to get wrong (Hawaii, 2018):
 * emergencies and whole-commune broadcasts wait for a second confirmation (from a second person
 * when configured); drills carry a spoken drill preamble. Volume: normal items are capped, an
 * emergency plays up to the emergency maximum and repeats.
 *
 * shape (volume caps, emergency defaults) -> request (at once, or a pending confirmation)
 * -> confirm -> execute (drill version, BroadcastsService.create, follow-up).
 */
import type { TargetsDescription } from './broadcasts-service.js';
import { drillVersion } from './drill-version.js';
import { confirmationSummary } from './confirmation-summary.js';
import { ConfirmationOutcomes, type ConfirmationOutcome } from './confirmation-outcomes.js';
import type { RecallOutcome } from './confirmation-recall.js';
import { similarRequests, type Similar } from './similar-requests.js';
import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.js';
import type { Actor } from '../audit/actor.js';
import type { Clock } from '../clock.js';
import type { MediaService } from '../media/media-service.js';
import type { Settings } from '../settings.js';
import { DomainError } from '../shared/domain-error.js';
import type { TtsService } from '../tts/tts-service.js';
import type { BroadcastRequest, BroadcastsService } from './broadcasts-service.js';
import type { FollowUp } from './follow-up.js';
import type { Caller, SafetyGate, SoundAsk, SoundPath } from '../safety/safety-gate.js';

export interface PendingConfirmation {
  id: string;
  request: BroadcastRequest;
  requested_by: string;
  requester_key: string;
  requires_second_person: boolean;
  expires_at: string;
  summary: string;
  summary_en: string;
  /** The hamlets it will sound in (for the confirmer's check by the gate). */
  hamlet_ids: string[];
  /** Where it will sound, by name, with the receivers not connected now and the hamlets that have none: what the confirmer reads. */
  where: TargetsDescription;
  /** The same announcement already waiting, or just sent (similar-requests.ts). */
  similar: Similar;
  /**
   * What asked for it, told back on confirmation (a bulletin marks itself broadcast, a CAP alert
   * its record); a schedule is enabled instead of a broadcast being sent.
   */
  context: {
    source: string;
    bulletin_id?: string;
    cap_key?: string;
    cap?: { sender: string; headline: string | null };
    schedule_id?: string;
  };
}

/** What a confirmation did: a broadcast sent, or a schedule switched on. */
export type Confirmed =
  | {
      kind: 'broadcast';
      broadcast_id: string;
      targeted: number;
      recorded: boolean;
      request: BroadcastRequest;
      context: PendingConfirmation['context'];
    }
  | { kind: 'schedule'; schedule_id: string; context: PendingConfirmation['context'] };

/** How a request came to the desk, for the gate's rule 5 (see safety-gate.ts). */
export interface RequestOptions {
  path?: SoundPath;
  origin?: SoundAsk['origin'];
}

export interface SendDeskOptions {
  broadcasts: BroadcastsService;
  tts: TtsService;
  media: MediaService;
  audit: AuditLog;
  clock: Clock;
  gate: SafetyGate;
  settings: Pick<Settings, 'broadcasts' | 'emergency'>;
  /** Watches urgent broadcasts and sends their command again to silent receivers. */
  followUp?: FollowUp;
  /** What became of a confirmation before a restart (the audit log: confirmation-recall.ts). */
  recallOutcome?: RecallOutcome;
}

export class SendDesk {
  private readonly pending = new Map<string, PendingConfirmation>();
  private readonly confirmedListeners: ((
    pending: PendingConfirmation,
    broadcastId: string,
    recorded: boolean,
  ) => void)[] = [];
  private scheduleConfirmed?: (scheduleId: string, confirmer: Actor) => Promise<void>;
  private readonly outcomes: ConfirmationOutcomes; // what became of those that left the waiting list

  constructor(private readonly o: SendDeskOptions) {
    this.outcomes = new ConfirmationOutcomes(o.clock, o.recallOutcome);
  }

  /** The gate's volume rule (caps by level) and the emergency defaults (repeats). */
  shape(req: Omit<BroadcastRequest, 'volume_pct'> & { volume_pct?: number }): BroadcastRequest {
    const e = this.o.settings.emergency;
    const shaped = { ...req, volume_pct: this.o.gate.volume(req.priority, req.volume_pct) };
    if (req.priority !== 'emergency') return shaped;
    const { repeat_count = e.repeat_count, repeat_interval_s = e.repeat_interval_s } = req;
    return { ...shaped, repeat_count, repeat_interval_s };
  }

  /** Asks the safety gate, then broadcasts at once or answers the confirmation that is needed first. */
  async request(
    req: BroadcastRequest,
    caller: Caller,
    context: PendingConfirmation['context'] = { source: 'manual' },
    options: RequestOptions = {},
  ): Promise<
    | { kind: 'done'; broadcast_id: string; targeted: number; recorded: boolean }
    | { kind: 'confirm'; pending: PendingConfirmation }
  > {
    const hamlet_ids = this.hamletsOf(req.target);
    const verdict = this.o.gate.admit(caller, {
      path: options.path ?? 'broadcast',
      priority: req.priority,
      hamlet_ids,
      all: req.target.all,
      play_at: req.play_at,
      origin: options.origin,
    });
    if (!verdict.confirm) {
      // A trusted source vouches for its own alert: it is recorded as the confirmer.
      const vouchedBy = options.origin === 'trusted_source' ? caller.key : null;
      return { kind: 'done', ...(await this.execute(req, caller.actor, vouchedBy, context.source)) };
    }
    // Refuse what is wrong now, not at confirmation.
    const { targets } = this.o.broadcasts.check(req);
    return {
      kind: 'confirm',
      pending: this.ask({
        request: req,
        hamlet_ids,
        receivers: targets.length,
        second_person: verdict.confirm.second_person,
        caller,
        context,
      }),
    };
  }

  /** Asks the gate alone (its refusal audited) before a step that cannot be undone: the stop of a cancel. */
  preflight(
    ask: { priority: BroadcastRequest['priority']; all?: boolean; hamlet_ids?: string[]; receiver_ids?: string[] },
    caller: Caller,
    options: RequestOptions,
  ): void {
    const hamlet_ids = this.hamletsOf(ask);
    this.o.gate.admit(caller, {
      path: options.path ?? 'broadcast',
      priority: ask.priority,
      hamlet_ids,
      all: ask.all,
      origin: options.origin,
    });
  }

  /**
   * A schedule that the gate says must be confirmed (an emergency, or the whole commune): it is
   * saved switched off and switched on by the confirmation.
   */
  requestSchedule(
    scheduleId: string,
    summary: Pick<BroadcastRequest, 'priority' | 'target' | 'volume_pct'>,
    hamletIds: string[],
    receivers: number,
    secondPerson: boolean,
    caller: Caller,
  ): PendingConfirmation {
    return this.ask({
      request: { ...summary },
      hamlet_ids: hamletIds,
      receivers,
      second_person: secondPerson,
      caller,
      context: { source: 'schedule', schedule_id: scheduleId },
    });
  }

  /** Who switches a confirmed schedule on (the programme wing, built after the desk). */
  onScheduleConfirmed(enable: (scheduleId: string, confirmer: Actor) => Promise<void>): void {
    this.scheduleConfirmed = enable;
  }

  private ask(a: {
    request: BroadcastRequest;
    hamlet_ids: string[];
    receivers: number;
    second_person: boolean;
    caller: Caller;
    context: PendingConfirmation['context'];
  }): PendingConfirmation {
    const { settings, clock, audit } = this.o;
    const req = a.request;
    this.purgeExpired();
    const where = this.o.broadcasts.describeTargets(req.target);
    const { summary, summary_en } = confirmationSummary({
      request: req,
      shaped: this.shape(req),
      receivers: a.receivers,
      where,
      schedule: Boolean(a.context.schedule_id),
      ttl_s: settings.emergency.confirmation_ttl_s,
    });
    const pending: PendingConfirmation = {
      id: randomUUID(),
      request: req,
      requested_by: a.caller.actor.id,
      requester_key: a.caller.key,
      requires_second_person: a.second_person,
      expires_at: new Date(clock.now().getTime() + settings.emergency.confirmation_ttl_s * 1000).toISOString(),
      summary,
      summary_en,
      hamlet_ids: a.hamlet_ids,
      context: a.context,
      where,
      similar: similarRequests(
        a,
        this.pendingList(),
        this.o.broadcasts.list(50),
        (x) => this.hamletsOf(x),
        clock.now(),
      ),
    };
    this.pending.set(pending.id, pending);
    audit.append({
      actor: a.caller.actor.id,
      source_ip: a.caller.actor.ip,
      action: 'broadcast.confirmation_requested',
      subject: pending.id,
      detail: {
        priority: req.priority,
        target: req.target,
        hamlets: a.hamlet_ids,
        drill: Boolean(req.drill),
        source: a.context.source,
        expires_at: pending.expires_at,
        ...(a.context.schedule_id ? { schedule_id: a.context.schedule_id } : {}),
      },
    });
    return pending;
  }

  /** A person confirms: the gate checks their level, TOTP and that they are the second person when one is required. */
  /**
   * Withdraws a confirmation nobody has given yet ("Hủy" on the desk): it leaves the waiting list
   * at once instead of lingering until it lapses. Anyone who may send at its level may withdraw it.
   */
  cancel(id: string, caller: Caller): void {
    this.purgeExpired();
    const pending = this.pending.get(id) ?? this.outcomes.refuse(id);
    const may =
      caller.principal && caller.principal.kind !== 'receiver' ? caller.principal.permissions : new Set<string>();
    if (!may.has(`broadcast:${pending.request.priority}`)) throw new DomainError('forbidden', 'forbidden');
    this.pending.delete(id);
    this.outcomes.record(id, { outcome: 'withdrawn', by: caller.actor.id, by_key: caller.key });
    this.o.audit.append({
      actor: caller.actor.id,
      source_ip: caller.actor.ip,
      action: 'broadcast.confirmation_cancelled',
      subject: id,
      detail: { requested_by: pending.requested_by, hamlets: pending.hamlet_ids, by_person: caller.key },
    });
  }

  async confirm(id: string, caller: Caller): Promise<Confirmed> {
    this.purgeExpired();
    const pending = this.pending.get(id) ?? this.outcomes.refuse(id);
    const ask = { priority: pending.request.priority, hamlet_ids: pending.hamlet_ids };
    this.o.gate.checkSecondPerson(caller, pending.requester_key, pending.requires_second_person, ask);
    this.o.gate.mayConfirm(caller, ask); // the confirmer needs the right to send this level too
    // "Confirming" until done (a drill's audio takes seconds): never read as dropped, inviting a resend.
    this.pending.delete(id);
    this.outcomes.record(id, { outcome: 'confirming' });
    try {
      return await this.carryOut(id, pending, caller);
    } catch (err) {
      this.outcomes.forget(id);
      this.pending.set(id, pending); // not carried out: it waits again, and its confirmer is told why
      throw err;
    }
  }

  private async carryOut(id: string, pending: PendingConfirmation, caller: Caller): Promise<Confirmed> {
    const { actor } = caller;
    if (pending.context.schedule_id) {
      if (!this.scheduleConfirmed) throw new Error('no one switches confirmed schedules on');
      await this.scheduleConfirmed(pending.context.schedule_id, actor);
      const schedule_id = pending.context.schedule_id;
      this.outcomes.record(id, {
        outcome: 'confirmed',
        by: actor.id,
        by_key: caller.key,
        broadcast_id: null,
        schedule_id,
      });
      this.o.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'schedule.confirmed',
        subject: pending.context.schedule_id,
        detail: { confirmation_id: id, requested_by: pending.requested_by, by_person: caller.key },
      });
      return { kind: 'schedule', schedule_id: pending.context.schedule_id, context: pending.context };
    }
    const result = await this.execute(
      pending.request,
      { id: pending.requested_by, ip: actor.ip },
      actor.id,
      pending.context.source,
    );
    this.outcomes.record(id, {
      outcome: 'confirmed',
      by: actor.id,
      by_key: caller.key,
      broadcast_id: result.broadcast_id,
      schedule_id: null,
    });
    this.o.audit.append({
      actor: actor.id,
      source_ip: actor.ip,
      action: 'broadcast.confirmed',
      subject: result.broadcast_id,
      detail: { confirmation_id: id, requested_by: pending.requested_by, by_person: caller.key },
    });
    for (const listener of this.confirmedListeners) listener(pending, result.broadcast_id, result.recorded);
    return { kind: 'broadcast', ...result, request: pending.request, context: pending.context };
  }

  /** Told of each confirmed request (CAP marks the alert that waited for it as broadcast). */
  onConfirmed(listener: (pending: PendingConfirmation, broadcastId: string, recorded: boolean) => void): void {
    this.confirmedListeners.push(listener);
  }

  /** The hamlets a target sounds in (receivers named alone count for their hamlet); none when nothing is targeted. */
  hamletsOf(target: BroadcastRequest['target']): string[] {
    return [...new Set(this.targetsOf(target).map((x) => x.hamlet_id))];
  }

  /** How many enrolled receivers these hamlets have: 0 means nothing could play there. */
  receiversIn(hamletIds: string[]): number {
    return hamletIds.length === 0 ? 0 : this.targetsOf({ hamlet_ids: hamletIds }).length;
  }

  /** The receivers a target reaches; none (not an error) when it reaches none. */
  private targetsOf(target: BroadcastRequest['target']) {
    try {
      return this.o.broadcasts.resolveTargets(target).targets;
    } catch (err) {
      if (err instanceof DomainError && err.code === 'no_receivers_targeted') return [];
      throw err;
    }
  }

  /** Everything waiting for a person's confirmation now, soonest to lapse first (the urgent desk lists them). */
  pendingList(): PendingConfirmation[] {
    this.purgeExpired();
    return [...this.pending.values()].sort((a, b) => a.expires_at.localeCompare(b.expires_at));
  }

  pendingConfirmation(id: string): PendingConfirmation | undefined {
    this.purgeExpired();
    return this.pending.get(id);
  }

  /** What became of a confirmation that has left the waiting list (undefined: unknown, or still waiting). */
  outcomeOf(id: string): ConfirmationOutcome | undefined {
    this.purgeExpired();
    return this.pending.has(id) ? undefined : this.outcomes.get(id);
  }

  /** Sends what the gate has let through (at once, or confirmed): the only way to BroadcastsService.create. */
  private async execute(req: BroadcastRequest, actor: Actor, confirmedBy: string | null, source: string) {
    // A live session cannot carry a preamble: drills apply to files.
    const request =
      req.drill && req.media_id ? { ...req, media_id: await drillVersion(this.o, req.media_id, actor) } : req;
    const { broadcast, targets, recorded } = await this.o.broadcasts.create(request, actor, source, confirmedBy);
    return { broadcast_id: broadcast.id, targeted: targets.length, recorded };
  }

  private purgeExpired(): void {
    const now = this.o.clock.now().toISOString();
    for (const [id, p] of this.pending) {
      if (p.expires_at > now) continue;
      this.pending.delete(id);
      this.outcomes.record(id, { outcome: 'lapsed' }, p.expires_at);
    }
  }
}
