/**
 * Acks that vouch only for sending, against a real controller and real agents: a receiver whose
 * player can only say the audio left it (what the bridge's RTP, stream and FM drivers say, with
 * `evidence: 'sent'`) beside one with a loudspeaker of its own (no `evidence`, as every receiver
 * before the field). Coverage, the as-run log and the period report keep "sent, not confirmed
 * heard" apart from heard; both kinds of ack are stored as signed and verify in the proof, and
 * an owner of the database who turns a "sent" into a "heard" is named.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { ackHash } from '../../controller/coverage/ack-chain.js';
import { APPEND_ONLY_TABLES } from '../../controller/proof/append-only.js';
import { ackFromRow, storedAckCanonical } from '../../controller/proof/stored-ack.js';
import { verifyProof } from '../../controller/proof/verify-proof.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, SendingPlayer, startTestAgent } from '../helpers/agents.js';
import { broadcastConfirmed, startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

const RTP = 'rtp pcmu: sent to 1 address (127.0.0.1:5004); no receipt from devices';

let tc: TestController;
let workDir: string;
let broadcastId: string;
/** The week of the broadcast itself, in the commune's time: not the week the assertions run in (it may have turned). */
let week: string;
let stopped = false;
const agents: ReceiverAgent[] = [];

beforeAll(async () => {
  tc = await startTestController({}, { keepDir: true });
  workDir = mkdtempSync(join(tc.dir, 'copies-'));
  agents.push(await startTestAgent(tc, 'rx-loa', 'thon-1'));
  agents.push(await startTestAgent(tc, 'br-rtp', 'thon-2', { player: new SendingPlayer(RTP) }));
  const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
  // Two of the three hamlets: the controller asks for a confirmation first, given here.
  const res = await broadcastConfirmed(tc, { media_id: media.id, target: { hamlet_ids: ['thon-1', 'thon-2'] } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  broadcastId = res.body.id;
  week = `kind=week&date=${DateTime.fromISO(res.body.created_at, { zone: 'Asia/Ho_Chi_Minh' }).toISODate()}`;
  await waitFor(async () => (await coverageRow(tc, broadcastId, 'rx-loa'))?.outcome === 'finished', 'rx-loa heard');
  await waitFor(async () => (await coverageRow(tc, broadcastId, 'br-rtp'))?.outcome === 'sent', 'br-rtp sent');
  await waitFor(() => agents.every((a) => a.pendingAckCount() === 0), 'every ack receipted');
}, 90_000);

afterAll(async () => {
  for (const a of agents) await a.stop();
  if (tc && !stopped) await tc.close();
  if (tc) rmSync(tc.dir, { recursive: true, force: true });
});

describe('a receiver that can only say it sent the audio', () => {
  it('has its own outcome in coverage; its hamlet is not reached, and said apart', async () => {
    const c = (await tc.api('GET', `/api/broadcasts/${broadcastId}/coverage`)).body;
    expect(c.totals).toMatchObject({ targeted: 2, finished: 1, sent: 1, failed: 0, no_answer: 0 });
    expect(c.complete).toBe(true);
    const byId = Object.fromEntries(c.hamlets.map((h: any) => [h.hamlet_id, h]));
    expect(byId['thon-1']).toMatchObject({ reached: true, sent_only: false });
    expect(byId['thon-2']).toMatchObject({ reached: false, sent_only: true });
    expect(c).toMatchObject({
      hamlets_reached: 1,
      households_reached: 100,
      hamlets_sent_only: 1,
      households_sent_only: 80,
    });
    expect(await coverageRow(tc, broadcastId, 'br-rtp')).toMatchObject({ outcome: 'sent', detail: RTP });
    expect(await coverageRow(tc, broadcastId, 'rx-loa')).toMatchObject({ outcome: 'finished', detail: null });
  });

  it('is stored with its evidence as signed; the loudspeaker ack has none, and both verify', async () => {
    const verified = (await tc.api('GET', `/api/broadcasts/${broadcastId}/verify`)).body;
    expect(verified.bad).toEqual([]);
    expect(verified.checked).toBeGreaterThanOrEqual(6);
  });

  it('the as-run log carries the detail and the evidence, in the JSON and both CSVs', async () => {
    const log = (await tc.api('GET', `/api/reports/as-run?${week}`)).body;
    const row = (rx: string) => log.rows.find((r: any) => r.broadcast_id === broadcastId && r.receiver_id === rx);
    expect(row('br-rtp')).toMatchObject({ outcome: 'sent', evidence: 'sent', detail: RTP });
    expect(row('rx-loa')).toMatchObject({ outcome: 'finished', evidence: 'played', detail: null });

    const raw = (await tc.api('GET', `/api/reports/period?${week}&format=csv_raw`)).body as string;
    const [header, ...lines] = raw.trim().split('\r\n');
    const columns = header.replace(/^\uFEFF/, '').split(',');
    expect(columns.slice(-7)).toEqual([
      'outcome',
      'reason',
      'detail',
      'evidence',
      'stop_sent_at',
      'restarted_at',
      'silent_from',
    ]);
    const bridgeLine = lines.find((l) => l.includes('br-rtp'))!;
    // outcome, reason (none), detail, evidence, then no stop waiting to be confirmed, no restart, no silence: the last seven columns.
    expect(bridgeLine.endsWith(`"sent","","${RTP}","sent","","",""`), bridgeLine).toBe(true);

    const human = (await tc.api('GET', `/api/reports/period?${week}&format=csv`)).body as string;
    expect(human.split('\r\n')[1]).toContain('Cụm loa báo (nguyên văn)');
    const bridgeRow = human.split('\r\n').find((l) => l.includes(RTP))!;
    expect(bridgeRow).toContain('đã phát đi, chưa xác nhận nghe');
    expect(bridgeRow).toContain('chỉ xác nhận đã phát đi, chưa xác nhận nghe');
    expect(human).toContain('cụm loa xác nhận đã phát ra loa');
  });

  it('the period report counts it apart: households reached only where a loudspeaker played', async () => {
    const r = (await tc.api('GET', `/api/reports/period?${week}`)).body;
    expect(r.totals).toMatchObject({
      broadcasts: 1,
      receivers_targeted: 2,
      receivers_finished: 1,
      receivers_sent: 1,
      households_reached_per_broadcast: 100,
    });
    const byId = Object.fromEntries(r.hamlets.map((h: any) => [h.hamlet_id, h]));
    expect(byId['thon-1']).toMatchObject({ reached: 1, not_reached: { sent: 0 } });
    expect(byId['thon-2']).toMatchObject({ reached: 0, not_reached: { sent: 1, failed: 0 } });
  });
});

describe('the proof, with acks that carry evidence and acks that do not', () => {
  let dataDir: string;
  beforeAll(async () => {
    for (const a of agents.splice(0)) await a.stop();
    await tc.close(); // keepDir: the data stays
    stopped = true;
    dataDir = join(workDir, 'data');
    cpSync(join(tc.dir, 'data'), dataDir, { recursive: true });
  });
  const open = () => {
    const dir = mkdtempSync(join(workDir, 'copy-'));
    cpSync(dataDir, dir, { recursive: true });
    return new Database(join(dir, 'controller.sqlite'));
  };

  it('verifies whole; each ack is stored exactly as signed, the field only where its receiver sent it', () => {
    const db = open();
    expect(verifyProof(db, { checkTriggers: true }).problems).toEqual([]);
    const rows = db.prepare('SELECT * FROM acks ORDER BY chain_seq').all() as any[];
    for (const row of rows) {
      const { sig: _, ...unsigned } = ackFromRow(row);
      expect(storedAckCanonical(row)).toBe(canonicalize(unsigned));
    }
    const sent = rows.filter((r) => r.evidence !== null);
    expect(sent.map((r) => [r.receiver_id, r.stage, r.evidence])).toEqual([['br-rtp', 'finished', 'sent']]);
    // The loudspeaker's acks: no field at all, the bytes every receiver signed before it existed.
    for (const r of rows.filter((x) => x.receiver_id === 'rx-loa'))
      expect(storedAckCanonical(r)).not.toContain('evidence');
    db.close();
  });

  it('names a "sent" turned into "heard" by the owner of the database, even with the chain rewritten', () => {
    const db = open();
    for (const { prefix } of APPEND_ONLY_TABLES)
      db.exec(`DROP TRIGGER IF EXISTS ${prefix}_no_update; DROP TRIGGER IF EXISTS ${prefix}_no_delete;`);
    const target = db.prepare("SELECT chain_seq FROM acks WHERE evidence = 'sent'").get() as { chain_seq: number };
    db.prepare('UPDATE acks SET evidence = NULL WHERE chain_seq = ?').run(target.chain_seq);
    const inPlace = verifyProof(db, { checkTriggers: false }).problems;
    expect(inPlace).toContainEqual(expect.objectContaining({ problem: 'altered', chain_seq: target.chain_seq }));
    // Re-hashed from there on: the chain holds, the receiver's signature does not.
    let prev = (db.prepare('SELECT hash FROM acks WHERE chain_seq = ?').get(target.chain_seq - 1) as { hash: string })
      .hash;
    for (const r of db
      .prepare('SELECT * FROM acks WHERE chain_seq >= ? ORDER BY chain_seq')
      .all(target.chain_seq) as any[]) {
      const hash = ackHash(r.chain_seq, r, prev);
      db.prepare('UPDATE acks SET prev_hash = ?, hash = ? WHERE chain_seq = ?').run(prev, hash, r.chain_seq);
      prev = hash;
    }
    const rechained = verifyProof(db, { checkTriggers: false }).problems;
    expect(rechained).toContainEqual(
      expect.objectContaining({ problem: 'forged', chain_seq: target.chain_seq, receiver_id: 'br-rtp' }),
    );
    db.close();
  });
});
