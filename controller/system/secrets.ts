/**
 * Secrets made at first start and kept in data_dir/secrets (mode 0600): the controller's
 * Ed25519 signing key, the secret that signs health webhooks (when health.webhook_url is set)
 * and, without TT_ADMIN_PASSWORD, the first administrator's password.
 * There is no default password anywhere: a fresh install makes its own, and says where.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandSigner } from '../protocol/signing.js';

export function loadOrCreateSigner(secretsDir: string): CommandSigner {
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const keyFile = join(secretsDir, 'controller-signing-key.pem');
  if (existsSync(keyFile)) return CommandSigner.fromPem(readFileSync(keyFile, 'utf8'));
  const { signer, privateKeyPem } = CommandSigner.generate();
  writeFileSync(keyFile, privateKeyPem, { mode: 0o600, flag: 'wx' });
  chmodSync(keyFile, 0o600);
  return signer;
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A shared secret kept in `file`: read when it exists (a person may put their own there), made once otherwise. */
export function loadOrCreateSecret(file: string): string {
  const kept = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (kept) return kept;
  const made = randomSecret();
  writeSecretFile(file, made);
  return made;
}

export function writeSecretFile(file: string, value: string): void {
  writeFileSync(file, value + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
}
