/**
 * Migration 7: where each audio came from, and how many receivers answered a broadcast at all.
 *
 * Media: where each audio came from. The library a person browses holds what people
 * uploaded (and approved bulletins); speech made for a preview or an urgent send, a playlist
 * joined into one file, a drill copy and a CAP alert's audio are kept (they are the proof of what
 * played) but are not library items. Rows from before are classified from what made them.
 *
 * Rollups: `answered` counts the receivers of a hamlet that acknowledged a broadcast at all, so a
 * report can say why a hamlet was not reached (offline: none answered; failed: they answered but
 * did not play). Rollups are a cache of the acks: dropped here, recomputed on demand.
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  ALTER TABLE media ADD COLUMN origin TEXT NOT NULL DEFAULT 'upload';  -- upload | speech | playlist | drill | cap
  UPDATE media SET origin = 'speech' WHERE id IN (SELECT media_id FROM tts_cache);
  UPDATE media SET origin = 'playlist' WHERE id IN (SELECT rendered_media_id FROM playlists WHERE rendered_media_id IS NOT NULL);
  UPDATE media SET origin = 'drill' WHERE origin = 'upload' AND title LIKE '[Diễn tập]%';
  UPDATE media SET origin = 'cap' WHERE origin = 'upload' AND title LIKE 'CAP: %';
  CREATE INDEX media_origin ON media(origin, created_at);
  ALTER TABLE broadcast_rollups ADD COLUMN answered INTEGER NOT NULL DEFAULT 0;
  DELETE FROM broadcast_rollups;
  `;
