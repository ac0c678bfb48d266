/**
 * Broker access alone must never make a speaker play (Dallas sirens, 2017): forged, tampered,
 * replayed, expired and misdirected commands are refused by the real agent, and the refusal
 * shows in coverage. Offline receivers get their command when they return; failures say why.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Clock } from '../../controller/clock.js';
import type { AgentConfig } from '../../controller/protocol/agent-config.js';
import type { HttpPool } from '../../controller/shared/http-client.js';
import { CommandSigner, signAck } from '../../controller/protocol/signing.js';
import type { Ack } from '../../controller/protocol/messages.js';
import { topics } from '../../controller/protocol/topics.js';
import { FileAgentStore } from '../../firmware-bridge/agent/agent-store.js';
import { ReceiverAgent } from '../../firmware-bridge/agent/receiver-agent.js';
import { SilentPlayer, type Player } from '../../firmware-bridge/agent/players.js';
import { enrolReceiver } from '../../firmware-bridge/simulator/fleet.js';
import { uploadReadyTone } from '../helpers/audio.js';
import {
  brokerClientAsController,
  startTestController,
  type TestController,
  onExternalBroker,
} from '../helpers/test-controller.js';
import { waitFor } from '../helpers/wait.js';

let tc: TestController;
let media: any;
let attacker: MqttClient;
const agents: ReceiverAgent[] = [];

interface AgentOptions {
  player?: Player;
  httpPool?: HttpPool;
  clock?: Clock;
  connect?: boolean;
  onCommandArrived?: (topic: string, at_ms: number, payload: Buffer) => void;
}

/** A real agent on an enrolled receiver's config and state directory: the same directory again is a restart. */
async function runAgent(config: AgentConfig, opts: AgentOptions = {}) {
  const agent = new ReceiverAgent({
    config,
    store: new FileAgentStore(config.state_dir),
    player: opts.player ?? new SilentPlayer(0.01),
    httpPool: opts.httpPool,
    clock: opts.clock,
    onCommandArrived: opts.onCommandArrived,
    logger: (await import('pino')).pino({ level: 'silent' }),
  });
  const played: string[] = [];
  agent.on('playing', (c) => played.push(c.broadcast_id));
  agents.push(agent);
  if (opts.connect !== false) await agent.start();
  return { agent, played, config };
}

/** Enrols a receiver and runs its agent; `failPlayback`: its amplifier fails every play. */
async function startAgent(id: string, hamlet: string, opts: AgentOptions & { failPlayback?: boolean } = {}) {
  const enrolled = await enrolReceiver(tc.url, tc.token, id, hamlet, `Cụm loa ${id}`);
  const failing: Player = {
    play: async () => {
      throw new Error('amplifier fault');
    },
    playStream: async () => {
      throw new Error('amplifier fault');
    },
  };
  const config = { ...enrolled, state_dir: join(tc.dir, 'agents', id) };
  return runAgent(config, { ...opts, player: opts.failPlayback ? failing : opts.player });
}

const coverageOf = async (id: string) => (await tc.api('GET', `/api/broadcasts/${id}/coverage`)).body;
const receiverRow = (cov: any, id: string) =>
  cov.hamlets.flatMap((h: any) => h.receivers).find((r: any) => r.receiver_id === id);
/** Waits until a receiver's coverage row shows one of `outcomes`, and returns the row. */
const outcomeOf = (broadcastId: string, receiverId: string, outcomes: string[], what: string, timeoutMs = 15_000) =>
  waitFor(
    async () => {
      const r = receiverRow(await coverageOf(broadcastId), receiverId);
      return outcomes.includes(r.outcome) ? r : undefined;
    },
    what,
    timeoutMs,
  );
/** A silent player that counts its plays; `failFrom`: every play from this one on fails (an amplifier fault). */
const countingPlayer = (failFrom = Infinity) => {
  const silent = new SilentPlayer(0.01);
  const counted = {
    plays: 0,
    player: {
      play: async (item, signal) => {
        if (++counted.plays >= failFrom) throw new Error('amplifier fault');
        return silent.play(item, signal);
      },
      playStream: async () => {
        throw new Error('no stream here');
      },
    } as Player,
  };
  return counted;
};
const broadcast = async (body: object) => {
  const res = await tc.api('POST', '/api/broadcasts', { media_id: media.id, ...body });
  expect(res.status).toBe(201);
  return res.body;
};
/** The signed command the controller published for a broadcast. */
const commandPayload = (broadcastId: string) =>
  JSON.parse(
    (tc.controller.db.prepare('SELECT payload FROM commands WHERE broadcast_id = ?').get(broadcastId) as any).payload,
  );

beforeAll(async () => {
  tc = await startTestController();
  media = await uploadReadyTone(tc.url, tc.token, tc.dir, 1);
  // On Mosquitto a second client on the controller's account would take over its session.
  if (!onExternalBroker) attacker = await brokerClientAsController(tc);
});

afterAll(async () => {
  await attacker?.endAsync(true);
  await Promise.all(agents.map((a) => a.stop()));
  await tc?.close();
});

describe('the agent refuses what it must not play', () => {
  it.skipIf(onExternalBroker)(
    "refuses a command signed with another key, even from the controller's own broker account",
    async () => {
      const { agent, played } = await startAgent('rx-forge', 'thon-1');
      const refused: any[] = [];
      agent.on('refused', (r) => refused.push(r));
      const genuine = await broadcast({ target: { receiver_ids: ['rx-forge'] } });
      await waitFor(
        async () => receiverRow(await coverageOf(genuine.id), 'rx-forge').outcome === 'finished',
        'genuine broadcast to play',
      );

      const forger = CommandSigner.generate().signer;
      const { sig, ...unsigned } = commandPayload(genuine.id);
      const forged = forger.sign({ ...unsigned, command_id: crypto.randomUUID(), broadcast_id: crypto.randomUUID() });
      await attacker.publishAsync(topics.receiverCommands('rx-forge'), JSON.stringify(forged), { qos: 1 });
      await waitFor(() => refused.length === 1, 'the forged command to be refused');
      expect(refused[0].reason).toBe('unknown_key');
      expect(played).toEqual([genuine.id]);
    },
  );

  it.skipIf(onExternalBroker)('refuses a genuine command with one bit changed', async () => {
    const { agent, played } = await startAgent('rx-flip', 'thon-1');
    const refused: any[] = [];
    agent.on('refused', (r) => refused.push(r));
    const genuine = await broadcast({ target: { receiver_ids: ['rx-flip'] } });
    await waitFor(() => played.length === 1, 'genuine broadcast to play');
    const tampered = { ...commandPayload(genuine.id), command_id: crypto.randomUUID(), volume_pct: 100 };
    await attacker.publishAsync(topics.receiverCommands('rx-flip'), JSON.stringify(tampered), { qos: 1 });
    await waitFor(() => refused.length === 1, 'the tampered command to be refused');
    expect(refused[0].reason).toBe('bad_signature');
    expect(played).toHaveLength(1);
  });

  it.skipIf(onExternalBroker)('plays a replayed command only once', async () => {
    const { played } = await startAgent('rx-replay', 'thon-2');
    const genuine = await broadcast({ target: { receiver_ids: ['rx-replay'] } });
    await waitFor(() => played.length === 1, 'first play');
    const payload = JSON.stringify(commandPayload(genuine.id));
    for (let i = 0; i < 3; i++) await attacker.publishAsync(topics.receiverCommands('rx-replay'), payload, { qos: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(played).toEqual([genuine.id]);
  });

  it.skipIf(onExternalBroker)('refuses a command meant for another hamlet, and reports it', async () => {
    const { agent, played } = await startAgent('rx-target', 'thon-3');
    const refused: any[] = [];
    agent.on('refused', (r) => refused.push(r));
    // A genuine command for thon-2, re-published by an attacker on thon-3's topic.
    const other = await broadcast({ target: { hamlet_ids: ['thon-2'] } });
    await attacker.publishAsync(topics.hamletCommands('thon-3'), JSON.stringify(commandPayload(other.id)), { qos: 1 });
    await waitFor(() => refused.length === 1, 'the misdirected command to be refused');
    expect(refused[0].reason).toBe('wrong_target');
    expect(played).toEqual([]);
  });

  /**
   * A receiver with 1,000 signed receipts and then one command to take, each receipt refusing one
   * made-up ack (which the agent reports as it checks the receipt). Counts the receipts checked
   * when the command arrives and when it is taken.
   */
  async function receiptsThenCommand(
    id: string,
    deliver: (agent: ReceiverAgent, topic: string, payloads: string[]) => Promise<void>,
  ) {
    let receiptsChecked = 0;
    let checkedAtArrival = -1;
    let checkedWhenTaken = -1;
    let urgentId = '';
    const { agent } = await startAgent(id, 'thon-2', {
      onCommandArrived: (_topic, _at, payload) => {
        if (urgentId && payload.includes(urgentId)) checkedAtArrival = receiptsChecked;
      },
    });
    const genuine = await broadcast({ target: { receiver_ids: [id] } });
    await waitFor(
      async () => receiverRow(await coverageOf(genuine.id), id).outcome === 'finished',
      'a first broadcast to play (its audio is then cached)',
    );
    const signer = CommandSigner.fromPem(
      readFileSync(join(tc.dir, 'data', 'secrets', 'controller-signing-key.pem'), 'utf8'),
    );
    const { sig: _, ...unsigned } = commandPayload(genuine.id);
    const urgent = signer.sign({ ...unsigned, command_id: crypto.randomUUID(), broadcast_id: crypto.randomUUID() });
    urgentId = urgent.command_id;
    agent.on('ack_refused', () => receiptsChecked++);
    agent.on('ack', (ack: Ack) => {
      if (ack.command_id === urgent.command_id && ack.stage === 'received') checkedWhenTaken = receiptsChecked;
    });
    const receipt = (i: number) =>
      signer.sign({
        v: 1 as const,
        command_id: crypto.randomUUID(),
        issued_at: new Date().toISOString(),
        expires_at: new Date(Date.now() + 600_000).toISOString(),
        target: { kind: 'receiver' as const, id },
        type: 'ack_receipt' as const,
        seqs: [],
        refused: [{ seq: 100_000 + i, reason: 'bad_signature' as const }],
      });
    const payloads = Array.from({ length: 1000 }, (_, i) => JSON.stringify(receipt(i)));
    payloads.push(JSON.stringify(urgent));
    await deliver(agent, topics.receiverCommands(id), payloads);
    await waitFor(() => receiptsChecked === 1000, 'every receipt to be checked', 20_000);
    expect(checkedWhenTaken).toBeGreaterThanOrEqual(0);
    return { checkedAtArrival, checkedWhenTaken };
  }

  it.skipIf(onExternalBroker)(
    'takes a command that arrives behind a thousand receipts before any receipt still waiting, and loses none',
    async () => {
      // All written at once over the broker, the command last. How many receipts the agent has
      // checked when the command arrives depends on the machine; none may be checked after.
      const { checkedAtArrival, checkedWhenTaken } = await receiptsThenCommand(
        'rx-lane',
        async (_a, topic, payloads) => {
          await Promise.all(payloads.map((p) => attacker.publishAsync(topic, p, { qos: 1 })));
        },
      );
      expect(checkedAtArrival).toBeGreaterThanOrEqual(0);
      expect(checkedWhenTaken).toBe(checkedAtArrival);
    },
  );

  it('takes the command first when a backlog of receipts is read in one go (as after a reconnection)', async () => {
    // The broker hands over what it kept in bursts; here the whole backlog arrives within one
    // turn of the event loop, which makes the order exact. In arrival order it would be 1,000.
    const { checkedWhenTaken } = await receiptsThenCommand('rx-backlog', async (agent, _topic, payloads) => {
      const arrive = (payload: Buffer) => (agent as any).onMessage(payload) as Promise<void>;
      await Promise.all(payloads.map((p) => arrive(Buffer.from(p))));
    });
    expect(checkedWhenTaken).toBe(0);
  });

  it('refuses an expired command: a receiver whose clock reads 20 minutes later never plays it, and coverage says why', async () => {
    const later: Clock = { now: () => new Date(Date.now() + 20 * 60_000) };
    const { played } = await startAgent('rx-late', 'thon-3', { clock: later });
    const b = await broadcast({ target: { receiver_ids: ['rx-late'] }, expires_in_s: 600 });
    const row = await outcomeOf(b.id, 'rx-late', ['rejected'], 'the expired command to be reported');
    expect(row.reason).toBe('expired');
    expect(played).toEqual([]);
  });

  it.skipIf(onExternalBroker)('drops malformed command payloads without crashing', async () => {
    const { agent, played } = await startAgent('rx-garbage', 'thon-1');
    const refused: any[] = [];
    agent.on('refused', (r) => refused.push(r));
    for (const junk of ['not json', '{}', JSON.stringify({ v: 1, type: 'play' }), '[1,2,3]']) {
      await attacker.publishAsync(topics.receiverCommands('rx-garbage'), junk, { qos: 1 });
    }
    await waitFor(() => refused.length === 4, 'all junk to be refused');
    expect(refused.every((r) => r.reason === 'malformed')).toBe(true);
    const b = await broadcast({ target: { receiver_ids: ['rx-garbage'] } });
    await waitFor(() => played.includes(b.id), 'a genuine command to still play');
  });
});

describe('receivers that are offline or fail', () => {
  it('delivers to a receiver that was offline when the broadcast was made, once it returns', async () => {
    const { agent, played } = await startAgent('rx-offline', 'thon-2');
    await agent.stop();
    const b = await broadcast({ target: { receiver_ids: ['rx-offline'] } });
    expect(receiverRow(await coverageOf(b.id), 'rx-offline').outcome).toBe('waiting');
    const { played: playedAgain } = await runAgent((agent as any).options.config);
    await waitFor(
      async () => receiverRow(await coverageOf(b.id), 'rx-offline').outcome === 'finished',
      'the returning receiver to play',
    );
    expect(playedAgain).toEqual([b.id]);
    expect(played).toEqual([]);
  });

  it('reports a receiver that never answered as no_answer once the command expires', async () => {
    await startAgent('rx-never', 'thon-2', { connect: false });
    const b = await broadcast({ target: { receiver_ids: ['rx-never'] }, expires_in_s: 10 });
    expect(receiverRow(await coverageOf(b.id), 'rx-never').outcome).toBe('waiting');
    const row = await waitFor(
      async () => {
        const r = receiverRow(await coverageOf(b.id), 'rx-never');
        return r.outcome === 'no_answer' ? r : undefined;
      },
      'expiry',
      15_000,
      250,
    );
    expect(row.received_at).toBeNull();
  });

  it('reports a playback failure with its reason', async () => {
    await startAgent('rx-broken', 'thon-1', { failPlayback: true });
    const b = await broadcast({ target: { receiver_ids: ['rx-broken'] } });
    const row = await outcomeOf(b.id, 'rx-broken', ['failed'], 'the failure to be reported');
    expect(row.reason).toBe('player_error');
    expect(row.downloaded_at).not.toBeNull();
  });

  it('reports as heard, with what failed, an item played in full once whose later repeat failed', async () => {
    // The first play ends normally; the amplifier fails on the second.
    const counted = countingPlayer(2);
    await startAgent('rx-repeat', 'thon-3', { player: counted.player });
    const b = await broadcast({ target: { receiver_ids: ['rx-repeat'] }, repeat_count: 3 });
    const row = await outcomeOf(b.id, 'rx-repeat', ['finished', 'failed'], 'the item to end', 30_000);
    expect(row.outcome).toBe('finished');
    expect(row.detail).toBe('played 1 of 3 times, then: amplifier fault');
    expect(counted.plays).toBe(2);
  });

  it('says what a receiver played in full before a stop came between repeats', async () => {
    const counted = countingPlayer();
    await startAgent('rx-stop-repeat', 'thon-3', { player: counted.player });
    // Three plays, a minute apart: the stop comes in the pause after the first.
    const b = await broadcast({ target: { receiver_ids: ['rx-stop-repeat'] }, repeat_count: 3, repeat_interval_s: 60 });
    await waitFor(() => (counted.plays === 1 ? true : undefined), 'the first play', 15_000);
    await outcomeOf(b.id, 'rx-stop-repeat', ['playing'], 'the item on air');
    expect((await tc.api('POST', `/api/broadcasts/${b.id}/stop`, {})).status).toBeLessThan(300);
    const row = await outcomeOf(b.id, 'rx-stop-repeat', ['failed'], 'the stop to be reported');
    expect(row.reason).toBe('stopped');
    expect(row.detail).toBe('played 1 of 3 times');
    expect(counted.plays).toBe(1);
  });

  it('plays after a restart what it had taken and was still downloading when it went down', async () => {
    // A server that takes connections and never answers: the first agent's download hangs.
    const sockets: Socket[] = [];
    const blackHole = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const hang = { createConnection: () => connect((blackHole.address() as AddressInfo).port, '127.0.0.1') };
    const hangingPool = { http: Object.assign(new HttpAgent(), hang), https: Object.assign(new HttpsAgent(), hang) };
    const { agent: first, config } = await startAgent('rx-cut', 'thon-3', { httpPool: hangingPool });
    const b = await broadcast({ target: { receiver_ids: ['rx-cut'] } });
    await waitFor(async () => receiverRow(await coverageOf(b.id), 'rx-cut').received_at, '"received" stored');
    // Holding it, not started: counted so (the console's "playing or waiting its turn"), not in no column.
    expect((await coverageOf(b.id)).totals).toMatchObject({ targeted: 1, holding: 1, playing: 0, waiting: 0 });
    await first.stop(); // its download still hanging: "received", never downloaded, played nor failed
    const { played } = await runAgent(config); // the same state directory: a restart
    await waitFor(
      async () => receiverRow(await coverageOf(b.id), 'rx-cut').outcome === 'finished',
      'the item taken before the restart to play',
      20_000,
    );
    expect(played).toEqual([b.id]);
    for (const socket of sockets) socket.destroy();
    blackHole.close();
  });

  it('sends acks kept on disk from before a restart, and the controller stores each once', async () => {
    const { agent, config } = await startAgent('rx-outbox', 'thon-3');
    const b = await broadcast({ target: { receiver_ids: ['rx-outbox'] } });
    await waitFor(async () => receiverRow(await coverageOf(b.id), 'rx-outbox').outcome === 'finished', 'play');
    await waitFor(() => agent.pendingAckCount() === 0, 'receipts for the four stages');
    await agent.stop();
    // An ack that a power cut kept from being sent: written to the outbox, never published.
    // It repeats a stage already stored, under a new sequence number: it must make no second row.
    const disk = new FileAgentStore(config.state_dir);
    const state = disk.loadState();
    // Signed as the agent signs every ack (the controller refuses unsigned ones at the door).
    disk.addAck(
      signAck<Ack>(
        {
          v: 1,
          receiver_id: 'rx-outbox',
          command_id: commandPayload(b.id).command_id,
          broadcast_id: b.id,
          seq: state.next_seq++,
          stage: 'finished',
          at: new Date().toISOString(),
          reason: null,
          detail: null,
        },
        createPrivateKey(config.ack_signing_key!),
      ),
    );
    disk.saveState(state);
    const before = tc.controller.health().acks;
    const { agent: restarted } = await runAgent(config); // the same state directory: a restart
    await waitFor(() => restarted.pendingAckCount() === 0, 'the outbox to drain');
    const after = tc.controller.health().acks;
    expect(after.duplicates - before.duplicates).toBe(1);
    expect(after.stored).toBe(before.stored);
  });
});
