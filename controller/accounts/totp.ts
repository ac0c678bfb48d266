/** Time-based one-time codes (RFC 6238): 6 digits every 30 s, one step of clock drift allowed either way. */
import * as OTPAuth from 'otpauth';

const ISSUER = 'Truyen thanh';

function totp(secret: string, username: string) {
  return new OTPAuth.TOTP({
    issuer: ISSUER,
    label: username,
    secret: OTPAuth.Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  });
}

/** A new random secret (base32), to enrol an authenticator app with. */
export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

/** The otpauth:// address an authenticator app reads (shown as a QR code). */
export function totpUrl(secret: string, username: string): string {
  return totp(secret, username).toString();
}

/** Whether `code` (spaces allowed) is valid for `secret` at `at`. */
export function totpValid(secret: string, username: string, code: string, at: Date): boolean {
  return (
    totp(secret, username).validate({
      token: code.replace(/\s/g, ''),
      window: 1,
      timestamp: at.getTime(),
    }) !== null
  );
}
