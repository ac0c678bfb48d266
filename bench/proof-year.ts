/**
 * A year of a commune's proof, made as the real thing would be: every receiver has its own key and
 * signs every ack, chained to its previous one (`prev`); the controller chains and heads the log;
 * the audit log holds every enrolment. The proof bench verifies a full year of it; tests make a
 * few weeks.
 */
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { openDatabase } from '../controller/db/database.js';
import { ackHash, GENESIS } from '../controller/coverage/ack-chain.js';
import { AuditRepository } from '../controller/audit/audit-repository.js';
import { CommandSigner } from '../controller/protocol/signing.js';
import { ProofHeads } from '../controller/proof/proof-heads.js';
import { KeyHistory } from '../controller/proof/key-history.js';
import { storedAckCanonical, type StoredAckRow } from '../controller/proof/stored-ack.js';
import { nowMs } from './stats.js';

const STAGES = ['received', 'downloaded', 'started', 'finished'] as const;

/** A year of proof in a SQLite file with the controller's own schema; returns how long making it took. */
export function makeYear(
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
