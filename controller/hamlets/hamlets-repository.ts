import type { Db } from '../db/database.js';

export interface Hamlet {
  id: string;
  name: string;
  households: number;
  population: number;
  lat: number | null;
  lon: number | null;
  created_at: string;
}

export class HamletsRepository {
  constructor(private readonly db: Db) {}

  list(): Hamlet[] {
    return this.db.prepare<[], Hamlet>('SELECT * FROM hamlets ORDER BY id').all();
  }

  get(id: string): Hamlet | undefined {
    return this.db.prepare<[string], Hamlet>('SELECT * FROM hamlets WHERE id = ?').get(id);
  }

  insert(hamlet: Hamlet): void {
    this.db
      .prepare('INSERT INTO hamlets (id, name, households, population, lat, lon, created_at) VALUES (@id, @name, @households, @population, @lat, @lon, @created_at)')
      .run(hamlet);
  }

  update(id: string, fields: Partial<Pick<Hamlet, 'name' | 'households' | 'population' | 'lat' | 'lon'>>): void {
    const current = this.get(id);
    if (!current) return;
    const next = { ...current, ...fields };
    this.db.prepare('UPDATE hamlets SET name = @name, households = @households, population = @population, lat = @lat, lon = @lon WHERE id = @id').run(next);
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
