/**
 * The period report, computed from the stored proof: broadcasts and minutes by category, whether
 * each week had the categories the plan asks for, coverage by hamlet with households and the share
 * actually played, receiver uptime, urgent announcements and their reach, and the state of the
 * tamper-evident store.
 */
import { DateTime } from 'luxon';
import type { Db } from '../db/database.js';
import type { HamletsReadModel } from '../hamlets/hamlets-read-model.js';
import type { ReceiverPresence } from '../receivers/receiver-presence.js';
import type { ReceiversReadModel } from '../receivers/receivers-read-model.js';
import type { Period } from './report-period.js';
import type { Rollup, Rollups } from './rollups.js';
import { acksStored, integrityOf, type CheckedStore } from './store-integrity.js';
import { silencedEverywhere, stopAllsBetween, stoppedFor } from '../coverage/stop-alls.js';
import { receiverUptimes } from './receiver-uptime.js';
import { apportion } from './apportion.js';

/** What a period report is read from. */
export interface PeriodReportSources {
  db: Db;
  rollups: Rollups;
  hamlets: HamletsReadModel;
  receivers: ReceiversReadModel;
  presence: ReceiverPresence;
  settings: { timezone: string; weekly_targets: Record<string, number> };
}

/**
 * Why a hamlet a broadcast was addressed to heard it or not. 'sent': its receivers only sent it on
 * (a bridge's RTP group, stream mount or FM transmitter) and none confirmed sound: not reached.
 * 'stopped': a person stopped it there, or an emergency cut it off (acks failed 'stopped' or
 * 'preempted'): not heard, but no fault of the receivers, so never counted as 'failed'.
 */
export type HamletOutcome = 'reached' | (typeof NOT_REACHED_REASONS)[number];
/** Why hamlets did not hear, in the order the report and its documents list them. */
export const NOT_REACHED_REASONS = ['sent', 'no_receiver', 'offline', 'stopped', 'failed', 'waiting'] as const;
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
  /** When a person stopped (or cancelled) it; null: never stopped. */
  stopped_at: string | null;
  length_ms: number;
}

/**
 * The period report, read from rollups, not acks. Only what played counts: a broadcast is
 * counted (totals, minutes, categories) when at least one receiver played it to the end, or sent
 * it to the end (a transmitter keyed and fed is on air); but hamlets and households are reached
 * only where a loudspeaker confirmed it, never where it was only sent (said apart as 'sent'), and
 * its minutes are minutes heard only where a loudspeaker confirmed it somewhere (else minutes
 * only sent). One issued that nobody played through is counted apart: stopped by a person
 * (stopped), still within its window (under_way), or not aired; one still to come (a schedule's
 * next occurrence) is not in the report at all. Drills are counted apart and never as coverage.
 * Every hamlet the commune lists appears, reached or not, with why not.
 *
 * `now` is the controller's time; `checked`, the last check of the store (null: never checked yet).
 */
export function periodReport(sources: PeriodReportSources, period: Period, now: Date, checked: CheckedStore | null) {
  const until = new Date(Math.min(Date.parse(period.to), now.getTime())).toISOString();
  // A broadcast belongs to the period of when it was to play, and only once that time has come.
  const all = sources.db
    .prepare<[string, string], BroadcastRow>(
      `SELECT b.id, b.priority, b.source, b.drill, b.category, b.target_json, COALESCE(b.play_at, b.created_at) AS created_at, b.expires_at, b.stopped_at,
            COALESCE(m.duration_ms, 0) * b.repeat_count AS length_ms
     FROM broadcasts b LEFT JOIN media m ON m.id = b.media_id
     WHERE COALESCE(b.play_at, b.created_at) >= ? AND COALESCE(b.play_at, b.created_at) < ? ORDER BY COALESCE(b.play_at, b.created_at)`,
    )
    .all(period.from, until);
  const issued = all.filter((b) => b.drill === 0);
  const rollups = new Map(issued.map((b) => [b.id, sources.rollups.of(b, now)]));
  const aired = issued.filter((b) => rollups.get(b.id)!.some((r) => r.finished > 0 || r.sent > 0));
  const hamlets = sources.hamlets.list();
  const households = new Map(hamlets.map((h) => [h.id, h.households]));
  const population = new Map(hamlets.map((h) => [h.id, h.population]));
  const receivers = sources.receivers.list();
  const hamletOfReceiver = new Map(receivers.map((r) => [r.id, r.hamlet_id]));
  /** The hamlets a broadcast was addressed to (the whole commune: every hamlet). */
  const addressedOf = (b: BroadcastRow) => {
    const target = JSON.parse(b.target_json) as { all?: boolean; hamlet_ids?: string[]; receiver_ids?: string[] };
    return target.all
      ? hamlets.map((h) => h.id)
      : (target.hamlet_ids ?? [
          ...new Set(
            (target.receiver_ids ?? []).map((id) => hamletOfReceiver.get(id)).filter((h): h is string => Boolean(h)),
          ),
        ]);
  };
  // Stopped by a person before anyone played it through: its receivers say they were cut off, or a
  // person stopped it (its own stop, or a stop of every hamlet it was for while it could play)
  // before any receiver started it. A stop that came after receivers had failed on their own does
  // not turn their faults into stops. It will not play, so it is neither under way nor "not aired".
  const stopAlls = stopAllsBetween(sources.db, period.from, until);
  const cutOff = (b: BroadcastRow) => rollups.get(b.id)!.some((r) => r.cut_off > 0);
  // A stop sent is not a stop taken: while its window is open, a receiver that has not answered may
  // still start it (a slow one, or one back with the item queued), so it is stopped only once every
  // receiver has ended it or nobody can start it any more; until then it is under way (outsiders F, G).
  const nowIso = now.toISOString();
  const settledIn = (b: BroadcastRow, r: Rollup) => r.ended === r.targeted || b.expires_at <= nowIso;
  const stoppedBeforeStart = (b: BroadcastRow) =>
    Boolean(b.stopped_at || silencedEverywhere(stopAlls, addressedOf(b), b.created_at, b.expires_at)) &&
    rollups.get(b.id)!.every((r) => r.reached === 0 && r.ended === r.cut_off);
  const settled = (b: BroadcastRow) => rollups.get(b.id)!.every((r) => settledIn(b, r));
  const stopped = new Set(
    issued.filter((b) => !aired.includes(b) && (cutOff(b) || stoppedBeforeStart(b)) && settled(b)).map((b) => b.id),
  );
  // Not played through by anyone yet, within its window, and some receiver has not ended it: it may
  // yet play (a receiver reconnecting). One every receiver has ended (failed, refused) will not.
  const underWay = new Set(
    issued
      .filter(
        (b) =>
          !aired.includes(b) &&
          !stopped.has(b.id) &&
          b.expires_at > now.toISOString() &&
          rollups.get(b.id)!.some((r) => r.ended < r.targeted),
      )
      .map((b) => b.id),
  );
  const sum = (rows: Rollup[], key: 'targeted' | 'reached' | 'finished' | 'sent' | 'played') =>
    rows.reduce((n, r) => n + r[key], 0);
  const minutes = (b: BroadcastRow) => b.length_ms / 60_000;

  /** The hamlets a broadcast was addressed to, each reached or with why not. */
  const hamletOutcomes = (b: BroadcastRow) => {
    const rows = new Map(rollups.get(b.id)!.map((r) => [r.hamlet_id, r]));
    return addressedOf(b).map((hamlet_id) => {
      const r = rows.get(hamlet_id);
      // Heard means played to the end by at least one of its receivers (as the urgent desk says);
      // a play cut short is in share_played. Cut short by a person's stop or an emergency, the
      // hamlet counts as stopped; any other way, as failed.
      const outcome: HamletOutcome =
        !r || r.targeted === 0
          ? 'no_receiver'
          : r.finished > 0
            ? 'reached'
            : r.sent > 0
              ? 'sent'
              : r.cut_off > 0 ||
                  ((stopped.has(b.id) || stoppedFor(stopAlls, b, hamlet_id)) &&
                    r.ended === r.cut_off &&
                    settledIn(b, r))
                ? 'stopped'
                : (underWay.has(b.id) || Boolean(b.stopped_at || stoppedFor(stopAlls, b, hamlet_id))) &&
                    r.ended < r.targeted &&
                    b.expires_at > nowIso
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

  // Minutes heard: a loudspeaker played it to the end somewhere. Minutes only sent: it went out
  // (a bridge's RTP group, stream, FM transmitter) and nobody confirmed sound: never "heard".
  const heard = new Set(aired.filter((b) => rollups.get(b.id)!.some((r) => r.finished > 0)).map((b) => b.id));
  const tenthsOf = (rows: BroadcastRow[]) => Math.round(rows.reduce((n, b) => n + minutes(b), 0) * 10);
  const heardTenths = tenthsOf(aired.filter((b) => heard.has(b.id)));
  const sentOnlyTenths = tenthsOf(aired.filter((b) => !heard.has(b.id)));
  /**
   * Broadcasts and minutes by a key: minutes on air (`minutes`), of which heard and only sent; each
   * rounded to tenths and adding up to its total.
   */
  const count = (key: (b: BroadcastRow) => string) => {
    const raw = new Map<string, { broadcasts: number; heard: number; sent: number }>();
    for (const b of aired) {
      const k = key(b);
      const x = raw.get(k) ?? { broadcasts: 0, heard: 0, sent: 0 };
      x.broadcasts++;
      if (heard.has(b.id)) x.heard += minutes(b);
      else x.sent += minutes(b);
      raw.set(k, x);
    }
    const entries = [...raw.entries()];
    const h = apportion(
      entries.map(([k, v]) => [k, v.heard]),
      heardTenths,
    );
    const s = apportion(
      entries.map(([k, v]) => [k, v.sent]),
      sentOnlyTenths,
    );
    return Object.fromEntries(
      entries.map(([k, v]) => [
        k,
        {
          broadcasts: v.broadcasts,
          minutes: (h.get(k)! + s.get(k)!) / 10,
          minutes_heard: h.get(k)! / 10,
          minutes_sent_only: s.get(k)! / 10,
        },
      ]),
    );
  };

  // Week by week (local weeks touching the period): which required categories had a bulletin
  // on air. A week still to come is not judged; the week under way is judged only when it ends.
  const zone = sources.settings.timezone;
  const required = Object.entries(sources.settings.weekly_targets).filter(([, n]) => n > 0);
  // Weeks before the network existed (no receiver enrolled yet) are not judged either.
  const enrolledAt = new Map(
    receivers.filter((r) => r.secret_hash).map((r) => [r.id, sources.presence.firstEnrolledAt(r.id)]),
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
      {
        addressed: 0,
        reached: 0,
        sent: 0,
        no_receiver: 0,
        offline: 0,
        stopped: 0,
        failed: 0,
        waiting: 0,
        targeted: 0,
        played: 0,
      },
    ]),
  );
  for (const b of issued) {
    for (const o of outcomes.get(b.id)!) {
      const h = perHamlet.get(o.hamlet_id);
      if (!h) continue;
      h.addressed++;
      h[o.outcome]++;
    }
    // One still under way is "not counted yet" (totals.under_way): no share played while it plays.
    if (underWay.has(b.id)) continue;
    for (const r of rollups.get(b.id)!) {
      const h = perHamlet.get(r.hamlet_id);
      if (!h) continue;
      h.targeted += r.targeted;
      h.played += r.played;
    }
  }
  // Enrolled by the end of the period: a June report does not count receivers enrolled in December.
  const enrolledBy = (r: (typeof receivers)[number]) => Boolean(r.secret_hash && (enrolledAt.get(r.id) ?? '9') < until);
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
      // 'sent' first among the reasons: it went out there, but nobody confirmed it was heard.
      // 'stopped' (by a person, or cut off by an emergency) before 'failed': neither is a fault.
      not_reached: {
        sent: x.sent,
        no_receiver: x.no_receiver,
        offline: x.offline,
        stopped: x.stopped,
        failed: x.failed,
        waiting: x.waiting,
      },
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
        receivers_sent: sum(rows, 'sent'),
      };
    });

  const householdsPerBroadcast = aired.map((b) =>
    reachedHamlets(b).reduce((n, id) => n + (households.get(id) ?? 0), 0),
  );
  const uptime = receiverUptimes(receivers, hamlets, sources.presence, enrolledBy, {
    from: new Date(period.from),
    until: new Date(until),
  });
  // The receivers' figures leave out what is still under way ("not counted yet") and what a person
  // or an emergency stopped ("counted neither as aired nor as a receiver's fault"), as the report says.
  const issuedRollups = issued
    .filter((b) => !underWay.has(b.id) && !stopped.has(b.id))
    .flatMap((b) => rollups.get(b.id)!);
  return {
    period,
    generated_at: now.toISOString(),
    totals: {
      broadcasts: aired.length,
      not_aired: issued.length - aired.length - underWay.size - stopped.size,
      under_way: underWay.size,
      stopped: stopped.size,
      drills: all.length - issued.length,
      // On air: heard and only sent together (as by_category's minutes add up to it).
      minutes: (heardTenths + sentOnlyTenths) / 10,
      minutes_heard: heardTenths / 10,
      minutes_sent_only: sentOnlyTenths / 10,
      receivers_targeted: sum(issuedRollups, 'targeted'),
      receivers_finished: sum(issuedRollups, 'finished'),
      receivers_sent: sum(issuedRollups, 'sent'),
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
    integrity: integrityOf(checked, acksStored(sources.db)),
  };
}

export type PeriodReport = ReturnType<typeof periodReport>;
