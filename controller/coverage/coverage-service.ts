/**
 * Coverage of a broadcast: for each targeted receiver, how far it got, and totals per hamlet.
 * The outcome is a pure function of the stages a receiver reported and of `now`.
 */
import type { Clock } from '../clock.js';
import type { BroadcastsReadModel } from '../broadcasts/broadcasts-read-model.js';
import type { HamletsReadModel } from '../hamlets/hamlets-read-model.js';
import { StopConfirmations, stopAllsBetween, stoppedFor, withStop } from './stop-alls.js';
import { notFound } from '../shared/domain-error.js';
import { verifyAck } from '../protocol/signing.js';
import type { Db } from '../db/database.js';
import { SharedVerification } from '../proof/verify-in-slices.js';
import type { AcksRepository, PlayWindow, ReceiverStages } from './acks-repository.js';
import { IN_PROGRESS, outcomeOf, playWindowOver, type Outcome } from './outcome.js';
import { nowPlaying } from './now-playing.js';
import { SilentFrom } from './silent-from.js';
import { cutByRestart } from './stage-columns.js';

export type { PlayWindow };

export interface Totals {
  targeted: number;
  received: number;
  downloaded: number;
  started: number;
  /** Played to the end on their own loudspeakers: heard. */
  finished: number;
  /** Ended normally but only sent on (a bridge): not confirmed heard, never counted in `finished`. */
  sent: number;
  /** Sounding now: started, not yet finished nor failed, and may still sound. */
  playing: number;
  /** Hold it and have not started it yet: downloading, or waiting their turn (behind an emergency, its play_at). */
  holding: number;
  /** Started, and no end reported where one was due (died mid-item, or not connected): never heard. */
  unfinished: number;
  failed: number;
  rejected: number;
  waiting: number;
  no_answer: number;
  /**
   * Of the receivers without a final word (not yet answered, unanswered, holding it, playing it by
   * their last report, unfinished): those not connected now. So "not connected" is never 0 for a
   * hamlet whose only receiver is gone, mid-item or before (an outsider's, without power, was
   * "playing" with 0 not connected); `offline` is thus not a part of `waiting + no_answer` alone.
   */
  offline: number;
  /** Of the failed: stopped by a person (stop-all, a stop of hamlets). */
  stopped: number;
  /** Of the failed: cut off by an emergency (reason preempted). Like `stopped`, no fault of the receiver's. */
  preempted: number;
  /** Of the waiting or unanswered: a person's stop went out to them and they have not taken it yet. */
  stop_unconfirmed: number;
}

const emptyTotals = (): Totals => ({
  targeted: 0,
  received: 0,
  downloaded: 0,
  started: 0,
  finished: 0,
  sent: 0,
  playing: 0,
  holding: 0,
  unfinished: 0,
  failed: 0,
  rejected: 0,
  waiting: 0,
  no_answer: 0,
  offline: 0,
  stopped: 0,
  preempted: 0,
  stop_unconfirmed: 0,
});

/** Outcomes a receiver may still change by what it says next: one of them not connected now is counted so. */
const WITHOUT_FINAL_WORD = new Set<Outcome>(['waiting', 'no_answer', 'unfinished', ...IN_PROGRESS]);

function add(t: Totals, s: ReceiverStages, outcome: Outcome, stopSentAt: string | null): void {
  t.targeted++;
  if (s.received_at) t.received++;
  if (s.downloaded_at) t.downloaded++;
  if (s.started_at) t.started++;
  if (outcome === 'finished') t.finished++;
  if (outcome === 'sent') t.sent++;
  if (outcome === 'playing') t.playing++;
  if (outcome === 'received' || outcome === 'downloaded') t.holding++;
  if (outcome === 'unfinished') t.unfinished++;
  if (outcome === 'failed') t.failed++;
  if (outcome === 'rejected') t.rejected++;
  if (outcome === 'waiting') t.waiting++;
  if (outcome === 'no_answer') t.no_answer++;
  if (WITHOUT_FINAL_WORD.has(outcome) && s.presence !== 'online') t.offline++;
  if (outcome === 'failed' && s.reason === 'stopped') t.stopped++;
  if (outcome === 'failed' && s.reason === 'preempted') t.preempted++;
  if (stopSentAt) t.stop_unconfirmed++;
}

export interface CoverageServiceOptions {
  broadcasts: BroadcastsReadModel;
  acks: AcksRepository;
  hamlets: HamletsReadModel;
  clock: Clock;
  db: Db;
}

/** What coverage reads of the last check of the store (the reports' CheckedStore, as far as coverage needs it). */
export interface StoreCheckView {
  result: { ok: boolean; problems: { command_id?: string; receiver_id?: string; stage?: string }[] };
  at: number;
}

export class CoverageService {
  private readonly broadcasts: BroadcastsReadModel;
  private readonly acks: AcksRepository;
  private readonly hamlets: HamletsReadModel;
  private readonly clock: Clock;
  private readonly db: Db;
  private verification?: SharedVerification;

  constructor({ broadcasts, acks, hamlets, clock, db }: CoverageServiceOptions) {
    this.broadcasts = broadcasts;
    this.acks = acks;
    this.hamlets = hamlets;
    this.clock = clock;
    this.db = db;
  }

  /** The whole proof on the box: both logs, their heads, the key histories, the triggers (in slices of the thread: it can take a minute). */
  verifyAll() {
    return this.sharedVerification().run();
  }

  /** An emergency is going out: a running check of the store waits `ms` (see verify-in-slices.ts). */
  giveWay(ms: number): void {
    this.sharedVerification().giveWay(ms);
  }

  private sharedVerification(): SharedVerification {
    this.verification ??= new SharedVerification(this.db.name, { checkTriggers: true });
    return this.verification;
  }

  /** Every stored ack of the broadcast checked against its receiver's signature. */
  verify(broadcastId: string) {
    if (!this.broadcasts.get(broadcastId)) throw notFound('what_broadcast', broadcastId);
    return { broadcast_id: broadcastId, ...this.acks.verifyBroadcast(broadcastId, verifyAck) };
  }

  /**
   * What the last check of the store says about a broadcast's records: `ok` false when it found any
   * row altered, deleted or forged; `altered_here` counts those named as this broadcast's acks (a
   * deleted row names nothing, so the store's whole count is given too).
   */
  integrityOf(broadcastId: string, check: StoreCheckView | null) {
    if (!check) return { ok: null, checked_at: null, problems: 0, altered_here: 0 };
    const commands = new Set(
      this.db
        .prepare<[string], { id: string }>('SELECT id FROM commands WHERE broadcast_id = ?')
        .all(broadcastId)
        .map((r) => r.id),
    );
    return {
      ok: check.result.ok,
      checked_at: new Date(check.at).toISOString(),
      problems: check.result.problems.length,
      // Acks, not findings: one edited row is found twice (its hash and its signature).
      altered_here: new Set(
        check.result.problems
          .filter((p) => p.command_id && commands.has(p.command_id))
          .map((p) => `${p.receiver_id}/${p.command_id}/${p.stage}`),
      ).size,
    };
  }

  /** Each hamlet, in the commune's order, with what its receivers report playing now. */
  nowPlaying() {
    const now = this.clock.now();
    const playing = nowPlaying(this.db, this.acks, now);
    return {
      at: now.toISOString(),
      hamlets: this.hamlets.list().map((h) => ({ hamlet_id: h.id, name: h.name, playing: playing.get(h.id) ?? [] })),
    };
  }

  ofBroadcast(broadcastId: string) {
    const broadcast = this.broadcasts.get(broadcastId);
    if (!broadcast) throw notFound('what_broadcast', broadcastId);
    const now = this.clock.now();
    const window = this.acks.playWindowOf(broadcastId);
    if (!window) throw notFound('what_broadcast', broadcastId);
    const totals = emptyTotals();
    const byHamlet = new Map<
      string,
      { hamlet_id: string; name: string; households: number; population: number; totals: Totals; receivers: unknown[] }
    >();
    // A person's stop (of the broadcast, or of its hamlets) ends the wait of those not yet answered.
    const stops = stopAllsBetween(this.db, broadcast.created_at, broadcast.expires_at);
    const confirmations = new StopConfirmations(this.db);
    const silentFrom = new SilentFrom(this.db);
    for (const stages of this.acks.stagesOf(broadcastId)) {
      const stoppedAt = stoppedFor(stops, broadcast, stages.hamlet_id);
      const {
        outcome,
        stages: s,
        stop_sent_at,
      } = withStop(outcomeOf(stages, window, now), stages, stoppedAt, () =>
        confirmations.took(stages.receiver_id, broadcast, stages.hamlet_id, stops),
      );
      let h = byHamlet.get(s.hamlet_id);
      if (!h) {
        const hamlet = this.hamlets.get(s.hamlet_id);
        h = {
          hamlet_id: s.hamlet_id,
          name: hamlet?.name ?? s.hamlet_id,
          households: hamlet?.households ?? 0,
          population: hamlet?.population ?? 0,
          totals: emptyTotals(),
          receivers: [],
        };
        byHamlet.set(s.hamlet_id, h);
      }
      add(totals, s, outcome, stop_sent_at);
      add(h.totals, s, outcome, stop_sent_at);
      h.receivers.push({
        receiver_id: s.receiver_id,
        name: s.name,
        outcome,
        received_at: s.received_at,
        downloaded_at: s.downloaded_at,
        started_at: s.started_at,
        finished_at: s.finished_at,
        failed_at: s.failed_at ?? s.rejected_at,
        reason: s.reason,
        // What it said with its final ack: for a bridge, what it could confirm (sent, fetched, keyed), not that a device played.
        detail: s.detail ?? null,
        restarted_at: s.restarted_at ?? null,
        cut_by_restart: cutByRestart(s),
        // When its restart's words are its last: when it fell silent (its first disconnection after it started).
        silent_from: silentFrom.of(s),
        online: s.presence === 'online',
        // Refused a copy that was no answer (forged, or older than its memory): being sent again.
        // Only while it is still being sent (not once it answered, stopped or expired).
        retrying: outcome === 'waiting' && !stop_sent_at ? s.retried_reason : null,
        // A stop went out to it and it has not taken it yet: it may still start the item meanwhile.
        stop_sent_at,
      });
    }
    // Heard means played to the end on a loudspeaker: a receiver that started and then failed, or
    // was stopped, did not reach its hamlet; nor did one that only sent it on (a bridge), which
    // the hamlet says apart (sent_only) so nobody takes it for heard.
    const hamlets = [...byHamlet.values()].map((h) => ({
      ...h,
      reached: h.totals.finished > 0,
      sent_only: h.totals.finished === 0 && h.totals.sent > 0,
    }));
    // The hamlets it was addressed to that had no enrolled receiver: they did not hear it either.
    const target = JSON.parse(broadcast.target_json) as { all?: boolean; hamlet_ids?: string[] };
    const addressed = target.all ? this.hamlets.list().map((h) => h.id) : (target.hamlet_ids ?? []);
    const withoutReceivers = addressed
      .filter((id) => !byHamlet.has(id))
      .map((id) => {
        const hamlet = this.hamlets.get(id);
        return { hamlet_id: id, name: hamlet?.name ?? id, households: hamlet?.households ?? 0 };
      });
    return {
      broadcast_id: broadcastId,
      expires_at: broadcast.expires_at,
      // An unfinished receiver is settled only once the play window is over: one that is merely not
      // connected may have played on alone and still report, so the desk keeps watching it.
      complete:
        totals.waiting === 0 &&
        totals.targeted ===
          totals.finished +
            totals.sent +
            totals.failed +
            totals.rejected +
            totals.no_answer +
            (playWindowOver(window, now) ? totals.unfinished : 0),
      totals,
      hamlets_targeted: hamlets.length + withoutReceivers.length,
      without_receivers: withoutReceivers,
      hamlets_reached: hamlets.filter((h) => h.reached).length,
      households_reached: hamlets.filter((h) => h.reached).reduce((n, h) => n + h.households, 0),
      // Sent on, not confirmed heard: never in the reached figures above.
      hamlets_sent_only: hamlets.filter((h) => h.sent_only).length,
      households_sent_only: hamlets.filter((h) => h.sent_only).reduce((n, h) => n + h.households, 0),
      hamlets,
    };
  }
}
