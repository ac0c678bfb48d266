import type { Db } from '../db/database.js';

export interface Broadcast {
  id: string;
  media_id: string | null;
  live_id: string | null;
  priority: 'normal' | 'priority' | 'emergency';
  volume_pct: number;
  target_json: string;
  source: string;
  created_by: string;
  created_at: string;
  play_at: string | null;
  expires_at: string;
  drill: number;
  repeat_count: number;
  stopped_at: string | null;
  confirmed_by: string | null;
  /** The schedule occurrence this broadcast plays, when it came from the programme. */
  occurrence_id: string | null;
  /** What it was about (a bulletin's or schedule's category), for reports. */
  category?: string | null;
}

export interface BroadcastTarget {
  broadcast_id: string;
  receiver_id: string;
  hamlet_id: string;
}

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

export class BroadcastsRepository {
  private readonly insertTargetStmt;
  private readonly commandExistsStmt;

  constructor(private readonly db: Db) {
    this.insertTargetStmt = db.prepare('INSERT INTO broadcast_targets (broadcast_id, receiver_id, hamlet_id) VALUES (@broadcast_id, @receiver_id, @hamlet_id)');
    this.commandExistsStmt = db.prepare<[string], { broadcast_id: string | null }>('SELECT broadcast_id FROM commands WHERE id = ?');
  }

  insert(b: Broadcast, targets: BroadcastTarget[]): void {
    this.db
      .prepare(
        `INSERT INTO broadcasts (id, media_id, live_id, priority, volume_pct, target_json, source, created_by, created_at, play_at, expires_at, drill, repeat_count, stopped_at, confirmed_by, occurrence_id, category)
         VALUES (@id, @media_id, @live_id, @priority, @volume_pct, @target_json, @source, @created_by, @created_at, @play_at, @expires_at, @drill, @repeat_count, @stopped_at, @confirmed_by, @occurrence_id, @category)`,
      )
      .run({ ...b, occurrence_id: b.occurrence_id ?? null, category: b.category ?? null });
    for (const t of targets) this.insertTargetStmt.run(t);
  }

  setCategory(id: string, category: string): void {
    this.db.prepare('UPDATE broadcasts SET category = ? WHERE id = ?').run(category, id);
  }

  get(id: string): Broadcast | undefined {
    return this.db.prepare<[string], Broadcast>('SELECT * FROM broadcasts WHERE id = ?').get(id);
  }

  list(limit: number): Broadcast[] {
    return this.db.prepare<[number], Broadcast>('SELECT * FROM broadcasts ORDER BY created_at DESC LIMIT ?').all(limit);
  }

  insertCommand(c: StoredCommand): void {
    this.db
      .prepare(
        `INSERT INTO commands (id, broadcast_id, type, topic, payload, created_at, expires_at, published_at)
         VALUES (@id, @broadcast_id, @type, @topic, @payload, @created_at, @expires_at, @published_at)`,
      )
      .run(c);
  }

  markStopped(id: string, at: string): void {
    this.db.prepare('UPDATE broadcasts SET stopped_at = ? WHERE id = ? AND stopped_at IS NULL').run(at, id);
  }

  targetsOf(broadcastId: string): BroadcastTarget[] {
    return this.db.prepare<[string], BroadcastTarget>('SELECT * FROM broadcast_targets WHERE broadcast_id = ?').all(broadcastId);
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
