import type { Db } from '../db/database.js';

export const CATEGORIES = [
  'party_state_policy', 'law', 'commune_notice', 'security_order', 'disaster_prevention', 'health', 'agriculture',
  'good_deeds', 'holidays', 'mass_organisations', 'other',
] as const;
export type Category = (typeof CATEGORIES)[number];
export const BULLETIN_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'broadcast'] as const;
export type BulletinStatus = (typeof BULLETIN_STATUSES)[number];

export interface Bulletin {
  id: string;
  title: string;
  category: Category;
  text: string | null;
  recorded_media_id: string | null;
  voice: string | null;
  engine: string | null;
  speed: number;
  chime: number;
  repeat: number;
  status: BulletinStatus;
  reject_reason: string | null;
  media_id: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  decided_by: string | null;
  decided_at: string | null;
  last_broadcast_id: string | null;
  /** Published on the feed, page and webhooks once broadcast: 1 or 0 as chosen, null: yes unless a drill. */
  public: number | null;
}

export class BulletinsRepository {
  constructor(private readonly db: Db) {}

  insert(b: Bulletin): void {
    const keys = Object.keys(b);
    this.db.prepare(`INSERT INTO bulletins (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`).run(b);
  }

  get(id: string): Bulletin | undefined {
    return this.db.prepare<[string], Bulletin>('SELECT * FROM bulletins WHERE id = ?').get(id);
  }

  list(status: BulletinStatus | undefined, limit: number): Bulletin[] {
    return status
      ? this.db.prepare<[string, number], Bulletin>('SELECT * FROM bulletins WHERE status = ? ORDER BY updated_at DESC LIMIT ?').all(status, limit)
      : this.db.prepare<[number], Bulletin>('SELECT * FROM bulletins ORDER BY updated_at DESC LIMIT ?').all(limit);
  }

  update(id: string, fields: Partial<Omit<Bulletin, 'id' | 'created_at' | 'created_by'>>): void {
    const keys = Object.keys(fields);
    if (keys.length === 0) return;
    this.db.prepare(`UPDATE bulletins SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({ ...fields, id });
  }
}
