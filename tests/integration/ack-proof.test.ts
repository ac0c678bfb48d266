/**
 * Proof of play that survives an audit: nobody with database access can quietly alter, delete
 * or forge an acknowledgement, or cut the newest ones off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import type { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { signAck } from '../../controller/protocol/signing.js';
import type { Ack } from '../../controller/protocol/messages.js';
import { ackHash } from '../../controller/coverage/ack-chain.js';
import { uploadReadyTone } from '../helpers/audio.js';
import { coverageRow, startTestAgent } from '../helpers/agents.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
const agents: ReceiverAgent[] = [];
const verify = async () => (await tc.api('GET', '/api/coverage/verify')).body;

beforeAll(async () => {
  tc = await startTestController();
  agents.push(await startTestAgent(tc, 'rx-proof-1', 'thon-1'), await startTestAgent(tc, 'rx-proof-2', 'thon-1'));
  const media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
  for (let i = 0; i < 2; i++) {
    const b = await tc.api('POST', '/api/broadcasts', { media_id: media.id, target: { hamlet_ids: ['thon-1'] } });
    for (const id of ['rx-proof-1', 'rx-proof-2']) await waitFor(async () => (await coverageRow(tc, b.body.id, id)).outcome === 'finished', 'play');
  }
  tc.controller.ackChain.signHead(new Date().toISOString());
  // From here on the tests play the part of someone editing the database by hand.
  for (const t of ['acks_no_update', 'acks_no_delete']) tc.controller.db.exec(`DROP TRIGGER ${t}`);
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await tc?.close();
});

const db = () => tc.controller.db;
const row = (seq: number) => db().prepare('SELECT * FROM acks WHERE chain_seq = ?').get(seq) as any;

describe('a replayed ack', () => {
  it('is stored once however often it is sent again (a copy edited to another broadcast breaks its signature: see the re-hashed case)', async () => {
    const before = (db().prepare('SELECT count(*) AS n FROM acks').get() as { n: number }).n;
    const genuine = row(2);
    const ack: Ack = { v: 1, receiver_id: genuine.receiver_id, seq: genuine.seq, command_id: genuine.command_id, broadcast_id: genuine.broadcast_id, stage: genuine.stage, at: genuine.at, reason: genuine.reason, detail: genuine.detail, sig: genuine.sig };
    for (let i = 0; i < 3; i++) tc.controller.acks.handle(genuine.receiver_id, Buffer.from(JSON.stringify(ack)));
    tc.controller.acks.flush();
    expect((db().prepare('SELECT count(*) AS n FROM acks').get() as { n: number }).n).toBe(before);
    expect((await verify()).ok).toBe(true);
  });
});

describe('verifying the ack store', () => {
  it('finds a whole, signed chain', async () => {
    const r = await verify();
    expect(r).toMatchObject({ ok: true, checked: 16, problems: [] });
    expect(r.signed_head).toBe(16);
  });

  it('names an altered ack', async () => {
    const before = row(5);
    db().prepare("UPDATE acks SET at = '2026-01-01T00:00:00.000Z' WHERE chain_seq = 5").run();
    const r = await verify();
    expect(r.problems).toContainEqual(expect.objectContaining({ chain_seq: 5, problem: 'altered' }));
    db().prepare('UPDATE acks SET at = ? WHERE chain_seq = 5').run(before.at);
    expect((await verify()).ok).toBe(true);
  });

  it('names an ack re-hashed to hide an edit: its receiver\'s signature no longer matches', async () => {
    const r5 = row(5);
    const at = '2026-01-01T00:00:00.000Z';
    db().prepare('UPDATE acks SET at = ?, hash = ? WHERE chain_seq = 5').run(at, ackHash(5, { ...r5, at }, r5.prev_hash));
    const problems = (await verify()).problems.filter((p: any) => p.chain_seq === 5 || p.chain_seq === 6).map((p: any) => p.problem);
    expect(problems).toEqual(expect.arrayContaining(['forged', 'altered'])); // 5's signature, 6's broken link
    db().prepare('UPDATE acks SET at = ?, hash = ? WHERE chain_seq = 5').run(r5.at, r5.hash);
  });

  it('names a deleted ack in the middle', async () => {
    const r7 = row(7);
    db().prepare('DELETE FROM acks WHERE chain_seq = 7').run();
    expect((await verify()).problems).toContainEqual(expect.objectContaining({ chain_seq: 7, problem: 'deleted' }));
    db().prepare(`INSERT INTO acks (${Object.keys(r7).join(', ')}) VALUES (${Object.keys(r7).map(() => '?').join(', ')})`).run(...Object.values(r7));
    expect((await verify()).ok).toBe(true);
  });

  it('names a tail cut off after the last signed head', async () => {
    const tail = [15, 16].map(row);
    db().prepare('DELETE FROM acks WHERE chain_seq >= 15').run();
    expect((await verify()).problems).toContainEqual(expect.objectContaining({ chain_seq: 16, problem: 'tail_deleted' }));
    for (const r of tail) db().prepare(`INSERT INTO acks (${Object.keys(r).join(', ')}) VALUES (${Object.keys(r).map(() => '?').join(', ')})`).run(...Object.values(r));
    expect((await verify()).ok).toBe(true);
  });

  it('names a forged ack appended with the chain done right but a key that is not the receiver\'s', async () => {
    const last = row(16);
    const { privateKey } = generateKeyPairSync('ed25519');
    const unsigned: Ack = { v: 1, receiver_id: 'rx-proof-1', seq: 999, command_id: last.command_id, broadcast_id: last.broadcast_id, stage: 'rejected', at: last.at, reason: null, detail: null };
    const forged = signAck(unsigned, privateKey);
    const received_at = new Date().toISOString();
    const hash = ackHash(17, { ...forged, received_at }, last.hash);
    db().prepare(`INSERT INTO acks (receiver_id, command_id, stage, seq, broadcast_id, at, received_at, reason, detail, sig, chain_seq, prev_hash, hash)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 17, ?, ?)`).run(forged.receiver_id, forged.command_id, forged.stage, forged.seq, forged.broadcast_id, forged.at, received_at, null, null, forged.sig, last.hash, hash);
    expect((await verify()).problems).toContainEqual(expect.objectContaining({ chain_seq: 17, problem: 'forged', receiver_id: 'rx-proof-1' }));
  });
});
