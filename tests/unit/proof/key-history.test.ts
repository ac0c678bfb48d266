/**
 * The ack door's keys (controller/proof/key-history.ts): every receiver's keys are read in one
 * query at the first ack after a start, newest first, and a receiver enrolled or re-enrolled after
 * that is read again, so its new key is never missed.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../../controller/db/database.js';
import { KeyHistory } from '../../../controller/proof/key-history.js';

const newPem = () => generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keys-'));
  db = openDatabase(join(dir, 'c.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the receivers' ack keys", () => {
  it('reads every receiver at once, newest key first, and reads again a receiver re-enrolled since', () => {
    const history = new KeyHistory(db);
    const [a1, a2, b1, b2, c1] = [newPem(), newPem(), newPem(), newPem(), newPem()];
    history.addReceiverKey('rx-a', a1, '2026-12-01T00:00:00.000Z');
    history.addReceiverKey('rx-a', a2, '2026-12-02T00:00:00.000Z');
    history.addReceiverKey('rx-b', b1, '2026-12-01T00:00:00.000Z');

    const prepare = vi.spyOn(db, 'prepare');
    expect(history.receiverPems('rx-a')).toEqual([a2, a1]);
    expect(history.receiverPems('rx-b')).toEqual([b1]);
    expect(prepare).toHaveBeenCalledTimes(1); // both receivers from one query
    expect(history.receiverPems('rx-none')).toEqual([]);
    prepare.mockRestore();

    // Re-enrolled, and a receiver enrolled, after the first read (the enrolment says forget).
    history.addReceiverKey('rx-b', b2, '2026-12-03T00:00:00.000Z');
    history.forget('rx-b');
    history.addReceiverKey('rx-c', c1, '2026-12-03T00:00:00.000Z');
    history.forget('rx-c');
    expect(history.receiverPems('rx-b')).toEqual([b2, b1]);
    expect(history.receiverPems('rx-c')).toEqual([c1]);
  });
});
