import type { Db } from '../db/database.js';
import type { Priority } from '../protocol/messages.js';

export interface ScheduleRow {
  id: string;
  name: string;
  spec: string;
  enabled: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export const OCCURRENCE_STATUSES = ['planned', 'dispatched', 'missed', 'cancelled'] as const;
export type OccurrenceStatus = (typeof OCCURRENCE_STATUSES)[number];

export interface Occurrence {
  id: string;
  schedule_id: string;
  starts_at: string;
  ends_at: string;
  local_date: string;
  priority: Priority;
  status: OccurrenceStatus;
  reason: string | null;
  late: number;
  broadcast_id: string | null;
  created_at: string;
  updated_at: string;
}

export class SchedulesRepository {
  constructor(private readonly db: Db) {}

  active(): ScheduleRow[] {
    return this.db
      .prepare<[], ScheduleRow>('SELECT * FROM schedules WHERE deleted_at IS NULL ORDER BY created_at')
      .all();
  }

  get(id: string): ScheduleRow | undefined {
    return this.db
      .prepare<[string], ScheduleRow>('SELECT * FROM schedules WHERE id = ? AND deleted_at IS NULL')
      .get(id);
  }

  insert(row: ScheduleRow): void {
    this.db
      .prepare(
        `INSERT INTO schedules (id, name, spec, enabled, created_by, created_at, updated_at, deleted_at)
       VALUES (@id, @name, @spec, @enabled, @created_by, @created_at, @updated_at, @deleted_at)`,
      )
      .run(row);
  }

  update(id: string, fields: Pick<ScheduleRow, 'name' | 'spec' | 'enabled' | 'updated_at'>): void {
    this.db
      .prepare(
        'UPDATE schedules SET name = @name, spec = @spec, enabled = @enabled, updated_at = @updated_at WHERE id = @id',
      )
      .run({ ...fields, id });
  }

  markDeleted(id: string, at: string): void {
    this.db.prepare('UPDATE schedules SET deleted_at = ?, updated_at = ? WHERE id = ?').run(at, at, id);
  }

  /** Inserts an occurrence unless that schedule already has one at that instant; true when new. */
  insertOccurrence(o: Occurrence): boolean {
    return (
      this.db
        .prepare(
          `INSERT OR IGNORE INTO occurrences (id, schedule_id, starts_at, ends_at, local_date, priority, status, reason, late, broadcast_id, created_at, updated_at)
       VALUES (@id, @schedule_id, @starts_at, @ends_at, @local_date, @priority, @status, @reason, @late, @broadcast_id, @created_at, @updated_at)`,
        )
        .run(o).changes === 1
    );
  }

  occurrence(id: string): Occurrence | undefined {
    return this.db.prepare<[string], Occurrence>('SELECT * FROM occurrences WHERE id = ?').get(id);
  }

  /** Planned occurrences starting before `until`, earliest first. */
  plannedBefore(until: string): Occurrence[] {
    return this.db
      .prepare<[string], Occurrence>(
        "SELECT * FROM occurrences WHERE status = 'planned' AND starts_at < ? ORDER BY starts_at",
      )
      .all(until);
  }

  between(from: string, to: string): (Occurrence & { schedule_name: string })[] {
    return this.db
      .prepare<[string, string], Occurrence & { schedule_name: string }>(
        `SELECT o.*, s.name AS schedule_name FROM occurrences o JOIN schedules s ON s.id = o.schedule_id
       WHERE o.ends_at > ? AND o.starts_at < ? ORDER BY o.starts_at`,
      )
      .all(from, to);
  }

  ofSchedule(scheduleId: string, from: string): Occurrence[] {
    return this.db
      .prepare<[string, string], Occurrence>(
        'SELECT * FROM occurrences WHERE schedule_id = ? AND ends_at > ? ORDER BY starts_at',
      )
      .all(scheduleId, from);
  }

  setStatus(
    id: string,
    status: OccurrenceStatus,
    reason: string | null,
    at: string,
    fields: { broadcast_id?: string; late?: boolean } = {},
  ): void {
    this.db
      .prepare(
        'UPDATE occurrences SET status = ?, reason = ?, updated_at = ?, broadcast_id = COALESCE(?, broadcast_id), late = ? WHERE id = ?',
      )
      .run(status, reason, at, fields.broadcast_id ?? null, fields.late ? 1 : 0, id);
  }
}
