import type { Db } from '../db/database.js';
import type { Priority } from '../protocol/messages.js';

export interface Publication {
  id: string;
  bulletin_id: string;
  broadcast_id: string;
  title: string;
  category: string;
  text: string | null;
  media_id: string;
  priority: Priority;
  published_at: string;
  urgent_until: string | null;
  withdrawn_at: string | null;
  withdrawn_reason: string | null;
}

/** A publication with what its audio enclosure needs. */
export interface PublicItem extends Publication {
  size_bytes: number;
  duration_ms: number;
}

export class PublicationsRepository {
  constructor(private readonly db: Db) {}

  insert(p: Publication): boolean {
    return (
      this.db
        .prepare(
          `INSERT OR IGNORE INTO publications (id, bulletin_id, broadcast_id, title, category, text, media_id, priority, published_at, urgent_until, withdrawn_at, withdrawn_reason)
       VALUES (@id, @bulletin_id, @broadcast_id, @title, @category, @text, @media_id, @priority, @published_at, @urgent_until, @withdrawn_at, @withdrawn_reason)`,
        )
        .run(p).changes === 1
    );
  }

  get(id: string): Publication | undefined {
    return this.db.prepare<[string], Publication>('SELECT * FROM publications WHERE id = ?').get(id);
  }

  list(limit: number): Publication[] {
    return this.db
      .prepare<[number], Publication>('SELECT * FROM publications ORDER BY published_at DESC LIMIT ?')
      .all(limit);
  }

  /** Not withdrawn, newest first, optionally of one category. */
  visible(limit: number, category?: string): PublicItem[] {
    return this.db
      .prepare<[string | null, string | null, number], PublicItem>(
        `SELECT p.*, m.size_bytes, m.duration_ms FROM publications p JOIN media m ON m.id = p.media_id
       WHERE p.withdrawn_at IS NULL AND (? IS NULL OR p.category = ?) AND m.status = 'ready'
       ORDER BY p.published_at DESC LIMIT ?`,
      )
      .all(category ?? null, category ?? null, limit);
  }

  visibleOne(id: string): PublicItem | undefined {
    return this.db
      .prepare<[string], PublicItem>(
        `SELECT p.*, m.size_bytes, m.duration_ms FROM publications p JOIN media m ON m.id = p.media_id
       WHERE p.id = ? AND p.withdrawn_at IS NULL AND m.status = 'ready'`,
      )
      .get(id);
  }

  /** One publication, withdrawn or not, with its audio's figures (webhooks and posts carry them). */
  withAudio(id: string): PublicItem | undefined {
    return this.db
      .prepare<[string], PublicItem>(
        'SELECT p.*, m.size_bytes, m.duration_ms FROM publications p JOIN media m ON m.id = p.media_id WHERE p.id = ?',
      )
      .get(id);
  }

  ofBroadcast(broadcastId: string): Publication | undefined {
    return this.db.prepare<[string], Publication>('SELECT * FROM publications WHERE broadcast_id = ?').get(broadcastId);
  }

  /**
   * A bulletin's publication: the one up if there is one, else the last withdrawn. One per bulletin
   * (databases from before that rule may hold several: the newest speaks for the bulletin).
   */
  ofBulletinLatest(bulletinId: string): Publication | undefined {
    return this.db
      .prepare<[string], Publication>(
        'SELECT * FROM publications WHERE bulletin_id = ? ORDER BY withdrawn_at IS NULL DESC, published_at DESC, rowid DESC LIMIT 1',
      )
      .get(bulletinId);
  }

  /** The publication a cancelled broadcast takes down: its own, or (broadcast again) its bulletin's, still up. */
  ofCancelledBroadcast(broadcastId: string): Publication | undefined {
    return this.db
      .prepare<[string, string], Publication>(
        `SELECT * FROM publications WHERE withdrawn_at IS NULL
       AND (broadcast_id = ? OR bulletin_id IN (SELECT id FROM bulletins WHERE last_broadcast_id = ?)) LIMIT 1`,
      )
      .get(broadcastId, broadcastId);
  }

  /** Up again, the same item (same id, same date): published again by a person after a withdrawal. */
  restore(id: string): boolean {
    return (
      this.db
        .prepare(
          'UPDATE publications SET withdrawn_at = NULL, withdrawn_reason = NULL WHERE id = ? AND withdrawn_at IS NOT NULL',
        )
        .run(id).changes === 1
    );
  }

  ofBulletin(bulletinId: string): Publication[] {
    return this.db
      .prepare<[string], Publication>('SELECT * FROM publications WHERE bulletin_id = ? AND withdrawn_at IS NULL')
      .all(bulletinId);
  }

  withdraw(id: string, at: string, reason: string): boolean {
    return (
      this.db
        .prepare('UPDATE publications SET withdrawn_at = ?, withdrawn_reason = ? WHERE id = ? AND withdrawn_at IS NULL')
        .run(at, reason, id).changes === 1
    );
  }
}
