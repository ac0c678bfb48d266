/** SQL for users, their sessions, and API tokens. Secrets are stored as hashes only. */
import type { Db } from '../db/database.js';
import type { Permission, Role } from './permissions.js';

export interface User {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  totp_secret: string | null;
  totp_pending: string | null;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  disabled_at: string | null;
}

export interface Session {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  mfa: number;
  created_at: string;
  expires_at: string;
  ip: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  token_hash: string;
  role: Role;
  scopes: Permission[] | null;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

type TokenRow = Omit<ApiToken, 'scopes'> & { scopes: string | null };
const toToken = (row: TokenRow | undefined): ApiToken | undefined =>
  row ? { ...row, scopes: row.scopes ? JSON.parse(row.scopes) : null } : undefined;

export class AccountsRepository {
  constructor(private readonly db: Db) {}

  // ---- users
  countUsers(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users').get()!.n;
  }
  listUsers(): User[] {
    return this.db.prepare<[], User>('SELECT * FROM users ORDER BY username').all();
  }
  userById(id: string): User | undefined {
    return this.db.prepare<[string], User>('SELECT * FROM users WHERE id = ?').get(id);
  }
  userByName(username: string): User | undefined {
    return this.db.prepare<[string], User>('SELECT * FROM users WHERE username = ?').get(username);
  }
  insertUser(u: User): void {
    this.db
      .prepare(
        `INSERT INTO users (id, username, display_name, role, password_hash, totp_secret, totp_pending, failed_logins, locked_until, created_at, disabled_at)
                VALUES (@id, @username, @display_name, @role, @password_hash, @totp_secret, @totp_pending, @failed_logins, @locked_until, @created_at, @disabled_at)`,
      )
      .run(u);
  }
  updateUser(id: string, fields: Partial<Omit<User, 'id' | 'created_at'>>): void {
    const keys = Object.keys(fields);
    if (keys.length === 0) return;
    this.db
      .prepare(`UPDATE users SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`)
      .run({ ...fields, id });
  }

  // ---- sessions
  insertSession(s: Session): void {
    this.db
      .prepare(
        'INSERT INTO sessions (token_hash, user_id, csrf_token, mfa, created_at, expires_at, ip) VALUES (@token_hash, @user_id, @csrf_token, @mfa, @created_at, @expires_at, @ip)',
      )
      .run(s);
  }
  session(tokenHash: string): Session | undefined {
    return this.db.prepare<[string], Session>('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash);
  }
  deleteSession(tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }
  deleteSessionsOf(userId: string): void {
    this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
  }
  deleteExpiredSessions(nowIso: string): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(nowIso);
  }

  // ---- API tokens
  insertToken(t: ApiToken): void {
    this.db
      .prepare(
        `INSERT INTO api_tokens (id, name, token_hash, role, scopes, created_by, created_at, expires_at, last_used_at, revoked_at)
                VALUES (@id, @name, @token_hash, @role, @scopes, @created_by, @created_at, @expires_at, @last_used_at, @revoked_at)`,
      )
      .run({ ...t, scopes: t.scopes ? JSON.stringify(t.scopes) : null });
  }
  tokenByHash(hash: string): ApiToken | undefined {
    return toToken(this.db.prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE token_hash = ?').get(hash));
  }
  listTokens(): ApiToken[] {
    return this.db
      .prepare<[], TokenRow>('SELECT * FROM api_tokens ORDER BY created_at DESC')
      .all()
      .map((r) => toToken(r)!);
  }
  revokeToken(id: string, at: string): boolean {
    return (
      this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes >
      0
    );
  }
  touchToken(id: string, at: string): void {
    this.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at, id);
  }
}
