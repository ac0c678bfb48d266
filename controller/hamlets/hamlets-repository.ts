import type { Db } from '../db/database.js';
import type { Hamlet, HamletsReadModel } from './hamlets-read-model.js';

export type { Hamlet } from './hamlets-read-model.js';

export class HamletsRepository implements HamletsReadModel {
  constructor(private readonly db: Db) {}

  list(): Hamlet[] {
    // In the commune's own order (the configuration's, then as added): thon-2 before thon-10.
    return this.db.prepare<[], Hamlet>('SELECT * FROM hamlets ORDER BY rowid').all();
  }

  get(id: string): Hamlet | undefined {
    return this.db.prepare<[string], Hamlet>('SELECT * FROM hamlets WHERE id = ?').get(id);
  }

  insert(hamlet: Omit<Hamlet, 'quiet_start' | 'quiet_end'> & Partial<Pick<Hamlet, 'quiet_start' | 'quiet_end'>>): void {
    this.db
      .prepare(
        'INSERT INTO hamlets (id, name, households, population, lat, lon, quiet_start, quiet_end, created_at) VALUES (@id, @name, @households, @population, @lat, @lon, @quiet_start, @quiet_end, @created_at)',
      )
      .run({ quiet_start: null, quiet_end: null, ...hamlet });
  }

  update(
    id: string,
    fields: Partial<Pick<Hamlet, 'name' | 'households' | 'population' | 'lat' | 'lon' | 'quiet_start' | 'quiet_end'>>,
  ): void {
    const current = this.get(id);
    if (!current) return;
    const next = { ...current, ...fields };
    this.db
      .prepare(
        'UPDATE hamlets SET name = @name, households = @households, population = @population, lat = @lat, lon = @lon, quiet_start = @quiet_start, quiet_end = @quiet_end WHERE id = @id',
      )
      .run(next);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM hamlets WHERE id = ?').run(id);
  }

  /** Which of these ids do not exist. */
  missing(ids: string[]): string[] {
    const stmt = this.db.prepare<[string], { id: string }>('SELECT id FROM hamlets WHERE id = ?');
    return ids.filter((id) => !stmt.get(id));
  }
}
