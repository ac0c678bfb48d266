/**
 * What became of each confirmation that has left the waiting list: confirmed (the broadcast sent,
 * or the schedule switched on), withdrawn, or lapsed. An official whose emergency waits for another
 * leader is told exactly which, on any of her devices, instead of her desk guessing from the
 * broadcasts sent since (an outsider sent the same emergency twice from a desk that had not been
 * told). Kept in memory for an hour; after a controller restart (which forgets the waiting list)
 * it is read back from the audit log (confirmation-recall.ts).
 */
import type { Clock } from '../clock.js';
import { DomainError } from '../shared/domain-error.js';
import type { RecallOutcome } from './confirmation-recall.js';

/** `by_key`: the person who did it (safety-gate.ts's key), when known: a desk is told it was itself. */
export type ConfirmationOutcome =
  | {
      outcome: 'confirmed';
      at: string;
      by: string;
      by_key?: string;
      broadcast_id: string | null;
      schedule_id: string | null;
    }
  | { outcome: 'withdrawn'; at: string; by: string; by_key?: string }
  | { outcome: 'lapsed'; at: string }
  /** Confirmed, and being carried out (its broadcast not made yet). */
  | { outcome: 'confirming'; at: string }
  /** Known from the audit log after a restart: asked, still waiting when the controller stopped, never confirmed (`at`: the restart). */
  | { outcome: 'dropped'; at: string };

/** What memory keeps ("dropped" is only ever read back from the audit log). */
type Kept = Exclude<ConfirmationOutcome, { outcome: 'dropped' }>;
type Said<T> = T extends unknown ? Omit<T, 'at'> : never;

/** An hour: far longer than any confirmation waits (emergency.confirmation_ttl_s). */
const KEEP_MS = 3_600_000;
/** A bound on memory whatever a script asks for: the oldest are forgotten first. */
const MAX_KEPT = 1_000;

export class ConfirmationOutcomes {
  /** By confirmation id, oldest first (a Map keeps the order of insertion). */
  private readonly kept = new Map<string, Kept>();

  /** `recall`: what the durable record says of one no longer in memory (the controller restarted since). */
  constructor(
    private readonly clock: Clock,
    private readonly recall: RecallOutcome = () => undefined,
  ) {}

  /** `at`: when it happened, if not now (a lapse is noticed after its moment). */
  record(id: string, said: Said<Kept>, at?: string): void {
    const now = this.clock.now();
    this.kept.delete(id);
    this.kept.set(id, { ...said, at: at ?? now.toISOString() } as Kept);
    const oldest = new Date(now.getTime() - KEEP_MS).toISOString();
    for (const [key, o] of this.kept) {
      if (this.kept.size <= MAX_KEPT && o.at >= oldest) break;
      this.kept.delete(key);
    }
  }

  /** A confirmation that could not be carried out: it waits again (send-desk.ts). */
  forget(id: string): void {
    this.kept.delete(id);
  }

  get(id: string): ConfirmationOutcome | undefined {
    return this.kept.get(id) ?? this.recall(id);
  }

  /** Refuses to act on one no longer waiting: says what became of it (409), or that it is unknown (404). */
  refuse(id: string): never {
    const outcome = this.get(id)?.outcome;
    if (!outcome) throw new DomainError('not_found', 'confirmation_unknown');
    if (outcome === 'confirmed' || outcome === 'withdrawn' || outcome === 'confirming')
      throw new DomainError('conflict', `confirmation_already_${outcome}`, { state: outcome });
    throw new DomainError('conflict', 'confirmation_lapsed', { state: outcome });
  }
}
