/**
 * Quiet hours: at night the loudspeakers stay silent except for an emergency (a mis-set relay
 * once woke a commune at 03:15). A pure function of the instant, the commune's time zone and the
 * window, which may wrap past midnight.
 */
import { naturalCompare } from '../shared/natural-order.js';

export interface QuietWindow {
  start: string; // "21:30", local wall time
  end: string; // "05:30"
}

const minutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** Local wall-clock minutes since midnight of an instant in a time zone. */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function localMinutes(instant: Date, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format)
    formatters.set(
      timeZone,
      (format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })),
    );
  const parts = format.formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

export function inQuietHours(instant: Date, timeZone: string, window: QuietWindow | null): boolean {
  if (!window) return false;
  const now = localMinutes(instant, timeZone);
  const start = minutes(window.start);
  const end = minutes(window.end);
  if (start === end) return false;
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/** True when [start, end) touches the window anywhere (checked minute by minute: windows are minutes). */
export function overlapsQuietHours(start: Date, end: Date, timeZone: string, window: QuietWindow | null): boolean {
  if (!window) return false;
  for (let t = start.getTime(); t < Math.max(end.getTime(), start.getTime() + 1); t += 60_000) {
    if (inQuietHours(new Date(t), timeZone, window)) return true;
  }
  return inQuietHours(new Date(Math.max(start.getTime(), end.getTime() - 1)), timeZone, window);
}

/** A volume ceiling for part of the day ("05:30"-"06:30" at most 70 %), wrapping past midnight allowed. */
export interface VolumeCap {
  from: string;
  to: string;
  max_pct: number;
}

/** The lowest cap in force at an instant, or null. Emergencies are never capped by these. */
export function volumeCapAt(instant: Date, timeZone: string, caps: VolumeCap[]): number | null {
  const applicable = caps.filter((c) => inQuietHours(instant, timeZone, { start: c.from, end: c.to }));
  return applicable.length ? Math.min(...applicable.map((c) => c.max_pct)) : null;
}

/** Quiet hours per hamlet: a hamlet's own window, else the commune's. */
export class QuietHours {
  constructor(
    private readonly hamletWindow: (
      hamletId: string,
    ) => { quiet_start: string | null; quiet_end: string | null; name?: string } | undefined,
    private readonly commune: QuietWindow | null,
    readonly timeZone: string,
    private readonly caps: VolumeCap[] = [],
  ) {}

  windowOf(hamletId: string): QuietWindow | null {
    const h = this.hamletWindow(hamletId);
    return h?.quiet_start && h.quiet_end ? { start: h.quiet_start, end: h.quiet_end } : this.commune;
  }

  /** Hamlets by name, as a person reads them in a refusal ("Thôn Đông, Thôn Đoài", not "thon-1, thon-2"). */
  namesOf(hamletIds: string[]): string {
    return hamletIds
      .map((id) => this.hamletWindow(id)?.name ?? id)
      .sort(naturalCompare)
      .join(', ');
  }

  /**
   * The words of a refusal for quiet hours at `at`: the window that ends last (so that "send it
   * again after {end}" holds for every hamlet named; an outsider was told 05:30 for a hamlet quiet
   * until 13:30), and the hamlets, each with its window when their windows differ.
   */
  refusalWords(
    quiet: { hamlet_id: string; window: QuietWindow }[],
    at: Date,
  ): Record<'start' | 'end' | 'hamlets', string> {
    const now = localMinutes(at, this.timeZone);
    const untilEnd = (w: QuietWindow) => (minutes(w.end) - now + 1440) % 1440 || 1440;
    const last = quiet.reduce((a, b) => (untilEnd(b.window) > untilEnd(a.window) ? b : a));
    const span = (w: QuietWindow) => `${w.start}–${w.end}`;
    const hamlets =
      new Set(quiet.map((q) => span(q.window))).size === 1
        ? this.namesOf(quiet.map((q) => q.hamlet_id))
        : quiet
            .map((q) => ({ name: this.hamletWindow(q.hamlet_id)?.name ?? q.hamlet_id, window: q.window }))
            .sort((a, b) => naturalCompare(a.name, b.name))
            .map((q) => `${q.name} (${span(q.window)})`)
            .join(', ');
    return { start: last.window.start, end: last.window.end, hamlets };
  }

  /** The hamlets (of these) where [start, end) falls in quiet hours. */
  quietHamlets(hamletIds: string[], start: Date, end: Date = start): { hamlet_id: string; window: QuietWindow }[] {
    return hamletIds.flatMap((id) => {
      const window = this.windowOf(id);
      return window && overlapsQuietHours(start, end, this.timeZone, window) ? [{ hamlet_id: id, window }] : [];
    });
  }

  /** The first minute in [from, until) that is in the quiet hours of any of these hamlets, or null. */
  firstQuietInstant(hamletIds: string[], from: Date, until: Date): Date | null {
    // Hamlets mostly share the commune's window: each distinct window is looked at once.
    const distinct = new Map<string, QuietWindow>();
    for (const id of new Set(hamletIds)) {
      const w = this.windowOf(id);
      if (w) distinct.set(`${w.start}-${w.end}`, w);
    }
    const windows = [...distinct.values()];
    if (windows.length === 0) return null;
    const first = Math.ceil(from.getTime() / 60_000) * 60_000;
    for (let t = first; t < until.getTime(); t += 60_000) {
      if (windows.some((w) => inQuietHours(new Date(t), this.timeZone, w))) return new Date(t);
    }
    return null;
  }

  /** A normal or priority item's volume, lowered to the cap of its time of day. */
  capVolume(volumePct: number, at: Date): number {
    const cap = volumeCapAt(at, this.timeZone, this.caps);
    return cap === null ? volumePct : Math.min(volumePct, cap);
  }
}
