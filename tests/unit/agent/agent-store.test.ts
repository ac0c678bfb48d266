import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileAgentStore } from '../../../firmware-bridge/agent/agent-store.js';
import type { Ack } from '../../../controller/protocol/messages.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'agent-store-'));
  dirs.push(d);
  return d;
};
const ack = (seq: number): Ack => ({
  v: 1,
  receiver_id: 'rx-a',
  seq,
  command_id: '7f0c1c9e-6a55-4c53-9d5e-3c2d8f0e4b11',
  broadcast_id: null,
  stage: 'received',
  at: '2026-11-25T21:00:00.000Z',
  reason: null,
  detail: null,
});

describe('FileAgentStore', () => {
  it('keeps unconfirmed acks and counters across a restart', () => {
    const dir = fresh();
    const a = new FileAgentStore(dir);
    a.saveState({ next_seq: 3, session: 7, seen: { x: '2026-11-25T22:00:00.000Z' } });
    a.addAck(ack(0));
    a.addAck(ack(1));
    a.addAck(ack(2));
    a.removeAcks([1]);
    const b = new FileAgentStore(dir);
    expect(b.pendingAcks().map((x) => x.seq)).toEqual([0, 2]);
    expect(b.loadState()).toMatchObject({ next_seq: 3, session: 7, seen: { x: '2026-11-25T22:00:00.000Z' } });
  });

  it('never reuses a sequence number still in the outbox, even when state.json is older', () => {
    const dir = fresh();
    const a = new FileAgentStore(dir);
    a.saveState({ next_seq: 1, session: 1, seen: {} });
    a.addAck(ack(5)); // written, then power lost before state.json was saved
    expect(new FileAgentStore(dir).loadState().next_seq).toBe(6);
  });

  it('starts empty when there is no state yet', () => {
    expect(new FileAgentStore(fresh()).loadState()).toEqual({ next_seq: 0, session: 0, seen: {} });
  });
});
