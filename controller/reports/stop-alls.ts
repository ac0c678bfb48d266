/**
 * The stop-alls of a span, by hamlet: a person's stop of every hamlet or of chosen ones (the big
 * stop button: stop commands for no one broadcast). That stop marks no broadcast stopped, yet what
 * it silenced will not play on; a report must not keep calling such an item "under way".
 */
import type { Db } from '../db/database.js';
import { topics } from '../protocol/topics.js';

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
