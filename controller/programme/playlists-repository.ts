import type { Db } from '../db/database.js';

export interface Playlist {
  id: string;
  name: string;
  opening_media_id: string | null;
  closing_media_id: string | null;
  rendered_media_id: string | null;
  rendered_key: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface PlaylistItem {
  position: number;
  media_id: string;
  title: string | null;
  /** The bulletin the item was chosen as (its audio is media_id); null for audio chosen as such. */
  bulletin_id: string | null;
}

export class PlaylistsRepository {
  constructor(private readonly db: Db) {}

  list(): Playlist[] {
    return this.db.prepare<[], Playlist>('SELECT * FROM playlists ORDER BY name').all();
  }

  get(id: string): Playlist | undefined {
    return this.db.prepare<[string], Playlist>('SELECT * FROM playlists WHERE id = ?').get(id);
  }

  items(id: string): PlaylistItem[] {
    return this.db
      .prepare<[string], PlaylistItem>(
        'SELECT position, media_id, title, bulletin_id FROM playlist_items WHERE playlist_id = ? ORDER BY position',
      )
      .all(id);
  }

  /** Writes the playlist and replaces its items; call inside a transaction. */
  save(p: Playlist, items: Omit<PlaylistItem, 'position'>[]): void {
    this.db
      .prepare(
        `INSERT INTO playlists (id, name, opening_media_id, closing_media_id, rendered_media_id, rendered_key, created_by, created_at, updated_at)
       VALUES (@id, @name, @opening_media_id, @closing_media_id, @rendered_media_id, @rendered_key, @created_by, @created_at, @updated_at)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, opening_media_id = excluded.opening_media_id,
         closing_media_id = excluded.closing_media_id, updated_at = excluded.updated_at`,
      )
      .run(p);
    this.db.prepare('DELETE FROM playlist_items WHERE playlist_id = ?').run(p.id);
    const insert = this.db.prepare(
      'INSERT INTO playlist_items (playlist_id, position, media_id, title, bulletin_id) VALUES (?, ?, ?, ?, ?)',
    );
    items.forEach((item, i) => insert.run(p.id, i + 1, item.media_id, item.title, item.bulletin_id));
  }

  setRendered(id: string, mediaId: string, key: string): void {
    this.db.prepare('UPDATE playlists SET rendered_media_id = ?, rendered_key = ? WHERE id = ?').run(mediaId, key, id);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM playlist_items WHERE playlist_id = ?').run(id);
    this.db.prepare('DELETE FROM playlists WHERE id = ?').run(id);
  }
}
