import { describe, expect, it } from 'vitest';
import { CommandSigner, CommandVerifier, canonicalBytes } from '../../../controller/protocol/signing.js';
import { signedCommandSchema, type UnsignedCommand } from '../../../controller/protocol/messages.js';

const command: UnsignedCommand = {
  v: 1,
  type: 'play',
  command_id: '7f0c1c9e-6a55-4c53-9d5e-3c2d8f0e4b11',
  broadcast_id: '0b3e8d9c-2f4a-4e1b-8c7d-6a5b4c3d2e1f',
  issued_at: '2026-11-25T21:00:00.000Z',
  expires_at: '2026-11-25T21:15:00.000Z',
  target: { kind: 'hamlet', id: 'thon-1' },
  priority: 'emergency',
  volume_pct: 90,
  play_at: null,
  repeat_count: 1,
  repeat_interval_s: 0,
  drill: false,
  media: {
    url: 'http://127.0.0.1:8080/api/media/x/audio',
    sha256: 'a'.repeat(64),
    size_bytes: 1000,
    duration_ms: 5000,
    mime: 'audio/mpeg',
  },
  stream: null,
};

describe('command signatures', () => {
  const { signer } = CommandSigner.generate();
  const verifier = new CommandVerifier([signer.publicKeyPem]);

  it('verifies what the controller signed, and the result fits the wire schema', () => {
    const signed = signer.sign(command);
    expect(signedCommandSchema.safeParse(signed).success).toBe(true);
    expect(verifier.verify(signed)).toBe('ok');
  });

  it('does not depend on the order of fields', () => {
    const signed = signer.sign(command);
    const reordered = Object.fromEntries(Object.entries(signed).reverse()) as typeof signed;
    expect(verifier.verify(reordered)).toBe('ok');
    expect(
      canonicalBytes(command).equals(
        canonicalBytes(Object.fromEntries(Object.entries(command).reverse()) as UnsignedCommand),
      ),
    ).toBe(true);
  });

  it.each([
    ['volume', { volume_pct: 100 }],
    ['target', { target: { kind: 'hamlet', id: 'thon-2' } }],
    ['expiry', { expires_at: '2026-11-26T21:15:00.000Z' }],
    ['media hash', { media: { ...command.media, sha256: 'b'.repeat(64) } }],
    ['priority', { priority: 'normal' }],
  ])('refuses a command whose %s was changed after signing', (_what, change) => {
    const signed = { ...signer.sign(command), ...change } as any;
    expect(verifier.verify(signed)).toBe('bad_signature');
  });

  it('refuses a flipped bit in the signature and a key it does not trust', () => {
    const signed = signer.sign(command);
    const sig = Buffer.from(signed.sig.value, 'base64');
    sig[10] ^= 0x01;
    expect(verifier.verify({ ...signed, sig: { ...signed.sig, value: sig.toString('base64') } })).toBe('bad_signature');
    const other = CommandSigner.generate().signer;
    expect(verifier.verify(other.sign(command))).toBe('unknown_key');
    // A forger who copies our key id still fails.
    const forged = other.sign(command);
    expect(verifier.verify({ ...forged, sig: { ...forged.sig, key_id: signer.keyId } })).toBe('bad_signature');
  });

  it('accepts either key during a key rotation', () => {
    const next = CommandSigner.generate().signer;
    const both = new CommandVerifier([signer.publicKeyPem, next.publicKeyPem]);
    expect(both.verify(signer.sign(command))).toBe('ok');
    expect(both.verify(next.sign(command))).toBe('ok');
  });

  it('reloads the same key from PEM', () => {
    const { signer: s, privateKeyPem } = CommandSigner.generate();
    expect(CommandSigner.fromPem(privateKeyPem).keyId).toBe(s.keyId);
  });
});
