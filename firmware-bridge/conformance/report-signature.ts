/**
 * The report's signature: Ed25519 over the RFC 8785 canonical JSON of the report, the signature
 * block included without its value (so the key it names is signed too), made with the kit's own
 * controller key of the run. That key lives only for the run: what ties a JSON file to a run is
 * its public key, printed in the text report that is signed on paper. `--verify-report` checks a
 * file against the key it carries and shows that key to compare.
 */
import { createPublicKey, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { keyIdOf, type CommandSigner } from '../../controller/protocol/signing.js';
import type { ConformanceReport } from './report.js';

export interface ReportSignature {
  alg: 'ed25519';
  key_id: string;
  /** The public key: SPKI DER, base64 (one line, to print and to copy). */
  public_key: string;
  value: string;
}

function signedBytes(report: object, block: Omit<ReportSignature, 'value'>): Buffer {
  const { signature: _, ...rest } = report as { signature?: unknown };
  const text = canonicalize({ ...rest, signature: block });
  if (text === undefined) throw new Error('the report cannot be canonicalised');
  return Buffer.from(text, 'utf8');
}

export function signReport(report: ConformanceReport, signer: CommandSigner): ConformanceReport {
  const key = createPublicKey(signer.publicKeyPem);
  const block = {
    alg: 'ed25519' as const,
    key_id: signer.keyId,
    public_key: key.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
  return { ...report, signature: { ...block, value: signer.signBytes(signedBytes(report, block)) } };
}

export type Verification =
  | { ok: true; key_id: string; public_key: string; verdict: string }
  | { ok: false; reason: 'no_signature' | 'mismatch' };

/** Checks a report read back from its JSON file. */
export function verifyReport(report: unknown): Verification {
  const sig = (report as { signature?: Partial<ReportSignature> } | null)?.signature;
  if (!sig || typeof sig.public_key !== 'string' || typeof sig.value !== 'string')
    return { ok: false, reason: 'no_signature' };
  try {
    const key = createPublicKey({ key: Buffer.from(sig.public_key, 'base64'), format: 'der', type: 'spki' });
    const block = { alg: sig.alg, key_id: sig.key_id, public_key: sig.public_key } as Omit<ReportSignature, 'value'>;
    const ok =
      sig.alg === 'ed25519' &&
      keyIdOf(key) === sig.key_id &&
      verify(null, signedBytes(report as object, block), key, Buffer.from(sig.value, 'base64'));
    if (ok)
      return {
        ok,
        key_id: sig.key_id!,
        public_key: sig.public_key,
        verdict: String((report as { verdict?: unknown }).verdict),
      };
  } catch {
    /* a key that is not a key: the same answer as a wrong signature */
  }
  return { ok: false, reason: 'mismatch' };
}
