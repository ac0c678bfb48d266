/**
 * Logging in and out: argon2id passwords, a TOTP code when the person has enabled it, lockout
 * after repeated failures, and sessions kept in HTTP-only cookies with a CSRF token. Every
 * attempt is audited.
 */
import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { DomainError } from '../shared/domain-error.js';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './passwords.js';
import type { AccountsRepository, User } from './accounts-repository.js';
import { effectivePermissions } from './permissions.js';
import { credentialHash, type Principal } from './principal.js';
import { totpValid } from './totp.js';

export interface SessionSettings {
  session_hours: number;
  max_failed_logins: number;
  lockout_minutes: number;
}

export interface LoginSessionsOptions {
  repo: AccountsRepository;
  audit: AuditLog;
  clock: Clock;
  settings: SessionSettings;
  log: Logger;
}

export class LoginSessions {
  private readonly repo: AccountsRepository;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly settings: SessionSettings;
  private readonly log: Logger;

  constructor({ repo, audit, clock, settings, log }: LoginSessionsOptions) {
    this.repo = repo;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
    this.log = log;
  }

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
    const passwordOk = await verifyPassword(user?.password_hash ?? (await dummyHash()), password);
    if (!user || !passwordOk || user.disabled_at) return this.loginFailed(user, username, ip, 'login_failed');
    // A hash made with the older, larger memory cost is made again now that the password is known.
    if (needsRehash(user.password_hash)) this.repo.updateUser(user.id, { password_hash: await hashPassword(password) });
    let mfa = false;
    if (user.totp_secret) {
      if (!totpCode) throw new DomainError('unauthenticated', 'totp_required');
      if (!totpValid(user.totp_secret, user.username, totpCode, this.clock.now()))
        return this.loginFailed(user, username, ip, 'totp_invalid');
      mfa = true;
    }
    const cookie = randomBytes(32).toString('base64url');
    const csrf_token = randomBytes(24).toString('base64url');
    const expires_at = new Date(now.getTime() + this.settings.session_hours * 3600_000).toISOString();
    this.repo.updateUser(user.id, { failed_logins: 0, locked_until: null });
    this.repo.deleteExpiredSessions(now.toISOString());
    this.repo.insertSession({
      token_hash: credentialHash(cookie),
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
    const session = this.repo.session(credentialHash(cookie));
    if (!session || session.expires_at <= this.clock.now().toISOString()) return undefined;
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
}
