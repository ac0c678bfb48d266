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
import { ReceiverPresence } from '../../../controller/receivers/receiver-presence.js';
import { pino } from 'pino';

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
    expect(repo.markOffline(at(2), new Set())).toEqual([{ receiver_id: 'rx-1', session: 5, at: at(2) }]);
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

describe('statuses heard again, and a receiver restored from an older backup', () => {
  const events = () => repo.events('rx-1', at(0), at(59)).map((e) => `${e.state} ${e.session}`);

  it('makes no second history row for the same state in the same session', () => {
    expect(repo.recordStatuses([online(5)], at(2))).toMatchObject([{ repeated: true }]);
    repo.markOffline(at(3), new Set());
    expect(repo.recordStatuses([offline(5)], at(4))).toMatchObject([{ repeated: true }]); // the will, after the inference
    expect(events()).toEqual(['online 5', 'offline 5']);
  });

  it("takes an older memory's online (it is there), with fresh copies, but not its will", () => {
    const newer = '2026-12-01T00:00:00.000Z';
    const older = '2026-11-01T00:00:00.000Z';
    repo.recordStatuses([{ ...online(7), memory_since: newer }], at(2));
    expect(repo.recordStatuses([{ ...offline(2), memory_since: older }], at(3))).toEqual([]);
    expect(status()).toBe('online');
    repo.recordStatuses([{ ...offline(7), memory_since: newer }], at(4));
    expect(repo.recordStatuses([{ ...online(2), memory_since: older }], at(5))).toMatchObject([
      { memory_renewed: true, repeated: false },
    ]);
    expect(status()).toBe('online');
  });
});

describe('a receiver back in a new session after the controller lost its broker', () => {
  it('is offline from the first loss after its status, for each of two outages close together', () => {
    // Online at at(1). The broker dies at at(10); back at at(13) in session 6.
    repo.recordStatuses([online(6)], at(13), [at(10)]);
    // Dies again at at(25), before a settling wait would have ended; back at at(28) in session 7.
    repo.recordStatuses([online(7)], at(28), [at(10), at(25)]);
    expect(repo.events('rx-1', at(0), at(59)).map((e) => [e.state, e.at])).toEqual([
      ['online', at(1)],
      ['offline', at(10)],
      ['online', at(13)],
      ['offline', at(25)],
      ['online', at(28)],
    ]);
  });
});

/**
 * The controller lost its broker at each of `losses`, is back on it at `now` and waits for the
 * receivers' statuses, hearing none: rx-1's history afterwards.
 */
async function silentAfter(losses: string[], now: string): Promise<string[][]> {
  const presence = new ReceiverPresence(repo, pino({ level: 'silent' }), { now: () => new Date(now) } as never);
  for (const lost of losses) presence.linkLost(lost);
  presence.awaitStatuses(5, () => true);
  await new Promise((r) => setTimeout(r, 50));
  return repo.events('rx-1', at(0), at(59)).map((e) => [e.state, e.at]);
}

describe('a receiver silent after the controller got its broker back', () => {
  it('is offline from when the controller lost the broker, not from the end of the wait', async () => {
    expect(await silentAfter([at(30)], at(40))).toEqual([
      ['online', at(1)],
      ['offline', at(30)],
    ]);
  });

  it('is offline from the first of two outages close together after its last status, not from the second', async () => {
    expect(await silentAfter([at(20), at(35)], at(50))).toEqual([
      ['online', at(1)],
      ['offline', at(20)],
    ]);
  });
});
