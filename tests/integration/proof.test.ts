/**
 * Proof of play against whoever holds the database. A real controller, real agents (one of them
 * re-enrolled twice), real broadcasts; then, on copies of its data directory, the tests play the
 * part of someone at the commune with the SQLite file and the controller's own files (its private
 * key included) and make the records say something else. Each tampering is named by the verifier:
 * with the box alone where the box can tell, and otherwise by comparing with the anchors kept off
 * the box — the heads the receivers hold from their receipts, the province's copy of an upward
 * report, and a witness directory.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { ackHash } from '../../controller/coverage/ack-chain.js';
import { auditRowHash } from '../../controller/audit/audit-hash.js';
import { CommandSigner, ackDigest, signAck } from '../../controller/protocol/signing.js';
import { ProofHeads } from '../../controller/proof/proof-heads.js';
import type { AnchorRecord } from '../../controller/proof/anchor-records.js';
import { readAnchors } from '../../controller/proof/anchors.js';
import { APPEND_ONLY_TABLES, checkTriggers, restoreTriggers } from '../../controller/proof/append-only.js';
import { exportBundle } from '../../controller/proof/proof-bundle.js';
import { fingerprintOf } from '../../controller/proof/key-history.js';
import type { ProofProblem } from '../../controller/proof/proof-problems.js';
import { verifyProof } from '../../controller/proof/verify-proof.js';
import { storedAckCanonical, ackFromRow } from '../../controller/proof/stored-ack.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';
import canonicalize from 'canonicalize';
import type { Ack } from '../../controller/protocol/messages.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');

let tc: TestController;
let witnessDir: string;
let workDir: string;
let keysJson: string;
let trustedKeys: string[];
let privateKeyPem: string;
const anchorFiles: Record<'receivers' | 'province' | 'witness', string[]> = {
  receivers: [],
  province: [],
  witness: [],
};
const broadcasts: string[] = [];

async function playRound(agents: ReceiverAgent[], media: { id: string }) {
  for (const [hamlet, rx] of [
    ['thon-1', 'rx-proof-1'],
    ['thon-2', 'rx-proof-2'],
  ]) {
    const b = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: [hamlet] } });
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    broadcasts.push(b.body.id);
    await waitFor(async () => (await coverageRow(tc, b.body.id, rx))?.outcome === 'finished', `${rx} played`);
  }
  await waitFor(() => agents.every((a) => a.pendingAckCount() === 0), 'every ack receipted');
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'tt-proof-'));
  witnessDir = join(workDir, 'witness');
  tc = await startTestController({ proof: { witness_dir: witnessDir } }, { keepDir: true });
  const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
  const agents = [await startTestAgent(tc, 'rx-proof-1', 'thon-1'), await startTestAgent(tc, 'rx-proof-2', 'thon-2')];
  await playRound(agents, media);
  // Re-enrolled twice (the documented way to rotate its secret; what the simulator does when run again).
  for (let i = 0; i < 2; i++) {
    await agents[0].stop();
    agents[0] = await startTestAgent(tc, 'rx-proof-1', 'thon-1');
    await playRound(agents, media);
    if (i === 0) {
      // The province's copy: an upward report as it was sent, in the middle of the story.
      const payload = tc.controller.upward.payload(tc.controller.reports.period('week'));
      const file = join(workDir, 'province-report.json');
      writeFileSync(file, JSON.stringify(payload));
      anchorFiles.province.push(file);
    }
  }
  // The published keys, fetched without any account, as the province would.
  const keys = await fetch(`${tc.url}/api/proof/keys`);
  expect(keys.status).toBe(200);
  keysJson = join(workDir, 'keys.json');
  writeFileSync(keysJson, await keys.text());
  trustedKeys = (JSON.parse(readFileSync(keysJson, 'utf8')).keys as { public_key: string }[]).map((k) => k.public_key);
  await Promise.all(agents.map((a) => a.stop()));
  await tc.close(); // its Mosquitto too, with an external broker (keepDir: the data stays)
  privateKeyPem = readFileSync(join(tc.dir, 'data', 'secrets', 'controller-signing-key.pem'), 'utf8');
  for (const id of ['rx-proof-1', 'rx-proof-2']) anchorFiles.receivers.push(join(tc.dir, 'agents', id, 'state.json'));
  anchorFiles.witness.push(join(witnessDir, 'anchors.jsonl'));
}, 120_000);

afterAll(() => {
  rmSync(tc.dir, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

/** A copy of the data directory, opened as its owner would: no migrations, no controller. */
function copy(): { db: Database.Database; dir: string } {
  const dir = mkdtempSync(join(workDir, 'copy-'));
  cpSync(join(tc.dir, 'data'), join(dir, 'data'), { recursive: true });
  return { db: new Database(join(dir, 'data', 'controller.sqlite')), dir };
}
const anchorsOf = (...kinds: (keyof typeof anchorFiles)[]): AnchorRecord[] =>
  kinds.flatMap((k) => anchorFiles[k].flatMap((f) => readAnchors(readFileSync(f, 'utf8'), f)));
const boxAlone = (db: Database.Database) => verifyProof(db, { checkTriggers: true });
const withAnchors = (db: Database.Database, ...kinds: (keyof typeof anchorFiles)[]) =>
  verifyProof(db, { trustedKeys, anchors: anchorsOf(...kinds), checkTriggers: true });
const codes = (problems: ProofProblem[]) => [...new Set(problems.map((p) => p.problem))].sort();

// What the database's owner does.
const dropTriggers = (db: Database.Database) => {
  for (const { prefix } of APPEND_ONLY_TABLES)
    db.exec(`DROP TRIGGER IF EXISTS ${prefix}_no_update; DROP TRIGGER IF EXISTS ${prefix}_no_delete;`);
};
const lastAck = (db: Database.Database) =>
  (db.prepare('SELECT max(chain_seq) AS n FROM acks').get() as { n: number }).n;
const lastAudit = (db: Database.Database) =>
  (db.prepare('SELECT max(id) AS n FROM audit_log').get() as { n: number }).n;
function rechainAcks(db: Database.Database, from: number) {
  const rows = db.prepare('SELECT * FROM acks WHERE chain_seq >= ? ORDER BY chain_seq').all(from) as any[];
  let prev =
    from > 1
      ? (db.prepare('SELECT hash FROM acks WHERE chain_seq = ?').get(from - 1) as { hash: string }).hash
      : '0'.repeat(64);
  for (const r of rows) {
    const hash = ackHash(r.chain_seq, r, prev);
    db.prepare('UPDATE acks SET prev_hash = ?, hash = ? WHERE chain_seq = ?').run(prev, hash, r.chain_seq);
    prev = hash;
  }
}
function rechainAudit(db: Database.Database, from: number) {
  const rows = db.prepare('SELECT * FROM audit_log WHERE id >= ? ORDER BY id').all(from) as any[];
  let prev = (db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(from - 1) as { hash: string }).hash;
  for (const r of rows) {
    const hash = auditRowHash({ ...r, prev_hash: prev });
    db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?').run(prev, hash, r.id);
    prev = hash;
  }
}
/** Changes the first ack of a receiver at stage `from` to `to`, then re-signs and re-chains all its acks with `key`; returns the first row touched. */
function resignReceiverAcks(
  db: Database.Database,
  receiverId: string,
  key: KeyObject,
  from: string,
  to: string,
): number {
  const rows = db.prepare('SELECT * FROM acks WHERE receiver_id = ? ORDER BY seq').all(receiverId) as any[];
  const target = rows.find((r) => r.stage === from)!;
  let prev: string | null = null;
  for (const r of rows) {
    const stage = r === target ? to : r.stage;
    const { sig: _, ...unsigned } = ackFromRow({ ...r, stage, prev });
    db.prepare('UPDATE acks SET stage = ?, prev = ?, sig = ? WHERE chain_seq = ?').run(
      stage,
      prev,
      signAck(unsigned, key).sig,
      r.chain_seq,
    );
    prev = ackDigest(unsigned);
  }
  return Math.min(...rows.map((r) => r.chain_seq));
}

/** Deletes the heads from the first that covers `fromRow`, and signs a fresh one over the log as it now is, with the commune's own key. */
function resignHeads(db: Database.Database, log: 'acks' | 'audit', fromRow: number) {
  db.prepare('DELETE FROM proof_heads WHERE log = ? AND chain_seq >= ?').run(log, fromRow);
  const tip =
    log === 'acks'
      ? (db.prepare('SELECT chain_seq, hash FROM acks ORDER BY chain_seq DESC LIMIT 1').get() as {
          chain_seq: number;
          hash: string;
        })
      : (db.prepare('SELECT id AS chain_seq, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as {
          chain_seq: number;
          hash: string;
        });
  new ProofHeads(db as never, CommandSigner.fromPem(privateKeyPem)).sign(log, tip, new Date().toISOString());
}

describe('the proof as the controller left it', () => {
  it('verifies whole, with the box alone and against every anchor; the receivers, the province and the witness hold heads', () => {
    const { db } = copy();
    const alone = boxAlone(db);
    expect(alone.problems).toEqual([]);
    expect(alone.acks.heads).toBeGreaterThan(1);
    expect(alone.audit.heads).toBeGreaterThan(1);
    const all = withAnchors(db, 'receivers', 'province', 'witness');
    expect(all.problems).toEqual([]);
    expect(all.keys.keys_trusted_from_file).toBe(false);
    // Each source really gave anchors: both receivers, the province's heads and keys, the witness's many heads.
    expect(anchorsOf('receivers').filter((a) => a.kind === 'head')).toHaveLength(2);
    expect(
      anchorsOf('province')
        .map((a) => a.kind)
        .sort(),
    ).toEqual(['head', 'head', 'keys']);
    expect(anchorsOf('witness').filter((a) => a.kind === 'head').length).toBeGreaterThan(5);
    // The head covering everything was signed at shutdown: nothing is left unanchored.
    expect(all.acks.covered_by_last_head).toBe(all.acks.rows);
    expect(all.audit.covered_by_last_head).toBe(all.audit.rows);
    db.close();
  });

  it('keeps every ack of a receiver re-enrolled twice verifiable: three keys in its history, each with its rotation record', () => {
    const { db } = copy();
    const keys = db.prepare("SELECT key_id FROM receiver_keys WHERE receiver_id = 'rx-proof-1'").all();
    expect(keys).toHaveLength(3);
    const r = boxAlone(db);
    expect(r.problems).toEqual([]);
    const mine = (db.prepare("SELECT count(*) AS n FROM acks WHERE receiver_id = 'rx-proof-1'").get() as { n: number })
      .n;
    expect(mine).toBeGreaterThanOrEqual(12);
    // One signature per unbroken run of a receiver's acks; the rest vouched for by the ack after them.
    expect(r.acks.signatures_checked + r.acks.vouched_by_next).toBe(r.acks.rows);
    expect(r.acks.vouched_by_next).toBeGreaterThan(r.acks.rows / 2);
    db.close();
  });

  it("writes acks exactly as their receivers signed them (the verifier's fast canonical form is RFC 8785)", () => {
    const { db } = copy();
    for (const row of db.prepare('SELECT * FROM acks').all() as any[]) {
      const { sig: _, ...unsigned } = ackFromRow(row);
      expect(storedAckCanonical(row)).toBe(canonicalize(unsigned));
    }
    db.close();
  });
});

describe('tampering the box alone reveals', () => {
  it('an ack altered, one deleted in the middle, two audit rows swapped: each named', () => {
    const { db } = copy();
    dropTriggers(db);
    db.prepare("UPDATE acks SET stage = 'interrupted' WHERE chain_seq = 3").run();
    db.prepare('DELETE FROM acks WHERE chain_seq = 6').run();
    const [a, b] = db.prepare('SELECT * FROM audit_log WHERE id IN (4, 5) ORDER BY id').all() as any[];
    db.prepare('UPDATE audit_log SET action = ?, subject = ?, detail = ? WHERE id = 4').run(
      b.action,
      b.subject,
      b.detail,
    );
    db.prepare('UPDATE audit_log SET action = ?, subject = ?, detail = ? WHERE id = 5').run(
      a.action,
      a.subject,
      a.detail,
    );
    const r = boxAlone(db);
    expect(r.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ log: 'acks', problem: 'altered', chain_seq: 3 }),
        expect.objectContaining({ log: 'acks', problem: 'deleted', chain_seq: 6 }),
        expect.objectContaining({ log: 'audit', problem: 'altered', chain_seq: 4 }),
        expect.objectContaining({ log: 'audit', problem: 'altered', chain_seq: 5 }),
        expect.objectContaining({ log: 'triggers', problem: 'trigger_missing' }),
      ]),
    );
    db.close();
  });

  it('an audit entry edited and the plain chain recomputed after it: the signed heads no longer match', () => {
    const { db } = copy();
    dropTriggers(db);
    const target = 5;
    db.prepare("UPDATE audit_log SET actor = 'someone-else' WHERE id = ?").run(target);
    rechainAudit(db, target);
    restoreTriggers(db as never); // and the triggers put back, to hide the way in
    const r = boxAlone(db);
    expect(r.problems.filter((p) => p.log === 'audit').map((p) => p.problem)).toContain('head_does_not_match_log');
    expect(r.problems.some((p) => p.problem === 'altered')).toBe(false); // the chain itself is consistent again
    db.close();
  });

  it("an ack edited into a second row under the same names, in a table rebuilt without its keys: the copy does not borrow the genuine row's signature", () => {
    const { db } = copy();
    dropTriggers(db);
    // The last ack of a receiver ends its run: its signature is what vouches for the run.
    const genuine = db
      .prepare("SELECT * FROM acks WHERE receiver_id = 'rx-proof-2' ORDER BY chain_seq DESC LIMIT 1")
      .get() as any;
    // Its receiver's clock moved back an hour, the chain done right around it.
    const at = new Date(Date.parse(genuine.at) - 3_600_000).toISOString();
    const edited = { ...genuine, at, hash: ackHash(genuine.chain_seq, { ...genuine, at }, genuine.prev_hash) };
    // Rebuilt without the primary key or the unique chain_seq; indexes chosen so that the walk in
    // chain order meets the copy first, and a lookup by the row's names finds the genuine row.
    db.exec(`CREATE TABLE acks_rebuilt AS SELECT * FROM acks; DROP TABLE acks; ALTER TABLE acks_rebuilt RENAME TO acks;
      CREATE INDEX walk_order ON acks(chain_seq, at); CREATE INDEX by_names ON acks(receiver_id, command_id, stage, at DESC);`);
    const columns = Object.keys(genuine);
    db.prepare(`INSERT INTO acks (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(
      ...columns.map((c) => edited[c]),
    );
    const ackProblems = boxAlone(db).problems.filter((p) => p.log === 'acks');
    expect(ackProblems).toContainEqual(expect.objectContaining({ receiver_id: 'rx-proof-2' }));
    db.close();
  });

  it("a forged ack appended with the chain done right but a key that is not the receiver's", () => {
    const { db } = copy();
    dropTriggers(db);
    const last = db.prepare('SELECT * FROM acks ORDER BY chain_seq DESC LIMIT 1').get() as any;
    const { privateKey } = generateKeyPairSync('ed25519');
    const unsigned: Ack = {
      v: 1,
      receiver_id: 'rx-proof-2',
      seq: last.seq + 1000,
      command_id: randomUUID(),
      broadcast_id: last.broadcast_id,
      stage: 'finished',
      at: last.at,
      reason: null,
      detail: null,
    };
    const forged = signAck(unsigned, privateKey);
    const received_at = new Date().toISOString();
    const chain_seq = last.chain_seq + 1;
    db.prepare(
      `INSERT INTO acks (receiver_id, command_id, stage, seq, broadcast_id, at, received_at, reason, detail, sig, prev, chain_seq, prev_hash, hash)
      VALUES (?, ?, 'finished', ?, ?, ?, ?, NULL, NULL, ?, NULL, ?, ?, ?)`,
    ).run(
      'rx-proof-2',
      forged.command_id,
      forged.seq,
      forged.broadcast_id,
      forged.at,
      received_at,
      forged.sig,
      chain_seq,
      last.hash,
      ackHash(chain_seq, { ...forged, received_at }, last.hash),
    );
    expect(boxAlone(db).problems).toContainEqual(
      expect.objectContaining({ log: 'acks', problem: 'forged', receiver_id: 'rx-proof-2', chain_seq }),
    );
    db.close();
  });

  it("a receiver's key swapped and its acks re-signed: a key with no rotation record, and acks signed with a key recorded after them", () => {
    const { db } = copy();
    dropTriggers(db);
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    // Put in place of the real keys (the history rewritten) …
    db.prepare("DELETE FROM receiver_keys WHERE receiver_id = 'rx-proof-2'").run();
    db.prepare(
      "INSERT INTO receiver_keys (receiver_id, key_id, public_key, valid_from) VALUES ('rx-proof-2', ?, ?, '2000-01-01T00:00:00.000Z')",
    ).run(fingerprintOf(pem), pem);
    db.prepare("UPDATE receivers SET ack_public_key = ?, previous_ack_keys = NULL WHERE id = 'rx-proof-2'").run(pem);
    // … an ack changed to say it failed, and every ack of the receiver re-signed and re-chained with the new key.
    const first = resignReceiverAcks(db, 'rx-proof-2', privateKey, 'started', 'failed');
    rechainAcks(db, first);
    resignHeads(db, 'acks', first);
    restoreTriggers(db as never);
    const r = boxAlone(db);
    expect(r.problems).toContainEqual(
      expect.objectContaining({ log: 'keys', problem: 'key_without_rotation_record', receiver_id: 'rx-proof-2' }),
    );
    // With the province's copy of the fingerprints, the swap is plain, and the receivers' heads show the rewrite.
    const anchored = withAnchors(db, 'province', 'receivers');
    expect(codes(anchored.problems)).toEqual(
      expect.arrayContaining(['key_not_anchored', 'anchored_key_missing', 'log_rewritten_since_anchor']),
    );
    db.close();
  });

  it('append-only triggers dropped by hand are restored at the next start, and the verifier names it ever after', async () => {
    const { db, dir } = copy();
    dropTriggers(db);
    db.close();
    const again = await startTestController({}, { dir, keepDir: true });
    try {
      expect(checkTriggers(again.controller.db)).toEqual([]);
      const audit = (await again.api('GET', '/api/audit?limit=100')).body.map((e: { action: string }) => e.action);
      expect(audit).toContain('proof.triggers_restored');
      const r = (await again.api('GET', '/api/coverage/verify')).body;
      expect(r.problems).toContainEqual(expect.objectContaining({ problem: 'triggers_were_dropped' }));
      // Heads are signed at start, not five minutes later: a crash right after start still leaves the log anchored.
      const head = again.controller.db
        .prepare("SELECT chain_seq FROM proof_heads WHERE log = 'audit' ORDER BY head_seq DESC LIMIT 1")
        .get() as { chain_seq: number };
      const original = new Database(join(tc.dir, 'data', 'controller.sqlite'), { readonly: true });
      expect(head.chain_seq).toBeGreaterThan(lastAudit(original));
      original.close();
    } finally {
      await again.close();
    }
  }, 60_000);
});

describe('what needs the anchors, the anchors reveal', () => {
  it("the newest acks deleted together with the heads that cover them (triggers put back): the receivers' heads and the witness say so", () => {
    const { db } = copy();
    dropTriggers(db);
    const cut = lastAck(db) - 4;
    db.prepare('DELETE FROM acks WHERE chain_seq > ?').run(cut);
    db.prepare("DELETE FROM proof_heads WHERE log = 'acks' AND chain_seq > ?").run(cut);
    restoreTriggers(db as never);
    expect(boxAlone(db).problems).toEqual([]); // the box alone cannot tell: that is what the anchors are for
    for (const kind of ['receivers', 'witness'] as const) {
      expect(codes(withAnchors(db, kind).problems), kind).toEqual(
        expect.arrayContaining(['anchored_head_missing', 'tail_deleted_after_anchor']),
      );
    }
    db.close();
  });

  it('the same with the triggers left dropped: the box alone names the missing triggers', () => {
    const { db } = copy();
    dropTriggers(db);
    const cut = lastAck(db) - 4;
    db.prepare('DELETE FROM acks WHERE chain_seq > ?').run(cut);
    db.prepare("DELETE FROM proof_heads WHERE log = 'acks' AND chain_seq > ?").run(cut);
    expect(codes(boxAlone(db).problems)).toEqual(['trigger_missing']);
    db.close();
  });

  it("the newest audit entries deleted with their heads: the witness, and the province's copy for entries before its report", () => {
    const { db } = copy();
    dropTriggers(db);
    const province = anchorsOf('province').find((a) => a.kind === 'head' && a.log === 'audit') as { chain_seq: number };
    const cut = province.chain_seq - 2;
    db.prepare('DELETE FROM audit_log WHERE id > ?').run(cut);
    db.prepare("DELETE FROM proof_heads WHERE log = 'audit' AND chain_seq > ?").run(cut);
    restoreTriggers(db as never);
    // The box alone sees only that a key's rotation record went with the tail (the second re-enrolment was in it).
    expect(boxAlone(db).problems).toEqual([
      expect.objectContaining({ problem: 'key_without_rotation_record', receiver_id: 'rx-proof-1' }),
    ]);
    expect(codes(withAnchors(db, 'witness').problems)).toEqual(
      expect.arrayContaining(['anchored_head_missing', 'tail_deleted_after_anchor']),
    );
    expect(codes(withAnchors(db, 'province').problems)).toEqual(
      expect.arrayContaining(['anchored_head_missing', 'tail_deleted_after_anchor']),
    );
    db.close();
  });

  it("an audit entry edited, the chain recomputed, the later heads deleted and re-signed with the commune's own key: the witness's heads differ", () => {
    const { db } = copy();
    dropTriggers(db);
    const target = lastAudit(db) - 3;
    db.prepare("UPDATE audit_log SET actor = 'someone-else' WHERE id = ?").run(target);
    rechainAudit(db, target);
    resignHeads(db, 'audit', target);
    restoreTriggers(db as never);
    expect(boxAlone(db).problems).toEqual([]);
    expect(codes(withAnchors(db, 'witness').problems)).toEqual(
      expect.arrayContaining(['anchored_head_differs', 'log_rewritten_since_anchor']),
    );
    db.close();
  });

  it("an ack's stage changed with a new key on the receiver, its acks re-signed, a rotation record forged into a rewritten audit log, the heads re-signed: only the anchors can tell, and they do", () => {
    const { db } = copy();
    dropTriggers(db);
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const keyId = fingerprintOf(pem);
    db.prepare(
      "INSERT INTO receiver_keys (receiver_id, key_id, public_key, valid_from) VALUES ('rx-proof-2', ?, ?, '2000-01-01T00:00:00.000Z')",
    ).run(keyId, pem);
    const first = resignReceiverAcks(db, 'rx-proof-2', privateKey, 'finished', 'failed');
    rechainAcks(db, first);
    resignHeads(db, 'acks', first);
    // The rotation record, slipped into the audit log early on, and everything after it re-chained and re-signed.
    const at = 3;
    const rest = db.prepare('SELECT * FROM audit_log WHERE id >= ? ORDER BY id DESC').all(at) as any[];
    for (const row of rest) db.prepare('UPDATE audit_log SET id = ? WHERE id = ?').run(row.id + 1, row.id);
    db.prepare(
      "INSERT INTO audit_log (id, at, actor, action, subject, detail, source_ip, prev_hash, hash) VALUES (?, ?, 'token:test', 'receiver.credentials_rotated', 'rx-proof-2', ?, NULL, '', '')",
    ).run(at, rest.at(-1).at, JSON.stringify({ ack_key_id: keyId }));
    rechainAudit(db, at);
    resignHeads(db, 'audit', 1);
    db.prepare("DELETE FROM proof_heads WHERE log = 'audit' AND head_seq > 1").run();
    restoreTriggers(db as never);
    const alone = boxAlone(db);
    expect(alone.problems.filter((p) => p.log !== 'audit')).toEqual([]);
    const anchored = withAnchors(db, 'receivers', 'province', 'witness');
    expect(codes(anchored.problems)).toEqual(
      expect.arrayContaining(['key_not_anchored', 'log_rewritten_since_anchor', 'anchored_head_differs']),
    );
    db.close();
  });
});

describe('the province checks alone', () => {
  it('an exported bundle with the standalone verifier and the published keys: intact, then a tampered copy fails with its findings named', async () => {
    const { db, dir } = copy();
    const bundle = join(dir, 'proof.sqlite');
    exportBundle(db as never, bundle, {
      commune_id: 'test-commune',
      commune_name: 'Xã Thử Nghiệm',
      timezone: 'Asia/Ho_Chi_Minh',
      exported_at: new Date().toISOString(),
    });
    // The bundle holds the proof and nothing else.
    const b = new Database(bundle, { readonly: true });
    const tables = (
      b.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    ).map((t) => t.name);
    expect(tables).toEqual([
      'ack_chain_heads',
      'acks',
      'audit_log',
      'bundle_info',
      'proof_heads',
      'receiver_keys',
      'signing_keys',
    ]);
    b.close();
    const args = [
      '--import',
      'tsx',
      join(ROOT, 'controller/proof/verify-cli.ts'),
      '--bundle',
      bundle,
      '--keys',
      keysJson,
      ...anchorFiles.receivers.flatMap((f) => ['--anchors', f]),
      ...anchorFiles.province.flatMap((f) => ['--anchors', f]),
    ];
    const ok = await run(process.execPath, args, { cwd: ROOT });
    expect(ok.stdout).toContain('Bằng chứng nguyên vẹn');
    // One ack's stage rewritten in the bundle itself, chain recomputed.
    const t = new Database(bundle);
    t.prepare("UPDATE acks SET stage = 'interrupted' WHERE chain_seq = 2").run();
    rechainAcks(t, 2);
    t.close();
    const bad = await run(process.execPath, [...args, '--json'], { cwd: ROOT }).catch((err) => err);
    expect(bad.code).toBe(1);
    expect(codes(JSON.parse(bad.stdout).problems)).toEqual(
      expect.arrayContaining(['head_does_not_match_log', 'log_rewritten_since_anchor']),
    );
    db.close();
  }, 60_000);

  it('a report file with the X-Report-Signature it came with, and the published keys: valid; one byte changed: not', async () => {
    const { dir } = copy();
    const again = await startTestController({}, { dir, keepDir: true });
    try {
      const res = await fetch(`${again.url}/api/reports/period?kind=week&format=xlsx`, {
        headers: { authorization: `Bearer ${again.token}` },
      });
      expect(res.status).toBe(200);
      const file = join(dir, 'bao-cao.xlsx');
      const bytes = Buffer.from(await res.arrayBuffer());
      writeFileSync(file, bytes);
      const signature = res.headers.get('x-report-signature')!;
      const cli = [
        '--import',
        'tsx',
        join(ROOT, 'controller/proof/verify-cli.ts'),
        '--keys',
        keysJson,
        '--report',
        file,
        '--signature',
        signature,
      ];
      expect((await run(process.execPath, cli, { cwd: ROOT })).stdout).toContain('chữ ký hợp lệ');
      bytes[bytes.length - 100] ^= 1;
      writeFileSync(file, bytes);
      const bad = await run(process.execPath, cli, { cwd: ROOT }).catch((err) => err);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain('KHÔNG hợp lệ');
    } finally {
      await again.close();
    }
  }, 60_000);

  it("refuses a bundle checked against keys that are not the commune's: every head is signed by an unknown key", () => {
    const { db } = copy();
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const r = verifyProof(db, { trustedKeys: [other] });
    expect(codes(r.problems)).toEqual(
      expect.arrayContaining(['head_signed_by_unknown_key', 'signing_key_not_published']),
    );
    db.close();
  });
});

describe('a running controller compares the heads receivers report back', () => {
  it("audits a receiver's head the database no longer holds", async () => {
    const { db, dir } = copy();
    const head = JSON.parse(readFileSync(anchorFiles.receivers[0], 'utf8')).proof_head;
    dropTriggers(db);
    db.prepare("DELETE FROM proof_heads WHERE log = 'acks' AND head_seq >= ?").run(head.head_seq);
    db.close();
    const again = await startTestController({}, { dir, keepDir: true });
    try {
      const telemetry = { v: 1, receiver_id: 'rx-proof-1', at: new Date().toISOString(), proof_head: head };
      again.controller.presence.handleTelemetry('rx-proof-1', Buffer.from(JSON.stringify(telemetry)));
      const audit = (await again.api('GET', '/api/audit?limit=50')).body;
      expect(audit).toContainEqual(expect.objectContaining({ action: 'proof.anchor_mismatch', subject: 'rx-proof-1' }));
    } finally {
      await again.close();
    }
  }, 60_000);
});

describe('what the outsider found (each would have passed before)', () => {
  it('an altered trigger that no longer fires (WHEN 0) is named by the box, and restored at the next start', async () => {
    const { db, dir } = copy();
    db.exec(
      "DROP TRIGGER acks_no_delete; CREATE TRIGGER acks_no_delete BEFORE DELETE ON acks WHEN 0 BEGIN SELECT RAISE(ABORT, 'acks are append-only'); END",
    );
    db.exec(
      "DROP TRIGGER audit_log_no_update; CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'x') WHERE 0; END",
    );
    expect(
      boxAlone(db)
        .problems.filter((p) => p.log === 'triggers')
        .map((p) => [p.problem, p.detail]),
    ).toEqual([
      ['trigger_altered', 'audit_log_no_update on audit_log'],
      ['trigger_altered', 'acks_no_delete on acks'],
    ]);
    db.close();
    const again = await startTestController({}, { dir, keepDir: true });
    try {
      expect(checkTriggers(again.controller.db)).toEqual([]);
      expect(() => again.controller.db.prepare('DELETE FROM acks WHERE chain_seq = 1').run()).toThrow(/append-only/);
    } finally {
      await again.close();
    }
  }, 60_000);

  it("a receiver's history rows deleted and another key put on it: the controller does not record that key at start, and the box names both", async () => {
    const { db, dir } = copy();
    dropTriggers(db);
    db.prepare("DELETE FROM receiver_keys WHERE receiver_id = 'rx-proof-2'").run();
    const pem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    db.prepare("UPDATE receivers SET ack_public_key = ?, previous_ack_keys = NULL WHERE id = 'rx-proof-2'").run(pem);
    db.close();
    const again = await startTestController({}, { dir, keepDir: true });
    try {
      expect(
        again.controller.db.prepare("SELECT count(*) AS n FROM receiver_keys WHERE receiver_id = 'rx-proof-2'").get(),
      ).toEqual({ n: 0 });
      const r = (await again.api('GET', '/api/coverage/verify')).body;
      expect(codes(r.problems)).toEqual(
        expect.arrayContaining(['key_missing_from_history', 'key_put_in_receivers_table', 'unverifiable']),
      );
      // The door stays shut: with no key in its history, nothing it sends is stored, signed by any key or by none.
      const { privateKey } = generateKeyPairSync('ed25519');
      const before = again.controller.acks.stats.stored;
      const command = (again.controller.db.prepare('SELECT id FROM commands LIMIT 1').get() as { id: string }).id;
      const base: Ack = {
        v: 1,
        receiver_id: 'rx-proof-2',
        seq: 5000,
        command_id: command,
        broadcast_id: null,
        stage: 'finished',
        at: new Date().toISOString(),
        reason: null,
        detail: null,
      };
      again.controller.acks.handle('rx-proof-2', Buffer.from(JSON.stringify(signAck(base, privateKey))));
      again.controller.acks.handle('rx-proof-2', Buffer.from(JSON.stringify({ ...base, seq: 5001, sig: null })));
      await again.controller.acks.flush();
      expect(again.controller.acks.stats.stored).toBe(before);
      expect(again.controller.acks.stats.refused).toMatchObject({ bad_signature: 1, no_signature: 1 });
    } finally {
      await again.close();
    }
  }, 60_000);

  it('an honest bundle is not accused by anchors signed after it was exported; an anchor not signed by the commune is set aside, not held against the file', async () => {
    const { dir } = copy();
    const again = await startTestController({}, { dir, keepDir: true });
    try {
      const bundle = join(dir, 'early.sqlite');
      exportBundle(again.controller.db, bundle, {
        commune_id: 'test-commune',
        commune_name: 'Xã Thử Nghiệm',
        timezone: 'Asia/Ho_Chi_Minh',
        exported_at: new Date().toISOString(),
      });
      await new Promise((r) => setTimeout(r, 20));
      // The commune goes on working: new audit entries, a new head, fetched from the public URL as a collector would.
      await again.api('POST', '/api/hamlets', { id: 'thon-moi', name: 'Thôn Mới' });
      again.controller.proof.tick();
      const later = (await (await fetch(`${again.url}/api/proof/heads`)).json()) as { audit: AnchorRecord };
      const file = join(dir, 'later-anchor.json');
      writeFileSync(file, JSON.stringify(later));
      const b = new Database(bundle, { readonly: true });
      const fair = verifyProof(b, {
        trustedKeys,
        anchors: readAnchors(readFileSync(file, 'utf8'), file),
        upToNewestHead: true,
      });
      expect(fair.problems).toEqual([]);
      expect(fair.anchors.newer_than_file).toBe(1);
      // A copy of a head with its signature spoiled: the copy is the problem, not the commune's file.
      const spoiled = {
        ...(anchorsOf('receivers')[0] as object),
        sig: Buffer.alloc(64).toString('base64'),
      } as AnchorRecord;
      const r = verifyProof(b, { trustedKeys, anchors: [spoiled], upToNewestHead: true });
      expect(r.ok).toBe(true);
      expect(r.anchors.not_signed_by_commune).toHaveLength(1);
      // A keys record anyone could write (unsigned, naming keys nobody has) accuses nobody: set aside.
      const forgedKeys = {
        kind: 'keys',
        at: new Date(Date.now() - 60_000).toISOString(),
        signing: ['aaaaaaaaaaaaaaaa'],
        receivers: { 'rx-proof-1': ['deadbeefdeadbeef'] },
      } as AnchorRecord;
      const k = verifyProof(b, { trustedKeys, anchors: [forgedKeys], upToNewestHead: true });
      expect(k.problems).toEqual([]);
      expect(k.anchors.not_signed_by_commune).toHaveLength(1);
      b.close();
      // The CLI says so too, in words, and with its own status (3): intact up to its end, nothing said of what came after.
      const out = await run(
        process.execPath,
        [
          '--import',
          'tsx',
          join(ROOT, 'controller/proof/verify-cli.ts'),
          '--bundle',
          bundle,
          '--keys',
          keysJson,
          '--anchors',
          file,
        ],
        { cwd: ROOT },
      ).catch((err) => err);
      expect(out.code).toBe(3);
      expect(out.stdout).toContain('CHƯA xác nhận đầy đủ');
      expect(out.stdout).not.toContain('KHÔNG nguyên vẹn');
      expect(out.stdout).toMatch(/xuất lúc \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d/);
      // A bundle cut back (its newest acks and their heads deleted, its export time moved back) is never "intact and complete" against later anchors.
      const cut = join(dir, 'cut.sqlite');
      (await import('node:fs')).copyFileSync(bundle, cut);
      const c = new Database(cut);
      const last = (c.prepare('SELECT max(chain_seq) AS n FROM acks').get() as { n: number }).n;
      c.prepare('DELETE FROM acks WHERE chain_seq > ?').run(last - 6);
      c.prepare("DELETE FROM proof_heads WHERE log = 'acks' AND chain_seq > ?").run(last - 6);
      c.prepare("UPDATE bundle_info SET value = ? WHERE key = 'exported_at'").run(
        JSON.stringify('2020-01-01T00:00:00.000Z'),
      );
      c.close();
      const witnessed = await run(
        process.execPath,
        [
          '--import',
          'tsx',
          join(ROOT, 'controller/proof/verify-cli.ts'),
          '--bundle',
          cut,
          '--keys',
          keysJson,
          ...anchorFiles.receivers.flatMap((f) => ['--anchors', f]),
        ],
        { cwd: ROOT },
      ).catch((err) => err);
      expect(witnessed.code).not.toBe(0);
    } finally {
      await again.close();
    }
  }, 60_000);

  it('the standalone verifier and admin verify answer a wrong or missing file with a message and status 2, not a stack trace or "intact"', async () => {
    const { db, dir } = copy();
    const bundle = join(dir, 'proof.sqlite');
    exportBundle(db as never, bundle, {
      commune_id: 'test-commune',
      commune_name: 'Xã Thử Nghiệm',
      timezone: 'Asia/Ho_Chi_Minh',
      exported_at: new Date().toISOString(),
    });
    db.close();
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', join(ROOT, 'controller/proof/verify-cli.ts'), ...args], {
        cwd: ROOT,
      }).catch((err) => err);
    const notAnchors = await cli('--bundle', bundle, '--keys', keysJson, '--anchors', keysJson);
    expect(notAnchors.code).toBe(2);
    expect(notAnchors.stderr).toContain('Không tìm thấy bản sao đối chiếu nào');
    for (const args of [
      ['--bundle', bundle, '--keys', join(dir, 'nope.json')],
      ['--bundle', bundle, '--keys', keysJson, '--anchors', join(dir, 'nope.jsonl')],
      ['--keys', keysJson, '--report', join(dir, 'nope.pdf'), '--signature', 'x'],
    ]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('Không đọc được tệp');
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
    // admin verify takes the published keys and anchors too, on a copy of a data directory.
    const admin = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'controller/cli/admin.ts'),
        'verify',
        '--config',
        join(ROOT, 'config/commune.example.yaml'),
        '--keys',
        keysJson,
        ...anchorFiles.receivers.flatMap((f) => ['--anchors', f]),
      ],
      { cwd: ROOT, env: { ...process.env, TT_DATA_DIR: join(dir, 'data') } },
    );
    expect(admin.stdout).toContain('Bằng chứng nguyên vẹn');
    expect(admin.stdout).toContain('bản sao đối chiếu khớp: 2');
  }, 60_000);
});
