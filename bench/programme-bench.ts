/**
 * Programme benchmarks:
 *  - synchronised start: N simulated receivers hold one scheduled occurrence and start it at its
 *    instant; how late each starts (p50, p99, max), beside the floor of N bare timers armed to one
 *    instant in the same fleet process;
 *  - the cost of computing 48 hours of occurrences for 100 schedules of every kind.
 */
import { DateTime } from 'luxon';
import { startsBetween } from '../controller/programme/recurrence.js';
import type { Recurrence } from '../controller/programme/schedule-spec.js';
import { startBenchFleet } from './bench-fleet.js';
import { fmt, nowMs, row, summary } from './stats.js';

const VN = 'Asia/Ho_Chi_Minh';

export interface ProgrammeBenchResult {
  receivers: number;
  ready: number;
  floor: ReturnType<typeof summary>;
  start: ReturnType<typeof summary>;
  spread_ms: number;
  compute: {
    schedules: number;
    passes: number;
    ms_per_pass: number;
    occurrences: number;
    by_kind: Record<string, number>;
  };
}

export async function runProgrammeBench(receivers: number): Promise<ProgrammeBenchResult> {
  const compute = computeCost();
  const bench = await startBenchFleet(receivers);
  try {
    await bench.ask('agents');
    // The floor first: bare timers to one instant, 3 s ahead.
    const floorAt = Date.now() + 3_000;
    const floor = summary((await bench.ask('timer-floor', { at: floorAt })).late);

    // One occurrence, far enough ahead for every receiver to get the command and the audio.
    const lead = 15_000 + receivers * 5;
    const local = DateTime.now().setZone(VN).plus({ milliseconds: lead }).startOf('second');
    const headers = { authorization: `Bearer ${bench.token}`, 'content-type': 'application/json' };
    const res = await fetch(`${bench.controller.httpUrl}/api/schedules`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'Đo độ lệch',
        media_id: bench.media.id,
        target: { all: true },
        recurrence: { kind: 'once', date: local.toISODate() },
        start_time: local.toFormat('HH:mm:ss'),
      }),
    });
    // A whole-commune schedule is saved switched off and confirmed, as staff do.
    if (res.status !== 202) throw new Error(`schedule refused: ${res.status} ${await res.text()}`);
    const { confirmation } = (await res.json()) as { confirmation: { confirm_url: string } };
    const confirmed = await fetch(`${bench.controller.httpUrl}${confirmation.confirm_url}`, {
      method: 'POST',
      headers: { authorization: headers.authorization },
    });
    if (confirmed.status !== 201)
      throw new Error(`schedule not confirmed: ${confirmed.status} ${await confirmed.text()}`);
    const playAt = local.toMillis();
    await new Promise((r) => setTimeout(r, Math.max(0, playAt - Date.now() - 1_000)));
    const ready = (await bench.ask('held')).count;
    await new Promise((r) => setTimeout(r, Math.max(0, playAt - Date.now()) + 5_000));
    const occurrence = bench.controller.db.prepare('SELECT broadcast_id FROM occurrences LIMIT 1').get() as {
      broadcast_id: string;
    };
    const starts: number[] = (await bench.ask('arrivals', { key: `start:${occurrence.broadcast_id}` })).arrivals;
    const late = starts.map((t) => t - playAt);
    return {
      receivers,
      ready,
      floor,
      start: summary(late),
      spread_ms: Math.max(...starts) - Math.min(...starts),
      compute,
    };
  } finally {
    await bench.close();
  }
}

/** 100 schedules, of every kind, expanded over 48 hours, timed over many passes. */
function computeCost(): ProgrammeBenchResult['compute'] {
  const kinds: Recurrence[] = [
    { kind: 'daily' },
    { kind: 'weekly', weekdays: [1, 3, 5] },
    { kind: 'monthly', days: [1, 15, -1] },
    { kind: 'lunar_monthly', days: [1, 15] },
    { kind: 'lunar_yearly', month: 3, day: 10 },
    { kind: 'holiday', holiday: 'tet-nguyen-dan', days_before: 0 },
    { kind: 'once', date: '2026-12-01' },
  ];
  const schedules = Array.from({ length: 100 }, (_, i) => ({
    recurrence: kinds[i % kinds.length],
    start_time: `${String(5 + (i % 14)).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}`,
    timezone: VN,
  }));
  const from = new Date('2026-11-30T17:00:00Z');
  const to = new Date(from.getTime() + 48 * 3_600_000);
  const passes = 50;
  let occurrences = 0;
  const t0 = nowMs();
  for (let p = 0; p < passes; p++) for (const s of schedules) occurrences += startsBetween(s, from, to).length;
  const msPerPass = (nowMs() - t0) / passes;
  const byKind: Record<string, number> = {};
  for (const r of kinds) {
    const t = nowMs();
    for (let p = 0; p < 200; p++) startsBetween({ recurrence: r, start_time: '06:00', timezone: VN }, from, to);
    byKind[r.kind] = (nowMs() - t) / 200;
  }
  return {
    schedules: schedules.length,
    passes,
    ms_per_pass: msPerPass,
    occurrences: occurrences / passes,
    by_kind: byKind,
  };
}

export function printProgrammeBench(r: ProgrammeBenchResult): void {
  console.log(
    `\nScheduled start across ${r.receivers} simulated receivers, one occurrence (lateness after the instant; ratio = product / floor)`,
  );
  console.log(
    `  floor: ${r.receivers} bare timers armed to one instant in the fleet process; product: ${r.ready} receivers held the item 1 s before`,
  );
  console.log(row('lateness of the start: p50', r.floor.p50, r.start.p50));
  console.log(row('lateness of the start: p99', r.floor.p99, r.start.p99));
  console.log(row('lateness of the start: max', r.floor.max, r.start.max));
  console.log(
    `  ${'receivers that started'.padEnd(44)} ${r.start.n} of ${r.receivers}; first to last start ${fmt(r.spread_ms)}`,
  );
  console.log(
    `\nComputing 48 hours of occurrences for ${r.compute.schedules} schedules (${r.compute.occurrences} occurrences): ${fmt(r.compute.ms_per_pass)} per pass`,
  );
  console.log(
    `  per schedule, by kind: ${Object.entries(r.compute.by_kind)
      .map(([k, ms]) => `${k} ${ms.toFixed(2)} ms`)
      .join(', ')}`,
  );
}
