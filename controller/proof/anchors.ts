/**
 * Anchors: copies of signed heads and key fingerprints kept where the commune's database cannot
 * change them (a receiver's state, the province's copy of upward reports, a witness). The
 * verifier compares a bundle with them. `readAnchors` takes what people will actually have in
 * hand: a witness's anchors.jsonl, a receiver agent's state.json, an upward report as sent, a
 * proof export's anchors, or a JSON array of any of these.
 */
import { verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import type { CommandSigner } from '../protocol/signing.js';
import { proofHeadSchema, type ProofHead } from '../protocol/messages.js';

export const keysAnchorSchema = z.object({
  kind: z.literal('keys'),
  /** When these were the controller's keys (it records them at start and on every change). */
  at: z.iso.datetime({ offset: false }),
  signing: z.array(z.string()),
  receivers: z.record(z.string(), z.array(z.string())),
  /** Signed by the controller like a head: a record anyone could write would accuse (or clear) anyone. */
  key_id: z.string().optional(),
  sig: z.string().optional(),
});
export type KeysAnchor = z.infer<typeof keysAnchorSchema>;

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
export type HeadAnchor = ProofHead & { kind: 'head'; source?: string };
export type AnchorRecord = HeadAnchor | KeysAnchor;

export const headAnchor = (head: ProofHead, source?: string): HeadAnchor => ({
  kind: 'head',
  ...head,
  ...(source ? { source } : {}),
});

/** Every head and key record found in a parsed JSON value, wherever it sits (records, state files, reports). */
function collect(value: unknown, source: string, out: AnchorRecord[], depth = 0): void {
  if (depth > 6 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collect(v, source, out, depth + 1);
    return;
  }
  const head = proofHeadSchema.safeParse(value);
  if (head.success) {
    out.push(headAnchor(head.data, (value as { source?: string }).source ?? source));
    return;
  }
  const keys = keysAnchorSchema.safeParse(value);
  if (keys.success) {
    out.push(keys.data);
    return;
  }
  for (const v of Object.values(value)) collect(v, source, out, depth + 1);
}

export function readAnchors(text: string, source: string): AnchorRecord[] {
  const out: AnchorRecord[] = [];
  try {
    collect(JSON.parse(text), source, out);
  } catch {
    // Not one JSON document: JSON lines.
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        collect(JSON.parse(line), source, out);
      } catch {
        // A torn last line (a power cut while writing): the lines before are still good.
      }
    }
  }
  return out;
}
