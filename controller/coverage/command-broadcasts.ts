/**
 * The broadcast of each command an ack names, remembered: a batch of thousands of acks names a
 * handful of commands, so the ingest path looks each one up once.
 */
type CommandBroadcast = { broadcast_id: string | null };

export class CommandBroadcasts {
  private readonly known = new Map<string, CommandBroadcast>();
  /** Sent but not stored: kept apart from the cache, whose clearing must not forget them. */
  private readonly remembered = new Map<string, CommandBroadcast>();

  constructor(private readonly lookUp: (commandId: string) => CommandBroadcast | undefined) {}

  /** A command sent before it could be stored (an emergency on a full disk): its acks are kept, not dropped as unknown. */
  remember(commandId: string, broadcastId: string): void {
    if (this.remembered.size >= 10_000) this.remembered.delete(this.remembered.keys().next().value!);
    this.remembered.set(commandId, { broadcast_id: broadcastId });
  }

  /** Undefined for a command the controller never sent. */
  of(commandId: string): CommandBroadcast | undefined {
    const cached = this.remembered.get(commandId) ?? this.known.get(commandId);
    if (cached) return cached;
    const found = this.lookUp(commandId);
    if (found) {
      if (this.known.size >= 10_000) this.known.clear();
      this.known.set(commandId, found);
    }
    return found;
  }
}
