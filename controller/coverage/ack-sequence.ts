/**
 * Gaps in each receiver's ack numbers. A receiver numbers its acks 0, 1, 2, ... (kept across
 * restarts); an ack the controller never got shows as a number skipped. The agent resends what it
 * has not had receipted every 20 s, so a gap whose lowest missing number has not come in for longer
 * than that is asked for with a `resend_acks` operation; one still open after a few asks is given
 * up and logged (the receiver lost those acks, or they are still on their way behind a backlog:
 * an ack that comes later is stored as any other). Pure logic: the caller passes `now`.
 */
export interface GapToAsk {
  receiver_id: string;
  /** The first missing number. */
  from_seq: number;
  asks: number;
}

interface Track {
  /** Every number below this is accounted for (stored, a duplicate, or refused at the door). */
  next: number;
  /** Numbers seen above `next`. */
  above: Set<number>;
  gapSince?: number;
  lastAskAt?: number;
  asks: number;
}

export class AckSequence {
  private readonly tracks = new Map<string, Track>();

  constructor(private readonly options: { wait_ms: number; max_asks: number }) {}

  /**
   * An ack number accounted for. The first number seen from a receiver (since this controller
   * started) starts its track: what came before was receipted before the restart or is pending.
   * `redelivered`: the ack was stored before (the receiver sent it again, its receipt not yet
   * there), so a low number is an old one, never a receiver counting again.
   */
  observe(receiverId: string, seq: number, nowMs: number, redelivered = false): void {
    const t = this.tracks.get(receiverId);
    if (!t) {
      this.tracks.set(receiverId, { next: seq + 1, above: new Set(), asks: 0 });
      return;
    }
    if (seq < t.next) {
      // A number from before: a redelivery, or a receiver that started counting again (a wiped
      // state): a new ack far below, or a new ack 0, means the latter, so follow the new count. A
      // redelivered 0 (a new receiver's first ack sent again while its receipt was slow) once
      // sent the track back to 1, and every number seen since became a gap given up (2026-12-05:
      // 257 receivers of a 5,000 bench, "missing_seqs [1,3]").
      if (!redelivered && (t.next - seq > 10_000 || (seq === 0 && t.above.size === 0)))
        this.tracks.set(receiverId, { next: seq + 1, above: new Set(), asks: 0 });
      return;
    }
    const progress = seq === t.next;
    if (progress) {
      t.next++;
      while (t.above.delete(t.next)) t.next++;
    } else {
      t.above.add(seq);
    }
    if (t.above.size === 0) {
      t.gapSince = undefined;
      t.asks = 0;
    } else if (progress) {
      // The missing numbers are coming in: a receiver that sent an emergency's acks ahead of its
      // backlog (firmware-bridge/agent/ack-outbox.ts). Asked for only once they stop coming, and
      // the asks counted afresh, so a backlog that stalls now and then is never given up.
      t.gapSince = nowMs;
      t.asks = 0;
      t.lastAskAt = undefined;
    } else {
      t.gapSince ??= nowMs;
    }
  }

  /** Receivers whose gap has been open longer than the wait, not asked within the wait; marks them asked. */
  due(nowMs: number): GapToAsk[] {
    const out: GapToAsk[] = [];
    for (const [receiverId, t] of this.tracks) {
      if (t.gapSince === undefined || nowMs - t.gapSince < this.options.wait_ms) continue;
      if (t.lastAskAt !== undefined && nowMs - t.lastAskAt < this.options.wait_ms) continue;
      t.lastAskAt = nowMs;
      t.asks++;
      out.push({ receiver_id: receiverId, from_seq: t.next, asks: t.asks });
    }
    return out;
  }

  /**
   * Gaps asked for `max_asks` times and still open: the receiver no longer has those acks. The
   * track moves past them, and the numbers given up are returned for the log.
   */
  giveUp(nowMs: number): { receiver_id: string; missing: [number, number] }[] {
    const out: { receiver_id: string; missing: [number, number] }[] = [];
    for (const [receiverId, t] of this.tracks) {
      // Given up only a full wait after the last ask: the receiver has had time to answer it.
      if (t.gapSince === undefined || t.asks < this.options.max_asks) continue;
      if (t.lastAskAt !== undefined && nowMs - t.lastAskAt < this.options.wait_ms) continue;
      const nextSeen = Math.min(...t.above);
      out.push({ receiver_id: receiverId, missing: [t.next, nextSeen - 1] });
      t.next = nextSeen;
      while (t.above.delete(t.next)) t.next++;
      t.asks = 0;
      t.lastAskAt = undefined;
      t.gapSince = t.above.size > 0 ? nowMs : undefined;
    }
    return out;
  }
}

/** The `seq` of a payload that failed validation, when it has a usable one. */
export function seqOf(payload: Buffer): number | undefined {
  try {
    const seq = (JSON.parse(payload.toString()) as { seq?: unknown })?.seq;
    // Only a number the receipt's schema can carry (a safe integer): 2**60 would make the receipt itself invalid.
    return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
  } catch {
    return undefined;
  }
}
