/**
 * Who is calling: staff and integrations with a bearer token, receivers with HTTP Basic
 * (their id and enrolment secret). Every route declares who may call it in `config.access`;
 * a route that declares nothing is staff-only, so forgetting is safe.
 * (Accounts, roles and sessions come with the accounts issue; tokens stay for integrations.)
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import type { ReceiversService } from '../receivers/receivers-service.js';
import { randomSecret } from '../system/secrets.js';
import { AppError } from './errors.js';

export type Access = 'public' | 'staff' | 'staff_or_receiver';

export type Principal =
  | { kind: 'staff'; id: string; role: string }
  | { kind: 'receiver'; id: string; hamlet_id: string };

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export class ApiTokens {
  constructor(private readonly db: Db) {}

  /** Creates a token and returns it; only its hash is kept. */
  create(name: string, role: string, at: string): string {
    const token = `tt_${randomSecret(32)}`;
    this.db.prepare('INSERT INTO api_tokens (id, name, token_hash, role, created_at) VALUES (?, ?, ?, ?, ?)').run(randomUUID(), name, sha256(token), role, at);
    return token;
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM api_tokens WHERE revoked_at IS NULL').get()!.n;
  }

  verify(token: string): { id: string; name: string; role: string } | undefined {
    const row = this.db
      .prepare<[string], { id: string; name: string; role: string; token_hash: string }>('SELECT id, name, role, token_hash FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL')
      .get(sha256(token));
    if (!row) return undefined;
    // The lookup is by hash; compare again in constant time all the same.
    const a = Buffer.from(row.token_hash, 'hex');
    const b = Buffer.from(sha256(token), 'hex');
    return timingSafeEqual(a, b) ? row : undefined;
  }
}

export function registerAuth(app: FastifyInstance, tokens: ApiTokens, receivers: ReceiversService): void {
  app.addHook('onRequest', async (request) => {
    const access: Access = request.routeOptions.config?.access ?? 'staff';
    if (access === 'public' || !request.routeOptions.url) return;
    request.principal = identify(request, tokens, receivers);
    if (!request.principal) throw new AppError(401, 'unauthorized');
    if (request.principal.kind === 'receiver' && access !== 'staff_or_receiver') throw new AppError(403, 'forbidden');
  });
}

function identify(request: FastifyRequest, tokens: ApiTokens, receivers: ReceiversService): Principal | undefined {
  const header = request.headers.authorization ?? '';
  if (header.startsWith('Bearer ')) {
    const token = tokens.verify(header.slice(7).trim());
    return token ? { kind: 'staff', id: `token:${token.name}`, role: token.role } : undefined;
  }
  if (header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString();
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const receiver = receivers.verifySecret(decoded.slice(0, colon), decoded.slice(colon + 1));
    return receiver ? { kind: 'receiver', id: receiver.id, hamlet_id: receiver.hamlet_id } : undefined;
  }
  return undefined;
}

/** The actor recorded in the audit log for a request. */
export function actorOf(request: FastifyRequest): { id: string; ip: string } {
  return { id: request.principal?.id ?? 'anonymous', ip: request.ip };
}
