/**
 * Accounts: people (argon2id passwords, optional TOTP, lockout after repeated failures,
 * sessions in HTTP-only cookies with a CSRF token) and API tokens for integrations (a role,
 * optionally narrowed by scopes, never more than their creator may do). Every change and every
 * login attempt is audited.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import * as OTPAuth from 'otpauth';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../shared/domain-error.js';
import type { Logger } from '../logger.js';
import { writeSecretFile } from '../system/secrets.js';
import type { AccountsRepository, ApiToken, User } from './accounts-repository.js';
import { effectivePermissions, type Permission, type Role } from './permissions.js';

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

export interface SecuritySettings {
  session_hours: number;
  max_failed_logins: number;
  lockout_minutes: number;
  require_totp_for_emergency: boolean;
  min_password_length: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const ISSUER = 'Truyen thanh';
// Verified against when the username is unknown, so that the answer takes as long either way.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$jkiG3B3Yg4R8Sn1ZXO3nfA$V+eISCI37NnsTPxjgHIf55GFO3xcqmacfohIzw7kJeg';

import type { Actor } from '../audit/actor.js';

export class AccountsService {
  constructor(
    private readonly repo: AccountsRepository,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly settings: SecuritySettings,
    private readonly log: Logger,
  ) {}

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
      password_hash: await argonHash(input.password),
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
  displayNameOf(username: string): string {
    return this.repo.userByName(username)?.display_name ?? username;
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
    this.repo.updateUser(id, { password_hash: await argonHash(password), failed_logins: 0, locked_until: null });
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

  // ---- login and sessions

  async login(
    username: string,
    password: string,
    totpCode: string | undefined,
    ip: string,
  ): Promise<{ cookie: string; csrf_token: string; user: User; expires_at: string }> {
    const user = this.repo.userByName(username);
    const now = this.clock.now();
    if (user?.locked_until && user.locked_until > now.toISOString()) {
      this.audit.append({ actor: username, source_ip: ip, action: 'auth.login_refused_locked', subject: username });
      throw new DomainError('locked', 'account_locked', { until: user.locked_until });
    }
    const passwordOk = await argonVerify(user?.password_hash ?? DUMMY_HASH, password).catch(() => false);
    if (!user || !passwordOk || user.disabled_at) return this.loginFailed(user, username, ip, 'login_failed');
    let mfa = false;
    if (user.totp_secret) {
      if (!totpCode) throw new DomainError('unauthenticated', 'totp_required');
      if (!this.totpValid(user.totp_secret, user.username, totpCode))
        return this.loginFailed(user, username, ip, 'totp_invalid');
      mfa = true;
    }
    const cookie = randomBytes(32).toString('base64url');
    const csrf_token = randomBytes(24).toString('base64url');
    const expires_at = new Date(now.getTime() + this.settings.session_hours * 3600_000).toISOString();
    this.repo.updateUser(user.id, { failed_logins: 0, locked_until: null });
    this.repo.deleteExpiredSessions(now.toISOString());
    this.repo.insertSession({
      token_hash: sha256(cookie),
      user_id: user.id,
      csrf_token,
      mfa: mfa ? 1 : 0,
      created_at: now.toISOString(),
      expires_at,
      ip,
    });
    this.audit.append({
      actor: user.username,
      source_ip: ip,
      action: 'auth.login',
      subject: user.username,
      detail: { mfa },
    });
    return { cookie, csrf_token, user, expires_at };
  }

  private loginFailed(
    user: User | undefined,
    username: string,
    ip: string,
    code: 'login_failed' | 'totp_invalid',
  ): never {
    if (user) {
      const failed = user.failed_logins + 1;
      const lock = failed >= this.settings.max_failed_logins;
      const locked_until = lock
        ? new Date(this.clock.now().getTime() + this.settings.lockout_minutes * 60_000).toISOString()
        : null;
      this.repo.updateUser(user.id, { failed_logins: lock ? 0 : failed, locked_until });
      if (lock) this.log.warn({ username, ip }, 'account locked after repeated failed logins');
    }
    this.audit.append({
      actor: username.slice(0, 64),
      source_ip: ip,
      action: 'auth.login_failed',
      subject: username.slice(0, 64),
      detail: { reason: code },
    });
    throw new DomainError('unauthenticated', code);
  }

  sessionPrincipal(cookie: string): Principal | undefined {
    const session = this.repo.session(sha256(cookie));
    if (!session || session.expires_at <= this.now()) return undefined;
    const user = this.repo.userById(session.user_id);
    if (!user || user.disabled_at) return undefined;
    return {
      kind: 'user',
      id: user.id,
      name: user.username,
      role: user.role,
      permissions: effectivePermissions(user.role, null),
      mfa: session.mfa === 1,
      csrf_token: session.csrf_token,
      session_hash: session.token_hash,
    };
  }

  logout(principal: Principal): void {
    if (principal.kind !== 'user') return;
    this.repo.deleteSession(principal.session_hash);
    this.audit.append({ actor: principal.name, action: 'auth.logout', subject: principal.name });
  }

  // ---- TOTP (RFC 6238)

  totpSetup(userId: string): { secret: string; otpauth_url: string } {
    const user = this.getUser(userId);
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    this.repo.updateUser(userId, { totp_pending: secret });
    return { secret, otpauth_url: this.totp(secret, user.username).toString() };
  }

  totpConfirm(userId: string, code: string, actor: Actor): void {
    const user = this.getUser(userId);
    if (!user.totp_pending || !this.totpValid(user.totp_pending, user.username, code))
      throw new DomainError('malformed', 'totp_invalid');
    this.repo.updateUser(userId, { totp_secret: user.totp_pending, totp_pending: null });
    this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'user.totp_enabled', subject: user.username });
  }

  totpDisable(userId: string, actor: Actor): void {
    const user = this.getUser(userId);
    this.repo.updateUser(userId, { totp_secret: null, totp_pending: null });
    this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'user.totp_disabled', subject: user.username });
  }

  private totp(secret: string, username: string) {
    return new OTPAuth.TOTP({
      issuer: ISSUER,
      label: username,
      secret: OTPAuth.Secret.fromBase32(secret),
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    });
  }

  private totpValid(secret: string, username: string, code: string): boolean {
    return (
      this.totp(secret, username).validate({
        token: code.replace(/\s/g, ''),
        window: 1,
        timestamp: this.clock.now().getTime(),
      }) !== null
    );
  }

  // ---- API tokens

  /**
   * `creator.id` is who made it (the audit's actor); `creator.owner` the person it speaks for (a
   * user's id: the one who made it from their session, or the owner of the token that made it).
   * Without an owner (the CLI without --owner) it speaks for no person: it can never pass TOTP.
   */
  createToken(
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
      token_hash: sha256(token),
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

  tokenPrincipal(token: string): Principal | undefined {
    const record = this.repo.tokenByHash(sha256(token));
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

  listTokens(): Omit<ApiToken, 'token_hash'>[] {
    return this.repo.listTokens().map(({ token_hash: _, ...rest }) => rest);
  }

  revokeToken(id: string, actor: Actor): void {
    if (!this.repo.revokeToken(id, this.now()))
      throw new DomainError('not_found', 'not_found', { what: 'what_token', id });
    this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'token.revoked', subject: id });
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
    if (!totpCode || !this.totpValid(owner.totp_secret, owner.username, totpCode))
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
