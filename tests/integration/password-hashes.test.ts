/**
 * Password hashes cost little memory and are made one at a time: with 19 MiB each, a login took
 * the controller from 137 to 157-163 MB and six wrong passwords at once to 208 MB (outsider,
 * 2026-12-04). Real controller, real HTTP, real SQLite file.
 */
import { join } from 'node:path';
import * as argon2 from '@node-rs/argon2';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestController, type TestController } from '../helpers/test-controller.js';

let tc: TestController;

async function login(username: string, password: string) {
  const res = await fetch(`${tc.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return { status: res.status };
}

beforeAll(async () => {
  tc = await startTestController();
  for (const username of ['minh', 'khoa']) {
    const res = await tc.api('POST', '/api/users', {
      username,
      display_name: username,
      role: 'viewer',
      password: `mật khẩu của ${username} 2026`,
    });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => {
  await tc?.close();
});

describe('password hashes', () => {
  it('are argon2id with a 7 MiB memory cost; one made with the old 19 MiB is made again at the next login', async () => {
    const file = join(tc.dir, 'data', 'controller.sqlite');
    const hashOf = (username: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return (
          db.prepare('SELECT password_hash FROM users WHERE username = ?').get(username) as { password_hash: string }
        ).password_hash;
      } finally {
        db.close();
      }
    };
    expect(hashOf('minh')).toMatch(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$/);
    // A hash as controllers before 2026-12-04 made it (@node-rs/argon2's default: m=19456, t=2).
    const legacy = await argon2.hash('mật khẩu của minh 2026', { memoryCost: 19456, timeCost: 2, parallelism: 1 });
    const db = new Database(file);
    db.prepare('UPDATE users SET password_hash = ? WHERE username = ?').run(legacy, 'minh');
    db.close();
    expect((await login('minh', 'mật khẩu của minh 2026')).status).toBe(200);
    expect(hashOf('minh')).toMatch(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$/);
    expect((await login('minh', 'mật khẩu của minh 2026')).status).toBe(200);
  });

  it('refuses each of several simultaneous wrong passwords (hashed in turn: not asserted here, see passwords.ts)', async () => {
    const answers = await Promise.all(Array.from({ length: 4 }, () => login('khoa', 'not the password')));
    expect(answers.map((a) => a.status)).toEqual(Array(4).fill(401));
  });
});
