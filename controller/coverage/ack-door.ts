/**
 * The signature check at the door, for acks that come in together. Each receiver chains its acks:
 * an ack carries `prev`, the digest of the receiver's ack before it, under its own signature. So
 * among one receiver's acks checked together, an ack whose signature verifies vouches for the
 * exact bytes of the ack it names, and that one needs no Ed25519 verification of its own (about
 * 60-120 µs each, most of ingest's cost). A receiver's received, downloaded and started acks of a
 * cached item come within milliseconds of each other: one verification for the run. The proof
 * verifier reads the chain the same way (one signature per run of chained acks).
 *
 * An ack must still carry a signature to be stored (an unsigned row is a finding of the proof
 * check); one not vouched for by a later ack of the same run is verified on its own.
 *
 * The verifications run on libuv's thread pool (the second core), the receivers of a chunk at once;
 * the controller's thread only hands them over.
 */
import type { KeyObject } from 'node:crypto';
import type { Ack, AckRefusal } from '../protocol/messages.js';
import { ackDigest, publicKeyFromPem, verifyAckOffThread } from '../protocol/signing.js';
import type { KeyHistory } from '../proof/key-history.js';

export class AckDoor {
  /** Signatures verified, and acks let in on the chain of a verified one (metrics, benchmarks). */
  readonly stats = { verified: 0, vouched: 0 };
  /** Parsed ack keys by PEM: a re-enrolled receiver's new PEM gets its own entry. */
  private readonly keys = new Map<string, KeyObject>();

  constructor(private readonly history: Pick<KeyHistory, 'receiverPems'>) {}

  /** For each ack, in the order given: undefined when it may be stored, else why it is refused. */
  async check(acks: Ack[]): Promise<(AckRefusal | undefined)[]> {
    const verdicts: (AckRefusal | undefined)[] = new Array(acks.length);
    const byReceiver = new Map<string, number[]>();
    acks.forEach((a, i) => {
      const indices = byReceiver.get(a.receiver_id);
      if (indices) indices.push(i);
      else byReceiver.set(a.receiver_id, [i]);
    });
    await Promise.all(
      [...byReceiver].map(async ([receiverId, indices]) => {
        const pems = this.history.receiverPems(receiverId);
        // The newest first: a verified ack's `prev` lets the one before it in.
        const vouchedFor = new Set<string>();
        for (const i of indices.sort((x, y) => acks[y].seq - acks[x].seq)) {
          const ack = acks[i];
          const verdict = await this.verdict(ack, pems, vouchedFor);
          verdicts[i] = verdict;
          if (!verdict && ack.prev) vouchedFor.add(ack.prev);
        }
      }),
    );
    return verdicts;
  }

  private async verdict(ack: Ack, pems: string[], vouchedFor: Set<string>): Promise<AckRefusal | undefined> {
    // No key in its history (its rows deleted, or never enrolled here): nothing can vouch for the ack.
    if (pems.length === 0) return ack.sig ? 'bad_signature' : 'no_signature';
    if (!ack.sig) return 'no_signature';
    if (vouchedFor.size > 0 && vouchedFor.has(ackDigest(ack))) {
      this.stats.vouched++;
      return undefined;
    }
    this.stats.verified++;
    // The newest key first; an earlier one signed acks still in the receiver's outbox from before a re-enrolment.
    for (const pem of pems) if (await this.verifiesWith(ack, pem)) return undefined;
    return 'bad_signature';
  }

  /** False for a key that cannot be read too: one receiver's broken key must not fail the others' acks checked with it. */
  private verifiesWith(ack: Ack, pem: string): Promise<boolean> {
    try {
      return verifyAckOffThread(ack, this.keyOf(pem));
    } catch {
      return Promise.resolve(false);
    }
  }

  private keyOf(pem: string): KeyObject {
    let key = this.keys.get(pem);
    if (!key) {
      if (this.keys.size >= 20_000) this.keys.clear();
      key = publicKeyFromPem(pem);
      this.keys.set(pem, key);
    }
    return key;
  }
}
