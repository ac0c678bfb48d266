import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACKS_IN_FLIGHT, AckOutbox } from '../../../firmware-bridge/agent/ack-outbox.js';
import { AgentContext } from '../../../firmware-bridge/agent/agent-context.js';
import type { AgentLink } from '../../../firmware-bridge/agent/agent-link.js';
import { FileAgentStore } from '../../../firmware-bridge/agent/agent-store.js';
import type { UnsignedCommand } from '../../../controller/protocol/messages.js';

/** A link that records publishes and answers each one only when the test says so. */
class HeldLink {
  connected = true;
  readonly sent: { seq: number; done: (err?: Error) => void }[] = [];
  publish(_topic: string, payload: string, _options: unknown, done?: (err?: Error) => void): void {
    this.sent.push({ seq: JSON.parse(payload).seq, done: done ?? (() => {}) });
  }
  /** The broker's PUBACK for the oldest publish not yet answered. */
  puback(): void {
    const next = this.sent.find((s) => !(s as { answered?: boolean }).answered) as
      { seq: number; done: (err?: Error) => void; answered?: boolean } | undefined;
    if (!next) throw new Error('nothing to answer');
    next.answered = true;
    next.done();
  }
  seqs(): number[] {
    return this.sent.map((s) => s.seq);
  }
}

const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function outbox(resendAfterMs = 20_000) {
  const dir = mkdtempSync(join(tmpdir(), 'ack-outbox-'));
  dirs.push(dir);
  const store = new FileAgentStore(dir);
  const ctx = new AgentContext({
    config: { receiver_id: 'rx-1', hamlet_id: 'thon-1' } as never,
    store,
    clock: { now: () => new Date('2026-12-04T18:30:00Z') },
    log: pino({ level: 'silent' }),
    events: new EventEmitter(),
  });
  ctx.state = store.loadState();
  const link = new HeldLink();
  const acks = new AckOutbox({ ctx, link: link as unknown as AgentLink, resendAfterMs });
  return { acks, link, store, ctx };
}

/** The same agent after a restart: its state read back from disk. */
function reloaded(before: AgentContext, store: FileAgentStore): AgentContext {
  const ctx = new AgentContext({
    config: before.config,
    store,
    clock: before.clock,
    log: pino({ level: 'silent' }),
    events: new EventEmitter(),
  });
  ctx.state = store.loadState();
  return ctx;
}

const command = { command_id: '7f0c1c9e-6a55-4c53-9d5e-3c2d8f0e4b11', broadcast_id: 'b-1' } as UnsignedCommand;
const turn = () => new Promise((r) => setImmediate(r));

describe('the ack outbox paces what it sends', () => {
  it(`keeps at most ${ACKS_IN_FLIGHT} acks waiting for the broker's PUBACK, sending the next oldest as each is answered`, async () => {
    const { acks, link } = outbox();
    for (let i = 0; i < 6; i++) acks.record(command, 'received');
    expect(link.seqs()).toEqual([0, 1]);
    link.puback();
    await turn();
    expect(link.seqs()).toEqual([0, 1, 2]);
    link.puback();
    link.puback();
    await turn();
    expect(link.seqs()).toEqual([0, 1, 2, 3, 4]);
  });

  it("sends an emergency's and a stop's acks before the waiting ones, in a room of their own", async () => {
    const { acks, link } = outbox();
    for (let i = 0; i < 5; i++) acks.record(command, 'received'); // 0-1 in flight, 2-4 waiting
    const emergency = { ...command, type: 'play', priority: 'emergency' } as UnsignedCommand;
    acks.record(emergency, 'received'); // 5: sent at once, without waiting for 0 or 1's PUBACK
    expect(link.seqs()).toEqual([0, 1, 5]);
    acks.record({ ...command, type: 'stop' } as UnsignedCommand, 'received'); // 6: no room (5 unanswered)
    acks.record(command, 'failed', 'stopped'); // 7: what the stop ended
    expect(link.seqs()).toEqual([0, 1, 5]);
    link.puback(); // 0 answered: the urgent ones go first
    await turn();
    expect(link.seqs()).toEqual([0, 1, 5, 6]);
    link.puback(); // 1
    link.puback(); // 5
    await turn();
    expect(link.seqs()).toEqual([0, 1, 5, 6, 7]);
    link.puback(); // 6
    link.puback(); // 7
    await turn();
    expect(link.seqs()).toEqual([0, 1, 5, 6, 7, 2, 3]);
    acks.linkUp(); // a new link: every pending ack again, the urgent ones first after a first ack (0)
    expect(link.seqs().slice(7)).toEqual([0, 5, 6]);
  });

  it("still sends an emergency's acks first after a restart, and a first ack (0) before everything", () => {
    const { acks, link, store, ctx } = outbox();
    link.connected = false; // made while the link was down: all on disk
    acks.record(command, 'received'); // 0
    acks.record(command, 'downloaded'); // 1
    acks.record(command, 'started'); // 2
    acks.record({ ...command, type: 'play', priority: 'emergency' } as UnsignedCommand, 'received'); // 3
    // The agent restarts: a new outbox on the same disk and state.
    const again = new AckOutbox({ ctx: reloaded(ctx, store), link: link as unknown as AgentLink });
    link.connected = true;
    again.linkUp();
    expect(link.seqs()).toEqual([0, 3]); // 1 and 2 wait for room
  });

  it('sends every pending ack again on a new link, oldest first and paced, and a PUBACK from the old link frees no room', async () => {
    const { acks, link } = outbox();
    for (let i = 0; i < 4; i++) acks.record(command, 'received');
    const oldLink = [...link.sent];
    link.sent.length = 0;
    acks.linkUp();
    expect(link.seqs()).toEqual([0, 1]);
    oldLink[0].done(); // the old link's late answer
    await turn();
    expect(link.seqs()).toEqual([0, 1]);
    link.puback();
    await turn();
    expect(link.seqs()).toEqual([0, 1, 2]);
  });

  it('leaves a receipted ack out, and sends nothing while the link is down (all of it when it is up)', async () => {
    const { acks, link } = outbox();
    link.connected = false;
    for (let i = 0; i < 3; i++) acks.record(command, 'received');
    expect(link.sent).toEqual([]);
    acks.receipted([0]);
    link.connected = true;
    acks.linkUp();
    expect(link.seqs()).toEqual([1, 2]);
  });

  it('does not send an ack again while its PUBACK is awaited on the same link; one unanswered for ten resend periods frees its room', () => {
    vi.useFakeTimers({ toFake: ['performance', 'setInterval', 'setImmediate'] });
    const { acks, link } = outbox(1_000);
    acks.start();
    for (let i = 0; i < 3; i++) acks.record(command, 'received');
    expect(link.seqs()).toEqual([0, 1]);
    vi.advanceTimersByTime(5_000); // a broker answering late: nothing added to its backlog
    expect(link.seqs()).toEqual([0, 1]);
    vi.advanceTimersByTime(6_000); // past ten resend periods: taken for lost, sent again
    expect(link.seqs().slice(2)).toEqual([0, 1]);
    acks.stop();
  });

  it('sends again an ack the broker took but the controller never receipted, once the resend period passes', async () => {
    vi.useFakeTimers({ toFake: ['performance', 'setInterval', 'setImmediate'] });
    const { acks, link } = outbox(1_000);
    acks.start();
    acks.record(command, 'received');
    link.puback();
    vi.advanceTimersByTime(1_600);
    expect(link.seqs()).toEqual([0, 0]);
    acks.stop();
  });
});
