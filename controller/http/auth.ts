import type {} from '@fastify/cookie';
/**
 * Who is calling, and may they: every route names the permission it needs in
 * `config.permission` ('public' and 'authenticated' are the two others). Staff come with a
 * session cookie (and then must echo the session's CSRF token on every unsafe request) or a
 * bearer token; receivers come with HTTP Basic, and only to routes that say `receivers: true`.
 * A route that names nothing is refused to everyone: forgetting is safe.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccountsService } from '../accounts/accounts-service.js';
import type { Principal } from '../accounts/principal.js';
import { SOUND_ROUTES, type Caller } from '../safety/safety-gate.js';
import type { Permission } from '../accounts/permissions.js';
import type { ReceiversService } from '../receivers/receivers-service.js';
import { AppError } from './errors.js';

/** 'authenticated': any staff principal; 'self': a person logged in (their own account's routes). */
/** 'optional': open to anyone, and who is calling is known when they say so. */
export type RoutePermission = Permission | 'public' | 'optional' | 'authenticated' | 'self';
export const SESSION_COOKIE = 'tt_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    permission?: RoutePermission;
    /** Enrolled receivers (HTTP Basic) may call this route too. */
    receivers?: boolean;
  }
}

/**
 * `onSoundRefused`: told when a caller without the route's permission asks a route that makes
 * sound (the safety gate's audit of refusals covers these too).
 */
export function registerAuth(
  app: FastifyInstance,
  accounts: AccountsService,
  receivers: ReceiversService,
  onSoundRefused?: (request: FastifyRequest, permission: string) => void,
): void {
  app.addHook('onRequest', async (request) => {
    if (!request.routeOptions.url) return; // 404s are answered by the not-found handler
    const { permission, receivers: receiversAllowed } = request.routeOptions.config ?? {};
    if (permission === 'public') return;
    if (permission === 'optional') {
      // Anyone may call; a staff member's credentials, when sent, are recognised.
      const someone = identify(request, accounts, receivers);
      if (someone && someone.kind !== 'receiver') request.principal = someone;
      return;
    }
    const principal = identify(request, accounts, receivers);
    if (!principal) throw new AppError(401, 'unauthorized');
    request.principal = principal;
    if (principal.kind === 'receiver') {
      if (!receiversAllowed) throw new AppError(403, 'forbidden');
      return;
    }
    if (
      principal.kind === 'user' &&
      !SAFE_METHODS.has(request.method) &&
      request.headers[CSRF_HEADER] !== principal.csrf_token
    ) {
      throw new AppError(403, 'csrf_failed');
    }
    if (permission === 'authenticated') return;
    if (permission === 'self') {
      if (principal.kind !== 'user') throw new AppError(403, 'forbidden');
      return;
    }
    if (!permission || !principal.permissions.has(permission)) {
      if (permission && SOUND_ROUTES[`${request.method} ${request.routeOptions.url}`])
        onSoundRefused?.(request, permission);
      throw new AppError(403, 'forbidden');
    }
  });
}

function identify(
  request: FastifyRequest,
  accounts: AccountsService,
  receivers: ReceiversService,
): Principal | undefined {
  const header = request.headers.authorization ?? '';
  if (header.startsWith('Bearer ')) return accounts.tokenPrincipal(header.slice(7).trim());
  if (header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString();
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const receiver = receivers.verifySecret(decoded.slice(0, colon), decoded.slice(colon + 1));
    return receiver ? { kind: 'receiver', id: receiver.id, hamlet_id: receiver.hamlet_id } : undefined;
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  return cookie ? accounts.sessionPrincipal(cookie) : undefined;
}

/** Refuses unless the caller holds `permission` (for checks that depend on the request body). */
export function requirePermission(request: FastifyRequest, permission: Permission): void {
  const p = request.principal;
  if (!p || p.kind === 'receiver' || !p.permissions.has(permission)) throw new AppError(403, 'forbidden');
}

/**
 * Who is calling, as the safety gate sees them: the principal, the person behind it, the actor
 * for the audit log, and a token's proof of TOTP (its owner's current code in X-TOTP-Code).
 */
export function callerOf(request: FastifyRequest): Caller {
  const code = request.headers['x-totp-code'];
  return {
    principal: request.principal,
    key: principalKey(request),
    actor: actorOf(request),
    totp_code: typeof code === 'string' ? code.trim() : undefined,
  };
}

/**
 * Who is calling, as a person, to tell a second person from the first: a token speaks for the
 * person who made it, so one person's session and tokens (or two of their tokens) are one person.
 */
export function principalKey(request: FastifyRequest): string {
  const p = request.principal;
  if (!p) return 'anonymous';
  if (p.kind === 'user') return `person:${p.id}`;
  if (p.kind === 'token') return `person:${p.owner}`;
  return `receiver:${p.id}`;
}

/** The actor recorded in the audit log for a request. */
export function actorOf(request: FastifyRequest): { id: string; ip: string } {
  const p = request.principal;
  const id = !p
    ? 'anonymous'
    : p.kind === 'user'
      ? p.name
      : p.kind === 'token'
        ? `token:${p.name}`
        : `receiver:${p.id}`;
  return { id, ip: request.ip };
}
