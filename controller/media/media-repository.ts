import type { Db } from '../db/database.js';
import type { Media, MediaReadModel } from './media-read-model.js';

export type { Media } from './media-read-model.js';

export class MediaRepository implements MediaReadModel {
  constructor(private readonly db: Db) {}

  insert(m: Media): void {
    this.db
      .prepare(
        `INSERT INTO media (id, title, status, progress_pct, error_code, sha256, size_bytes, duration_ms, source_format, created_by, created_at, origin, file_name)
         VALUES (@id, @title, @status, @progress_pct, @error_code, @sha256, @size_bytes, @duration_ms, @source_format, @created_by, @created_at, @origin, @file_name)`,
      )
      .run(m);
  }

  get(id: string): Media | undefined {
    return this.db.prepare<[string], Media>('SELECT * FROM media WHERE id = ?').get(id);
  }

  /**
   * Newest first. The library is what people put there: uploads, and the audio of approved
   * bulletins (with the bulletin's id); `all` adds what the controller made (speech, drills, …).
   */
  list(
    limit: number,
    scope: 'library' | 'all' = 'all',
  ): (Media & { bulletin_id: string | null; bulletin_title: string | null })[] {
    const where = scope === 'library' ? "WHERE m.origin = 'upload' OR b.id IS NOT NULL" : '';
    return this.db
      .prepare<[number], Media & { bulletin_id: string | null; bulletin_title: string | null }>(
        // A bulletin's audio is named by the bulletin (the same speech may first have been made for a preview).
        `SELECT m.*, b.id AS bulletin_id, b.title AS bulletin_title FROM media m
           LEFT JOIN bulletins b ON b.media_id = m.id AND b.status IN ('approved', 'broadcast')
         ${where} ORDER BY m.created_at DESC LIMIT ?`,
      )
      .all(limit);
  }

  /**
   * The newest usable audio uploaded from a file of this name (case aside, as on Windows, where
   * most M3U files are written); uploads made before file names were kept match by their title,
   * which is the file's name unless a person typed another.
   */
  findByFileName(name: string): Media | undefined {
    return this.db
      .prepare<[string, string], Media>(
        `SELECT * FROM media WHERE status != 'failed' AND (lower(file_name) = lower(?) OR (file_name IS NULL AND origin = 'upload' AND lower(title) = lower(?)))
         ORDER BY created_at DESC LIMIT 1`,
      )
      .get(name, name);
  }

  setProgress(id: string, pct: number): void {
    this.db.prepare("UPDATE media SET progress_pct = ? WHERE id = ? AND status = 'processing'").run(pct, id);
  }

  markReady(
    id: string,
    f: Pick<Media, 'loudness_lufs' | 'true_peak_dbtp' | 'warning_code' | 'warning_params'> & {
      sha256: string;
      size_bytes: number;
      duration_ms: number;
    },
  ): void {
    this.db
      .prepare(
        `UPDATE media SET status = 'ready', progress_pct = 100, sha256 = @sha256, size_bytes = @size_bytes, duration_ms = @duration_ms,
           loudness_lufs = @loudness_lufs, true_peak_dbtp = @true_peak_dbtp, warning_code = @warning_code, warning_params = @warning_params
         WHERE id = @id`,
      )
      .run({ ...f, id });
  }

  markFailed(id: string, errorCode: string): void {
    this.db.prepare("UPDATE media SET status = 'failed', error_code = ? WHERE id = ?").run(errorCode, id);
  }

  /** Media left "processing" by a crash: their transcode will never finish. */
  /** Gives a ready item a warning it did not have (a joined playlist inheriting its parts'). */
  addWarning(id: string, code: string, params: string): void {
    this.db
      .prepare('UPDATE media SET warning_code = ?, warning_params = ? WHERE id = ? AND warning_code IS NULL')
      .run(code, params, id);
  }

  failInterrupted(): number {
    return this.db
      .prepare("UPDATE media SET status = 'failed', error_code = 'interrupted' WHERE status = 'processing'")
      .run().changes;
  }
}
