/**
 * Signed heads of the two append-only logs (acks, audit). A head says "this log had `chain_seq`
 * rows and its last hash was `hash`", is numbered per log (`head_seq` 1, 2, 3, …) and names the
 * digest of the head before it, so heads form a chain of their own: a head deleted or moved shows.
 * Heads are signed often (the acks' at every receipt round, both every second while they move, at
 * start and at shutdown) and copied off the box: into receipts, upward reports and the witness.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Db } from '../db/database.js';
import type { ProofHead } from '../protocol/messages.js';
import type { CommandSigner } from '../protocol/signing.js';

export type LogName = ProofHead['log'];
/** The link before the first head: the same genesis as the logs' own chains. */
export { GENESIS } from '../coverage/ack-chain.js';
import { GENESIS } from '../coverage/ack-chain.js';

/** A head's own fields only: a copy kept as an anchor carries more (its kind, where it came from). */
const headFields = (h: Omit<ProofHead, 'sig'> & { sig?: string }) => ({
  log: h.log,
  head_seq: h.head_seq,
  chain_seq: h.chain_seq,
  hash: h.hash,
  prev_head: h.prev_head,
  signed_at: h.signed_at,
  key_id: h.key_id,
});

const unsignedBytes = (head: Omit<ProofHead, 'sig'> & { sig?: string }): Buffer =>
  Buffer.from(canonicalize(headFields(head)) ?? '', 'utf8');

/** What the next head names as `prev_head`: sha256 over the whole head, signature included. */
export const headDigest = (head: ProofHead): string =>
  createHash('sha256')
    .update(canonicalize({ ...headFields(head), sig: head.sig }) ?? '')
    .digest('hex');

export function headSignatureValid(head: ProofHead, publicKey: KeyObject | string): boolean {
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    return verify(null, unsignedBytes(head), key, Buffer.from(head.sig, 'base64'));
  } catch {
    return false;
  }
}

/** The tip of a log: how many rows and the last row's hash. */
export type LogTip = { chain_seq: number; hash: string };

export class ProofHeads {
  private readonly latestByLog = new Map<LogName, ProofHead | null>();
  private readonly insertStmt;
  private readonly listeners: ((head: ProofHead) => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly signer: CommandSigner,
  ) {
    this.insertStmt = db.prepare(
      'INSERT INTO proof_heads (log, head_seq, chain_seq, hash, prev_head, signed_at, key_id, sig) VALUES (@log, @head_seq, @chain_seq, @hash, @prev_head, @signed_at, @key_id, @sig)',
    );
  }

  /** Called with every new head (the witness copies them off the box). */
  onHead(listener: (head: ProofHead) => void): void {
    this.listeners.push(listener);
  }

  latest(log: LogName): ProofHead | null {
    if (!this.latestByLog.has(log)) {
      const row = this.db
        .prepare<[string], ProofHead>(
          'SELECT log, head_seq, chain_seq, hash, prev_head, signed_at, key_id, sig FROM proof_heads WHERE log = ? ORDER BY head_seq DESC LIMIT 1',
        )
        .get(log);
      this.latestByLog.set(log, row ?? null);
    }
    return this.latestByLog.get(log)!;
  }

  /**
   * Signs a head for the log's tip if the tip moved since the last head (returns the latest head
   * either way; null for a log still empty and never signed).
   */
  sign(log: LogName, tip: LogTip, at: string): ProofHead | null {
    const last = this.latest(log);
    if (last && last.chain_seq === tip.chain_seq && last.hash === tip.hash) return last;
    if (!last && tip.chain_seq === 0) return null;
    const unsigned = {
      log,
      head_seq: (last?.head_seq ?? 0) + 1,
      chain_seq: tip.chain_seq,
      hash: tip.hash,
      prev_head: last ? headDigest(last) : GENESIS,
      signed_at: at,
      key_id: this.signer.keyId,
    };
    const head: ProofHead = { ...unsigned, sig: this.signer.signBytes(unsignedBytes(unsigned)) };
    try {
      this.insertStmt.run(head);
    } catch (err) {
      this.latestByLog.delete(log); // another writer (a second process on the same file): read it again next time
      throw err;
    }
    this.latestByLog.set(log, head);
    for (const listener of this.listeners) listener(head);
    return head;
  }
}
