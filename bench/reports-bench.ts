/**
 * Report time on a generated database of realistic shape: N receivers in hamlets of 10, six
 * broadcasts a day for a year, every receiver acknowledging four stages (a few failing or silent).
 * Rows are written straight into SQLite (hashes and signatures are placeholders: reports read
 * outcomes, not proofs), then a month's and the year's report, one broadcast's coverage, and the
 * as-run log of a week are timed.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { buildController } from '../controller/app.js';
import { parseSettings } from '../controller/settings.js';
import { fmt, nowMs } from './stats.js';

export interface ReportsBenchResult {
  receivers: number;
  broadcasts: number;
  ack_rows: number;
  db_mb: number;
  generate_s: number;
  year_first_ms: number;
  month_ms: number;
  year_ms: number;
  coverage_ms: number;
  as_run_week_ms: number;
}

export async function runReportsBench(receivers: number, days = 365): Promise<ReportsBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tt-reports-bench-'));
  const hamletCount = Math.ceil(receivers / 10);
  const hamlets = Array.from({ length: hamletCount }, (_, i) => ({
    id: `thon-${i + 1}`,
    name: `Thôn ${i + 1}`,
    households: 250,
    population: 950,
  }));
  const controller = buildController(
    parseSettings({
      commune: { id: 'bench', name: 'Xã Đo Đạc' },
      hamlets,
      data_dir: join(dir, 'data'),
      log_level: 'silent',
      broadcasts: { quiet_hours: null },
      http: { host: '127.0.0.1', port: 0 },
      mqtt: { embedded_host: '127.0.0.1', embedded_port: 0 },
    }),
    { logger: pino({ level: 'silent' }) },
  );
  try {
    const db = controller.db;
    const t0 = nowMs();
    const year0 = Date.parse('2025-01-01T00:00:00Z');
    db.pragma('synchronous = OFF'); // generation only; the controller runs with FULL
    const rx = Array.from({ length: receivers }, (_, i) => ({
      id: `rx-${String(i).padStart(5, '0')}`,
      hamlet: hamlets[i % hamletCount].id,
    }));
    db.transaction(() => {
      db.prepare(
        "INSERT INTO media (id, title, status, progress_pct, sha256, size_bytes, duration_ms, source_format, created_by, created_at) VALUES ('m', 'm', 'ready', 100, 'x', 1, 300000, 'mp3', 'bench', '2025-01-01T00:00:00Z')",
      ).run();
      const insertH = db.prepare(
        "INSERT OR IGNORE INTO hamlets (id, name, households, population, created_at) VALUES (?, ?, ?, ?, '2025-01-01T00:00:00Z')",
      );
      for (const h of hamlets) insertH.run(h.id, h.name, h.households, h.population);
      const insertRx = db.prepare(
        "INSERT INTO receivers (id, hamlet_id, name, secret_hash, created_at) VALUES (?, ?, ?, 'x', '2025-01-01T00:00:00Z')",
      );
      for (const r of rx) insertRx.run(r.id, r.hamlet, r.id);
    })();
    const insertB =
      db.prepare(`INSERT INTO broadcasts (id, media_id, priority, volume_pct, target_json, source, created_by, created_at, expires_at, category)
      VALUES (?, 'm', ?, 80, '{"all":true}', ?, 'bench', ?, ?, ?)`);
    const insertT = db.prepare('INSERT INTO broadcast_targets (broadcast_id, receiver_id, hamlet_id) VALUES (?, ?, ?)');
    const insertA =
      db.prepare(`INSERT INTO acks (receiver_id, command_id, stage, seq, broadcast_id, at, received_at, reason, detail, sig, chain_seq, prev_hash, hash)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 'x', ?, 'x', 'x')`);
    const categories = ['commune_notice', 'health', 'agriculture', 'law', 'party_state_policy', 'other'];
    let chain = 0;
    const seq = new Map<string, number>();
    let broadcasts = 0;
    for (let d = 0; d < days; d++) {
      db.transaction(() => {
        for (let k = 0; k < 6; k++) {
          const at = year0 + d * 86_400_000 + (5 + k * 3) * 3_600_000;
          const id = `b-${d}-${k}`;
          const iso = new Date(at).toISOString();
          insertB.run(
            id,
            k === 5 && d % 30 === 0 ? 'emergency' : 'normal',
            k < 2 ? 'schedule' : 'bulletin',
            iso,
            new Date(at + 900_000).toISOString(),
            categories[k],
          );
          broadcasts++;
          for (let i = 0; i < rx.length; i++) {
            const r = rx[i];
            insertT.run(id, r.id, r.hamlet);
            if ((i + d) % 50 === 0) continue; // silent: offline that day
            const stages =
              (i + d + k) % 40 === 0
                ? [
                    ['received', null],
                    ['downloaded', null],
                    ['started', null],
                    ['failed', 'player_error'],
                  ]
                : [
                    ['received', null],
                    ['downloaded', null],
                    ['started', null],
                    ['finished', null],
                  ];
            stages.forEach(([stage, reason], j) => {
              const s = (seq.get(r.id) ?? 0) + 1;
              seq.set(r.id, s);
              const when = new Date(at + 1000 + j * (j === 3 ? 300_000 : 1000)).toISOString();
              insertA.run(r.id, `c-${id}-${r.hamlet}`, stage, s, id, when, when, reason, ++chain);
            });
          }
        }
      })();
    }
    const generate_s = (nowMs() - t0) / 1000;
    db.pragma('synchronous = FULL');
    db.exec('ANALYZE');
    const time = (fn: () => unknown) => {
      const t = nowMs();
      fn();
      return nowMs() - t;
    };
    const reports = controller.reports;
    // The integrity check reads every ack (hourly at most, see ReportsService): timed apart.
    reports.useIntegrity({
      ok: true,
      acks: { rows: chain, receivers: 0, signatures_checked: 0, vouched_by_next: 0, heads: 0, covered_by_last_head: 0 },
      audit: { rows: 0, heads: 0, covered_by_last_head: 0 },
      problems: [],
    });
    // The first year's report rolls every broadcast up (the background job does this as they settle).
    const year_first_ms = time(() => reports.report(reports.period('year', '2025-06-15')));
    const month_ms = time(() => reports.report(reports.period('month', '2025-06-15')));
    const year_ms = time(() => reports.report(reports.period('year', '2025-06-15')));
    const coverage_ms = time(() => controller.coverage.ofBroadcast(`b-${Math.floor(days / 2)}-3`));
    const as_run_week_ms = time(() => reports.asRun(reports.period('week', '2025-06-15')));
    const db_mb = Math.round(statSync(join(dir, 'data', 'controller.sqlite')).size / 1024 / 1024);
    return {
      receivers,
      broadcasts,
      ack_rows: chain,
      db_mb,
      generate_s,
      year_first_ms,
      month_ms,
      year_ms,
      coverage_ms,
      as_run_week_ms,
    };
  } finally {
    controller.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printReportsBench(r: ReportsBenchResult): void {
  console.log(
    `\nReports on a generated database: ${r.receivers} receivers, ${r.broadcasts} broadcasts (6 a day), ${(r.ack_rows / 1e6).toFixed(1)} million ack rows, ${r.db_mb} MB (generated in ${r.generate_s.toFixed(0)} s)`,
  );
  console.log(`  ${"a year's report, rolling every broadcast up".padEnd(44)} ${fmt(r.year_first_ms)}`);
  console.log(`  ${"a month's report".padEnd(44)} ${fmt(r.month_ms)}`);
  console.log(`  ${"a year's report (target <= 2 s)".padEnd(44)} ${fmt(r.year_ms)}`);
  console.log(`  ${"one broadcast's coverage (target <= 10 ms)".padEnd(44)} ${fmt(r.coverage_ms)}`);
  console.log(`  ${"a week's as-run log".padEnd(44)} ${fmt(r.as_run_week_ms)}`);
}
