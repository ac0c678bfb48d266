/**
 * Schedules: what an operator saves, checked before it is kept. Every problem is found at save
 * time and named with its field and its fix: unknown content, dates that do not exist, an end
 * before the start, quiet hours, and overlaps with other schedules, explained in words.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Actor } from '../audit/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { BroadcastsService } from '../broadcasts/broadcasts-service.js';
import type { QuietHours } from '../broadcasts/quiet-hours.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../shared/domain-error.js';
import { t, type MessageKey, type MessageParams } from '../i18n/messages.js';
import type { MediaService } from '../media/media-service.js';
import { PRIORITIES } from '../protocol/messages.js';
import { fromLunar, leapMonthOf } from './lunar-calendar.js';
import type { PlaylistsService } from './playlists-service.js';
import { startsBetween } from './recurrence.js';
import { scheduleSpecSchema, type ScheduleSpec, type ScheduleSpecInput } from './schedule-spec.js';
import type { ScheduleRow, SchedulesRepository } from './schedules-repository.js';

export interface ProgrammeSettings {
  timezone: string;
  horizon_hours: number;
  check_days: number;
}

/** A schedule as the service works with it: the row and its parsed spec with the zone filled in. */
export interface Schedule {
  row: ScheduleRow;
  spec: ScheduleSpec & { timezone: string };
}

export interface Explanation {
  code: MessageKey;
  message: string;
  message_en: string;
  other_schedule_id: string;
  at: string;
}

const explain = (code: MessageKey, params: MessageParams, other: string, at: Date): Explanation => ({
  code,
  message: t(code, 'vi', params),
  message_en: t(code, 'en', params),
  other_schedule_id: other,
  at: at.toISOString(),
});

export interface SchedulesServiceOptions {
  db: Db;
  repo: SchedulesRepository;
  broadcasts: BroadcastsService;
  media: MediaService;
  playlists: PlaylistsService;
  quiet: QuietHours;
  audit: AuditLog;
  clock: Clock;
  settings: ProgrammeSettings;
}

export class SchedulesService {
  private readonly db: Db;
  private readonly repo: SchedulesRepository;
  private readonly broadcasts: BroadcastsService;
  private readonly media: MediaService;
  private readonly playlists: PlaylistsService;
  private readonly quiet: QuietHours;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  readonly settings: ProgrammeSettings;

  constructor({ db, repo, broadcasts, media, playlists, quiet, audit, clock, settings }: SchedulesServiceOptions) {
    this.db = db;
    this.repo = repo;
    this.broadcasts = broadcasts;
    this.media = media;
    this.playlists = playlists;
    this.quiet = quiet;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
  }

  parse(row: ScheduleRow): Schedule {
    const spec = scheduleSpecSchema.parse(JSON.parse(row.spec));
    return { row, spec: { ...spec, timezone: spec.timezone ?? this.settings.timezone } };
  }

  list(): Schedule[] {
    return this.repo.active().map((r) => this.parse(r));
  }

  get(id: string): Schedule {
    const row = this.repo.get(id);
    if (!row) throw notFound('what_schedule', id);
    return this.parse(row);
  }

  /** How long one occurrence sounds. */
  durationMs(spec: ScheduleSpec): number {
    if (spec.media_id) return this.media.get(spec.media_id).duration_ms ?? 0;
    if (spec.relay) return spec.relay.duration_s * 1000;
    return this.playlists.durationMs(this.playlists.get(spec.playlist_id!));
  }

  /** The hamlets a schedule sounds in (receivers named alone count for their hamlet). */
  hamletsOf(spec: ScheduleSpec): string[] {
    return [...new Set(this.broadcasts.resolveTargets(spec.target).targets.map((t) => t.hamlet_id))];
  }

  /**
   * The spec as saved: a bulletin's audio scheduled without a category takes the bulletin's, so
   * that its plays count against the plan's weekly targets as the bulletin's own broadcasts do (a
   * scheduled bulletin was counted "uncategorised": outsider, session 19).
   */
  private withCategory(spec: ScheduleSpec): ScheduleSpec {
    if (spec.category || !spec.media_id) return spec;
    const bulletin = this.db
      .prepare<[string], { category: ScheduleSpec['category'] }>(
        'SELECT category FROM bulletins WHERE media_id = ? ORDER BY created_at DESC LIMIT 1',
      )
      .get(spec.media_id);
    return bulletin?.category ? { ...spec, category: bulletin.category } : spec;
  }

  /** Saves a schedule; `enabled: false` keeps it switched off (one waiting for a person's confirmation). */
  create(
    input: ScheduleSpecInput,
    actor: Actor,
    options: { enabled?: boolean } = {},
  ): { schedule: Schedule; warnings: Explanation[] } {
    const spec = this.withCategory(scheduleSpecSchema.parse(input));
    const warnings = this.check(spec);
    const now = this.clock.now().toISOString();
    const row: ScheduleRow = {
      id: randomUUID(),
      name: spec.name,
      spec: JSON.stringify(spec),
      enabled: options.enabled === false ? 0 : 1,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
    this.db.transaction(() => {
      this.repo.insert(row);
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'schedule.created',
        subject: row.id,
        detail: {
          name: spec.name,
          priority: spec.priority,
          recurrence: spec.recurrence,
          start_time: spec.start_time,
          enabled: row.enabled === 1,
        },
      });
    })();
    return { schedule: this.parse(row), warnings };
  }

  /** Replaces a schedule's spec; its future occurrences are recomputed by the scheduler. */
  update(id: string, input: ScheduleSpecInput, actor: Actor): { schedule: Schedule; warnings: Explanation[] } {
    const current = this.get(id);
    const spec = this.withCategory(scheduleSpecSchema.parse(input));
    const warnings = this.check(spec, id);
    const now = this.clock.now().toISOString();
    this.db.transaction(() => {
      this.repo.update(id, {
        name: spec.name,
        spec: JSON.stringify(spec),
        enabled: current.row.enabled,
        updated_at: now,
      });
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'schedule.updated',
        subject: id,
        detail: { name: spec.name, recurrence: spec.recurrence, start_time: spec.start_time },
      });
    })();
    return { schedule: this.get(id), warnings };
  }

  setEnabled(id: string, enabled: boolean, actor: Actor): Schedule {
    const current = this.get(id);
    this.db.transaction(() => {
      this.repo.update(id, {
        name: current.row.name,
        spec: current.row.spec,
        enabled: enabled ? 1 : 0,
        updated_at: this.clock.now().toISOString(),
      });
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: enabled ? 'schedule.enabled' : 'schedule.disabled',
        subject: id,
      });
    })();
    return this.get(id);
  }

  remove(id: string, actor: Actor): void {
    this.get(id);
    this.db.transaction(() => {
      this.repo.markDeleted(id, this.clock.now().toISOString());
      this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'schedule.deleted', subject: id });
    })();
  }

  /** Every check of a spec; throws the first problem, returns the overlaps that are resolved by priority. */
  check(spec: ScheduleSpec, replacing?: string): Explanation[] {
    if ([spec.media_id, spec.playlist_id, spec.relay].filter(Boolean).length !== 1)
      throw new DomainError('invalid', 'schedule_content_required', { field: 'media_id' });
    if (spec.media_id) {
      const m = this.media.get(spec.media_id);
      if (m.status === 'failed') throw new DomainError('conflict', 'media_failed', { id: m.id });
    } else if (spec.playlist_id) {
      this.playlists.get(spec.playlist_id);
    }
    checkDates(spec);
    const hamlets = this.hamletsOf(spec); // 404 for unknown hamlets and receivers
    const timed = { ...spec, timezone: spec.timezone ?? this.settings.timezone };
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.settings.check_days * 86_400_000);
    const starts = startsBetween(timed, now, until);
    if (starts.length === 0) {
      if (spec.recurrence.kind === 'once') {
        const all = startsBetween(timed, new Date(now.getTime() - 366 * 86_400_000), until);
        if (all.length > 0)
          throw new DomainError('invalid', 'schedule_in_past', {
            field: 'recurrence',
            at: this.local(all[0].starts_at, timed.timezone),
          });
      }
      // A yearly date beyond the check window is fine; anything else that never plays is a mistake.
      if (!['once', 'lunar_yearly', 'holiday', 'monthly', 'lunar_monthly'].includes(spec.recurrence.kind)) {
        throw new DomainError('invalid', 'schedule_never_plays', {
          field: 'recurrence',
          days: this.settings.check_days,
        });
      }
    }
    const duration = this.durationMs(spec);
    if (spec.priority !== 'emergency') {
      for (const s of starts) {
        const quiet = this.quiet.quietHamlets(hamlets, s.starts_at, new Date(s.starts_at.getTime() + duration));
        if (quiet.length > 0) {
          throw new DomainError('invalid', 'schedule_in_quiet_hours', {
            field: 'start_time',
            at: this.local(s.starts_at, timed.timezone),
            ...this.quiet.refusalWords(quiet, s.starts_at),
          });
        }
      }
    }
    return this.conflicts(
      { spec: timed, starts: starts.map((s) => s.starts_at), duration, hamlets },
      now,
      until,
      replacing,
    );
  }

  /** Overlaps with other enabled schedules in the check window, one explanation per other schedule. */
  private conflicts(
    mine: { spec: ScheduleSpec & { timezone: string }; starts: Date[]; duration: number; hamlets: string[] },
    from: Date,
    to: Date,
    replacing?: string,
  ): Explanation[] {
    const same: Explanation[] = [];
    const resolved: Explanation[] = [];
    for (const other of this.list()) {
      if (other.row.id === replacing || !other.row.enabled) continue;
      let otherHamlets: string[];
      let otherDuration: number;
      try {
        otherHamlets = this.hamletsOf(other.spec);
        otherDuration = this.durationMs(other.spec);
      } catch {
        continue; // its content or target went away; the scheduler records its occurrences as missed
      }
      const shared = mine.hamlets.filter((h) => otherHamlets.includes(h));
      if (shared.length === 0) continue;
      const theirs = startsBetween(other.spec, new Date(from.getTime() - otherDuration), to).map((s) => s.starts_at);
      const overlap = firstOverlap(mine.starts, mine.duration, theirs, otherDuration);
      if (!overlap) continue;
      const at = this.local(overlap, mine.spec.timezone);
      const hamlets = this.quiet.namesOf(shared); // by name: Thôn Đông, not thon-1
      const pair = [
        { name: mine.spec.name, p: mine.spec.priority },
        { name: other.spec.name, p: other.spec.priority },
      ].sort((a, b) => PRIORITIES.indexOf(b.p) - PRIORITIES.indexOf(a.p)); // the higher first
      if (mine.spec.priority === other.spec.priority) {
        same.push(explain('conflict_same_priority', { other: other.spec.name, at, hamlets }, other.row.id, overlap));
      } else if (pair[0].p === 'emergency') {
        resolved.push(
          explain(
            'conflict_emergency_preempts',
            { first: pair[0].name, second: pair[1].name, at, hamlets },
            other.row.id,
            overlap,
          ),
        );
      } else {
        resolved.push(
          explain(
            'conflict_priority_first',
            { first: pair[0].name, second: pair[1].name, at, hamlets },
            other.row.id,
            overlap,
          ),
        );
      }
    }
    if (same.length > 0 && !mine.spec.accept_conflicts) {
      throw new DomainError('conflict', 'schedule_conflict', {
        field: 'start_time',
        details: { vi: same.map((e) => e.message).join('; '), en: same.map((e) => e.message_en).join('; ') },
      });
    }
    return [...same, ...resolved];
  }

  private local(instant: Date, zone: string): string {
    return DateTime.fromJSDate(instant, { zone }).toFormat('HH:mm dd/MM/yyyy');
  }
}

/** The earliest instant where one of `a` (each lasting aMs) overlaps one of `b` (each lasting bMs). */
function firstOverlap(a: Date[], aMs: number, b: Date[], bMs: number): Date | null {
  for (const x of a) {
    for (const y of b) {
      const start = Math.max(x.getTime(), y.getTime());
      const end = Math.min(x.getTime() + Math.max(aMs, 1), y.getTime() + Math.max(bMs, 1));
      if (start < end) return new Date(start);
    }
  }
  return null;
}

/** Dates the spec names must exist and be in order. */
function checkDates(spec: ScheduleSpec): void {
  if (spec.valid_from && spec.valid_until && spec.valid_until < spec.valid_from) {
    throw new DomainError('invalid', 'end_before_start', {
      field: 'valid_until',
      from: spec.valid_from,
      until: spec.valid_until,
    });
  }
  const r = spec.recurrence;
  if (r.kind === 'once') {
    if (Boolean(r.date) === Boolean(r.lunar))
      throw new DomainError('invalid', 'schedule_once_needs_date', { field: 'recurrence' });
    if (r.lunar && !fromLunar(r.lunar)) {
      const leap = leapMonthOf(r.lunar.year);
      const { day, month, year } = r.lunar;
      const date = `${day}/${month}${r.lunar.leap ? ' (nhuận)' : ''}`;
      const [hint, hint_en] =
        r.lunar.leap && leap !== month
          ? leap
            ? [
                `Năm âm lịch ${year} tháng nhuận là tháng ${leap}; bỏ leap hoặc chọn tháng ${leap}.`,
                `Lunar year ${year} has its leap month after month ${leap}; drop leap or choose month ${leap}.`,
              ]
            : [`Năm âm lịch ${year} không có tháng nhuận; bỏ leap.`, `Lunar year ${year} has no leap month; drop leap.`]
          : [
              `Tháng ${month} năm đó chỉ có 29 ngày; chọn ngày 29 hoặc mùng 1 tháng sau.`,
              `Month ${month} has 29 days that year; choose the 29th or the 1st of the next month.`,
            ];
      throw new DomainError('invalid', 'lunar_date_missing', {
        field: 'recurrence.lunar',
        date,
        year,
        hint: { vi: hint, en: hint_en },
      });
    }
  }
}
