/**
 * The stop-alls of a span, by hamlet: a person's stop of every hamlet or of chosen ones (the big
 * stop button: stop commands for no one broadcast). That stop marks no broadcast stopped, yet what
 * it silenced will not play on; a report must not keep calling such an item "under way".
 */
import type { Db } from '../db/database.js';
import { topics } from '../protocol/topics.js';
import { IN_PROGRESS, type Outcome } from './outcome.js';

/** One stop-all command to a hamlet: when it was made, and its id (its receivers acknowledge that id). */
export interface StopAll {
  at: string;
  command_id: string;
}

/** Each hamlet's stop-alls (ascending) from `from` to `to`. */
export type StopAlls = Map<string, StopAll[]>;

export function stopAllsBetween(db: Db, from: string, to: string): StopAlls {
  const prefix = topics.hamletCommands('');
  const rows = db
    .prepare<[string, string], { id: string; topic: string; created_at: string }>(
      // Through the partial index commands_stop_all (migration 13).
      `SELECT id, topic, created_at FROM commands WHERE type = 'stop' AND broadcast_id IS NULL
       AND created_at >= ? AND created_at <= ? ORDER BY created_at`,
    )
    .all(from, to);
  const byHamlet: StopAlls = new Map();
  for (const r of rows) {
    if (!r.topic.startsWith(prefix)) continue;
    const hamlet = r.topic.slice(prefix.length);
    byHamlet.set(hamlet, [...(byHamlet.get(hamlet) ?? []), { at: r.created_at, command_id: r.id }]);
  }
  return byHamlet;
}

/** Whether a stop-all reached every hamlet an item was addressed to while it could play. */
export function silencedEverywhere(stops: StopAlls, hamletIds: string[], from: string, until: string): boolean {
  return (
    hamletIds.length > 0 && hamletIds.every((h) => (stops.get(h) ?? []).some((s) => s.at >= from && s.at <= until))
  );
}

/** A broadcast as far as a stop bears on it. */
export interface Stoppable {
  created_at: string;
  /** When it was to play, if later than its creation (absent: at once). */
  play_at?: string | null;
  expires_at: string;
  stopped_at: string | null;
}

/** The stop-alls of a hamlet that silence an item: made after it was due and before it expired (one before it was due silences nothing later). */
function stopAllsOf(stops: StopAlls, b: Stoppable, hamletId: string): StopAll[] {
  const due = b.play_at && b.play_at > b.created_at ? b.play_at : b.created_at;
  return (stops.get(hamletId) ?? []).filter((s) => s.at > due && s.at <= b.expires_at);
}

/**
 * When a person stopped the item for a hamlet's receivers: the broadcast's own stop, else the
 * first stop-all of that hamlet that silences it; null when nobody stopped it there.
 */
export function stoppedFor(stops: StopAlls, b: Stoppable, hamletId: string): string | null {
  if (b.stopped_at) return b.stopped_at;
  return stopAllsOf(stops, b, hamletId)[0]?.at ?? null;
}

/** One hamlet's first stop-all that silences an item: when it was sent there. */
export interface HamletStop {
  hamlet_id: string;
  at: string;
}

/**
 * The stops of hamlets that silence the item: for each of its hamlets where it had not ended on
 * its own (`endedBy`: every receiver there finished, failed or refused it, not for a stop; a stop
 * silenced nothing there, as an outsider's finished emergencies showed), the first; and when
 * every one of its other hamlets had one (the last of those), or null. Its own stop is
 * `stopped_at`; a stop-all marks no broadcast stopped, and an outsider read `"stopped_at": null`
 * after stopping everything as "still on". Sent, not taken: whether each took it is in the coverage.
 */
export function hamletStopsOf(
  stops: StopAlls,
  b: Stoppable,
  hamletIds: string[],
  endedBy: (hamletId: string) => boolean,
): { hamlets: HamletStop[]; all_at: string | null } {
  const open = hamletIds.filter((h) => !endedBy(h));
  const hamlets = open.flatMap((h) => {
    const first = stopAllsOf(stops, b, h)[0]?.at;
    return first ? [{ hamlet_id: h, at: first }] : [];
  });
  const everywhere = open.length > 0 && hamlets.length === open.length;
  return { hamlets, all_at: everywhere ? hamlets.map((h) => h.at).reduce((a, c) => (c > a ? c : a)) : null };
}

/**
 * Whether a receiver took a stop that silences the item: it acknowledged (received) the
 * broadcast's own stop or a stop-all of its hamlet that silences it. A stop sent is not a stop
 * taken: a receiver offline or slow may yet start the item before the stop reaches it (an
 * outsider heard 8 s of an emergency "stopped" on a receiver 25 s late, session 19).
 */
export class StopConfirmations {
  private readonly ownStops = new Map<string, string[]>();
  private readonly ownStmt;
  private readonly ackStmt;

  constructor(db: Db) {
    this.ownStmt = db.prepare<[string], { id: string }>(
      "SELECT id FROM commands WHERE broadcast_id = ? AND type = 'stop'",
    );
    this.ackStmt = db.prepare<[string, string], { one: number }>(
      "SELECT 1 AS one FROM acks WHERE receiver_id = ? AND command_id = ? AND stage = 'received'",
    );
  }

  took(receiverId: string, b: Stoppable & { id: string }, hamletId: string, stops: StopAlls): boolean {
    let own = this.ownStops.get(b.id);
    if (!own) {
      own = b.stopped_at ? this.ownStmt.all(b.id).map((r) => r.id) : [];
      this.ownStops.set(b.id, own);
    }
    const ids = [...own, ...stopAllsOf(stops, b, hamletId).map((s) => s.command_id)];
    return ids.some((id) => this.ackStmt.get(receiverId, id) !== undefined);
  }
}

/**
 * A receiver that had not answered when a person stopped the item: once it has taken the stop it
 * will never play the item (the stop outlives the item, and the controller never sends it again),
 * so it is "stopped", not "waiting" or "no answer" (an official saw "waiting" for a stopped
 * emergency, session 18). Until it takes the stop, it keeps its outcome and `stop_sent_at` says
 * that a stop went out and is not confirmed. One that answered the item keeps what it said; while
 * that is "received", "ready", "playing" or "unfinished", `stop_sent_at` too says the stop is not confirmed.
 */
export function withStop<S extends { reason: string | null; failed_at: string | null; retried_reason?: string | null }>(
  outcome: Outcome,
  stages: S,
  stoppedAt: string | null,
  took: () => boolean,
): { outcome: Outcome; stages: S; stop_sent_at: string | null } {
  if (!stoppedAt) return { outcome, stages, stop_sent_at: null };
  // Playing or holding it by its last word: that word stands, and the stop it has not taken is said
  // beside it (an outsider's receiver, without power, read "playing" with no word of the stop).
  // So too one that started it and went silent (unfinished): after a power cut it takes the item up
  // again unless it takes the stop first (an outsider's coverage dropped the stop, still untaken).
  if (IN_PROGRESS.has(outcome) || outcome === 'unfinished')
    return { outcome, stages, stop_sent_at: took() ? null : stoppedAt };
  if (outcome !== 'waiting' && outcome !== 'no_answer') return { outcome, stages, stop_sent_at: null };
  // It refused the copy it got (one older than its memory, say), which would otherwise be sent
  // again: a stopped item never is, so that refusal is its answer (it said "no answer": outsider F).
  if (stages.retried_reason)
    return { outcome: 'rejected', stages: { ...stages, reason: stages.retried_reason }, stop_sent_at: null };
  if (!took()) return { outcome, stages, stop_sent_at: stoppedAt };
  return { outcome: 'failed', stages: { ...stages, reason: 'stopped', failed_at: stoppedAt }, stop_sent_at: null };
}
