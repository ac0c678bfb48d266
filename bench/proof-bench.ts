/**
 * The proof's costs, measured side by side in one run:
 * - ack ingest with proof heads signed at every receipt round (the product) and the same
 *   controller without them: the ratio is what signing heads costs (target: no more than 5%);
 * - verifying a year of a 1,000-receiver commune's proof with the standalone verifier (target:
 *   under a minute). The year (proof-year.ts) is made once and kept under .tmp/ (making it signs
 *   millions of acks); later runs verify the kept file.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { verifyProof } from '../controller/proof/verify-proof.js';
import { exportBundle } from '../controller/proof/proof-bundle.js';
import type { BenchBroker } from './bench-fleet.js';
import { runAckIngestBench, type AckIngestResult } from './ack-ingest-bench.js';
import { makeYear } from './proof-year.js';
import { nowMs } from './stats.js';

export interface ProofBenchResult {
  ingest: { with_heads: AckIngestResult; without_heads: AckIngestResult }[];
  year: {
    receivers: number;
    days: number;
    broadcasts_per_day: number;
    acks: number;
    audit: number;
    heads: number;
    made_s: number | null;
    export_s: number | null;
    verify_s: number;
    ok: boolean;
    problems: number;
    signatures_checked: number;
    file_mb: number;
  };
}

export async function runProofBench(
  receivers: number,
  broker: BenchBroker,
  year: { receivers: number; days: number; perDay: number },
): Promise<ProofBenchResult> {
  // Ingest, with and without heads, three pairs in alternating order so that warm-up and drift on a
  // shared machine fall on both.
  const ingest: ProofBenchResult['ingest'] = [];
  for (let i = 0; i < 3; i++) {
    const first = await runAckIngestBench(receivers, broker, i % 2 === 1);
    const second = await runAckIngestBench(receivers, broker, i % 2 === 0);
    ingest.push(
      i % 2 === 1 ? { with_heads: first, without_heads: second } : { with_heads: second, without_heads: first },
    );
  }

  const dir = join(process.cwd(), '.tmp', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `proof-year-${year.receivers}rx-${year.days}d-${year.perDay}pd.sqlite`);
  let made_s: number | null = null;
  if (!existsSync(file)) made_s = makeYear(file, year.receivers, year.days, year.perDay).made_s;
  // What the province gets: the commune's export of it.
  const bundle = file.replace(/\.sqlite$/, '.bundle.sqlite');
  let export_s: number | null = null;
  if (!existsSync(bundle)) {
    const source = new Database(file);
    const t = nowMs();
    exportBundle(source as never, bundle, {
      commune_id: 'bench',
      commune_name: 'Xã Đo Đạc',
      timezone: 'Asia/Ho_Chi_Minh',
      exported_at: new Date().toISOString(),
    });
    export_s = (nowMs() - t) / 1000;
    source.close();
  }
  const db = new Database(bundle, { readonly: true });
  const trustedKeys = (db.prepare('SELECT public_key FROM signing_keys').all() as { public_key: string }[]).map(
    (k) => k.public_key,
  );
  const start = nowMs();
  const report = verifyProof(db, { trustedKeys });
  const verify_s = (nowMs() - start) / 1000;
  db.close();
  const { statSync } = await import('node:fs');
  return {
    ingest,
    year: {
      receivers: year.receivers,
      days: year.days,
      broadcasts_per_day: year.perDay,
      acks: report.acks.rows,
      audit: report.audit.rows,
      heads: report.acks.heads + report.audit.heads,
      made_s,
      export_s,
      verify_s,
      ok: report.ok,
      problems: report.problems.length,
      signatures_checked: report.acks.signatures_checked,
      file_mb: Math.round(statSync(bundle).size / 1e6),
    },
  };
}

export function printProofBench(r: ProofBenchResult): void {
  const rate = (x: AckIngestResult) => x.acks / (x.product_ms / 1000);
  console.log(
    `\nProof heads: ack ingest of ${r.ingest[0].with_heads.acks.toLocaleString('en')} signed acks, ${r.ingest[0].with_heads.broker}, with heads signed at every receipt round and without (pairs in alternating order)`,
  );
  for (const [i, pair] of r.ingest.entries()) {
    console.log(
      `  run ${i + 1}: without heads ${Math.round(rate(pair.without_heads)).toLocaleString('en')} acks/s, with heads ${Math.round(rate(pair.with_heads)).toLocaleString('en')} acks/s`,
    );
  }
  const sum = (k: 'with_heads' | 'without_heads') => r.ingest.reduce((s, p) => s + rate(p[k]), 0) / r.ingest.length;
  const cost = 1 - sum('with_heads') / sum('without_heads');
  console.log(
    `  cost of heads (mean of runs): ${(cost * 100).toFixed(1)}% of the ingest rate  ratio ${(sum('with_heads') / sum('without_heads')).toFixed(3)}x (target: no more than 5% off)`,
  );
  const y = r.year;
  console.log(
    `\nVerifying a year: ${y.receivers.toLocaleString('en')} receivers, ${y.broadcasts_per_day} broadcasts a day for ${y.days} days, 4 acks each`,
  );
  console.log(
    `  ${y.acks.toLocaleString('en')} acks, ${y.audit.toLocaleString('en')} audit entries, ${y.heads.toLocaleString('en')} signed heads; bundle ${y.file_mb} MB${y.made_s !== null ? `; the commune's database made in ${y.made_s.toFixed(0)} s` : ''}${y.export_s !== null ? `; exported in ${y.export_s.toFixed(0)} s` : ' (kept from an earlier run)'}`,
  );
  console.log(
    `  verified in ${y.verify_s.toFixed(1)} s (${Math.round(y.acks / y.verify_s).toLocaleString('en')} acks/s; ${y.signatures_checked.toLocaleString('en')} receiver signatures checked, the rest vouched for by the ack after) — ${y.ok ? 'intact' : `${y.problems} PROBLEMS`}  (target: under 60 s)`,
  );
}
