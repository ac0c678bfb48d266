/**
 * API tokens for integrations: a role, optionally narrowed by scopes, never more than their
 * creator may do, speaking for the person who made them. Stored by hash only; every change is audited.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Actor } from '../audit/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../shared/domain-error.js';
import type { AccountsRepository, ApiToken } from './accounts-repository.js';
import { effectivePermissions, type Permission, type Role } from './permissions.js';
import { credentialHash, type Principal } from './principal.js';

export interface ApiTokensOptions {
  repo: AccountsRepository;
  audit: AuditLog;
  clock: Clock;
}

export class ApiTokens {
  private readonly repo: AccountsRepository;
  private readonly audit: AuditLog;
  private readonly clock: Clock;

  constructor({ repo, audit, clock }: ApiTokensOptions) {
    this.repo = repo;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * `creator.id` is who made it (the audit's actor); `creator.owner` the person it speaks for (a
   * user's id: the one who made it from their session, or the owner of the token that made it).
   * Without an owner (the CLI without --owner) it speaks for no person: it can never pass TOTP.
   */
  create(
    input: { name: string; role: Role; scopes?: Permission[]; expires_in_days?: number },
    creator: { id: string; owner?: string; permissions: Set<Permission>; ip?: string },
  ): { token: string; record: ApiToken } {
    const granted = effectivePermissions(input.role, input.scopes ?? null);
    const excess = [...granted].filter((p) => !creator.permissions.has(p));
    if (excess.length > 0)
      throw new DomainError('forbidden', 'token_exceeds_creator', { permissions: excess.join(', ') });
    const token = `tt_${randomBytes(32).toString('base64url')}`;
    const record: ApiToken = {
      id: randomUUID(),
      name: input.name,
      token_hash: credentialHash(token),
      role: input.role,
      scopes: input.scopes ?? null,
      created_by: creator.owner ?? creator.id,
      created_at: this.now(),
      expires_at: input.expires_in_days
        ? new Date(this.clock.now().getTime() + input.expires_in_days * 86_400_000).toISOString()
        : null,
      last_used_at: null,
      revoked_at: null,
    };
    this.repo.insertToken(record);
    this.audit.append({
      actor: creator.id,
      source_ip: creator.ip,
      action: 'token.created',
      subject: record.id,
      detail: { name: input.name, role: input.role, scopes: input.scopes ?? null },
    });
    return { token, record };
  }

  principal(token: string): Principal | undefined {
    const record = this.repo.tokenByHash(credentialHash(token));
    const now = this.now();
    if (!record || record.revoked_at || (record.expires_at && record.expires_at <= now)) return undefined;
    // Record use at most once a minute: this is on every request's path.
    if (!record.last_used_at || Date.parse(now) - Date.parse(record.last_used_at) > 60_000)
      this.repo.touchToken(record.id, now);
    return {
      kind: 'token',
      id: record.id,
      name: record.name,
      role: record.role,
      permissions: effectivePermissions(record.role, record.scopes),
      mfa: false,
      owner: this.ownerOf(record.created_by),
    };
  }

  /** The person a token speaks for: a user's id (tokens made before owners were ids name the username). */
  private ownerOf(createdBy: string): string {
    if (this.repo.userById(createdBy)) return createdBy;
    return this.repo.userByName(createdBy)?.id ?? createdBy;
  }

  list(): Omit<ApiToken, 'token_hash'>[] {
    return this.repo.listTokens().map(({ token_hash: _, ...rest }) => rest);
  }

  revoke(id: string, actor: Actor): void {
    if (!this.repo.revokeToken(id, this.now()))
      throw new DomainError('not_found', 'not_found', { what: 'what_token', id });
    this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'token.revoked', subject: id });
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
