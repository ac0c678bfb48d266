/**
 * Migration 10 (issue 21, M3U as ordinary players and radio tools write it): an upload keeps the
 * name of the file it came from, so an imported playlist's `Music\song.mp3` finds the audio
 * uploaded from song.mp3; and a playlist item made from a bulletin keeps the bulletin's id, so the
 * exported playlist still names the bulletin (#EXT-X-TT-BULLETIN) beside its audio's link.
 * Both columns are null for rows made before this migration.
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  ALTER TABLE media ADD COLUMN file_name TEXT;
  CREATE INDEX media_by_file_name ON media(lower(file_name));
  ALTER TABLE playlist_items ADD COLUMN bulletin_id TEXT;
  `;
