/** The commune's own abbreviations (`tts_abbreviations`), edited from the console. */
import type { Db } from '../db/database.js';

export interface CommuneAbbreviation {
  written: string;
  reading: string;
  updated_by: string;
  updated_at: string;
}

export class AbbreviationsRepository {
  constructor(private readonly db: Db) {}

  list(): CommuneAbbreviation[] {
    return this.db.prepare<[], CommuneAbbreviation>('SELECT * FROM tts_abbreviations ORDER BY written').all();
  }

  get(written: string): CommuneAbbreviation | undefined {
    return this.db
      .prepare<[string], CommuneAbbreviation>('SELECT * FROM tts_abbreviations WHERE written = ?')
      .get(written);
  }

  put(a: CommuneAbbreviation): void {
    this.db
      .prepare(
        'INSERT INTO tts_abbreviations (written, reading, updated_by, updated_at) VALUES (@written, @reading, @updated_by, @updated_at) ON CONFLICT(written) DO UPDATE SET reading = excluded.reading, updated_by = excluded.updated_by, updated_at = excluded.updated_at',
      )
      .run(a);
  }

  delete(written: string): boolean {
    return this.db.prepare('DELETE FROM tts_abbreviations WHERE written = ?').run(written).changes > 0;
  }
}
