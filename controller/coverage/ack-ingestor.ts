/**
 * Takes acks off the MQTT edge, checks them at the door, stores them in batches (one transaction
 * per batch: 10k+ acks/s with synchronous=FULL) and then tells each receiver which sequence numbers
 * are stored, so the agent can drop them from its on-disk outbox. Until that receipt arrives the
 * agent resends: an accepted ack is never lost, and a redelivered one makes no second row.
 * At the door: an ack that is malformed, names another receiver, or is not signed by the key
 * enrolled for its receiver is never stored nor counted; it is answered with a negative receipt
 * naming the reason (so the receiver stops resending it and can report its fault). Gaps in a
 * receiver's numbers are asked for again (`resend_acks`).
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { ackSchema, parseFromReceiver, type Ack, type AckRefusal, type ProofHead } from '../protocol/messages.js';
import type { CommandPublisher } from '../outbox/command-publisher.js';
import type { KeyHistory } from '../proof/key-history.js';
import type { AcksRepository } from './acks-repository.js';
import { AckDoor } from './ack-door.js';
import { AckInbox } from './ack-inbox.js';
import { AckSequence, seqOf } from './ack-sequence.js';
import { CommandBroadcasts } from './command-broadcasts.js';
import { fanOutEvents } from '../shared/typed-events.js';

export interface AckIngestStats {
  stored: number;
  duplicates: number;
  malformed: number;
  unknown_command: number;
  /** Refused at the door, by reason (negative receipts sent). */
  refused: Record<AckRefusal, number>;
  /** resend_acks asked of receivers for gaps in their numbers, and gaps given up. */
  gaps_asked: number;
  gaps_given_up: number;
}

export interface AckIngestorEvents {
  stored: [acks: Ack[]];
}

const RECEIPT_TTL_MS = 60 * 60 * 1000;
/**
 * Receipts waiting for the broker's PUBACK at one time (see sendReceipts): enough to keep the link
 * busy, few enough that a command published meanwhile is not queued behind thousands.
 */
const RECEIPTS_IN_FLIGHT = 64;
/** How long checked acks wait to be stored together while a flood is still being checked. */
const STORE_WAIT_MS = 200;
/** How long a stopping controller checks the acks still waiting. */
const STOP_CHECKS_MS = 1000;
/** How long a stopping controller gives its last receipts. */
const FINAL_RECEIPTS_MS = 1500;
/** resend_acks is asked this many times for one gap before it is given up. */
const MAX_GAP_ASKS = 3;

export interface AckIngestorOptions {
  acks: AcksRepository;
  publisher: CommandPublisher;
  /** Each receiver's ack keys (its key history: a re-enrolled receiver's earlier keys too). */
  keys: Pick<KeyHistory, 'receiverPems'>;
  /** Signs the ack log's head before receipts go out, so each receipt carries a head covering its acks. */
  signHead?: () => ProofHead | null;
  clock: Clock;
  log: Logger;
  /** A gap in a receiver's numbers still open after this long is asked for. */
  gap_wait_ms?: number;
  tuning?: { flush_ms: number; max_batch: number; receipt_ms: number };
}

export class AckIngestor {
  readonly stats: AckIngestStats = {
    stored: 0,
    duplicates: 0,
    malformed: 0,
    unknown_command: 0,
    refused: { no_signature: 0, bad_signature: 0, wrong_receiver: 0, malformed: 0 },
    gaps_asked: 0,
    gaps_given_up: 0,
  };
  /** Acks as they came off the link, checked in slices (the emergency lane: ack-inbox.ts). */
  private readonly inbox: AckInbox;
  private queue: Ack[] = [];
  /** When the first ack of the queue was queued (performance.now()). */
  private queuedSince = 0;
  /** The last chunk's verdicts applied: the next chunk's wait for it, so acks are queued in the order they came. */
  private lastAdmitted: Promise<void> = Promise.resolve();
  private flushTimer?: NodeJS.Timeout;
  private receiptTimer?: NodeJS.Timeout;
  /** The receipt run under way: one at a time, so RECEIPTS_IN_FLIGHT holds overall. */
  private sendingReceipts?: Promise<void>;
  /** Set when the controller stops and its last receipts did not go in time: no more are signed. */
  private receiptsAbandoned = false;
  private gapTimer?: NodeJS.Timeout;
  private readonly receipts = new Map<string, number[]>();
  private readonly refusals = new Map<string, { seq: number; reason: AckRefusal }[]>();
  private readonly commands = new CommandBroadcasts((id) => this.publisher.commandBroadcast(id));
  /** The signature check at the door: one verification per run of a receiver's chained acks. */
  readonly door: AckDoor;
  private readonly sequence: AckSequence;
  private stopped = false;
  /** 'stored' (acks) after each stored batch: live progress, report rollups, metrics, benchmarks. */
  readonly events = fanOutEvents<AckIngestorEvents>();
  private readonly acks: AcksRepository;
  private readonly publisher: CommandPublisher;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly options: { flush_ms: number; max_batch: number; receipt_ms: number };

  constructor(private readonly o: AckIngestorOptions) {
    ({ acks: this.acks, publisher: this.publisher, clock: this.clock, log: this.log } = o);
    this.options = o.tuning ?? { flush_ms: 20, max_batch: 2000, receipt_ms: 250 };
    this.door = new AckDoor(o.keys);
    this.inbox = new AckInbox((items) => this.check(items), this.log, o.publisher.urgent);
    this.sequence = new AckSequence({ wait_ms: o.gap_wait_ms ?? 30_000, max_asks: MAX_GAP_ASKS });
  }

  /** Looks for gaps in receivers' ack numbers (a fraction of the wait, so an ask is never late by much). */
  start(): void {
    const every = Math.max(250, Math.min(10_000, (this.o.gap_wait_ms ?? 30_000) / 4));
    this.gapTimer = setInterval(
      () =>
        void this.askForGaps().catch((err) =>
          this.log.error({ err: (err as Error).message }, 'asking for missing acks failed'),
        ),
      every,
    );
    this.gapTimer.unref();
  }

  get queueDepth(): number {
    return this.inbox.length + this.queue.length;
  }

  /** Called for every message on tt/v1/rx/{id}/ack. Never throws. */
  handle(topicReceiverId: string, payload: Buffer): void {
    // Stopping: the database is about to close. Not stored means not receipted: the agent resends it.
    if (this.stopped) return;
    this.inbox.push(topicReceiverId, payload);
  }

  /**
   * An emergency is going out: for `ms`, acks wait unchecked and unstored and receipts unsent, so
   * the controller's thread and the broker carry the emergency first; only urgent ones (its own
   * proof, a stop's) are checked meanwhile, a chunk at a time, and stored with any checked before.
   * Nothing is lost: acks not stored are not receipted; should the controller stop, they are resent.
   */
  giveWay(ms: number): void {
    if (this.stopped) return;
    this.inbox.hold(ms, () => {
      if (this.queue.length > 0) this.flushTimer ??= setTimeout(() => this.store(), 0);
      if (this.receipts.size > 0 || this.refusals.size > 0)
        this.receiptTimer ??= setTimeout(() => void this.sendReceipts(), 0);
    });
  }

  /**
   * Checks acks as they came off the link, together (the door: ack-door.ts, its signatures verified
   * off the thread), and queues the good ones for storing, chunk after chunk in the order they came.
   */
  private check(items: { receiverId: string; payload: Buffer }[]): Promise<void> {
    const parsed: Ack[] = [];
    for (const { receiverId, payload } of items) {
      const p = parseFromReceiver(ackSchema, receiverId, payload);
      if (p.ok) {
        parsed.push(p.value);
        continue;
      }
      this.stats.malformed++;
      this.log.warn({ receiver_id: receiverId, error: p.error }, 'malformed ack dropped');
      // Answer it when it carries a number to answer, so a receiver does not resend it forever.
      const seq = seqOf(payload);
      if (seq !== undefined)
        this.refuse(receiverId, seq, p.error.includes('differs from topic') ? 'wrong_receiver' : 'malformed');
    }
    const verdicts = this.door.check(parsed);
    const admitted = Promise.all([verdicts, this.lastAdmitted]).then(([v]) => this.admit(parsed, v));
    this.lastAdmitted = admitted.catch(() => {});
    return admitted;
  }

  private admit(parsed: Ack[], verdicts: (AckRefusal | undefined)[]): void {
    parsed.forEach((ack, i) => {
      const refusal = verdicts[i];
      if (!refusal) {
        if (this.queue.length === 0) this.queuedSince = performance.now();
        this.queue.push(ack);
        return;
      }
      this.log.warn(
        { receiver_id: ack.receiver_id, seq: ack.seq, command_id: ack.command_id, reason: refusal },
        "ack refused at the door: not signed by this receiver's key",
      );
      this.refuse(ack.receiver_id, ack.seq, refusal);
    });
    if (this.queue.length >= this.options.max_batch) this.store();
    else if (this.queue.length > 0)
      this.flushTimer ??= setTimeout(() => this.storeUnlessFlooded(), this.options.flush_ms);
  }

  /**
   * Stores what is checked, unless more acks are still waiting to be checked: then they are stored
   * together in fewer, larger transactions (each commit's fsync holds the controller's thread for
   * about 6 ms), waiting at most STORE_WAIT_MS in all; not while held (they are not being checked).
   */
  private storeUnlessFlooded(): void {
    this.flushTimer = undefined;
    const waited = performance.now() - this.queuedSince;
    if (this.inbox.length > 0 && waited < STORE_WAIT_MS && !this.stopped && !this.inbox.held)
      this.flushTimer = setTimeout(() => this.storeUnlessFlooded(), this.options.flush_ms);
    else this.store();
  }

  /** Checks and stores every ack that came in, now (tests; a stopping controller). */
  async flush(): Promise<void> {
    await this.inbox.checkAll();
    this.store();
  }

  /** Stores the checked acks in one transaction. */
  private store(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const known: Ack[] = [];
    for (const ack of batch) {
      const command = this.commands.of(ack.command_id);
      if (!command) {
        this.stats.unknown_command++;
        // A receiver refusing a command we never sent is a forged or replayed command on the broker.
        const level = ack.stage === 'rejected' ? 'warn' : 'info';
        this.log[level](
          { receiver_id: ack.receiver_id, command_id: ack.command_id, stage: ack.stage, reason: ack.reason },
          'ack for an unknown command',
        );
      } else {
        known.push({ ...ack, broadcast_id: command.broadcast_id });
      }
    }
    let redelivered: Set<string>; // receiver/seq of acks stored before: the gap tracker must not take them for new
    try {
      const isNew = this.acks.insertBatch(known, this.clock.now().toISOString());
      const old = known.filter((_, i) => !isNew[i]);
      redelivered = new Set(old.map((a) => `${a.receiver_id}/${a.seq}`));
      this.stats.stored += known.length - old.length;
      this.stats.duplicates += old.length;
    } catch (err) {
      // Not stored, so not receipted: the agents will send these again.
      this.log.error({ err: (err as Error).message, count: batch.length }, 'ack batch could not be stored');
      return;
    }
    const now = this.clock.now().getTime();
    for (const ack of batch) {
      const seqs = this.receipts.get(ack.receiver_id) ?? [];
      seqs.push(ack.seq);
      this.receipts.set(ack.receiver_id, seqs);
      this.sequence.observe(ack.receiver_id, ack.seq, now, redelivered.has(`${ack.receiver_id}/${ack.seq}`));
    }
    this.receiptTimer ??= setTimeout(() => void this.sendReceipts(), this.options.receipt_ms);
    if (known.length > 0) this.events.emit('stored', known);
  }

  private refuse(receiverId: string, seq: number, reason: AckRefusal): void {
    this.stats.refused[reason]++;
    const list = this.refusals.get(receiverId) ?? [];
    list.push({ seq, reason });
    this.refusals.set(receiverId, list);
    this.sequence.observe(receiverId, seq, this.clock.now().getTime());
    this.receiptTimer ??= setTimeout(() => void this.sendReceipts(), this.options.receipt_ms);
  }

  /** Asks receivers with a gap open too long for the acks missing (`resend_acks`); gives up a gap asked for too often. */
  private async askForGaps(): Promise<void> {
    if (this.stopped || this.inbox.held) return; // an emergency is going out: asked at the next look
    const now = this.clock.now().getTime();
    for (const lost of this.sequence.giveUp(now)) {
      this.stats.gaps_given_up++;
      this.log.error(
        { receiver_id: lost.receiver_id, missing_seqs: lost.missing },
        'acks still missing after repeated resend_acks, given up: lost by the receiver, or still on their way behind a backlog',
      );
    }
    for (const gap of this.sequence.due(now)) {
      this.stats.gaps_asked++;
      this.log.warn(
        { receiver_id: gap.receiver_id, from_seq: gap.from_seq, ask: gap.asks },
        "gap in a receiver's ack numbers: asking it to resend (resend_acks)",
      );
      const op = this.publisher.build(
        { type: 'op', op: 'resend_acks', args: {} },
        { kind: 'receiver', id: gap.receiver_id },
        new Date(now + RECEIPT_TTL_MS),
      );
      await this.publisher
        .publishEphemeral(op)
        .catch((err) =>
          this.log.debug(
            { receiver_id: gap.receiver_id, err: (err as Error).message },
            'resend_acks not sent; asked again later',
          ),
        );
    }
  }

  /** A command sent before it could be stored (an emergency on a full disk): its acks are kept, not dropped as unknown. */
  remember(commandId: string, broadcastId: string): void {
    this.commands.remember(commandId, broadcastId);
  }

  /**
   * Sends what is waiting for a receipt, in rounds: acks stored while a round is under way wait for
   * the next, which names them all in one receipt per receiver.
   */
  private sendReceipts(): Promise<void> {
    this.receiptTimer = undefined;
    if (this.inbox.held && !this.stopped) return Promise.resolve(); // sent when the emergency's moment is over
    this.sendingReceipts ??= (async () => {
      while ((this.receipts.size > 0 || this.refusals.size > 0) && !this.receiptsAbandoned) await this.receiptRound();
    })()
      // A receipt is a courtesy (unreceipted acks are resent): a fault here must never take the controller down.
      .catch((err) => this.log.error({ err: (err as Error).message }, 'sending ack receipts failed'))
      .finally(() => (this.sendingReceipts = undefined));
    return this.sendingReceipts;
  }

  private async receiptRound(): Promise<void> {
    const refusals = new Map(this.refusals);
    this.refusals.clear();
    const pending = [...this.receipts];
    this.receipts.clear();
    for (const id of refusals.keys()) if (!pending.some(([r]) => r === id)) pending.push([id, []]);
    const expires = new Date(this.clock.now().getTime() + RECEIPT_TTL_MS);
    let head: ProofHead | null = null;
    try {
      head = pending.length > 0 ? (this.o.signHead?.() ?? null) : null;
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'the ack log head could not be signed; receipts go without it');
    }
    const sendOne = async ([receiverId, seqs]: [string, number[]]) => {
      const refused = refusals.get(receiverId)?.slice(0, 10_000);
      for (let i = 0; i < Math.max(seqs.length, 1); i += 10_000) {
        const body = {
          type: 'ack_receipt' as const,
          seqs: seqs.slice(i, i + 10_000),
          ...(i === 0 && refused ? { refused } : {}),
          ...(head ? { head } : {}),
        };
        try {
          const command = this.publisher.build(body, { kind: 'receiver', id: receiverId }, expires);
          await this.publisher.publishEphemeral(command);
        } catch (err) {
          // A receipt is a courtesy: without it the agent resends, and nothing is lost. It must never take the controller down.
          this.log.warn(
            { receiver_id: receiverId, err: (err as Error).message },
            'receipt not sent; the agent will resend its acks',
          );
        }
      }
    };
    // A few at a time, each signed only when its turn comes: thousands signed and written at once
    // would hold the event loop and fill the link, and an emergency published meanwhile would wait
    // behind them all. In turns, it waits behind at most RECEIPTS_IN_FLIGHT.
    let next = 0;
    const inTurn = async () => {
      while (next < pending.length && !this.receiptsAbandoned) {
        if (this.inbox.held && !this.stopped) {
          // An emergency went out meanwhile: the rest of the round waits for its moment to pass
          // (and then looks again: the other turns may have taken what was left).
          await new Promise((r) => setTimeout(r, this.inbox.heldForMs));
          continue;
        }
        await sendOne(pending[next++]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(RECEIPTS_IN_FLIGHT, pending.length) }, inTurn));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.gapTimer);
    this.inbox.stop();
    // A moment for what came in, not more: the controller must exit in time. The rest is not
    // stored, so not receipted: its receivers send it again.
    const dropped = await this.inbox.checkAll(STOP_CHECKS_MS);
    if (dropped > 0)
      this.log.warn({ count: dropped }, 'acks not checked before the stop: their receivers send them again');
    this.store();
    clearTimeout(this.receiptTimer);
    // The last receipts, for a moment: they are a courtesy (unreceipted acks are resent after the
    // restart), and with the broker gone a publish would wait for ever and hold up the shutdown.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.sendReceipts(),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, FINAL_RECEIPTS_MS))),
    ]);
    clearTimeout(timer);
    this.receiptsAbandoned = true;
  }
}
