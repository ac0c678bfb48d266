/** The cache of rendered announcements (`tts_cache`): one media item per distinct request, and the drill versions of media. */
import type { Db } from '../db/database.js';

export class TtsRepository {
  constructor(private readonly db: Db) {}

  cached(key: string): { media_id: string; engine: string } | undefined {
    return this.db
      .prepare<[string], { media_id: string; engine: string }>(
        'SELECT media_id, engine FROM tts_cache WHERE cache_key = ?',
      )
      .get(key);
  }

  remember(key: string, mediaId: string, engine: string, at: string): void {
    this.db
      .prepare('INSERT OR REPLACE INTO tts_cache (cache_key, media_id, engine, created_at) VALUES (?, ?, ?, ?)')
      .run(key, mediaId, engine, at);
  }
}
