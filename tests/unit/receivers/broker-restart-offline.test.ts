/**
 * A restarted external broker takes every receiver's connection with it and sends no last will.
 * A receiver back in a new session is recorded offline from when the controller lost the broker,
 * however late it comes back: after the reconnection's statuses were judged too, when the
 * restarted broker kept its retained "online" of the old session (the CI failure of session 17:
 * the receiver reconnected 2 s after the controller, and the outage was counted as uptime).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../../controller/db/database.js';
import { ReceiverPresence } from '../../../controller/receivers/receiver-presence.js';
import { ReceiversRepository } from '../../../controller/receivers/receivers-repository.js';

let dir: string;
let db: Db;
let repo: ReceiversRepository;
let presence: ReceiverPresence;
let now: Date;
const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 12, 0, s));
const status = (state: 'online' | 'offline', session: number) =>
  Buffer.from(JSON.stringify({ v: 1, receiver_id: 'rx-1', state, session, at: at(0).toISOString() }));
const history = () =>
  repo.events('rx-1', at(0).toISOString(), at(59).toISOString()).map((e) => `${e.state} ${e.session} ${e.at}`);
const hear = (state: 'online' | 'offline', session: number, second: number) => {
  now = at(second);
  presence.handleStatus('rx-1', status(state, session));
  presence.flush();
};

beforeEach(() => {
  vi.useFakeTimers();
  dir = mkdtempSync(join(tmpdir(), 'broker-restart-'));
  db = openDatabase(join(dir, 'c.sqlite'));
  db.prepare("INSERT INTO hamlets (id, name, created_at) VALUES ('thon-1', 'Thôn 1', ?)").run(at(0).toISOString());
  repo = new ReceiversRepository(db);
  repo.insert({ id: 'rx-1', hamlet_id: 'thon-1', name: 'Cụm 1', created_at: at(0).toISOString() });
  now = at(1);
  presence = new ReceiverPresence(repo, pino({ level: 'silent' }), { now: () => now });
  hear('online', 5, 1);
});
afterEach(() => {
  presence.stop();
  vi.useRealTimers();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The controller lost its broker at 10 s and was back, subscribed, at 20 s; the wait is 2 s. */
function brokerRestarted(): void {
  presence.linkLost(at(10).toISOString());
  now = at(20);
  presence.awaitStatuses(2_000, () => true);
}

describe('a receiver back after its broker restarted', () => {
  it('is offline from the lost link when it comes back within the wait', () => {
    brokerRestarted();
    hear('online', 6, 21);
    expect(history()).toEqual([
      `online 5 ${at(1).toISOString()}`,
      `offline 5 ${at(10).toISOString()}`,
      `online 6 ${at(21).toISOString()}`,
    ]);
  });

  it('is offline from the lost link when it comes back after the wait, its old "online" kept by the broker', () => {
    brokerRestarted();
    hear('online', 5, 20); // the restarted broker's retained status of the old session
    vi.advanceTimersByTime(2_000);
    expect(repo.get('rx-1')!.status).toBe('online'); // heard: not judged gone
    hear('online', 6, 25);
    expect(history()).toEqual([
      `online 5 ${at(1).toISOString()}`,
      `offline 5 ${at(10).toISOString()}`,
      `online 6 ${at(25).toISOString()}`,
    ]);
  });

  it('keeps the first instant when the link is lost again before the statuses are in, and the latest outage after', () => {
    presence.linkLost(at(10).toISOString());
    now = at(12);
    presence.awaitStatuses(2_000, () => true);
    presence.linkLost(at(13).toISOString()); // lost again before the wait ended
    now = at(15);
    presence.awaitStatuses(2_000, () => true); // back: the wait starts afresh
    hear('online', 5, 15);
    vi.advanceTimersByTime(2_000);
    hear('online', 6, 18);
    expect(history().slice(-2)).toEqual([`offline 5 ${at(10).toISOString()}`, `online 6 ${at(18).toISOString()}`]);
    presence.linkLost(at(30).toISOString()); // a later outage: its own instant
    hear('online', 7, 35);
    expect(history().slice(-2)).toEqual([`offline 6 ${at(30).toISOString()}`, `online 7 ${at(35).toISOString()}`]);
  });

  it('after a last will, is simply back: no second offline', () => {
    brokerRestarted();
    hear('offline', 5, 21); // the broker stayed up after all: the will came
    hear('online', 6, 22);
    expect(history()).toEqual([
      `online 5 ${at(1).toISOString()}`,
      `offline 5 ${at(21).toISOString()}`,
      `online 6 ${at(22).toISOString()}`,
    ]);
  });
});
