/**
 * The controller's whole check of its store runs in slices of its own thread (verify-in-slices.ts),
 * not in a worker: so its read must stay one moment of the store while the controller keeps writing
 * between slices, other work must get turns, and an emergency going out must pause it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeYear } from '../../bench/proof-year.js';
import { openDatabase, type Db } from '../../controller/db/database.js';
import { SharedVerification, verifyInSlices } from '../../controller/proof/verify-in-slices.js';

let dir: string;
let file: string;
let db: Db;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tt-check-slices-'));
  file = join(dir, 'controller.sqlite');
  // 20 receivers, 20 days, 3 broadcasts a day: 4,800 signed, chained acks with their heads.
  makeYear(file, 20, 20, 3);
  db = openDatabase(file); // the controller's own connection, writing while the check reads
}, 60_000);

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const ackRows = () => db.prepare<[], { n: number }>('SELECT count(*) AS n FROM acks').get()!.n;

describe('the store check in slices', () => {
  it('finds an intact store intact, while other work gets turns between its slices', async () => {
    let turns = 0;
    let checking = true;
    const tick = () => {
      if (!checking) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const report = await verifyInSlices(file, { checkTriggers: true });
    checking = false;
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.acks.rows).toBe(4_800);
    expect(report.acks.receivers).toBe(20);
    expect(turns).toBeGreaterThan(1);
  });

  it('reads one moment of the store: a row written between its slices is not half in the report', async () => {
    const before = ackRows();
    const checking = verifyInSlices(file, { checkTriggers: true });
    // Between the check's slices, the controller appends a row that no receiver signed, and a head
    // over it that its key did not sign: read by a later statement than the log's walk, the head
    // would name a row the walk never saw.
    await new Promise((r) => setImmediate(r));
    const last = db
      .prepare<[], { chain_seq: number; hash: string }>(
        'SELECT chain_seq, hash FROM acks ORDER BY chain_seq DESC LIMIT 1',
      )
      .get()!;
    const head = db
      .prepare<[], { head_seq: number; key_id: string }>(
        "SELECT head_seq, key_id FROM proof_heads WHERE log = 'acks' ORDER BY head_seq DESC LIMIT 1",
      )
      .get()!;
    db.transaction(() => {
      db.prepare(
        `INSERT INTO acks (receiver_id, command_id, stage, seq, broadcast_id, at, received_at, reason, detail, sig, prev, chain_seq, prev_hash, hash)
         VALUES ('rx-0001', 'written-during-the-check', 'received', 999999, NULL, '2026-12-04T00:00:00.000Z', '2026-12-04T00:00:00.000Z', NULL, NULL, NULL, NULL, ?, ?, 'not-a-hash')`,
      ).run(last.chain_seq + 1, last.hash);
      db.prepare(
        `INSERT INTO proof_heads (log, head_seq, chain_seq, hash, prev_head, signed_at, key_id, sig)
         VALUES ('acks', ?, ?, 'not-a-hash', 'not-a-digest', '2026-12-04T00:00:00.000Z', ?, 'bm90IGEgc2lnbmF0dXJl')`,
      ).run(head.head_seq + 1, last.chain_seq + 1, head.key_id);
    })();
    expect(ackRows()).toBe(before + 1);
    const report = await checking;
    expect(report.acks.rows).toBe(before);
    expect(report.problems).toEqual([]);
    // The next check sees it, and names it.
    const after = await verifyInSlices(file, { checkTriggers: true });
    expect(after.acks.rows).toBe(before + 1);
    expect(after.problems.map((p) => p.problem)).toEqual(expect.arrayContaining(['altered', 'head_forged']));
  });

  it('waits while an emergency goes out, then finishes', async () => {
    const shared = new SharedVerification(file, { checkTriggers: true });
    const started = performance.now();
    const checking = shared.run();
    expect(shared.run()).toBe(checking); // asked twice while it runs: one check
    shared.giveWay(400);
    const report = await checking;
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
    expect(report.acks.rows).toBeGreaterThan(0);
  });
});
