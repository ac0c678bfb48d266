/**
 * The stop-alls of a span, by hamlet: a person's stop of every hamlet or of chosen ones (the big
 * stop button: stop commands for no one broadcast). That stop marks no broadcast stopped, yet what
 * it silenced will not play on; a report must not keep calling such an item "under way".
 */
import type { Db } from '../db/database.js';
import { topics } from '../protocol/topics.js';
import type { Outcome } from './outcome.js';

/** Each hamlet's stop-all times (ISO, ascending) from `from` to `to`. */
export type StopAlls = Map<string, string[]>;

export function stopAllsBetween(db: Db, from: string, to: string): StopAlls {
  const prefix = topics.hamletCommands('');
  const rows = db
    .prepare<[string, string], { topic: string; created_at: string }>(
      // Through the partial index commands_stop_all (migration 13).
      `SELECT topic, created_at FROM commands WHERE type = 'stop' AND broadcast_id IS NULL
       AND created_at >= ? AND created_at <= ? ORDER BY created_at`,
    )
    .all(from, to);
  const byHamlet: StopAlls = new Map();
  for (const r of rows) {
    if (!r.topic.startsWith(prefix)) continue;
    const hamlet = r.topic.slice(prefix.length);
    byHamlet.set(hamlet, [...(byHamlet.get(hamlet) ?? []), r.created_at]);
  }
  return byHamlet;
}

/** Whether a stop-all reached every hamlet an item was addressed to while it could play. */
export function silencedEverywhere(stops: StopAlls, hamletIds: string[], from: string, until: string): boolean {
  return hamletIds.length > 0 && hamletIds.every((h) => (stops.get(h) ?? []).some((at) => at >= from && at <= until));
}

/** A broadcast as far as a stop bears on it. */
export interface Stoppable {
  created_at: string;
  /** When it was to play, if later than its creation (absent: at once). */
  play_at?: string | null;
  expires_at: string;
  stopped_at: string | null;
}

/**
 * When a person stopped the item for a hamlet's receivers: the broadcast's own stop, else the
 * first stop-all of that hamlet after the item was due and before it expired (one before it was
 * due silences nothing later); null when nobody stopped it there.
 */
export function stoppedFor(stops: StopAlls, b: Stoppable, hamletId: string): string | null {
  if (b.stopped_at) return b.stopped_at;
  const due = b.play_at && b.play_at > b.created_at ? b.play_at : b.created_at;
  return (stops.get(hamletId) ?? []).find((at) => at > due && at <= b.expires_at) ?? null;
}

/**
 * A receiver that had not answered when a person stopped the item will never play it (the stop
 * outlives the item, and the controller never sends it again): it is "stopped", not "waiting" or
 * "no answer" (an official saw "waiting" for a stopped emergency, session 18). One that answered
 * keeps what it said.
 */
export function withStop<S extends { reason: string | null; failed_at: string | null }>(
  outcome: Outcome,
  stages: S,
  stoppedAt: string | null,
): { outcome: Outcome; stages: S } {
  if (!stoppedAt || (outcome !== 'waiting' && outcome !== 'no_answer')) return { outcome, stages };
  return { outcome: 'failed', stages: { ...stages, reason: 'stopped', failed_at: stoppedAt } };
}
