/**
 * Live follow-up of an urgent broadcast: receivers that have not started playing after a set
 * time are sent their command again (a receiver ignores a command id it already has) and
 * listed, a few times, until the command expires.
 */
import type { CommandPublisher } from '../outbox/command-publisher.js';
import type { CoverageService } from '../coverage/coverage-service.js';
import type { Logger } from '../logger.js';
import { fanOutEvents } from '../shared/typed-events.js';

export interface RetryEvent {
  broadcast_id: string;
  attempt: number;
  receivers: { receiver_id: string; hamlet_id: string; outcome: string }[];
}

export interface FollowUpEvents {
  retry: [event: RetryEvent];
}

export class FollowUp {
  /** 'retry' (RetryEvent) */
  readonly events = fanOutEvents<FollowUpEvents>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly coverage: CoverageService,
    private readonly publisher: CommandPublisher,
    private readonly options: { retry_after_s: number; max_retries: number },
    private readonly log: Logger,
  ) {}

  watch(broadcastId: string, attempt = 1): void {
    if (attempt > this.options.max_retries) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.check(broadcastId, attempt).catch((err) => this.log.error({ err, broadcast_id: broadcastId }, 'follow-up failed'));
    }, this.options.retry_after_s * 1000);
    timer.unref();
    this.timers.add(timer);
  }

  private async check(broadcastId: string, attempt: number): Promise<void> {
    const c = this.coverage.ofBroadcast(broadcastId);
    const silent = c.hamlets.flatMap((h) => (h.receivers as { receiver_id: string; outcome: string }[])
      .filter((r) => ['waiting', 'received', 'downloaded'].includes(r.outcome))
      .map((r) => ({ receiver_id: r.receiver_id, hamlet_id: h.hamlet_id, outcome: r.outcome })));
    if (silent.length === 0) return;
    for (const r of silent) await this.publisher.republishFor(r.receiver_id);
    this.log.warn({ broadcast_id: broadcastId, attempt, receivers: silent.length }, 'receivers silent: urgent command sent again');
    this.events.emit('retry', { broadcast_id: broadcastId, attempt, receivers: silent } satisfies RetryEvent);
    this.watch(broadcastId, attempt + 1);
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
