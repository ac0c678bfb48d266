/**
 * Accounts: people (argon2id passwords, optional TOTP, lockout after repeated failures,
 * sessions in HTTP-only cookies with a CSRF token) and API tokens for integrations (a role,
 * optionally narrowed by scopes, never more than their creator may do). Every change and every
 * login attempt is audited. Logging in (login-sessions.ts) and API tokens (api-tokens.ts) are
 * their own files; this service manages the people and answers for all three.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword } from './passwords.js';
import type { Actor } from '../audit/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../shared/domain-error.js';
import type { Logger } from '../logger.js';
import { writeSecretFile } from '../system/secrets.js';
import type { AccountsRepository, ApiToken, User } from './accounts-repository.js';
import { ApiTokens } from './api-tokens.js';
import { LoginSessions, type SessionSettings } from './login-sessions.js';
import type { Permission, Role } from './permissions.js';
import type { Principal } from './principal.js';
import { newTotpSecret, totpUrl, totpValid } from './totp.js';

export interface SecuritySettings extends SessionSettings {
  require_totp_for_emergency: boolean;
  min_password_length: number;
}

export class AccountsService {
  private readonly sessions: LoginSessions;
  private readonly tokens: ApiTokens;

  constructor(
    private readonly repo: AccountsRepository,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly settings: SecuritySettings,
    log: Logger,
  ) {
    this.sessions = new LoginSessions({ repo, audit, clock, settings, log });
    this.tokens = new ApiTokens({ repo, audit, clock });
  }

  // ---- users

  async createUser(
    input: { username: string; display_name: string; role: Role; password: string },
    actor: Actor,
  ): Promise<User> {
    if (this.repo.userByName(input.username))
      throw new DomainError('conflict', 'already_exists', { what: 'what_user', id: input.username });
    this.checkPassword(input.password);
    const user: User = {
      id: randomUUID(),
      username: input.username,
      display_name: input.display_name,
      role: input.role,
      password_hash: await hashPassword(input.password),
      totp_secret: null,
      totp_pending: null,
      failed_logins: 0,
      locked_until: null,
      created_at: this.now(),
      disabled_at: null,
    };
    this.repo.insertUser(user);
    this.audit.append({
      actor: actor.id,
      source_ip: actor.ip,
      action: 'user.created',
      subject: user.username,
      detail: { role: user.role },
    });
    return user;
  }

  /** A person's name as others see it (a username's display name), or the username when unknown. */
  /**
   * An actor as people know it: a person by display name; an API token (actor "token:<name>") by
   * its name and the person it speaks for, "Nguyễn Văn A (tich-hop)", or its name alone.
   */
  displayNameOf(username: string): string {
    if (!username.startsWith('token:')) return this.repo.userByName(username)?.display_name ?? username;
    const name = username.slice('token:'.length);
    const token = this.repo.listTokens().find((t) => t.name === name);
    const maker = token ? (this.repo.userById(token.created_by) ?? this.repo.userByName(token.created_by)) : undefined;
    return maker ? `${maker.display_name ?? maker.username} (${name})` : name;
  }

  listUsers(): User[] {
    return this.repo.listUsers();
  }

  getUser(id: string): User {
    const user = this.repo.userById(id);
    if (!user) throw new DomainError('not_found', 'not_found', { what: 'what_user', id });
    return user;
  }

  updateUser(id: string, fields: { role?: Role; display_name?: string; disabled?: boolean }, actor: Actor): User {
    const user = this.getUser(id);
    const change: Partial<User> = {};
    if (fields.role) change.role = fields.role;
    if (fields.display_name) change.display_name = fields.display_name;
    if (fields.disabled !== undefined) change.disabled_at = fields.disabled ? this.now() : null;
    if (
      user.role === 'admin' &&
      ((change.role && change.role !== 'admin') || change.disabled_at) &&
      this.activeAdmins() <= 1
    ) {
      throw new DomainError('conflict', 'last_admin');
    }
    this.repo.updateUser(id, change);
    if (change.role || change.disabled_at) this.repo.deleteSessionsOf(id); // new rights start with a new login
    this.audit.append({
      actor: actor.id,
      source_ip: actor.ip,
      action: 'user.updated',
      subject: user.username,
      detail: fields,
    });
    return this.getUser(id);
  }

  async setPassword(id: string, password: string, actor: Actor): Promise<void> {
    const user = this.getUser(id);
    this.checkPassword(password);
    this.repo.updateUser(id, { password_hash: await hashPassword(password), failed_logins: 0, locked_until: null });
    this.repo.deleteSessionsOf(id);
    this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'user.password_set', subject: user.username });
  }

  unlock(id: string, actor: Actor): void {
    const user = this.getUser(id);
    this.repo.updateUser(id, { failed_logins: 0, locked_until: null });
    this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'user.unlocked', subject: user.username });
  }

  /**
   * First run: with no account at all, create the administrator from TT_ADMIN_PASSWORD or
   * TT_ADMIN_PASSWORD_FILE; without either, make a random password and keep it in a file only
   * its owner can read. There is never a default password.
   */
  async bootstrapAdmin(
    env: NodeJS.ProcessEnv,
    secretsDir: string,
  ): Promise<{ username: string; passwordFile?: string } | undefined> {
    if (this.repo.countUsers() > 0) return undefined;
    const username = env.TT_ADMIN_USERNAME || 'admin';
    let password = env.TT_ADMIN_PASSWORD;
    if (!password && env.TT_ADMIN_PASSWORD_FILE) password = readFileSync(env.TT_ADMIN_PASSWORD_FILE, 'utf8').trim();
    let passwordFile: string | undefined;
    if (!password) {
      passwordFile = join(secretsDir, 'admin-password');
      password = existsSync(passwordFile)
        ? readFileSync(passwordFile, 'utf8').trim()
        : randomBytes(18).toString('base64url');
      writeSecretFile(passwordFile, password);
    }
    await this.createUser({ username, display_name: 'Quản trị viên', role: 'admin', password }, { id: 'system' });
    return { username, passwordFile };
  }

  // ---- login and sessions (login-sessions.ts)

  login(
    username: string,
    password: string,
    totpCode: string | undefined,
    ip: string,
  ): Promise<{ cookie: string; csrf_token: string; user: User; expires_at: string }> {
    return this.sessions.login(username, password, totpCode, ip);
  }

  sessionPrincipal(cookie: string): Principal | undefined {
    return this.sessions.sessionPrincipal(cookie);
  }

  logout(principal: Principal): void {
    this.sessions.logout(principal);
  }

  // ---- TOTP (RFC 6238; totp.ts)

  totpSetup(userId: string): { secret: string; otpauth_url: string } {
    const user = this.getUser(userId);
    const secret = newTotpSecret();
    this.repo.updateUser(userId, { totp_pending: secret });
    return { secret, otpauth_url: totpUrl(secret, user.username) };
  }

  totpConfirm(userId: string, code: string, actor: Actor): void {
    const user = this.getUser(userId);
    if (!user.totp_pending || !totpValid(user.totp_pending, user.username, code, this.clock.now()))
      throw new DomainError('malformed', 'totp_invalid');
    this.repo.updateUser(userId, { totp_secret: user.totp_pending, totp_pending: null });
    this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'user.totp_enabled', subject: user.username });
  }

  totpDisable(userId: string, actor: Actor): void {
    const user = this.getUser(userId);
    this.repo.updateUser(userId, { totp_secret: null, totp_pending: null });
    this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'user.totp_disabled', subject: user.username });
  }

  // ---- API tokens (api-tokens.ts)

  /** A new token; `creator.id` is who made it, `creator.owner` the person it speaks for (see `ApiTokens.create`). */
  createToken(
    input: { name: string; role: Role; scopes?: Permission[]; expires_in_days?: number },
    creator: { id: string; owner?: string; permissions: Set<Permission>; ip?: string },
  ): { token: string; record: ApiToken } {
    return this.tokens.create(input, creator);
  }

  tokenPrincipal(token: string): Principal | undefined {
    return this.tokens.principal(token);
  }

  listTokens(): Omit<ApiToken, 'token_hash'>[] {
    return this.tokens.list();
  }

  revokeToken(id: string, actor: Actor): void {
    this.tokens.revoke(id, actor);
  }

  /** Emergency broadcasts need a TOTP-confirmed session when configured (tokens: an explicit scope). */
  /**
   * With `security.require_totp_for_emergency`: a session must have logged in with a TOTP code; a
   * token must send its owner's current code in the X-TOTP-Code header (a token alone is
   * something one has, not a second factor; its owner must have TOTP enabled).
   */
  requireForEmergency(principal: Principal, totpCode?: string): void {
    if (!this.settings.require_totp_for_emergency || principal.kind === 'receiver') return;
    if (principal.kind === 'user') {
      if (!principal.mfa) throw new DomainError('forbidden', 'totp_required_for_emergency');
      return;
    }
    const owner = this.repo.userById(principal.owner);
    if (!owner?.totp_secret || owner.disabled_at)
      throw new DomainError('forbidden', 'totp_required_for_emergency_token');
    if (!totpCode || !totpValid(owner.totp_secret, owner.username, totpCode, this.clock.now()))
      throw new DomainError('forbidden', 'totp_required_for_emergency_token');
  }

  private checkPassword(password: string): void {
    if (password.length < this.settings.min_password_length)
      throw new DomainError('invalid', 'password_too_short', { min: this.settings.min_password_length });
  }

  private activeAdmins(): number {
    return this.repo.listUsers().filter((u) => u.role === 'admin' && !u.disabled_at).length;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
