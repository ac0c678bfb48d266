import { topics } from '../protocol/topics.js';

/** What other wings read of the outbox: implemented by the repository. */
export interface StoredCommand {
  id: string;
  broadcast_id: string | null;
  type: string;
  topic: string;
  payload: string;
  created_at: string;
  expires_at: string;
  published_at: string | null;
}

export interface OutboxReadModel {
  /** A broadcast's commands, oldest first. */
  commandsOf(broadcastId: string): StoredCommand[];
  /** The broadcast a command belongs to, or undefined when the command is unknown. */
  commandBroadcast(commandId: string): { broadcast_id: string | null } | undefined;
  /** Receivers targeted by a broadcast still in its window that have not answered it. */
  silentTargets(nowIso: string): SilentTarget[];
  /** Whether a play command was silenced by a later stop-all reaching the receiver (never sent again); reads the stop-alls issued since `since` (the oldest play in question) once. */
  silencer(since: string): (play: StoredCommand, receiverId: string, hamletId: string) => boolean;
}

/** A targeted receiver that has given no answer to a broadcast still in its window. */
export interface SilentTarget {
  broadcast_id: string;
  priority: 'normal' | 'priority' | 'emergency';
  created_at: string;
  receiver_id: string;
  hamlet_id: string;
  receiver_online: number;
  /** The last refusal that does not end delivery (a forged copy, a receiver's memory after the command), if any. */
  retried_reason: string | null;
}

/** Whether a receiver hears commands published on this topic: its own, or its hamlet's. */
export function reaches(topic: string, receiverId: string, hamletId: string): boolean {
  return topic === topics.receiverCommands(receiverId) || topic === topics.hamletCommands(hamletId);
}
