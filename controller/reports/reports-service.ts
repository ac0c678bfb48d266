/**
 * Reports for the commune and the province, computed from the stored proof: the as-run log (what
 * was scheduled and what each receiver actually did), and period reports (week, month, quarter,
 * year or any range): broadcasts and minutes by category, whether each week had the categories
 * the plan asks for, coverage by hamlet with households and the share actually played, receiver
 * uptime, urgent announcements and their reach, and the state of the tamper-evident store.
 */
import type { ProofReport } from '../proof/verify-proof.js';
import { DateTime } from 'luxon';
import type { Db } from '../db/database.js';
import type { Clock } from '../clock.js';
import { STAGE_COLUMNS } from '../coverage/stage-columns.js';
import { outcomeOf } from '../coverage/coverage-service.js';
import type { HamletsReadModel } from '../hamlets/hamlets-read-model.js';
import type { ReceiverPresence } from '../receivers/receiver-presence.js';
import type { ReceiversReadModel } from '../receivers/receivers-read-model.js';
import type { Rollup, Rollups } from './rollups.js';

export const PERIOD_KINDS = ['week', 'month', 'quarter', 'year', 'range'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface Period {
  kind: PeriodKind;
  from: string;
  to: string;
  timezone: string;
  /** "Tháng 11/2026", "Tuần 48/2026", … */
  label: string;
}

export interface AsRunRow {
  broadcast_id: string;
  occurrence_id: string | null;
  schedule: string | null;
  source: string;
  priority: string;
  drill: boolean;
  category: string | null;
  operator: string;
  confirmed_by: string | null;
  scheduled_start: string | null;
  issued_at: string;
  hamlet_id: string;
  receiver_id: string;
  received_at: string | null;
  started_at: string | null;
  ended_at: string | null;
  outcome: string;
  reason: string | null;
}

interface PairRow {
  broadcast_id: string; occurrence_id: string | null; schedule_name: string | null; schedule_owner: string | null; source: string; priority: string;
  drill: number; category: string | null; created_by: string; confirmed_by: string | null; created_at: string; play_at: string | null;
  scheduled_start: string | null; expires_at: string; duration_ms: number | null; repeat_count: number; hamlet_id: string; receiver_id: string; name: string;
  received_at: string | null; downloaded_at: string | null; started_at: string | null; finished_at: string | null; failed_at: string | null;
  rejected_at: string | null; reason: string | null; retried_reason: string | null;
}

/** How long a check of the whole acknowledgement store is reused by reports (it reads every ack). */
const INTEGRITY_MAX_AGE_MS = 3_600_000;

type StoreCheck = Pick<ProofReport, 'ok' | 'acks' | 'audit' | 'problems'>;

export interface ReportsServiceOptions {
  db: Db;
  rollups: Rollups;
  hamlets: HamletsReadModel;
  receivers: ReceiversReadModel;
  presence: ReceiverPresence;
  clock: Clock;
  settings: { timezone: string; weekly_targets: Record<string, number> };
  verifyStore: () => Promise<StoreCheck>;
}

export class ReportsService {
  /** The last check: when (the clock's time, reported) and its age's start (monotonic, for the cache). */
  private integrity?: { result: StoreCheck; at: number; mono: number };

  private readonly db: Db;
  private readonly rollups: Rollups;
  private readonly hamlets: HamletsReadModel;
  private readonly receivers: ReceiversReadModel;
  private readonly presence: ReceiverPresence;
  private readonly clock: Clock;
  private readonly settings: { timezone: string; weekly_targets: Record<string, number> };
  private readonly verifyStore: () => Promise<StoreCheck>;
  private checking?: Promise<void>;

  constructor({ db, rollups, hamlets, receivers, presence, clock, settings, verifyStore }: ReportsServiceOptions) {
    this.db = db;
    this.rollups = rollups;
    this.hamlets = hamlets;
    this.receivers = receivers;
    this.presence = presence;
    this.clock = clock;
    this.settings = settings;
    this.verifyStore = verifyStore;
  }

  /**
   * Checks the store's integrity if the last check is older than `maxAgeMs` (an hour; off the event loop;
   * callers waiting meanwhile share the one check). Report routes await it before `report()`.
   */
  async freshIntegrity(maxAgeMs = INTEGRITY_MAX_AGE_MS): Promise<void> {
    if (this.integrity && performance.now() - this.integrity.mono <= maxAgeMs) return;
    this.checking ??= this.verifyStore()
      .then((result) => { this.integrity = { result, at: this.clock.now().getTime(), mono: performance.now() }; })
      .finally(() => { this.checking = undefined; });
    await this.checking;
  }

  /** The last check of the store's integrity (null: never checked yet); its time is reported with it. */
  storeIntegrity(): { result: StoreCheck; at: number } | null {
    return this.integrity ?? null;
  }

  /** Benchmarks: a known check result, so that timings measure the report alone. */
  useIntegrity(result: StoreCheck): void {
    this.integrity = { result, at: this.clock.now().getTime(), mono: performance.now() };
  }

  /** The period of a kind that contains `date` (local), or the given range (dates inclusive). */
  period(kind: PeriodKind, date?: string, from?: string, to?: string): Period {
    const zone = this.settings.timezone;
    if (kind === 'range') {
      const start = DateTime.fromISO(from!, { zone }).startOf('day');
      const end = DateTime.fromISO(to!, { zone }).startOf('day').plus({ days: 1 });
      return { kind, from: start.toUTC().toISO()!, to: end.toUTC().toISO()!, timezone: zone, label: `${start.toFormat('dd/MM/yyyy')} – ${end.minus({ days: 1 }).toFormat('dd/MM/yyyy')}` };
    }
    const at = date ? DateTime.fromISO(date, { zone }) : DateTime.fromJSDate(this.clock.now(), { zone });
    const unit = kind === 'week' ? 'week' : kind;
    const start = at.startOf(unit);
    const end = start.plus({ [`${unit}s`]: 1 });
    const label = kind === 'week' ? `Tuần ${start.weekNumber}/${start.weekYear}` : kind === 'month' ? `Tháng ${start.toFormat('MM/yyyy')}`
      : kind === 'quarter' ? `Quý ${start.quarter}/${start.year}` : `Năm ${start.year}`;
    return { kind, from: start.toUTC().toISO()!, to: end.toUTC().toISO()!, timezone: zone, label };
  }

  private pairs(from: string, to: string): PairRow[] {
    return this.db.prepare<[string, string], PairRow>(
      `SELECT b.id AS broadcast_id, b.occurrence_id, s.name AS schedule_name, s.created_by AS schedule_owner, b.source, b.priority, b.drill, b.category,
              b.created_by, b.confirmed_by, b.created_at, b.play_at, o.starts_at AS scheduled_start, b.expires_at, m.duration_ms, b.repeat_count,
              t.hamlet_id, t.receiver_id, r.name, ${STAGE_COLUMNS}
       FROM broadcasts b
       JOIN broadcast_targets t ON t.broadcast_id = b.id
       JOIN receivers r ON r.id = t.receiver_id
       LEFT JOIN media m ON m.id = b.media_id
       LEFT JOIN occurrences o ON o.id = b.occurrence_id
       LEFT JOIN schedules s ON s.id = o.schedule_id
       LEFT JOIN acks a ON a.broadcast_id = b.id AND a.receiver_id = t.receiver_id
       WHERE b.created_at >= ? AND b.created_at < ?
       GROUP BY b.id, t.receiver_id
       ORDER BY b.created_at, t.hamlet_id, t.receiver_id`,
    ).all(from, to);
  }

  /** Every broadcast of the period, receiver by receiver, and every occurrence that was missed. */
  asRun(period: Period): { period: Period; rows: AsRunRow[]; missed: { occurrence_id: string; schedule: string; scheduled_start: string; reason: string | null }[] } {
    const now = this.clock.now();
    const rows = this.pairs(period.from, period.to).map((p): AsRunRow => ({
      broadcast_id: p.broadcast_id, occurrence_id: p.occurrence_id, schedule: p.schedule_name, source: p.source, priority: p.priority, drill: p.drill === 1,
      category: p.category, operator: p.schedule_owner ?? p.created_by, confirmed_by: p.confirmed_by, scheduled_start: p.scheduled_start ?? p.play_at,
      issued_at: p.created_at, hamlet_id: p.hamlet_id, receiver_id: p.receiver_id, received_at: p.received_at, started_at: p.started_at,
      ended_at: p.finished_at ?? p.failed_at, outcome: outcomeOf(p, p.expires_at, now), reason: p.reason,
    }));
    const missed = this.db.prepare<[string, string], { occurrence_id: string; schedule: string; scheduled_start: string; reason: string | null }>(
      `SELECT o.id AS occurrence_id, s.name AS schedule, o.starts_at AS scheduled_start, o.reason FROM occurrences o JOIN schedules s ON s.id = o.schedule_id
       WHERE o.status = 'missed' AND o.starts_at >= ? AND o.starts_at < ? ORDER BY o.starts_at`,
    ).all(period.from, period.to);
    return { period, rows, missed };
  }

  /**
   * Gaps in receivers' ack numbers (each receiver numbers its acks 0, 1, 2, …): acks made but not
   * stored here. A receiver re-sends unreceipted acks by itself; a gap that stays is an ack lost.
   */
  gaps(): { receiver_id: string; from_seq: number; to_seq: number; missing: number }[] {
    return this.db.prepare<[], { receiver_id: string; from_seq: number; to_seq: number; missing: number }>(
      `SELECT receiver_id, prev + 1 AS from_seq, seq - 1 AS to_seq, seq - prev - 1 AS missing
       FROM (SELECT receiver_id, seq, LAG(seq, 1, -1) OVER (PARTITION BY receiver_id ORDER BY seq) AS prev FROM (SELECT DISTINCT receiver_id, seq FROM acks))
       WHERE seq - prev > 1 ORDER BY receiver_id, from_seq`,
    ).all();
  }

  /** The period report. Drills are counted apart and never as coverage. Read from rollups, not acks. */
  report(period: Period) {
    const now = this.clock.now();
    const all = this.db.prepare<[string, string], BroadcastRow>(
      `SELECT b.id, b.priority, b.source, b.drill, b.category, b.created_at, b.expires_at, COALESCE(m.duration_ms, 0) * b.repeat_count AS length_ms
       FROM broadcasts b LEFT JOIN media m ON m.id = b.media_id WHERE b.created_at >= ? AND b.created_at < ? ORDER BY b.created_at`,
    ).all(period.from, period.to);
    const live = all.filter((b) => b.drill === 0);
    const rollups = new Map(live.map((b) => [b.id, this.rollups.of(b, now)]));
    const hamlets = this.hamlets.list();
    const households = new Map(hamlets.map((h) => [h.id, h.households]));
    const population = new Map(hamlets.map((h) => [h.id, h.population]));
    const sum = (rows: Rollup[], key: 'targeted' | 'reached' | 'finished' | 'played') => rows.reduce((n, r) => n + r[key], 0);
    const reachedHamlets = (rows: Rollup[]) => rows.filter((r) => r.reached > 0).map((r) => r.hamlet_id);
    const minutes = (b: BroadcastRow) => b.length_ms / 60_000;
    const round = (n: number) => Math.round(n * 10) / 10;

    const count = (key: (b: BroadcastRow) => string) => {
      const out: Record<string, { broadcasts: number; minutes: number }> = {};
      for (const b of live) {
        const k = key(b);
        out[k] ??= { broadcasts: 0, minutes: 0 };
        out[k].broadcasts++;
        out[k].minutes = round(out[k].minutes + minutes(b));
      }
      return out;
    };

    // Week by week (local weeks touching the period): which required categories had a bulletin.
    const zone = this.settings.timezone;
    const required = Object.entries(this.settings.weekly_targets).filter(([, n]) => n > 0);
    const weeks: { week: string; from: string; categories: Record<string, number>; missing: string[] }[] = [];
    for (let w = DateTime.fromISO(period.from, { zone }).startOf('week'); w < DateTime.fromISO(period.to, { zone }); w = w.plus({ weeks: 1 })) {
      const wFrom = w.toUTC().toISO()!;
      const wTo = w.plus({ weeks: 1 }).toUTC().toISO()!;
      const categories: Record<string, number> = {};
      for (const b of live) if (b.category && b.created_at >= wFrom && b.created_at < wTo) categories[b.category] = (categories[b.category] ?? 0) + 1;
      weeks.push({ week: `${w.weekNumber}/${w.weekYear}`, from: wFrom, categories, missing: required.filter(([c, n]) => (categories[c] ?? 0) < n).map(([c]) => c) });
    }

    const perHamlet = new Map(hamlets.map((h) => [h.id, { broadcasts: 0, reached: 0, targeted: 0, played: 0 }]));
    for (const rows of rollups.values()) {
      for (const r of rows) {
        const h = perHamlet.get(r.hamlet_id);
        if (!h) continue;
        h.broadcasts++;
        if (r.reached > 0) h.reached++;
        h.targeted += r.targeted;
        h.played += r.played;
      }
    }
    const hamletRows = hamlets.map((h) => {
      const x = perHamlet.get(h.id)!;
      return {
        hamlet_id: h.id, name: h.name, households: h.households, population: h.population, broadcasts: x.broadcasts, reached: x.reached,
        share_played: x.targeted ? Math.round((x.played / x.targeted) * 1000) / 10 : null,
      };
    });

    const urgent = live.filter((b) => b.priority !== 'normal').map((b) => {
      const rows = rollups.get(b.id)!;
      const reached = reachedHamlets(rows);
      return {
        broadcast_id: b.id, at: b.created_at, priority: b.priority, source: b.source, category: b.category,
        hamlets_targeted: rows.length, hamlets_reached: reached.length,
        households_reached: reached.reduce((n, id) => n + (households.get(id) ?? 0), 0), population_reached: reached.reduce((n, id) => n + (population.get(id) ?? 0), 0),
        receivers_targeted: sum(rows, 'targeted'), receivers_finished: sum(rows, 'finished'),
      };
    });

    const householdsPerBroadcast = live.map((b) => reachedHamlets(rollups.get(b.id)!).reduce((n, id) => n + (households.get(id) ?? 0), 0));
    const to = new Date(Math.min(Date.parse(period.to), now.getTime()));
    const uptime = this.receivers.list().filter((r) => r.secret_hash).map((r) => ({
      receiver_id: r.id, hamlet_id: r.hamlet_id, name: r.name, uptime_pct: this.presence.history(r.id, new Date(period.from), to).uptime_pct,
    }));
    const checked = this.storeIntegrity();
    const allRollups = [...rollups.values()].flat();
    return {
      period, generated_at: now.toISOString(),
      totals: {
        broadcasts: live.length, drills: all.length - live.length, minutes: round(live.reduce((n, b) => n + minutes(b), 0)),
        receivers_targeted: sum(allRollups, 'targeted'), receivers_finished: sum(allRollups, 'finished'),
        households_reached_per_broadcast: householdsPerBroadcast.length ? Math.round(householdsPerBroadcast.reduce((a, b) => a + b, 0) / householdsPerBroadcast.length) : 0,
        households_total: hamlets.reduce((n, h) => n + h.households, 0),
      },
      by_category: count((b) => b.category ?? 'uncategorised'),
      by_priority: count((b) => b.priority),
      by_source: count((b) => b.source),
      weeks, hamlets: hamletRows, receivers: uptime, urgent,
      integrity: checked
        ? { ok: checked.result.ok, acks_checked: checked.result.acks.rows, signed_head: checked.result.acks.covered_by_last_head || null, audit_rows: checked.result.audit.rows, problems: checked.result.problems.length, checked_at: new Date(checked.at).toISOString() }
        : { ok: null, acks_checked: 0, signed_head: null, audit_rows: 0, problems: 0, checked_at: null },
    };
  }
}

interface BroadcastRow {
  id: string; priority: string; source: string; drill: number; category: string | null; created_at: string; expires_at: string; length_ms: number;
}

export type PeriodReport = ReturnType<ReportsService['report']>;
