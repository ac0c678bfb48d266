/**
 * The ids of the urgent commands sent lately (isUrgentCommand: an emergency's plays, stops), so
 * that the ack inbox checks and stores their acks before others (controller/coverage/ack-inbox.ts).
 * Measured at 5,000 simulated receivers (2026-12-05): up to 41,000 acks waited in the controller
 * while an emergency's proof came in. Filled where every command is made (CommandPublisher.build)
 * and, after a restart, from the outbox; the embedded broker's thread keeps a copy, so that its ack
 * gate lets these acks through (controller/mqtt/aedes-broker.ts). Only an order: an ack whose
 * command is not here is checked and stored all the same, in its turn.
 */
import { isUrgentCommand } from '../protocol/messages.js';

/** Urgent commands remembered, the oldest forgotten first: an emergency makes one per hamlet. */
const KEPT = 10_000;

export class UrgentCommands {
  private readonly ids = new Set<string>();
  private readonly followers: ((commandId: string) => void)[] = [];

  /** Remembers the command when it is urgent. */
  note(command: { command_id: string; type: string; priority?: string }): void {
    if (isUrgentCommand(command)) this.add(command.command_id);
  }

  /** Remembers a command known to be urgent (the copy another thread keeps). */
  add(commandId: string): void {
    if (this.ids.has(commandId)) return;
    if (this.ids.size >= KEPT) this.ids.delete(this.ids.values().next().value!);
    this.ids.add(commandId);
    for (const follower of this.followers) follower(commandId);
  }

  has(commandId: string): boolean {
    return this.ids.has(commandId);
  }

  /** Every command remembered, the oldest first: where a copy starts. */
  all(): string[] {
    return [...this.ids];
  }

  /** Tells `follower` each command remembered from now on (the embedded broker's thread keeps a copy). */
  follow(follower: (commandId: string) => void): void {
    this.followers.push(follower);
  }
}
