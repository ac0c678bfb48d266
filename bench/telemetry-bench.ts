/**
 * Telemetry ingest: N simulated receivers each sending telemetry every 30 s (the fleet in its
 * own process), for a measured window: the controller's CPU share and memory, messages handled,
 * and how the database grows, turned into a per-receiver-per-day figure under the retention
 * policy (one sample kept per receiver per health.telemetry_sample_s, pruned after
 * health.telemetry_retention_days).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { startBenchFleet } from './bench-fleet.js';

export interface TelemetryBenchResult {
  receivers: number;
  interval_s: number;
  window_s: number;
  connected: number;
  messages: number;
  cpu_pct: number;
  rss_mb: number;
  rows_written: number;
  bytes_per_row: number;
  sample_s: number;
  retention_days: number;
}

export async function runTelemetryBench(
  receivers: number,
  intervalS = 30,
  windowS = 90,
): Promise<TelemetryBenchResult> {
  const bench = await startBenchFleet(receivers);
  try {
    const c = bench.controller;
    await bench.ask('agents', { telemetryS: intervalS });
    const connected = (await bench.ask('connected')).count as number;
    const rows = () => (c.db.prepare('SELECT count(*) AS n FROM telemetry_samples').get() as { n: number }).n;
    const dbFile = join(bench.dir, 'data', 'controller.sqlite');
    const size = () =>
      statSync(dbFile).size +
      (() => {
        try {
          return statSync(`${dbFile}-wal`).size;
        } catch {
          return 0;
        }
      })();
    // Storage: from before the first samples until every receiver has sent once (each first sample is kept).
    const rows0 = rows();
    const size0 = size();
    await new Promise((r) => setTimeout(r, intervalS * 1000 + 2000));
    const written = rows() - rows0;
    const grown = size() - size0;
    // Load: a window of steady state.
    let messages = 0;
    c.presence.events.on('telemetry', () => {
      messages++;
    });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, windowS * 1000));
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - t0;
    return {
      receivers,
      interval_s: intervalS,
      window_s: windowS,
      connected,
      messages,
      cpu_pct: Math.round(((cpu.user + cpu.system) / 1000 / wall) * 1000) / 10,
      rss_mb: Math.round(process.memoryUsage.rss() / 1024 / 1024),
      rows_written: written,
      bytes_per_row: written > 0 ? Math.round(grown / written) : NaN,
      sample_s: c.settings.health.telemetry_sample_s,
      retention_days: c.settings.health.telemetry_retention_days,
    };
  } finally {
    await bench.close();
  }
}

export function printTelemetryBench(r: TelemetryBenchResult): void {
  const perDay = Math.round(86_400 / r.sample_s);
  const bytesPerDay = perDay * r.bytes_per_row;
  console.log(
    `\nTelemetry from ${r.receivers} simulated receivers every ${r.interval_s} s (${r.connected} connected), ${r.window_s} s measured`,
  );
  console.log(`  ${'messages handled'.padEnd(44)} ${r.messages} (${(r.messages / r.window_s).toFixed(0)}/s)`);
  console.log(`  ${'controller CPU (share of one core)'.padEnd(44)} ${r.cpu_pct} %`);
  console.log(`  ${'controller RSS'.padEnd(44)} ${r.rss_mb} MB`);
  console.log(
    `  ${'samples kept from the first round'.padEnd(44)} ${r.rows_written} (then one per receiver per ${r.sample_s} s), about ${r.bytes_per_row} bytes each with indexes`,
  );
  console.log(
    `  ${'database growth per receiver per day'.padEnd(44)} ${perDay} rows, about ${(bytesPerDay / 1024).toFixed(0)} KiB; bounded at ${r.retention_days} days: ${((bytesPerDay * r.retention_days) / 1024 / 1024).toFixed(1)} MiB per receiver`,
  );
}
