import type { Db } from '../db/database.js';
import type { Bulletin, BulletinsReadModel, BulletinStatus } from './bulletins-read-model.js';

export { BULLETIN_STATUSES, CATEGORIES } from './bulletins-read-model.js';
export type { Bulletin, BulletinStatus, Category } from './bulletins-read-model.js';

export class BulletinsRepository implements BulletinsReadModel {
  constructor(private readonly db: Db) {}

  insert(b: Bulletin): void {
    const keys = Object.keys(b);
    this.db
      .prepare(`INSERT INTO bulletins (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`)
      .run(b);
  }

  get(id: string): Bulletin | undefined {
    return this.db.prepare<[string], Bulletin>('SELECT * FROM bulletins WHERE id = ?').get(id);
  }

  list(status: BulletinStatus | undefined, limit: number): Bulletin[] {
    return status
      ? this.db
          .prepare<[string, number], Bulletin>(
            'SELECT * FROM bulletins WHERE status = ? ORDER BY updated_at DESC LIMIT ?',
          )
          .all(status, limit)
      : this.db.prepare<[number], Bulletin>('SELECT * FROM bulletins ORDER BY updated_at DESC LIMIT ?').all(limit);
  }

  update(id: string, fields: Partial<Omit<Bulletin, 'id' | 'created_at' | 'created_by'>>): void {
    const keys = Object.keys(fields);
    if (keys.length === 0) return;
    this.db
      .prepare(`UPDATE bulletins SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`)
      .run({ ...fields, id });
  }
}
