/**
 * The proof's costs, measured side by side in one run:
 * - ack ingest with proof heads signed at every receipt round (the product) and the same
 *   controller without them: the ratio is what signing heads costs (target: no more than 5%);
 * - verifying a year of a 1,000-receiver commune's proof with the standalone verifier (target:
 *   under a minute). The year is made here as the real thing would be: every receiver has its own
 *   key and signs every ack, chained to its previous one (`prev`); the controller chains and
 *   heads the log; the audit log holds every enrolment. It is made once and kept under .tmp/
 *   (making it signs millions of acks); later runs verify the kept file.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { openDatabase } from '../controller/db/database.js';
import { ackHash, GENESIS } from '../controller/coverage/ack-chain.js';
import { AuditRepository } from '../controller/audit/audit-repository.js';
import { CommandSigner } from '../controller/protocol/signing.js';
import { ProofHeads } from '../controller/proof/proof-heads.js';
import { KeyHistory } from '../controller/proof/key-history.js';
import { storedAckCanonical, type StoredAckRow } from '../controller/proof/stored-ack.js';
import { verifyProof } from '../controller/proof/verify-proof.js';
import { exportBundle } from '../controller/proof/proof-bundle.js';
import type { BenchBroker } from './bench-fleet.js';
import { runAckIngestBench, type AckIngestResult } from './ack-ingest-bench.js';
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

const STAGES = ['received', 'downloaded', 'started', 'finished'] as const;

/** A year of proof in a SQLite file with the controller's own schema; returns how long making it took. */
function makeYear(
  file: string,
  receivers: number,
  days: number,
  perDay: number,
): { signer: CommandSigner; made_s: number } {
  const started = nowMs();
  const tmp = `${file}.part`;
  rmSync(tmp, { force: true });
  const db = openDatabase(tmp);
  db.pragma('synchronous = OFF');
  db.pragma('journal_mode = OFF');
  const { signer, privateKeyPem } = CommandSigner.generate();
  let clock = Date.parse('2025-01-01T00:00:00.000Z');
  const audit = new AuditRepository(db, { now: () => new Date(clock) });
  const keys = new KeyHistory(db);
  const heads = new ProofHeads(db, signer);
  keys.recordMissing(signer.publicKeyPem, new Date(clock).toISOString(), audit);
  const fleet = Array.from({ length: receivers }, (_, i) => {
    const id = `rx-${String(i + 1).padStart(4, '0')}`;
    const pair = generateKeyPairSync('ed25519');
    const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    db.transaction(() => {
      const keyId = keys.addReceiverKey(id, pem, new Date(clock).toISOString());
      audit.append({ actor: 'token:admin', action: 'receiver.enrolled', subject: id, detail: { ack_key_id: keyId } });
    })();
    return { id, key: pair.privateKey, seq: 0, prev: null as string | null };
  });
  const insert =
    db.prepare(`INSERT INTO acks (receiver_id, command_id, stage, seq, broadcast_id, at, received_at, reason, detail, sig, prev, chain_seq, prev_hash, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?)`);
  let chainSeq = 0;
  let tip = GENESIS;
  const headsPerBroadcast = 8;
  for (let day = 0; day < days; day++) {
    db.transaction(() => {
      for (let b = 0; b < perDay; b++) {
        clock = Date.parse('2025-01-01T00:00:00.000Z') + day * 86_400_000 + (6 + b * 5) * 3_600_000;
        const broadcastId = randomUUID();
        const commandId = randomUUID();
        audit.append({
          actor: 'user:lan',
          action: 'broadcast.created',
          subject: broadcastId,
          detail: { hamlets: 'all' },
        });
        const at = new Date(clock).toISOString();
        let n = 0;
        const total = receivers * STAGES.length;
        for (const stage of STAGES) {
          for (const rx of fleet) {
            const row: StoredAckRow = {
              receiver_id: rx.id,
              seq: rx.seq,
              command_id: commandId,
              broadcast_id: broadcastId,
              stage,
              at,
              reason: null,
              detail: null,
              prev: rx.prev,
              sig: null,
            };
            const canonical = storedAckCanonical(row);
            row.sig = sign(null, Buffer.from(canonical), rx.key).toString('base64');
            rx.prev = createHash('sha256').update(canonical).digest('hex');
            rx.seq++;
            chainSeq++;
            const hash = ackHash(chainSeq, { ...row, received_at: at }, tip);
            insert.run(
              row.receiver_id,
              row.command_id,
              row.stage,
              row.seq,
              row.broadcast_id,
              row.at,
              at,
              row.sig,
              row.prev === null ? null : row.prev,
              chainSeq,
              tip,
              hash,
            );
            tip = hash;
            if (++n % Math.ceil(total / headsPerBroadcast) === 0 || n === total)
              heads.sign('acks', { chain_seq: chainSeq, hash: tip }, at);
          }
        }
        audit.append({ actor: 'system', action: 'broadcast.settled', subject: broadcastId });
        heads.sign('audit', audit.tip(), at);
      }
    })();
  }
  db.close();
  renameSync(tmp, file);
  rmSync(`${tmp}-wal`, { force: true });
  rmSync(`${tmp}-shm`, { force: true });
  void privateKeyPem;
  return { signer, made_s: (nowMs() - started) / 1000 };
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
