import { DomainError } from '../shared/domain-error.js';
import type {} from '@fastify/cookie';
import type {} from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, SESSION_COOKIE } from '../http/auth.js';
import { AppError } from '../http/errors.js';
import { errorSchema, objectSchema, protectedErrors, uuidParams } from '../http/schemas.js';
import type { AccountsService } from './accounts-service.js';
import type { User } from './accounts-repository.js';
import { PERMISSIONS, ROLES } from './permissions.js';

const roleSchema = z.enum(ROLES);
const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  display_name: z.string(),
  role: roleSchema,
  totp_enabled: z.boolean(),
  locked_until: z.string().nullable(),
  disabled: z.boolean(),
  created_at: z.string(),
});
const view = (u: User) => ({
  id: u.id,
  username: u.username,
  display_name: u.display_name,
  role: u.role,
  totp_enabled: u.totp_secret !== null,
  locked_until: u.locked_until,
  disabled: u.disabled_at !== null,
  created_at: u.created_at,
});
const username = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[\p{L}\p{N}._-]+$/u);
const password = z.string().min(1).max(256);
const tags = ['accounts'];

export const accountsRoutes =
  (accounts: AccountsService, options: { secureCookie: boolean; loginRatePerMinute: number }): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/auth/login',
      {
        config: { permission: 'public', rateLimit: { max: options.loginRatePerMinute, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: 'Log in: sets an HTTP-only session cookie and answers the CSRF token to send as x-csrf-token',
          body: z.object({ username: z.string().max(64), password, totp_code: z.string().max(10).optional() }),
          response: {
            200: z.object({ user: userSchema, csrf_token: z.string(), expires_at: z.string() }),
            401: errorSchema,
            423: errorSchema,
            429: errorSchema,
          },
        },
      },
      async (req, reply) => {
        const result = await accounts.login(req.body.username, req.body.password, req.body.totp_code, req.ip);
        reply.setCookie(SESSION_COOKIE, result.cookie, {
          httpOnly: true,
          sameSite: 'strict',
          secure: options.secureCookie,
          path: '/',
          expires: new Date(result.expires_at),
        });
        return { user: view(result.user), csrf_token: result.csrf_token, expires_at: result.expires_at };
      },
    );

    app.post(
      '/api/auth/logout',
      {
        config: { permission: 'authenticated' },
        schema: { tags, summary: 'Log out', response: { 204: z.null(), ...protectedErrors } },
      },
      async (req, reply) => {
        accounts.logout(req.principal!);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/auth/session',
      {
        config: { permission: 'optional' },
        schema: {
          tags,
          summary: 'Whether the caller is logged in, without an error when not (the console asks this first)',
          response: {
            200: z.object({
              me: objectSchema
                .nullable()
                .describe('Who is calling, with their role and permissions; null when nobody is logged in'),
            }),
          },
        },
      },
      async (req) => {
        const p = req.principal;
        if (!p || p.kind === 'receiver') return { me: null };
        return {
          me: {
            kind: p.kind,
            name: p.name,
            display_name: p.kind === 'user' ? accounts.displayNameOf(p.name) : p.name,
            role: p.role,
            permissions: [...p.permissions].sort(),
            mfa: p.mfa,
            csrf_token: p.kind === 'user' ? p.csrf_token : null,
          },
        };
      },
    );

    app.get(
      '/api/auth/me',
      {
        config: { permission: 'authenticated' },
        schema: {
          tags,
          summary: 'Who am I, and what may I do',
          response: {
            200: z.object({
              kind: z.string(),
              name: z.string(),
              role: z.string(),
              permissions: z.array(z.string()),
              mfa: z.boolean(),
              csrf_token: z.string().nullable(),
            }),
            ...protectedErrors,
          },
        },
      },
      async (req) => {
        const p = req.principal!;
        if (p.kind === 'receiver') throw new AppError(403, 'forbidden');
        // A session's CSRF token, so that a reloaded console keeps working (readable by this origin only).
        return {
          kind: p.kind,
          name: p.name,
          role: p.role,
          permissions: [...p.permissions].sort(),
          mfa: p.mfa,
          csrf_token: p.kind === 'user' ? p.csrf_token : null,
        };
      },
    );

    const ownUserId = (req: { principal?: { kind: string; id: string } }) => {
      if (req.principal?.kind !== 'user') throw new AppError(403, 'forbidden');
      return req.principal.id;
    };

    app.post(
      '/api/auth/password',
      {
        config: { permission: 'self' },
        schema: {
          tags,
          summary: 'Change my password (all my sessions end)',
          body: z.object({ current_password: password, new_password: password }),
          response: { 204: z.null(), 422: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => {
        const id = ownUserId(req);
        const user = accounts.getUser(id);
        await accounts.login(user.username, req.body.current_password, undefined, req.ip).catch((err) => {
          if (err instanceof DomainError && err.code === 'totp_required') return; // the password itself was right
          throw err;
        });
        await accounts.setPassword(id, req.body.new_password, actorOf(req));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/auth/totp/setup',
      {
        config: { permission: 'self' },
        schema: {
          tags,
          summary: 'Start two-factor authentication: answers the secret and an otpauth:// URL for the app',
          response: { 200: z.object({ secret: z.string(), otpauth_url: z.string() }), ...protectedErrors },
        },
      },
      async (req) => accounts.totpSetup(ownUserId(req)),
    );

    app.post(
      '/api/auth/totp/confirm',
      {
        config: { permission: 'self' },
        schema: {
          tags,
          summary: 'Confirm two-factor authentication with a first code',
          body: z.object({ code: z.string().max(10) }),
          response: { 204: z.null(), ...protectedErrors },
        },
      },
      async (req, reply) => {
        accounts.totpConfirm(ownUserId(req), req.body.code, actorOf(req));
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/users',
      {
        config: { permission: 'users:manage' },
        schema: { tags, summary: 'List accounts', response: { 200: z.array(userSchema), ...protectedErrors } },
      },
      async () => accounts.listUsers().map(view),
    );

    app.post(
      '/api/users',
      {
        config: { permission: 'users:manage' },
        schema: {
          tags,
          summary: 'Create an account',
          body: z.object({ username, display_name: z.string().min(1).max(120), role: roleSchema, password }),
          response: { 201: userSchema, 409: errorSchema, 422: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => reply.status(201).send(view(await accounts.createUser(req.body, actorOf(req)))),
    );

    app.patch(
      '/api/users/:id',
      {
        config: { permission: 'users:manage' },
        schema: {
          tags,
          summary: "Change an account's role or name, or disable it (its sessions end)",
          params: uuidParams,
          body: z.object({
            role: roleSchema.optional(),
            display_name: z.string().min(1).max(120).optional(),
            disabled: z.boolean().optional(),
          }),
          response: { 200: userSchema, 409: errorSchema, ...protectedErrors },
        },
      },
      async (req) => view(accounts.updateUser(req.params.id, req.body, actorOf(req))),
    );

    app.post(
      '/api/users/:id/password',
      {
        config: { permission: 'users:manage' },
        schema: {
          tags,
          summary: "Set an account's password",
          params: uuidParams,
          body: z.object({ password }),
          response: { 204: z.null(), 422: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => {
        await accounts.setPassword(req.params.id, req.body.password, actorOf(req));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/users/:id/unlock',
      {
        config: { permission: 'users:manage' },
        schema: {
          tags,
          summary: 'Unlock an account locked by failed logins',
          params: uuidParams,
          response: { 204: z.null(), ...protectedErrors },
        },
      },
      async (req, reply) => {
        accounts.unlock(req.params.id, actorOf(req));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/users/:id/totp/disable',
      {
        config: { permission: 'users:manage' },
        schema: {
          tags,
          summary: "Turn off an account's two-factor authentication (a lost phone)",
          params: uuidParams,
          response: { 204: z.null(), ...protectedErrors },
        },
      },
      async (req, reply) => {
        accounts.totpDisable(req.params.id, actorOf(req));
        return reply.status(204).send(null);
      },
    );

    const tokenSchema = z.object({
      id: z.string(),
      name: z.string(),
      role: roleSchema,
      scopes: z.array(z.string()).nullable(),
      created_by: z.string(),
      created_at: z.string(),
      expires_at: z.string().nullable(),
      last_used_at: z.string().nullable(),
      revoked_at: z.string().nullable(),
    });

    app.get(
      '/api/tokens',
      {
        config: { permission: 'tokens:manage' },
        schema: {
          tags,
          summary: 'List API tokens (never their values)',
          response: { 200: z.array(tokenSchema), ...protectedErrors },
        },
      },
      async () => accounts.listTokens(),
    );

    app.post(
      '/api/tokens',
      {
        config: { permission: 'tokens:manage' },
        schema: {
          tags,
          summary: 'Create an API token for an integration; its value is shown once',
          body: z.object({
            name: z.string().min(1).max(80),
            role: roleSchema,
            scopes: z.array(z.enum(PERMISSIONS)).optional(),
            expires_in_days: z.number().int().min(1).max(3650).optional(),
          }),
          response: { 201: z.object({ token: z.string(), record: tokenSchema }), ...protectedErrors },
        },
      },
      async (req, reply) => {
        const p = req.principal!;
        if (p.kind === 'receiver') throw new AppError(403, 'forbidden');
        // The token speaks for the person who made it (a token made by a token, for that token's person).
        const owner = p.kind === 'user' ? p.id : p.owner;
        const { token, record } = accounts.createToken(req.body, {
          id: actorOf(req).id,
          owner,
          permissions: p.permissions,
          ip: req.ip,
        });
        const { token_hash: _, ...rest } = record;
        return reply.status(201).send({ token, record: rest });
      },
    );

    app.delete(
      '/api/tokens/:id',
      {
        config: { permission: 'tokens:manage' },
        schema: {
          tags,
          summary: 'Revoke an API token',
          params: uuidParams,
          response: { 204: z.null(), ...protectedErrors },
        },
      },
      async (req, reply) => {
        accounts.revokeToken(req.params.id, actorOf(req));
        return reply.status(204).send(null);
      },
    );
  };
