/**
 * The door's signature check for acks checked together (controller/coverage/ack-door.ts): a
 * verified ack vouches for the one its `prev` names, so a receiver's run of chained acks costs one
 * verification; anything the chain does not vouch for exactly is verified on its own, and refused
 * when its signature does not hold.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AckDoor } from '../../../controller/coverage/ack-door.js';
import type { Ack, AckStage } from '../../../controller/protocol/index.js';
import { ackDigest, publicKeyFromPem, signAck } from '../../../controller/protocol/signing.js';
import { signedRun } from '../../helpers/signed-acks.js';

const keyPair = () => generateKeyPairSync('ed25519');
const mine = keyPair();
const pem = mine.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const history = { receiverPems: (id: string) => (id === 'rx-1' ? [pem] : []) };

/** A receiver's chain of acks for one command, each naming the digest of the one before. */
const chain = (stages: AckStage[]): Ack[] => signedRun('rx-1', mine.privateKey, stages);

describe('the door', () => {
  it('lets a whole run in on one verification, whatever order the acks came in', async () => {
    const door = new AckDoor(history);
    const run = chain(['received', 'downloaded', 'started', 'finished']);
    expect(await door.check([run[2], run[0], run[3], run[1]])).toEqual([undefined, undefined, undefined, undefined]);
    expect(door.stats).toEqual({ verified: 1, vouched: 3 });
  });

  it('verifies each ack on its own when they come apart', async () => {
    const door = new AckDoor(history);
    const run = chain(['received', 'finished']);
    expect(await door.check([run[0]])).toEqual([undefined]);
    expect(await door.check([run[1]])).toEqual([undefined]);
    expect(door.stats).toEqual({ verified: 2, vouched: 0 });
  });

  it('refuses an ack changed after it was signed, even in the middle of a good run', async () => {
    const door = new AckDoor(history);
    const run = chain(['received', 'downloaded', 'started', 'finished']);
    const forged = { ...run[1], stage: 'failed' as const, reason: 'player_error' as const };
    expect(await door.check([run[0], forged, run[2], run[3]])).toEqual([
      undefined,
      'bad_signature',
      undefined,
      undefined,
    ]);
  });

  it('refuses a forged last ack, and does not let the run it names in on its word', async () => {
    const door = new AckDoor(history);
    const run = chain(['received', 'downloaded']);
    const intruder = keyPair();
    // Someone else's key signs a "finished" naming the real "downloaded" as its prev.
    const fake = signAck(
      { ...run[1], seq: 3, stage: 'finished' as const, prev: ackDigest(run[1]), sig: null },
      intruder.privateKey,
    );
    expect(await door.check([run[0], run[1], fake])).toEqual([undefined, undefined, 'bad_signature']);
    // The real acks were verified on their own (one vouched by the other), not on the forgery's chain.
    expect(door.stats.verified).toBe(2);
  });

  it('refuses an unsigned ack even when the run vouches for its bytes (an unsigned row is a finding of the proof check)', async () => {
    const door = new AckDoor(history);
    const run = chain(['received', 'downloaded']);
    const unsigned = { ...run[0], sig: null };
    expect(await door.check([unsigned, run[1]])).toEqual(['no_signature', undefined]);
  });

  it('refuses every ack of a receiver with no key', async () => {
    const door = new AckDoor(history);
    const run = chain(['received']).map((a) => ({ ...a, receiver_id: 'rx-unknown' }));
    expect(await door.check(run)).toEqual(['bad_signature']);
  });
});

describe('a public key read from its PEM', () => {
  it('is the same key whichever way it is read: Ed25519 through its 32 bytes, anything else through the decoder', () => {
    for (let i = 0; i < 20; i++) {
      const { publicKey } = keyPair();
      const text = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      expect(publicKeyFromPem(text).equals(publicKey)).toBe(true);
    }
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(publicKeyFromPem(rsa.export({ type: 'spki', format: 'pem' }).toString()).equals(rsa)).toBe(true);
    expect(() => publicKeyFromPem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n')).toThrow();
  });
});

describe('a receiver whose stored key cannot be read', () => {
  it("refuses its acks and still lets the others' in, checked in the same batch", async () => {
    const door = new AckDoor({
      receiverPems: (id: string) =>
        id === 'rx-1' ? [pem] : ['-----BEGIN PUBLIC KEY-----\nbroken\n-----END PUBLIC KEY-----\n'],
    });
    const good = chain(['received']);
    const other = { ...chain(['received'])[0], receiver_id: 'rx-broken' };
    expect(await door.check([other, ...good])).toEqual(['bad_signature', undefined]);
  });
});
