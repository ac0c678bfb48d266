/**
 * The durable command outbox (the `commands` table): every signed command is written here before
 * it is published, so a crash cannot lose one; what receivers have not confirmed is published
 * again. Broadcasts, stops, ack receipts' owners, remote operations and rollouts all send through it.
 */
import type { Db } from '../db/database.js';
import { topics } from '../protocol/topics.js';
import { sqlList } from '../db/database.js';
import { RETRIED_REJECTIONS } from '../protocol/messages.js';

import { reaches, type OutboxReadModel, type SilentTarget, type StoredCommand } from './outbox-read-model.js';

export type { OutboxReadModel, SilentTarget, StoredCommand };

/** Refusals that are no answer; and those the same command again can mend (not predates_memory: a fresh copy can). */
const RETRIED = sqlList(RETRIED_REJECTIONS);
const RESENDABLE = sqlList(RETRIED_REJECTIONS.filter((r) => r !== 'predates_memory'));

export class OutboxRepository implements OutboxReadModel {
  private readonly commandExistsStmt;

  constructor(private readonly db: Db) {
    this.commandExistsStmt = db.prepare<[string], { broadcast_id: string | null }>(
      'SELECT broadcast_id FROM commands WHERE id = ?',
    );
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
    return this.db
      .prepare<[string], StoredCommand>('SELECT * FROM commands WHERE broadcast_id = ? ORDER BY created_at')
      .all(broadcastId);
  }

  /** The broadcast a command belongs to, or undefined when the command is unknown. */
  commandBroadcast(commandId: string): { broadcast_id: string | null } | undefined {
    return this.commandExistsStmt.get(commandId);
  }

  /**
   * The ids of the stops and emergency plays made since `sinceIso` (their acks go first:
   * protocol/urgency.ts), the oldest first, at most 10,000: a restarted controller's list.
   */
  urgentCommandIds(sinceIso: string): string[] {
    return this.db
      .prepare<[string], { id: string }>(
        `SELECT id FROM (SELECT id, created_at FROM commands
           WHERE created_at > ? AND (type = 'stop' OR (type = 'play' AND json_extract(payload, '$.priority') = 'emergency'))
           ORDER BY created_at DESC LIMIT 10000)
         ORDER BY created_at`,
      )
      .all(sinceIso)
      .map((r) => r.id);
  }

  /**
   * Unexpired commands that some targeted receiver has not confirmed receiving: after a
   * restart these are published again (receivers ignore a command id they already have).
   */
  unconfirmedCommands(nowIso: string): StoredCommand[] {
    return this.db
      .prepare<[string], StoredCommand>(
        `SELECT c.* FROM commands c
         WHERE c.expires_at > ? AND c.type IN ('play', 'stop')
           -- A stopped broadcast's play is never published again (its stop still is).
           AND NOT (c.type = 'play' AND EXISTS (
             SELECT 1 FROM broadcasts b WHERE b.id = c.broadcast_id AND b.stopped_at IS NOT NULL))
           AND (
           c.published_at IS NULL OR EXISTS (
             SELECT 1 FROM broadcast_targets t
             WHERE t.broadcast_id = c.broadcast_id
               AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.receiver_id = t.receiver_id AND a.command_id = c.id)
           ))
         ORDER BY c.created_at`,
      )
      .all(nowIso);
  }

  /**
   * Every receiver targeted by an unexpired, unstopped broadcast that has not answered it: no ack
   * at all, or only refusals that are not an answer. The delivery follow-up's work list.
   */
  silentTargets(nowIso: string): SilentTarget[] {
    return this.db
      .prepare<[string], SilentTarget>(
        `SELECT b.id AS broadcast_id, b.priority, b.created_at, t.receiver_id, t.hamlet_id,
              (r.status = 'online' AND r.secret_hash IS NOT NULL AND r.revoked_at IS NULL) AS receiver_online,
              -- predates_memory first: only a fresh copy helps there, a re-send of the same never does
              (SELECT a.reason FROM acks a WHERE a.broadcast_id = b.id AND a.receiver_id = t.receiver_id
                 AND a.stage = 'rejected' AND a.reason IN ${RETRIED}
               ORDER BY a.reason = 'predates_memory' DESC, a.at DESC LIMIT 1) AS retried_reason
       FROM broadcasts b
       JOIN broadcast_targets t ON t.broadcast_id = b.id
       JOIN receivers r ON r.id = t.receiver_id
       WHERE b.expires_at > ? AND b.stopped_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.broadcast_id = b.id AND a.receiver_id = t.receiver_id
           AND NOT (a.stage = 'rejected' AND a.reason IN ${RETRIED}))`,
      )
      .all(nowIso);
  }

  /**
   * For a receiver that lost its memory: the newest play command it listens for, of each
   * unexpired, unstopped broadcast targeting it that it has not finished or failed for good.
   */
  unfinishedFor(receiverId: string, nowIso: string): StoredCommand[] {
    const rows = this.db
      .prepare<[string, string, string], StoredCommand & { hamlet_id: string }>(
        `SELECT c.*, t.hamlet_id FROM broadcast_targets t
       JOIN broadcasts b ON b.id = t.broadcast_id AND b.stopped_at IS NULL
       JOIN commands c ON c.broadcast_id = t.broadcast_id
       WHERE t.receiver_id = ? AND c.expires_at > ? AND c.type = 'play'
         AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.broadcast_id = c.broadcast_id AND a.receiver_id = ?
           AND (a.stage IN ('finished', 'failed') OR (a.stage = 'rejected' AND a.reason NOT IN ${RETRIED})))
       ORDER BY c.created_at`,
      )
      .all(receiverId, nowIso, receiverId);
    const newest = new Map<string, StoredCommand>();
    const silenced = this.silencer(oldest(rows));
    for (const { hamlet_id, ...c } of rows)
      if (reaches(c.topic, receiverId, hamlet_id) && !silenced(c, receiverId, hamlet_id))
        newest.set(c.broadcast_id!, c);
    return [...newest.values()];
  }

  /** Unexpired play commands meant for this receiver that it has not acknowledged at all, and stored operations for it. */
  unconfirmedFor(receiverId: string, nowIso: string): (StoredCommand & { predates_enrolment?: boolean })[] {
    const rows = this.db
      .prepare<[string, string, string], StoredCommand & { hamlet_id: string; enrolled_at: string | null }>(
        `SELECT c.*, t.hamlet_id, r.enrolled_at FROM broadcast_targets t
         JOIN broadcasts b ON b.id = t.broadcast_id AND b.stopped_at IS NULL
         JOIN commands c ON c.broadcast_id = t.broadcast_id
         JOIN receivers r ON r.id = t.receiver_id
         WHERE t.receiver_id = ? AND c.expires_at > ? AND c.type = 'play'
           -- Not answered for this broadcast: by any of its commands (a fresh copy counts), except
           -- refusals of a copy the controller never signed or made too early for the receiver's clock.
           AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.broadcast_id = c.broadcast_id AND a.receiver_id = ?
             AND NOT (a.stage = 'rejected' AND a.reason IN ${RESENDABLE}))
         ORDER BY c.created_at`,
      )
      .all(receiverId, nowIso, receiverId);
    const ops = this.db
      .prepare<[string, string], StoredCommand>(
        "SELECT * FROM commands WHERE topic = ? AND type = 'op' AND expires_at > ? ORDER BY created_at",
      )
      .all(topics.receiverCommands(receiverId), nowIso);
    // Stored operations (agent updates and rollbacks) go again too: the receiver ignores an id it has seen.
    // A command issued before the receiver's (re-)enrolment would be refused as it is: marked, so a fresh copy goes instead.
    const silenced = this.silencer(oldest(rows));
    return [
      ...rows
        .filter((c) => reaches(c.topic, receiverId, c.hamlet_id) && !silenced(c, receiverId, c.hamlet_id))
        .map(({ hamlet_id: _, enrolled_at, ...c }) => ({
          ...c,
          predates_enrolment: Boolean(enrolled_at && c.created_at < enrolled_at),
        })),
      ...ops,
    ];
  }

  /**
   * Unexpired stops that reach this receiver and that it has not acknowledged: its broadcasts' own
   * stops and its hamlet's stop-alls. The broker may have lost them (Mosquitto restarted without
   * persistence, a session ended), and what the receiver holds from before its power cut (on air,
   * queued, downloading) may be what they stop: it would play a withdrawn alarm. A stop it takes
   * for something it does not hold silences nothing. Both read through partial indexes (migrations
   * 13 and 17): this runs for every receiver coming back.
   */
  unconfirmedStopsFor(receiverId: string, nowIso: string): StoredCommand[] {
    const notAcked = 'NOT EXISTS (SELECT 1 FROM acks a WHERE a.receiver_id = ? AND a.command_id = c.id)';
    const own = this.db
      .prepare<[string, string, string, string], StoredCommand & { hamlet_id: string }>(
        `SELECT c.*, t.hamlet_id FROM broadcast_targets t
         JOIN broadcasts b ON b.id = t.broadcast_id AND b.stopped_at IS NOT NULL AND b.expires_at > ?
         JOIN commands c ON c.broadcast_id = b.id AND c.type = 'stop' AND c.expires_at > ?
         WHERE t.receiver_id = ? AND ${notAcked}`,
      )
      .all(nowIso, nowIso, receiverId, receiverId)
      .filter((c) => reaches(c.topic, receiverId, c.hamlet_id))
      .map(({ hamlet_id: _, ...c }) => c);
    const hamlet = this.db
      .prepare<[string], { hamlet_id: string }>('SELECT hamlet_id FROM receivers WHERE id = ?')
      .get(receiverId)?.hamlet_id;
    const all = this.db
      .prepare<[string, string], StoredCommand>(
        `SELECT c.* FROM commands c INDEXED BY commands_stop_all
         WHERE c.type = 'stop' AND c.broadcast_id IS NULL AND c.expires_at > ? AND ${notAcked}`,
      )
      .all(nowIso, receiverId)
      .filter((c) => hamlet !== undefined && reaches(c.topic, receiverId, hamlet));
    return [...own, ...all].sort((x, y) => (x.created_at < y.created_at ? -1 : 1));
  }

  /**
   * A play command a stop-all (the whole commune, or chosen hamlets) silenced: a stop with no
   * broadcast that reaches this receiver, issued after the play was due. The agent applies the same
   * rule to what it holds; this keeps the controller from sending such a play again to a receiver
   * that was offline when the stop went out (it would never hear the stop, whose life is short, and
   * would play what staff had silenced). A stopped broadcast (stopped_at) is left out by the queries.
   */
  silencer(since: string): (play: StoredCommand, receiverId: string, hamletId: string) => boolean {
    // Only stops after the oldest play in question can silence it (index commands_stop_all).
    const stops = this.db
      .prepare<[string], { topic: string; created_at: string }>(
        "SELECT topic, created_at FROM commands WHERE type = 'stop' AND broadcast_id IS NULL AND created_at > ?",
      )
      .all(since);
    return (play, receiverId, hamletId) => {
      const { issued_at, play_at } = JSON.parse(play.payload) as { issued_at?: string; play_at?: string | null };
      const issued = issued_at ?? play.created_at;
      const due = play_at && play_at > issued ? play_at : issued;
      return stops.some((s) => s.created_at > due && reaches(s.topic, receiverId, hamletId));
    };
  }
}

/** The creation of the oldest command of a list ('9': later than any instant, when there is none). */
function oldest(rows: { created_at: string }[]): string {
  return rows.reduce((min, r) => (r.created_at < min ? r.created_at : min), '9');
}
