/**
 * What an anchor is and how its signature is made and checked, without zod: the verifier needs only
 * this (when the store check ran in a worker thread, loading zod and every protocol schema there
 * only to check signatures cost 15 MB of the controller's memory). Reading anchors from files
 * people hand in, with schemas, is anchors.ts.
 */
import { verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { CommandSigner } from '../protocol/signing.js';
import type { ProofHead } from '../protocol/messages.js';

export interface KeysAnchor {
  kind: 'keys';
  /** When these were the controller's keys (it records them at start and on every change). */
  at: string;
  signing: string[];
  receivers: Record<string, string[]>;
  /** Signed by the controller like a head: a record anyone could write would accuse (or clear) anyone. */
  key_id?: string;
  sig?: string;
}
export type HeadAnchor = ProofHead & { kind: 'head'; source?: string };
export type AnchorRecord = HeadAnchor | KeysAnchor;

const keysBytes = (k: KeysAnchor) =>
  Buffer.from(
    canonicalize({ kind: k.kind, at: k.at, signing: k.signing, receivers: k.receivers, key_id: k.key_id }) ?? '',
    'utf8',
  );

export function signKeysAnchor(unsigned: Omit<KeysAnchor, 'sig' | 'key_id'>, signer: CommandSigner): KeysAnchor {
  const withKey = { ...unsigned, key_id: signer.keyId };
  return { ...withKey, sig: signer.signBytes(keysBytes(withKey)) };
}

export function keysAnchorValid(k: KeysAnchor, trusted: Map<string, KeyObject>): boolean {
  const key = k.key_id ? trusted.get(k.key_id) : undefined;
  if (!key || !k.sig) return false;
  try {
    return verify(null, keysBytes(k), key, Buffer.from(k.sig, 'base64'));
  } catch {
    return false;
  }
}

export const headAnchor = (head: ProofHead, source?: string): HeadAnchor => ({
  kind: 'head',
  ...head,
  ...(source ? { source } : {}),
});
