/**
 * The durable command outbox (the `commands` table): every signed command is written here before
 * it is published, so a crash cannot lose one; what receivers have not confirmed is published
 * again. Broadcasts, stops, ack receipts' owners, remote operations and rollouts all send through it.
 */
import type { Db } from '../db/database.js';

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

/** What other wings read of the outbox. */
export interface OutboxReadModel {
  /** A broadcast's commands, oldest first. */
  commandsOf(broadcastId: string): StoredCommand[];
  /** The broadcast a command belongs to, or undefined when the command is unknown. */
  commandBroadcast(commandId: string): { broadcast_id: string | null } | undefined;
}

export class OutboxRepository implements OutboxReadModel {
  private readonly commandExistsStmt;

  constructor(private readonly db: Db) {
    this.commandExistsStmt = db.prepare<[string], { broadcast_id: string | null }>('SELECT broadcast_id FROM commands WHERE id = ?');
  }

  insertCommand(c: StoredCommand): void {
    this.db
      .prepare(
        `INSERT INTO commands (id, broadcast_id, type, topic, payload, created_at, expires_at, published_at)
         VALUES (@id, @broadcast_id, @type, @topic, @payload, @created_at, @expires_at, @published_at)`,
      )
      .run(c);
  }

  markPublished(id: string, at: string): void {
    this.db.prepare('UPDATE commands SET published_at = ? WHERE id = ? AND published_at IS NULL').run(at, id);
  }

  commandsOf(broadcastId: string): StoredCommand[] {
    return this.db.prepare<[string], StoredCommand>('SELECT * FROM commands WHERE broadcast_id = ? ORDER BY created_at').all(broadcastId);
  }

  /** The broadcast a command belongs to, or undefined when the command is unknown. */
  commandBroadcast(commandId: string): { broadcast_id: string | null } | undefined {
    return this.commandExistsStmt.get(commandId);
  }

  /**
   * Unexpired commands that some targeted receiver has not confirmed receiving: after a
   * restart these are published again (receivers ignore a command id they already have).
   */
  unconfirmedCommands(nowIso: string): StoredCommand[] {
    return this.db
      .prepare<[string], StoredCommand>(
        `SELECT c.* FROM commands c
         WHERE c.expires_at > ? AND c.type IN ('play', 'stop') AND (
           c.published_at IS NULL OR EXISTS (
             SELECT 1 FROM broadcast_targets t
             WHERE t.broadcast_id = c.broadcast_id
               AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.receiver_id = t.receiver_id AND a.command_id = c.id)
           ))
         ORDER BY c.created_at`,
      )
      .all(nowIso);
  }

  /** Unexpired play commands meant for this receiver that it has not acknowledged at all, and stored operations for it. */
  unconfirmedFor(receiverId: string, nowIso: string, receiverTopic: string, hamletTopicOf: (hamletId: string) => string): StoredCommand[] {
    const rows = this.db
      .prepare<[string, string, string], StoredCommand & { hamlet_id: string }>(
        `SELECT c.*, t.hamlet_id FROM broadcast_targets t
         JOIN commands c ON c.broadcast_id = t.broadcast_id
         WHERE t.receiver_id = ? AND c.expires_at > ? AND c.type = 'play'
           AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.receiver_id = ? AND a.command_id = c.id)
         ORDER BY c.created_at`,
      )
      .all(receiverId, nowIso, receiverId);
    const ops = this.db.prepare<[string, string], StoredCommand>("SELECT * FROM commands WHERE topic = ? AND type = 'op' AND expires_at > ? ORDER BY created_at").all(receiverTopic, nowIso);
    // Stored operations (agent updates and rollbacks) go again too: the receiver ignores an id it has seen.
    return [...rows.filter((c) => c.topic === receiverTopic || c.topic === hamletTopicOf(c.hamlet_id)).map(({ hamlet_id: _, ...c }) => c), ...ops];
  }
}
