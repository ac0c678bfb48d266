/**
 * What became of each confirmation that has left the waiting list: confirmed (the broadcast sent,
 * or the schedule switched on), withdrawn, or lapsed. An official whose emergency waits for another
 * leader is told exactly which, on any of her devices, instead of her desk guessing from the
 * broadcasts sent since (an outsider sent the same emergency twice from a desk that had not been
 * told). Kept in memory for an hour, as the waiting list itself is: a controller restart forgets
 * both, and the desk then says it does not know.
 */
import type { Clock } from '../clock.js';

export type ConfirmationOutcome =
  | { outcome: 'confirmed'; at: string; by: string; broadcast_id: string | null; schedule_id: string | null }
  | { outcome: 'withdrawn'; at: string; by: string }
  | { outcome: 'lapsed'; at: string };

type Said<T> = T extends unknown ? Omit<T, 'at'> : never;

/** An hour: far longer than any confirmation waits (emergency.confirmation_ttl_s). */
const KEEP_MS = 3_600_000;
/** A bound on memory whatever a script asks for: the oldest are forgotten first. */
const MAX_KEPT = 1_000;

export class ConfirmationOutcomes {
  /** By confirmation id, oldest first (a Map keeps the order of insertion). */
  private readonly kept = new Map<string, ConfirmationOutcome>();

  constructor(private readonly clock: Clock) {}

  /** `at`: when it happened, if not now (a lapse is noticed after its moment). */
  record(id: string, said: Said<ConfirmationOutcome>, at?: string): void {
    const now = this.clock.now();
    this.kept.delete(id);
    this.kept.set(id, { ...said, at: at ?? now.toISOString() } as ConfirmationOutcome);
    const oldest = new Date(now.getTime() - KEEP_MS).toISOString();
    for (const [key, o] of this.kept) {
      if (this.kept.size <= MAX_KEPT && o.at >= oldest) break;
      this.kept.delete(key);
    }
  }

  get(id: string): ConfirmationOutcome | undefined {
    return this.kept.get(id);
  }
}
