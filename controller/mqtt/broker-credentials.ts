/**
 * Who a client of the embedded broker is: the receivers' credentials as a table the broker holds
 * itself (it runs in its own thread, away from the database), kept current by the controller on
 * every enrolment, rotation, revocation and hamlet move. Secrets are compared by their sha256, in
 * constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { CONTROLLER_USERNAME, type BrokerPrincipal } from './broker-acl.js';

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Whether `secret` is the one whose hashSecret is `storedHash`, in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** What the broker knows of an enrolled receiver. */
export interface ReceiverCredential {
  id: string;
  secret_hash: string;
  hamlet_id: string;
}

export interface BrokerAuthenticator {
  /** Resolves the principal of a CONNECT, or undefined to refuse it. */
  authenticate(
    clientId: string,
    username: string | undefined,
    password: Buffer | undefined,
  ): BrokerPrincipal | undefined;
  /** The principal's current view (a receiver may have moved hamlet since it connected). */
  refresh(principal: BrokerPrincipal): BrokerPrincipal | undefined;
  /** Which credential a receiver has now (secret and hamlet), to tell a session opened with an older one; undefined: none. */
  versionOf(receiverId: string): string | undefined;
}

export class CredentialTable implements BrokerAuthenticator {
  private readonly receivers = new Map<string, ReceiverCredential>();
  private readonly controllerSecret: Buffer;

  constructor(controllerSecret: string, receivers: readonly ReceiverCredential[]) {
    this.controllerSecret = Buffer.from(controllerSecret);
    for (const r of receivers) this.receivers.set(r.id, r);
  }

  /** A receiver's current credential; null when it has none (revoked, deleted). */
  set(id: string, credential: ReceiverCredential | null): void {
    if (credential) this.receivers.set(id, credential);
    else this.receivers.delete(id);
  }

  authenticate(clientId: string, username: string | undefined, password: Buffer | undefined) {
    if (!username || !password) return undefined;
    if (username === CONTROLLER_USERNAME) {
      const expected = this.controllerSecret;
      return password.length === expected.length && timingSafeEqual(password, expected)
        ? ({ kind: 'controller' } as const)
        : undefined;
    }
    // A receiver's client id must be its own id, so nobody can take over its session.
    if (clientId !== username) return undefined;
    const receiver = this.receivers.get(username);
    if (!receiver || !secretMatches(password.toString(), receiver.secret_hash)) return undefined;
    return { kind: 'receiver' as const, receiverId: receiver.id, hamletId: receiver.hamlet_id };
  }

  versionOf(receiverId: string): string | undefined {
    const receiver = this.receivers.get(receiverId);
    return receiver ? `${receiver.secret_hash}|${receiver.hamlet_id}` : undefined;
  }

  refresh(principal: BrokerPrincipal): BrokerPrincipal | undefined {
    if (principal.kind === 'controller') return principal;
    const receiver = this.receivers.get(principal.receiverId);
    if (!receiver) return undefined; // revoked while connected
    return { kind: 'receiver', receiverId: receiver.id, hamletId: receiver.hamlet_id };
  }
}
