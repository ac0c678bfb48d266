/**
 * The role x route matrix, complete: every API route is called by every role, by a receiver,
 * and by nobody, and the answer is checked against the permission table. A route that
 * declares no permission fails this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS, type Role } from '../../controller/accounts/permissions.js';
import { startTestController, type TestController } from '../helpers/test-controller.js';

let tc: TestController;
const tokens = {} as Record<Role, string>;
let receiverAuth = '';

beforeAll(async () => {
  tc = await startTestController();
  for (const role of ROLES)
    tokens[role] = tc.controller.accounts.createToken(
      { name: `matrix-${role}`, role },
      { id: 'test', permissions: new Set(PERMISSIONS) },
    ).token;
  const enrol = await tc.api('POST', '/api/receivers', { id: 'rx-matrix', hamlet_id: 'thon-1', name: 'matrix' });
  receiverAuth = `Basic ${Buffer.from(`rx-matrix:${enrol.body.agent_config.secret}`).toString('base64')}`;
});
afterAll(async () => {
  await tc?.close();
});

const apiRoutes = () => tc.controller.routes.filter((r) => r.url.startsWith('/api/') || r.url === '/metrics');
const concrete = (url: string) => url.replace(/:id\b/g, '00000000-0000-4000-8000-000000000000');

async function call(method: string, url: string, authorization?: string): Promise<number> {
  const headers: Record<string, string> = {};
  if (authorization) headers.authorization = authorization;
  const init: RequestInit = { method, headers };
  if (method !== 'GET' && method !== 'DELETE') {
    headers['content-type'] = 'application/json';
    init.body = '{}';
  }
  return (await fetch(tc.url + concrete(url), init)).status;
}

describe('role x route matrix', () => {
  it('has a permission declared on every API route', () => {
    const undeclared = apiRoutes()
      .filter((r) => !r.permission)
      .map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
    expect(apiRoutes().length).toBeGreaterThanOrEqual(30);
  });

  it('gives every role exactly what the table grants, on every route', async () => {
    const wrong: string[] = [];
    for (const route of apiRoutes()) {
      if (route.url === '/api/auth/login') continue; // public and rate-limited: its own tests
      for (const role of ROLES) {
        const status = await call(route.method, route.url, `Bearer ${tokens[role]}`);
        // 'self' routes are a person's own account: API tokens are refused there.
        const allowed =
          route.permission === 'public' ||
          route.permission === 'optional' ||
          route.permission === 'authenticated' ||
          ROLE_PERMISSIONS[role].has(route.permission as any);
        const denied = status === 403 || status === 401;
        if (allowed === denied)
          wrong.push(`${role} ${route.method} ${route.url}: ${status} (expected ${allowed ? 'allowed' : 'denied'})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets a receiver reach only the routes made for receivers', async () => {
    const wrong: string[] = [];
    for (const route of apiRoutes()) {
      if (route.permission === 'public' || route.permission === 'optional') continue;
      const status = await call(route.method, route.url, receiverAuth);
      const denied = status === 403;
      if (Boolean(route.receivers) === denied) wrong.push(`${route.method} ${route.url}: ${status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses every non-public route to a caller without credentials, or with a revoked token', async () => {
    const revoked = tc.controller.accounts.createToken(
      { name: 'gone', role: 'admin' },
      { id: 'test', permissions: new Set(PERMISSIONS) },
    );
    tc.controller.accounts.revokeToken(revoked.record.id, { id: 'test' });
    for (const route of apiRoutes()) {
      if (route.permission === 'public' || route.permission === 'optional') continue;
      expect(await call(route.method, route.url), `${route.method} ${route.url}`).toBe(401);
      expect(await call(route.method, route.url, `Bearer ${revoked.token}`), `${route.method} ${route.url}`).toBe(401);
    }
  });
});

describe('actions inside a route', () => {
  it('lets an operator broadcast normal and priority items but not an emergency', async () => {
    const body = (priority: string) =>
      JSON.stringify({ media_id: '00000000-0000-4000-8000-000000000000', target: { all: true }, priority });
    const post = (token: string, priority: string) =>
      fetch(`${tc.url}/api/broadcasts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body(priority),
      });
    expect((await post(tokens.operator, 'priority')).status).toBe(404); // allowed; the media does not exist
    expect((await post(tokens.operator, 'emergency')).status).toBe(403);
    expect((await post(tokens.approver, 'emergency')).status).toBe(404);
    expect((await post(tokens.viewer, 'normal')).status).toBe(403);
  });

  it('never lets a token create a token with more rights than its own', async () => {
    const tech = tc.controller.accounts.createToken(
      { name: 'tech-admin', role: 'technician' },
      { id: 'test', permissions: ROLE_PERMISSIONS.technician as Set<any> },
    );
    expect(tech.token).toBeTruthy();
    const res = await tc.api(
      'POST',
      '/api/tokens',
      { name: 'escalate', role: 'admin' },
      { authorization: `Bearer ${tokens.admin}` },
    );
    expect(res.status).toBe(201);
    // An admin narrows a token with scopes: it can then read receivers but not enrol them.
    const narrow = await tc.api('POST', '/api/tokens', {
      name: 'read-only',
      role: 'technician',
      scopes: ['receivers:read'],
    });
    const list = await fetch(`${tc.url}/api/receivers`, { headers: { authorization: `Bearer ${narrow.body.token}` } });
    expect(list.status).toBe(200);
    const enrol = await fetch(`${tc.url}/api/receivers/rx-matrix/enrol`, {
      method: 'POST',
      headers: { authorization: `Bearer ${narrow.body.token}` },
    });
    expect(enrol.status).toBe(403);
    expect(() =>
      tc.controller.accounts.createToken(
        { name: 'x', role: 'admin' },
        { id: 'op', permissions: ROLE_PERMISSIONS.operator as Set<any> },
      ),
    ).toThrow(/permissions you do not hold/);
  });
});
