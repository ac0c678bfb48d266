/**
 * The week's programme computed from the schedules (not only what is stored): each start with
 * its hamlets and the other schedules it overlaps in a hamlet, and each hamlet's quiet hours.
 */
import { DateTime } from 'luxon';
import type { QuietHours } from '../broadcasts/quiet-hours.js';
import type { Clock } from '../clock.js';
import type { HamletsReadModel } from '../hamlets/hamlets-read-model.js';
import { startsBetween } from './recurrence.js';
import { toLunar } from './lunar-calendar.js';
import type { SchedulesService } from './schedules-service.js';

export interface WeekCalendarSources {
  schedules: SchedulesService;
  hamlets: HamletsReadModel;
  quietHours: QuietHours;
  clock: Clock;
}

/** From a local date (default today in the commune), for `days` days. */
export function weekCalendar(
  { schedules, hamlets, quietHours, clock }: WeekCalendarSources,
  from_: string | undefined,
  days: number,
) {
  const zone = schedules.settings.timezone;
  const start = (from_ ? DateTime.fromISO(from_, { zone }) : DateTime.fromJSDate(clock.now(), { zone })).startOf('day');
  const from = start.toJSDate();
  const to = start.plus({ days: days }).toJSDate();
  const items: {
    schedule_id: string;
    name: string;
    priority: string;
    starts_at: string;
    ends_at: string;
    hamlets: string[];
    overlaps: string[];
  }[] = [];
  for (const s of schedules.list()) {
    if (!s.row.enabled) continue;
    let hamletIds: string[];
    let duration: number;
    try {
      hamletIds = schedules.hamletsOf(s.spec);
      duration = schedules.durationMs(s.spec);
    } catch {
      continue;
    }
    // Starts before the schedule existed never played: they are not shown as if they had.
    const since = new Date(Math.max(from.getTime(), Date.parse(s.row.created_at)));
    for (const p of startsBetween(s.spec, since, to)) {
      items.push({
        schedule_id: s.row.id,
        name: s.spec.name,
        priority: s.spec.priority,
        starts_at: p.starts_at.toISOString(),
        ends_at: new Date(p.starts_at.getTime() + Math.max(duration, 1000)).toISOString(),
        hamlets: hamletIds,
        overlaps: [],
      });
    }
  }
  items.sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  for (const a of items) {
    for (const b of items) {
      if (a !== b && a.starts_at < b.ends_at && b.starts_at < a.ends_at && a.hamlets.some((h) => b.hamlets.includes(h)))
        a.overlaps.push(b.schedule_id);
    }
  }
  const quiet = hamlets.list().map((h) => ({ hamlet_id: h.id, window: quietHours.windowOf(h.id) }));
  // Each day with its lunar date: lunar schedules (rằm, mùng một) are planned by it.
  const dayList = Array.from({ length: days }, (_, i) => {
    const d = start.plus({ days: i });
    const l = toLunar({ year: d.year, month: d.month, day: d.day });
    return { date: d.toISODate()!, lunar: { day: l.day, month: l.month, leap: l.leap } };
  });
  return { from: from.toISOString(), to: to.toISOString(), timezone: zone, days: dayList, items, quiet_hours: quiet };
}
