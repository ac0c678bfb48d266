/**
 * Which acks go first, everywhere they wait: in the receiver's outbox
 * (firmware-bridge/agent/ack-outbox.ts), through the embedded broker's ack gate
 * (controller/mqtt/ack-gate.ts) and in the controller's ack inbox (controller/coverage/ack-inbox.ts).
 * They prove that a warning was heard or a sound stopped: the acks of an emergency's play and of a
 * stop, and those saying what a stop ended (reason `stopped`). No zod here: the broker's thread
 * loads this module.
 */

/** The commands whose acks are urgent: an emergency's play and a stop. */
export function isUrgentCommand(command: { type: string; priority?: string | null }): boolean {
  return command.type === 'stop' || (command.type === 'play' && command.priority === 'emergency');
}

/** An urgent ack, as its receiver knows it: of an urgent command, or saying what a stop ended. */
export function isUrgentAck(command: { type: string; priority?: string | null }, reason: string | null): boolean {
  return isUrgentCommand(command) || reason === 'stopped';
}

/** Urgent commands remembered, the oldest forgotten first: an emergency makes one per hamlet. */
const KEPT = 10_000;

/**
 * The ids of the urgent commands sent lately, so that their acks can be told apart from their bytes
 * (urgentAckTest). The controller notes them where every command is made (CommandPublisher.build)
 * and, after a restart, reads them from its outbox; the embedded broker's thread keeps a copy. Only
 * an order: an ack whose command is not here is checked and stored all the same, in its turn.
 */
export class UrgentCommands {
  private readonly ids = new Set<string>();
  private readonly followers: ((commandId: string) => void)[] = [];

  /** Remembers the command when it is urgent. */
  note(command: { command_id: string; type: string; priority?: string | null }): void {
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

const STOPPED = Buffer.from('"reason":"stopped"');
const COMMAND_ID = Buffer.from('"command_id":"');

/**
 * isUrgentAck read from an ack's bytes, before it is parsed, as our agents write them
 * (JSON.stringify: no spaces); an ack spelt otherwise only waits its turn. Without `urgent` (no
 * list of commands), only the `stopped` ones.
 */
export function urgentAckTest(urgent: Pick<UrgentCommands, 'has'> | undefined): (payload: Buffer) => boolean {
  return (payload) => {
    if (payload.includes(STOPPED)) return true;
    if (!urgent) return false;
    const at = payload.indexOf(COMMAND_ID);
    if (at < 0) return false;
    const from = at + COMMAND_ID.length;
    const to = payload.indexOf(0x22, from); // the id's closing quote
    return to > from && to - from <= 64 && urgent.has(payload.toString('latin1', from, to));
  };
}
