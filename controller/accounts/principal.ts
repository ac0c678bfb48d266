/**
 * Who is calling: a person with a session, an API token speaking for its owner, or an enrolled
 * receiver. Sessions and tokens are stored by their hash only (a copy of the database gives no
 * usable credential).
 */
import { createHash } from 'node:crypto';
import type { Permission, Role } from './permissions.js';

export type Principal =
  | {
      kind: 'user';
      id: string;
      name: string;
      role: Role;
      permissions: Set<Permission>;
      mfa: boolean;
      csrf_token: string;
      session_hash: string;
    }
  | {
      kind: 'token';
      id: string;
      name: string;
      role: Role;
      permissions: Set<Permission>;
      mfa: false;
      /** Who made it: the person it speaks for. */ owner: string;
    }
  | { kind: 'receiver'; id: string; hamlet_id: string };

/** The hash sessions and API tokens are stored and looked up by. */
export const credentialHash = (s: string) => createHash('sha256').update(s).digest('hex');
