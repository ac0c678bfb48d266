/**
 * Ed25519 signatures over the RFC 8785 canonical JSON of a command without its `sig` field.
 * Broker access alone must never make a speaker play (see shared CONTEXT: Dallas sirens, 2017):
 * receivers play only commands that verify against the controller's public key.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import canonicalize from 'canonicalize';
import type { SignedCommand, UnsignedCommand } from './messages.js';

export function canonicalBytes(command: UnsignedCommand): Buffer {
  const text = canonicalize(command);
  if (text === undefined) throw new Error('command cannot be canonicalised');
  return Buffer.from(text, 'utf8');
}

/** A short, stable id of a public key: the first 16 hex digits of sha256 over its DER encoding. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export class CommandSigner {
  readonly keyId: string;
  readonly publicKeyPem: string;

  constructor(private readonly privateKey: KeyObject) {
    const publicKey = createPublicKey(privateKey);
    this.keyId = keyIdOf(publicKey);
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  static generate(): { signer: CommandSigner; privateKeyPem: string } {
    const { privateKey } = generateKeyPairSync('ed25519');
    return {
      signer: new CommandSigner(privateKey),
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  }

  static fromPem(pem: string): CommandSigner {
    return new CommandSigner(createPrivateKey(pem));
  }

  /** Signs raw bytes (the ack chain's head), base64. */
  signBytes(bytes: Buffer): string {
    return sign(null, bytes, this.privateKey).toString('base64');
  }

  sign<T extends UnsignedCommand>(command: T): T & { sig: SignedCommand['sig'] } {
    const value = sign(null, canonicalBytes(command), this.privateKey).toString('base64');
    return { ...command, sig: { alg: 'ed25519', key_id: this.keyId, value } };
  }
}

/** A receiver signs each ack with its own key, so that stored proof of play can be checked later. */
export function signAck<T extends { sig?: string | null }>(ack: T, privateKey: KeyObject): T {
  const { sig: _, ...unsigned } = ack;
  const text = canonicalize(unsigned);
  return { ...ack, sig: sign(null, Buffer.from(text ?? '', 'utf8'), privateKey).toString('base64') };
}

/**
 * An ack's digest in its receiver's own chain: sha256 (hex) over the canonical ack without `sig`,
 * the very bytes the receiver signs. The next ack carries it as `prev`.
 */
export function ackDigest(ack: Record<string, unknown>): string {
  const { sig: _, ...unsigned } = ack;
  return createHash('sha256')
    .update(canonicalize(unsigned) ?? '')
    .digest('hex');
}

/** The DER prefix of every Ed25519 SubjectPublicKeyInfo (RFC 8410): the 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * A public key from its PEM. An Ed25519 key (every receiver's) is read from its 32 bytes as a JWK:
 * OpenSSL's PEM and DER decoders take about 80 µs a key, a JWK about 6 µs, and the ack door meets
 * thousands of receivers' keys at once after a start. Anything else goes through the decoder.
 */
export function publicKeyFromPem(pem: string): KeyObject {
  const body = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----|\s/g, '');
  const der = Buffer.from(body, 'base64');
  if (der.length === 44 && der.subarray(0, 12).equals(ED25519_SPKI_PREFIX))
    return createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: der.subarray(12).toString('base64url') },
      format: 'jwk',
    });
  return createPublicKey(pem);
}

export function verifyAck(ack: Record<string, unknown> & { sig?: string | null }, publicKeyPem: string): boolean {
  try {
    return verifyAckWith(ack, publicKeyFromPem(publicKeyPem));
  } catch {
    return false;
  }
}

/** What an ack's signature covers: the ack without its `sig`, canonical (RFC 8785). */
function ackSignedBytes(ack: Record<string, unknown>): Buffer {
  const { sig: _, ...unsigned } = ack;
  return Buffer.from(canonicalize(unsigned) ?? '', 'utf8');
}

/** The same, with the key already parsed (the ingest path checks thousands of acks a second). */
export function verifyAckWith(ack: Record<string, unknown> & { sig?: string | null }, publicKey: KeyObject): boolean {
  if (!ack.sig) return false;
  try {
    return verify(null, ackSignedBytes(ack), publicKey, Buffer.from(ack.sig, 'base64'));
  } catch {
    return false;
  }
}

/**
 * The same, verified on libuv's thread pool: the calling thread only canonicalizes and hands the
 * check over (about 15 µs against 80 µs), so the ack door uses the second core while the
 * controller's thread routes commands and stores acks. A signature that does not verify (of any
 * length) resolves false; the promise rejects only when the check itself failed.
 */
export function verifyAckOffThread(
  ack: Record<string, unknown> & { sig?: string | null },
  publicKey: KeyObject,
): Promise<boolean> {
  if (!ack.sig) return Promise.resolve(false);
  const { sig } = ack;
  return new Promise((resolve, reject) => {
    try {
      verify(null, ackSignedBytes(ack), publicKey, Buffer.from(sig, 'base64'), (err, ok) =>
        // A failure of the check itself is not a bad signature: refused, the ack would be dropped
        // by its receiver for good; failed, it is not receipted, and its receiver sends it again.
        err ? reject(err) : resolve(ok),
      );
    } catch {
      resolve(false); // what cannot even be handed over (a key of another kind): not this receiver's signature
    }
  });
}

export class CommandVerifier {
  private readonly keys = new Map<string, KeyObject>();

  /** Trusted controller public keys (PEM); more than one during a key rotation. */
  constructor(publicKeyPems: string[]) {
    for (const pem of publicKeyPems) {
      const key = createPublicKey(pem);
      this.keys.set(keyIdOf(key), key);
    }
  }

  verify(command: SignedCommand): 'ok' | 'unknown_key' | 'bad_signature' {
    const key = this.keys.get(command.sig.key_id);
    if (!key) return 'unknown_key';
    const { sig, ...unsigned } = command;
    try {
      const ok = verify(null, canonicalBytes(unsigned as UnsignedCommand), key, Buffer.from(sig.value, 'base64'));
      return ok ? 'ok' : 'bad_signature';
    } catch {
      return 'bad_signature';
    }
  }
}
