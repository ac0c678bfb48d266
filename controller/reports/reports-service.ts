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
  label_en: string;
  /** Its files' names: "thang-11-2026", "tuan-48-2026", "nam-2026", "2026-11-01-den-2026-11-07". */
  slug: string;
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
  /** Names as people know them (the as-run log people read): what was broadcast, where. */
  title: string | null;
  hamlet: string;
  receiver: string;
  /** The operator's and the confirmer's display names, when they are people with accounts. */
  operator_name: string | null;
  confirmed_by_name: string | null;
  received_at: string | null;
  started_at: string | null;
  ended_at: string | null;
  outcome: string;
  reason: string | null;
}

interface PairRow {
  broadcast_id: string;
  occurrence_id: string | null;
  schedule_name: string | null;
  schedule_owner: string | null;
  source: string;
  priority: string;
  drill: number;
  category: string | null;
  created_by: string;
  confirmed_by: string | null;
  created_at: string;
  play_at: string | null;
  scheduled_start: string | null;
  expires_at: string;
  duration_ms: number | null;
  repeat_count: number;
  hamlet_id: string;
  receiver_id: string;
  name: string;
  hamlet_name: string | null;
  operator_name: string | null;
  confirmer_name: string | null;
  title: string | null;
  received_at: string | null;
  downloaded_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  failed_at: string | null;
  rejected_at: string | null;
  reason: string | null;
  retried_reason: string | null;
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

/**
 * A period in the commune's zone: its instants (UTC), its label and the slug its files are named
 * by ("thang-12-2026"), both from local dates: December's report is not named after 30 November
 * because its first instant is 17:00 UTC that day.
 */
export function periodOf(zone: string, now: Date, kind: PeriodKind, date?: string, from?: string, to?: string): Period {
  if (kind === 'range') {
    const start = DateTime.fromISO(from!, { zone }).startOf('day');
    const end = DateTime.fromISO(to!, { zone }).startOf('day').plus({ days: 1 });
    const last = end.minus({ days: 1 });
    return {
      kind,
      from: start.toUTC().toISO()!,
      to: end.toUTC().toISO()!,
      timezone: zone,
      label: `từ ${start.toFormat('dd/MM/yyyy')} đến ${last.toFormat('dd/MM/yyyy')}`,
      label_en: `${start.toFormat('dd/MM/yyyy')} to ${last.toFormat('dd/MM/yyyy')}`,
      slug: `${start.toISODate()}-den-${last.toISODate()}`,
    };
  }
  const at = date ? DateTime.fromISO(date, { zone }) : DateTime.fromJSDate(now, { zone });
  const start = at.startOf(kind);
  const end = start.plus({ [`${kind}s`]: 1 });
  // Labels read inside a sentence ("… truyền thanh cơ sở tuần 49/2026 (từ 30/11 đến 06/12/2026)").
  const span = `${start.toFormat('dd/MM')} – ${end.minus({ days: 1 }).toFormat('dd/MM/yyyy')}`;
  const [label, label_en, slug] =
    kind === 'week'
      ? [
          `tuần ${start.weekNumber}/${start.weekYear} (từ ${start.toFormat('dd/MM')} đến ${end.minus({ days: 1 }).toFormat('dd/MM/yyyy')})`,
          `week ${start.weekNumber}/${start.weekYear} (${span})`,
          `tuan-${start.weekNumber}-${start.weekYear}`,
        ]
      : kind === 'month'
        ? [
            `tháng ${start.toFormat('MM/yyyy')}`,
            `${start.setLocale('en-GB').toFormat('MMMM yyyy')}`,
            `thang-${start.toFormat('MM-yyyy')}`,
          ]
        : kind === 'quarter'
          ? [
              `quý ${start.quarter}/${start.year}`,
              `quarter ${start.quarter} of ${start.year}`,
              `quy-${start.quarter}-${start.year}`,
            ]
          : [`năm ${start.year}`, `${start.year}`, `nam-${start.year}`];
  return { kind, from: start.toUTC().toISO()!, to: end.toUTC().toISO()!, timezone: zone, label, label_en, slug };
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
      .then((result) => {
        this.integrity = { result, at: this.clock.now().getTime(), mono: performance.now() };
      })
      .finally(() => {
        this.checking = undefined;
      });
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

  /** The controller's clock (routes refuse periods that have not begun). */
  now(): Date {
    return this.clock.now();
  }

  /** The period of a kind that contains `date` (local; default today), or the given range (dates inclusive). */
  period(kind: PeriodKind, date?: string, from?: string, to?: string): Period {
    return periodOf(this.settings.timezone, this.clock.now(), kind, date, from, to);
  }

  private pairs(from: string, to: string): PairRow[] {
    return this.db
      .prepare<[string, string], PairRow>(
        `SELECT b.id AS broadcast_id, b.occurrence_id, s.name AS schedule_name, s.created_by AS schedule_owner, b.source, b.priority, b.drill, b.category,
              b.created_by, b.confirmed_by, b.created_at, b.play_at, o.starts_at AS scheduled_start, b.expires_at, m.duration_ms, b.repeat_count,
              t.hamlet_id, t.receiver_id, r.name, h.name AS hamlet_name,
              COALESCE((SELECT bu.title FROM bulletins bu WHERE bu.media_id = b.media_id LIMIT 1), m.title) AS title, ou.display_name AS operator_name, cu.display_name AS confirmer_name, ${STAGE_COLUMNS}
       FROM broadcasts b
       JOIN broadcast_targets t ON t.broadcast_id = b.id
       JOIN receivers r ON r.id = t.receiver_id
       LEFT JOIN hamlets h ON h.id = t.hamlet_id
       LEFT JOIN media m ON m.id = b.media_id
       LEFT JOIN occurrences o ON o.id = b.occurrence_id
       LEFT JOIN schedules s ON s.id = o.schedule_id
       LEFT JOIN users ou ON ou.username = COALESCE(s.created_by, b.created_by)
       LEFT JOIN users cu ON cu.username = b.confirmed_by
       LEFT JOIN acks a ON a.broadcast_id = b.id AND a.receiver_id = t.receiver_id
       WHERE COALESCE(b.play_at, b.created_at) >= ? AND COALESCE(b.play_at, b.created_at) < ?
       GROUP BY b.id, t.receiver_id
       ORDER BY COALESCE(b.play_at, b.created_at), h.rowid, t.receiver_id`,
      )
      .all(from, to);
  }

  /** Every broadcast of the period, receiver by receiver, and every occurrence that was missed. */
  asRun(period: Period): {
    period: Period;
    rows: AsRunRow[];
    missed: { occurrence_id: string; schedule: string; scheduled_start: string; reason: string | null }[];
  } {
    const now = this.clock.now();
    // What was to play after now has not played: it is not in the log yet.
    const until = new Date(Math.min(Date.parse(period.to), now.getTime())).toISOString();
    const rows = this.pairs(period.from, until).map((p): AsRunRow => ({
      broadcast_id: p.broadcast_id,
      occurrence_id: p.occurrence_id,
      schedule: p.schedule_name,
      source: p.source,
      priority: p.priority,
      drill: p.drill === 1,
      category: p.category,
      operator: p.schedule_owner ?? p.created_by,
      confirmed_by: p.confirmed_by,
      scheduled_start: p.scheduled_start ?? p.play_at,
      issued_at: p.created_at,
      hamlet_id: p.hamlet_id,
      receiver_id: p.receiver_id,
      title: p.title,
      hamlet: p.hamlet_name ?? p.hamlet_id,
      receiver: p.name,
      operator_name: p.operator_name,
      confirmed_by_name: p.confirmer_name,
      received_at: p.received_at,
      started_at: p.started_at,
      ended_at: p.finished_at ?? p.failed_at,
      outcome: outcomeOf(p, p.expires_at, now),
      reason: p.reason,
    }));
    const missed = this.db
      .prepare<
        [string, string],
        { occurrence_id: string; schedule: string; scheduled_start: string; reason: string | null }
      >(
        `SELECT o.id AS occurrence_id, s.name AS schedule, o.starts_at AS scheduled_start, o.reason FROM occurrences o JOIN schedules s ON s.id = o.schedule_id
       WHERE o.status = 'missed' AND o.starts_at >= ? AND o.starts_at < ? ORDER BY o.starts_at`,
      )
      .all(period.from, period.to);
    return { period, rows, missed };
  }

  /**
   * Gaps in receivers' ack numbers (each receiver numbers its acks 0, 1, 2, …): acks made but not
   * stored here. A receiver re-sends unreceipted acks by itself; a gap that stays is an ack lost.
   */
  gaps(): { receiver_id: string; from_seq: number; to_seq: number; missing: number }[] {
    return this.db
      .prepare<[], { receiver_id: string; from_seq: number; to_seq: number; missing: number }>(
        `SELECT receiver_id, prev + 1 AS from_seq, seq - 1 AS to_seq, seq - prev - 1 AS missing
       FROM (SELECT receiver_id, seq, LAG(seq, 1, -1) OVER (PARTITION BY receiver_id ORDER BY seq) AS prev FROM (SELECT DISTINCT receiver_id, seq FROM acks))
       WHERE seq - prev > 1 ORDER BY receiver_id, from_seq`,
      )
      .all();
  }

  /**
   * The period report, read from rollups, not acks. Only what played counts: a broadcast is
   * counted (totals, minutes, categories) when at least one receiver played it to the end; one
   * issued that nobody played through is counted apart (not_aired); one still to come (a schedule's next occurrence)
   * is not in the report at all. Drills are counted apart and never as coverage. Every hamlet
   * the commune lists appears, reached or not, with why not.
   */
  report(period: Period) {
    const now = this.clock.now();
    const until = new Date(Math.min(Date.parse(period.to), now.getTime())).toISOString();
    // A broadcast belongs to the period of when it was to play, and only once that time has come.
    const all = this.db
      .prepare<[string, string], BroadcastRow>(
        `SELECT b.id, b.priority, b.source, b.drill, b.category, b.target_json, COALESCE(b.play_at, b.created_at) AS created_at, b.expires_at,
              COALESCE(m.duration_ms, 0) * b.repeat_count AS length_ms
       FROM broadcasts b LEFT JOIN media m ON m.id = b.media_id
       WHERE COALESCE(b.play_at, b.created_at) >= ? AND COALESCE(b.play_at, b.created_at) < ? ORDER BY COALESCE(b.play_at, b.created_at)`,
      )
      .all(period.from, until);
    const issued = all.filter((b) => b.drill === 0);
    const rollups = new Map(issued.map((b) => [b.id, this.rollups.of(b, now)]));
    const aired = issued.filter((b) => rollups.get(b.id)!.some((r) => r.finished > 0));
    // Not played through by anyone yet, but still within its window: it may yet play (a receiver reconnecting).
    const underWay = new Set(
      issued.filter((b) => !aired.includes(b) && b.expires_at > now.toISOString()).map((b) => b.id),
    );
    const hamlets = this.hamlets.list();
    const households = new Map(hamlets.map((h) => [h.id, h.households]));
    const population = new Map(hamlets.map((h) => [h.id, h.population]));
    const receivers = this.receivers.list();
    const hamletOfReceiver = new Map(receivers.map((r) => [r.id, r.hamlet_id]));
    const sum = (rows: Rollup[], key: 'targeted' | 'reached' | 'finished' | 'played') =>
      rows.reduce((n, r) => n + r[key], 0);
    const minutes = (b: BroadcastRow) => b.length_ms / 60_000;
    const round = (n: number) => Math.round(n * 10) / 10;

    /** The hamlets a broadcast was addressed to (the whole commune: every hamlet), each reached or with why not. */
    const hamletOutcomes = (b: BroadcastRow) => {
      const target = JSON.parse(b.target_json) as { all?: boolean; hamlet_ids?: string[]; receiver_ids?: string[] };
      const rows = new Map(rollups.get(b.id)!.map((r) => [r.hamlet_id, r]));
      const addressed = target.all
        ? hamlets.map((h) => h.id)
        : (target.hamlet_ids ?? [
            ...new Set(
              (target.receiver_ids ?? []).map((id) => hamletOfReceiver.get(id)).filter((h): h is string => Boolean(h)),
            ),
          ]);
      return addressed.map((hamlet_id) => {
        const r = rows.get(hamlet_id);
        // Heard means played to the end by at least one of its receivers (as the urgent desk says);
        // a play cut short is in share_played, and the hamlet counts as failed.
        const outcome: HamletOutcome =
          !r || r.targeted === 0
            ? 'no_receiver'
            : r.finished > 0
              ? 'reached'
              : underWay.has(b.id)
                ? 'waiting'
                : r.answered > 0 || r.reached > 0
                  ? 'failed'
                  : 'offline';
        return { hamlet_id, outcome };
      });
    };
    const outcomes = new Map(issued.map((b) => [b.id, hamletOutcomes(b)]));
    const reachedHamlets = (b: BroadcastRow) =>
      outcomes
        .get(b.id)!
        .filter((o) => o.outcome === 'reached')
        .map((o) => o.hamlet_id);

    const totalMinutes = round(aired.reduce((n, b) => n + minutes(b), 0));
    /** Broadcasts and minutes by a key; the minutes, rounded to tenths, add up to the total (largest remainders). */
    const count = (key: (b: BroadcastRow) => string) => {
      const raw = new Map<string, { broadcasts: number; minutes: number }>();
      for (const b of aired) {
        const k = key(b);
        const x = raw.get(k) ?? { broadcasts: 0, minutes: 0 };
        x.broadcasts++;
        x.minutes += minutes(b);
        raw.set(k, x);
      }
      const tenths = [...raw.entries()].map(([k, v]) => ({
        k,
        v,
        floor: Math.floor(v.minutes * 10 + 1e-9),
        rest: v.minutes * 10 - Math.floor(v.minutes * 10 + 1e-9),
      }));
      let left = Math.round(totalMinutes * 10) - tenths.reduce((n, x) => n + x.floor, 0);
      for (const x of [...tenths].sort((a, b) => b.rest - a.rest)) if (left-- > 0) x.floor++;
      return Object.fromEntries(tenths.map((x) => [x.k, { broadcasts: x.v.broadcasts, minutes: x.floor / 10 }]));
    };

    // Week by week (local weeks touching the period): which required categories had a bulletin
    // on air. A week still to come is not judged; the week under way is judged only when it ends.
    const zone = this.settings.timezone;
    const required = Object.entries(this.settings.weekly_targets).filter(([, n]) => n > 0);
    // Weeks before the network existed (no receiver enrolled yet) are not judged either.
    const enrolledAt = new Map(
      receivers.filter((r) => r.secret_hash).map((r) => [r.id, this.presence.firstEnrolledAt(r.id)]),
    );
    const firstEnrolled = [...enrolledAt.values()].filter((x): x is string => Boolean(x)).sort()[0] ?? null;
    const weeks: {
      week: string;
      from: string;
      categories: Record<string, number>;
      missing: string[];
      status: WeekStatus;
    }[] = [];
    for (
      let w = DateTime.fromISO(period.from, { zone }).startOf('week');
      w < DateTime.fromISO(period.to, { zone });
      w = w.plus({ weeks: 1 })
    ) {
      const wFrom = w.toUTC().toISO()!;
      const wTo = w.plus({ weeks: 1 }).toUTC().toISO()!;
      const categories: Record<string, number> = {};
      for (const b of aired)
        if (b.category && b.created_at >= wFrom && b.created_at < wTo)
          categories[b.category] = (categories[b.category] ?? 0) + 1;
      const short = required.filter(([c, n]) => (categories[c] ?? 0) < n).map(([c]) => c);
      const status: WeekStatus =
        wFrom > now.toISOString()
          ? 'future'
          : !firstEnrolled || wTo <= firstEnrolled
            ? 'not_started'
            : short.length === 0
              ? 'met'
              : wTo > now.toISOString()
                ? 'in_progress'
                : 'missing';
      weeks.push({
        week: `${w.weekNumber}/${w.weekYear}`,
        from: wFrom,
        categories,
        missing: status === 'future' || status === 'not_started' ? [] : short,
        status,
      });
    }

    const perHamlet = new Map(
      hamlets.map((h) => [
        h.id,
        { addressed: 0, reached: 0, no_receiver: 0, offline: 0, failed: 0, waiting: 0, targeted: 0, played: 0 },
      ]),
    );
    for (const b of issued) {
      for (const o of outcomes.get(b.id)!) {
        const h = perHamlet.get(o.hamlet_id);
        if (!h) continue;
        h.addressed++;
        h[o.outcome]++;
      }
      for (const r of rollups.get(b.id)!) {
        const h = perHamlet.get(r.hamlet_id);
        if (!h) continue;
        h.targeted += r.targeted;
        h.played += r.played;
      }
    }
    // Enrolled by the end of the period: a June report does not count receivers enrolled in December.
    const enrolledBy = (r: (typeof receivers)[number]) =>
      Boolean(r.secret_hash && (enrolledAt.get(r.id) ?? '9') < until);
    const receiversIn = (hamletId: string) =>
      receivers.filter((r) => r.hamlet_id === hamletId && enrolledBy(r) && !r.revoked_at).length;
    const hamletRows = hamlets.map((h) => {
      const x = perHamlet.get(h.id)!;
      return {
        hamlet_id: h.id,
        name: h.name,
        households: h.households,
        population: h.population,
        receivers: receiversIn(h.id),
        broadcasts: x.addressed,
        reached: x.reached,
        not_reached: { no_receiver: x.no_receiver, offline: x.offline, failed: x.failed, waiting: x.waiting },
        share_played: x.targeted ? Math.round((x.played / x.targeted) * 1000) / 10 : null,
      };
    });

    const urgent = issued
      .filter((b) => b.priority !== 'normal')
      .map((b) => {
        const rows = rollups.get(b.id)!;
        const reached = reachedHamlets(b);
        const hamletsOf = outcomes.get(b.id)!;
        return {
          broadcast_id: b.id,
          at: b.created_at,
          priority: b.priority,
          source: b.source,
          category: b.category,
          hamlets_targeted: hamletsOf.length,
          hamlets_reached: reached.length,
          hamlets_not_reached: hamletsOf
            .filter((o) => o.outcome !== 'reached')
            .map((o) => ({
              hamlet_id: o.hamlet_id,
              name: hamlets.find((h) => h.id === o.hamlet_id)?.name ?? o.hamlet_id,
              reason: o.outcome,
            })),
          households_reached: reached.reduce((n, id) => n + (households.get(id) ?? 0), 0),
          population_reached: reached.reduce((n, id) => n + (population.get(id) ?? 0), 0),
          receivers_targeted: sum(rows, 'targeted'),
          receivers_finished: sum(rows, 'finished'),
        };
      });

    const householdsPerBroadcast = aired.map((b) =>
      reachedHamlets(b).reduce((n, id) => n + (households.get(id) ?? 0), 0),
    );
    const order = new Map(hamlets.map((h, i) => [h.id, i]));
    const natural = new Intl.Collator('vi', { numeric: true });
    const uptime = [...receivers]
      .sort((a, b) => (order.get(a.hamlet_id) ?? 1e9) - (order.get(b.hamlet_id) ?? 1e9) || natural.compare(a.id, b.id))
      .map((r) => ({
        receiver_id: r.id,
        hamlet_id: r.hamlet_id,
        hamlet: hamlets.find((h) => h.id === r.hamlet_id)?.name ?? r.hamlet_id,
        name: r.name,
        // Counted from its enrolment (never before it existed); one never enrolled has no figure.
        enrolled: enrolledBy(r),
        uptime_pct: enrolledBy(r)
          ? this.presence.history(r.id, new Date(period.from), new Date(until)).uptime_pct
          : null,
      }));
    const checked = this.storeIntegrity();
    const issuedRollups = issued.flatMap((b) => rollups.get(b.id)!);
    return {
      period,
      generated_at: now.toISOString(),
      totals: {
        broadcasts: aired.length,
        not_aired: issued.length - aired.length - underWay.size,
        under_way: underWay.size,
        drills: all.length - issued.length,
        minutes: totalMinutes,
        receivers_targeted: sum(issuedRollups, 'targeted'),
        receivers_finished: sum(issuedRollups, 'finished'),
        households_reached_per_broadcast: householdsPerBroadcast.length
          ? Math.round(householdsPerBroadcast.reduce((a, b) => a + b, 0) / householdsPerBroadcast.length)
          : 0,
        households_total: hamlets.reduce((n, h) => n + h.households, 0),
      },
      by_category: count((b) => b.category ?? 'uncategorised'),
      by_priority: count((b) => b.priority),
      by_source: count((b) => b.source),
      weeks,
      hamlets: hamletRows,
      receivers: uptime,
      urgent,
      integrity: checked
        ? {
            ok: checked.result.ok,
            acks_checked: checked.result.acks.rows,
            signed_head: checked.result.acks.covered_by_last_head || null,
            audit_rows: checked.result.audit.rows,
            problems: checked.result.problems.length,
            checked_at: new Date(checked.at).toISOString(),
          }
        : { ok: null, acks_checked: 0, signed_head: null, audit_rows: 0, problems: 0, checked_at: null },
    };
  }
}

/** Why a hamlet a broadcast was addressed to heard it or not. */
export type HamletOutcome = 'reached' | 'no_receiver' | 'offline' | 'failed' | 'waiting';
/** A week against the plan's targets: met, short of them (missing), under way, or still to come. */
export type WeekStatus = 'met' | 'missing' | 'in_progress' | 'future' | 'not_started';

interface BroadcastRow {
  /** created_at is when it was to play (play_at, else when it was issued). */
  id: string;
  priority: string;
  source: string;
  drill: number;
  category: string | null;
  target_json: string;
  created_at: string;
  expires_at: string;
  length_ms: number;
}

export type PeriodReport = ReturnType<ReportsService['report']>;
