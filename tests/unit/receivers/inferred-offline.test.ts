/**
 * An offline the controller inferred (its broker gone, or silent about a receiver after a
 * reconnection) is not a last will: the same session's "online", heard again, puts the receiver
 * back online; after a will, a late "online" of the ended session is still refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../controller/db/database.js';
import { ReceiversRepository } from '../../../controller/receivers/receivers-repository.js';

let dir: string;
let db: Db;
let repo: ReceiversRepository;
const at = (s: number) => new Date(Date.UTC(2026, 11, 2, 12, 0, s)).toISOString();
const online = (session: number) => ({
  receiver_id: 'rx-1',
  state: 'online' as const,
  session,
  at: at(0),
  v: 1 as const,
});
const offline = (session: number) => ({ ...online(session), state: 'offline' as const });
const status = () => repo.get('rx-1')!.status;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inferred-'));
  db = openDatabase(join(dir, 'c.sqlite'));
  db.prepare("INSERT INTO hamlets (id, name, created_at) VALUES ('thon-1', 'Thôn 1', ?)").run(at(0));
  repo = new ReceiversRepository(db);
  repo.insert({ id: 'rx-1', hamlet_id: 'thon-1', name: 'Cụm 1', created_at: at(0) });
  repo.recordStatuses([online(5)], at(1));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('an inferred offline', () => {
  it('gives way to the same session heard again', () => {
    expect(repo.markOffline(at(2), new Set())).toEqual([{ receiver_id: 'rx-1', session: 5 }]);
    expect(status()).toBe('offline');
    expect(repo.recordStatuses([online(5)], at(3))).toHaveLength(1);
    expect(status()).toBe('online');
  });

  it('is not a will: after a will, the ended session stays ended', () => {
    repo.recordStatuses([offline(5)], at(2));
    expect(repo.recordStatuses([online(5)], at(3))).toHaveLength(0);
    expect(status()).toBe('offline');
    expect(repo.recordStatuses([online(6)], at(4))).toHaveLength(1);
    expect(status()).toBe('online');
  });

  it('spares the receivers heard from', () => {
    expect(repo.markOffline(at(2), new Set(['rx-1']))).toEqual([]);
    expect(status()).toBe('online');
  });
});
