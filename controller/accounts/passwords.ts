/**
 * Password hashing, one home: argon2id with a small memory cost, one hash at a time.
 *
 * Each argon2 run holds its whole memory cost while it runs. With @node-rs/argon2's default
 * (19 MiB) an outsider measured a staff login at +19.5 MB of the controller's RSS (157-163 MB, on a
 * box whose controller must stay under 150 MB), and six to ten simultaneous wrong passwords, which
 * anyone who can reach the login page can send, at 202-208 MB (2026-12-04). So:
 * - the cost is OWASP's equivalent configuration with less memory (m=7 MiB, t=5, p=1: the same
 *   resistance as m=19 MiB, t=2 by its guidance), and a hash made with other settings is made again
 *   at the next successful login;
 * - hashes and verifications run one at a time: a burst of logins waits its turn (tens of
 *   milliseconds each) instead of holding one buffer each.
 */
import { hash, verify } from '@node-rs/argon2';

const OPTIONS = { memoryCost: 7 * 1024, timeCost: 5, parallelism: 1 } as const;
/** The start of a hash made with OPTIONS (argon2id, version 19). */
const CURRENT_PREFIX = `$argon2id$v=19$m=${OPTIONS.memoryCost},t=${OPTIONS.timeCost},p=${OPTIONS.parallelism}$`;

let queue: Promise<unknown> = Promise.resolve();
/** Runs `work` after every argon2 run asked for before it. */
function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => {});
  return run;
}

export function hashPassword(password: string): Promise<string> {
  return inTurn(() => hash(password, OPTIONS));
}

/** False, never an error, for a hash that cannot be read. */
export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return inTurn(() => verify(passwordHash, password).catch(() => false));
}

/** Whether a stored hash was made with other settings than today's (made again at the next login). */
export function needsRehash(passwordHash: string): boolean {
  return !passwordHash.startsWith(CURRENT_PREFIX);
}

let dummy: Promise<string> | undefined;
/** A hash to verify against when the username is unknown, so that the answer takes as long either way. */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('not-a-password-of-anyone');
  return dummy;
}
