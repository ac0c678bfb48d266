/**
 * Takes acks off the MQTT edge, stores them in batches (one transaction per batch: 10k+ acks/s
 * with synchronous=FULL) and then tells each receiver which sequence numbers are stored, so the
 * agent can drop them from its on-disk outbox. Until that receipt arrives the agent resends:
 * an accepted ack is never lost, and a redelivered one makes no second row.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { ackSchema, parseFromReceiver, type Ack } from '../protocol/messages.js';
import type { CommandPublisher } from '../outbox/command-publisher.js';
import type { AcksRepository } from './acks-repository.js';
import { fanOutEvents } from '../shared/typed-events.js';

export interface AckIngestStats {
  stored: number;
  duplicates: number;
  malformed: number;
  unknown_command: number;
}

export interface AckIngestorEvents {
  stored: [acks: Ack[]];
}

const RECEIPT_TTL_MS = 60 * 60 * 1000;

export class AckIngestor {
  readonly stats: AckIngestStats = { stored: 0, duplicates: 0, malformed: 0, unknown_command: 0 };
  private queue: Ack[] = [];
  private flushTimer?: NodeJS.Timeout;
  private receiptTimer?: NodeJS.Timeout;
  private readonly receipts = new Map<string, number[]>();
  private readonly commands = new Map<string, { broadcast_id: string | null }>();
  private stopped = false;
  /** 'stored' (acks) after each stored batch: live progress, report rollups, metrics, benchmarks. */
  readonly events = fanOutEvents<AckIngestorEvents>();

  constructor(
    private readonly acks: AcksRepository,
    private readonly publisher: CommandPublisher,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options = { flush_ms: 20, max_batch: 2000, receipt_ms: 250 },
  ) {}

  get queueDepth(): number {
    return this.queue.length;
  }

  /** Called for every message on tt/v1/rx/{id}/ack. Never throws. */
  handle(topicReceiverId: string, payload: Buffer): void {
    // Stopping: the database is about to close. Not stored means not receipted: the agent resends it.
    if (this.stopped) return;
    const parsed = parseFromReceiver(ackSchema, topicReceiverId, payload);
    if (!parsed.ok) {
      this.stats.malformed++;
      this.log.warn({ receiver_id: topicReceiverId, error: parsed.error }, 'malformed ack dropped');
      return;
    }
    this.queue.push(parsed.value);
    if (this.queue.length >= this.options.max_batch) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), this.options.flush_ms);
  }

  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const known: Ack[] = [];
    for (const ack of batch) {
      const command = this.commandOf(ack.command_id);
      if (!command) {
        this.stats.unknown_command++;
        // A receiver refusing a command we never sent is a forged or replayed command on the broker.
        const level = ack.stage === 'rejected' ? 'warn' : 'info';
        this.log[level]({ receiver_id: ack.receiver_id, command_id: ack.command_id, stage: ack.stage, reason: ack.reason }, 'ack for an unknown command');
      } else {
        known.push({ ...ack, broadcast_id: command.broadcast_id });
      }
    }
    try {
      const inserted = this.acks.insertBatch(known, this.clock.now().toISOString());
      this.stats.stored += inserted;
      this.stats.duplicates += known.length - inserted;
    } catch (err) {
      // Not stored, so not receipted: the agents will send these again.
      this.log.error({ err: (err as Error).message, count: batch.length }, 'ack batch could not be stored');
      return;
    }
    for (const ack of batch) {
      const seqs = this.receipts.get(ack.receiver_id) ?? [];
      seqs.push(ack.seq);
      this.receipts.set(ack.receiver_id, seqs);
    }
    this.receiptTimer ??= setTimeout(() => void this.sendReceipts(), this.options.receipt_ms);
    if (known.length > 0) this.events.emit('stored', known);
  }

  /** A command sent before it could be stored (an emergency on a full disk): its acks are kept, not dropped as unknown. */
  remember(commandId: string, broadcastId: string): void {
    this.commands.set(commandId, { broadcast_id: broadcastId });
  }

  /**
   * The broadcast of a command, remembered: a batch of thousands of acks names a handful of
   * commands, so the ingest path looks each up once.
   */
  private commandOf(commandId: string): { broadcast_id: string | null } | undefined {
    const cached = this.commands.get(commandId);
    if (cached) return cached;
    const found = this.publisher.commandBroadcast(commandId);
    if (found) {
      if (this.commands.size >= 10_000) this.commands.clear();
      this.commands.set(commandId, found);
    }
    return found;
  }

  private async sendReceipts(): Promise<void> {
    this.receiptTimer = undefined;
    const pending = [...this.receipts];
    this.receipts.clear();
    const expires = new Date(this.clock.now().getTime() + RECEIPT_TTL_MS);
    await Promise.all(
      pending.map(async ([receiverId, seqs]) => {
        for (let i = 0; i < seqs.length; i += 10_000) {
          const command = this.publisher.build({ type: 'ack_receipt', seqs: seqs.slice(i, i + 10_000) }, { kind: 'receiver', id: receiverId }, expires);
          await this.publisher.publishEphemeral(command).catch((err) => {
            this.log.debug({ receiver_id: receiverId, err: (err as Error).message }, 'receipt not sent; the agent will resend its acks');
          });
        }
      }),
    );
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.flush();
    clearTimeout(this.receiptTimer);
    if (this.receipts.size > 0) await this.sendReceipts();
  }
}
