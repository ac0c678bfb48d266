/**
 * Quiet hours: at night the loudspeakers stay silent except for an emergency (a mis-set relay
 * once woke a commune at 03:15). A pure function of the instant, the commune's time zone and the
 * window, which may wrap past midnight.
 */
export interface QuietWindow {
  start: string; // "21:30", local wall time
  end: string; // "05:30"
}

const minutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** Local wall-clock minutes since midnight of an instant in a time zone. */
export function localMinutes(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(instant);
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
