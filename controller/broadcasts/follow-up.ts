/**
 * Delivery follow-up: the controller's half of the per-receiver delivery state machine. Every
 * receiver targeted by a broadcast still in its window either answers it or is sent it again:
 * - no answer at all from an online receiver (a lost message, a controller killed before the
 *   broker took it, a new broker session): the same signed command again, on that receiver's own
 *   topic (a receiver ignores an id it has already acted on; its hamlet never hears it twice);
 * - a refusal that is no answer: `bad_signature` / `unknown_key` (a forged copy arrived first;
 *   the genuine still plays, since a receiver remembers only ids that passed its checks) and
 *   `not_yet_valid` (its clock behind): the same command again;
 * - `predates_memory` (re-enrolled, or its state wiped): a fresh copy, issued now.
 * Offline receivers get theirs when they come back (presence "online"). Urgent broadcasts
 * (priority and emergency) are followed sooner (`emergency.retry_after_s`) than normal ones
 * (`delivery.retry_after_s`). It works
 * from the database, so a restarted controller takes up where the killed one stopped. Downloads
 * that fail are the agent's to retry, inside the same window.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { CommandPublisher } from '../outbox/command-publisher.js';
import { reaches, type OutboxReadModel, type SilentTarget } from '../outbox/outbox-read-model.js';
import { fanOutEvents } from '../shared/typed-events.js';

export interface RetryEvent {
  broadcast_id: string;
  /** Rounds of re-sends for this broadcast so far. */
  attempt: number;
  receivers: { receiver_id: string; hamlet_id: string; outcome: string; retried_reason: string | null }[];
}

export interface FollowUpEvents {
  retry: [event: RetryEvent];
}

export interface FollowUpOptions {
  publisher: CommandPublisher;
  outbox: Pick<OutboxReadModel, 'silentTargets' | 'commandsOf' | 'silencer'>;
  clock: Clock;
  log: Logger;
  /** Normal broadcasts; urgent ones (priority and emergency, the urgent desk's) are followed sooner. */
  retry_after_s: { normal: number; urgent: number };
}

export class FollowUp {
  readonly events = fanOutEvents<FollowUpEvents>();
  private timer?: NodeJS.Timeout;
  private passing = false;
  /** When each (broadcast, receiver) was last sent its command: the broadcast's creation until then. */
  private readonly lastSent = new Map<string, number>();
  private readonly rounds = new Map<string, number>();

  constructor(private readonly o: FollowUpOptions) {}

  start(): void {
    const { normal, urgent } = this.o.retry_after_s;
    const tickMs = Math.min(10_000, Math.max(250, (Math.min(normal, urgent) * 1000) / 2));
    this.timer = setInterval(() => void this.pass(), tickMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One round: every silent receiver whose wait is over is sent its command again. Never throws. */
  async pass(): Promise<void> {
    if (this.passing) return;
    this.passing = true;
    try {
      await this.round();
    } catch (err) {
      this.o.log.error({ err: (err as Error).message }, 'delivery follow-up failed');
    } finally {
      this.passing = false;
    }
  }

  private async round(): Promise<void> {
    const now = this.o.clock.now().getTime();
    const silent = this.o.outbox.silentTargets(new Date(now).toISOString());
    // What is no longer silent (answered, expired, stopped) is forgotten.
    const keyOf = (t: SilentTarget) => `${t.broadcast_id}|${t.receiver_id}`;
    const stillSilent = new Set(silent.map(keyOf));
    for (const key of this.lastSent.keys()) if (!stillSilent.has(key)) this.lastSent.delete(key);
    const stillOpen = new Set(silent.map((t) => t.broadcast_id));
    for (const id of this.rounds.keys()) if (!stillOpen.has(id)) this.rounds.delete(id);

    const due = new Map<string, SilentTarget[]>();
    for (const t of silent) {
      // Offline: the broker's session or the "online" republish brings it; sending now would only queue.
      if (!t.receiver_online) continue;
      const waitMs = (t.priority === 'normal' ? this.o.retry_after_s.normal : this.o.retry_after_s.urgent) * 1000;
      if (now - (this.lastSent.get(keyOf(t)) ?? Date.parse(t.created_at)) < waitMs) continue;
      this.lastSent.set(keyOf(t), now);
      if (!due.has(t.broadcast_id)) due.set(t.broadcast_id, []);
      due.get(t.broadcast_id)!.push(t);
    }
    const playsOf = new Map(
      [...due.keys()].map((id) => [id, this.o.outbox.commandsOf(id).filter((c) => c.type === 'play')]),
    );
    // The stop-alls since the oldest of these plays, read once a round.
    const oldest = [...playsOf.values()].flat().reduce((min, c) => (c.created_at < min ? c.created_at : min), '9');
    const silenced = this.o.outbox.silencer(oldest);
    for (const [broadcastId, waiting] of due) {
      const plays = playsOf.get(broadcastId)!;
      // Only what is sent again is said to be (a log of 40 "sent again" for a stopped emergency
      // that was never sent misled an outsider, session 18).
      const targets: SilentTarget[] = [];
      for (const t of waiting) {
        // The newest play command this receiver hears: its own (a fresh copy) or its hamlet's.
        const command = plays.filter((c) => reaches(c.topic, t.receiver_id, t.hamlet_id)).at(-1);
        // A stop of its hamlet silenced it: never sent again (a fresh copy would sound).
        if (!command || silenced(command, t.receiver_id, t.hamlet_id)) continue;
        if (t.retried_reason === 'predates_memory') await this.o.publisher.reissueFor(t.receiver_id, command);
        else await this.o.publisher.sendTo(t.receiver_id, command);
        targets.push(t);
      }
      if (targets.length === 0) continue;
      const attempt = (this.rounds.get(broadcastId) ?? 0) + 1;
      this.rounds.set(broadcastId, attempt);
      this.o.log.warn(
        {
          broadcast_id: broadcastId,
          attempt,
          receivers: targets.map((t) => t.receiver_id),
          reasons: [...new Set(targets.map((t) => t.retried_reason ?? 'no_answer'))],
        },
        'receivers have not answered: command sent again',
      );
      this.events.emit('retry', {
        broadcast_id: broadcastId,
        attempt,
        receivers: targets.map((t) => ({
          receiver_id: t.receiver_id,
          hamlet_id: t.hamlet_id,
          outcome: 'waiting',
          retried_reason: t.retried_reason,
        })),
      });
    }
  }
}
