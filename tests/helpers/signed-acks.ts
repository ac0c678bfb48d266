/**
 * A receiver's run of signed acks for one command, each naming the digest of the one before, as
 * the agents chain them (the ack door lets a run in on one verification).
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { PROTOCOL_VERSION, type Ack, type AckStage } from '../../controller/protocol/index.js';
import { ackDigest, signAck } from '../../controller/protocol/signing.js';

/** `firstSeq`: the run's first number (a new receiver's first ack is 0). */
export function signedRun(receiverId: string, privateKey: KeyObject, stages: AckStage[], firstSeq = 1): Ack[] {
  const commandId = randomUUID();
  let prev: string | undefined;
  return stages.map((stage, i) => {
    const unsigned: Ack = {
      v: PROTOCOL_VERSION,
      receiver_id: receiverId,
      seq: firstSeq + i,
      command_id: commandId,
      broadcast_id: null,
      stage,
      at: new Date(Date.UTC(2026, 11, 3, 8, 0, i)).toISOString(),
      reason: null,
      detail: null,
      ...(prev ? { prev } : {}),
    };
    prev = ackDigest(unsigned);
    return signAck(unsigned, privateKey);
  });
}
