/**
 * Runs in a child process so that the fleet has its own event loop and its own file
 * descriptors (10,000 receivers and the broker's 10,000 sockets do not fit in one process here).
 * Phase "floor": bare MQTT clients with the receivers' credentials subscribe to their hamlet's
 * topic, record when a message arrives, and answer on their ack topic at once; for the loaded
 * floor they also publish a flood of acks at once.
 * Phase "agents": real ReceiverAgents (memory store, instant silent player) record when a
 * command arrives.
 * Witnesses (a second process of this file, op "witness"): a few bare clients per hamlet, enrolled
 * as receivers of their own, that only record when each broadcast's command arrives. Their process
 * is idle otherwise, as a real receiver's CPU is its own: they time the controller and broker's
 * delivery apart from the simulated fleet's queue of thousands of receivers' work.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { createPrivateKey, randomUUID } from 'node:crypto';
import { topics } from '../controller/protocol/topics.js';
import { mqttDebugLog } from '../controller/shared/mqtt-debug-log.js';
import { PROTOCOL_VERSION, ackDigest, signAck, type Ack } from '../controller/protocol/index.js';
import { httpPool } from '../controller/shared/http-client.js';
import type { AgentConfig } from '../controller/protocol/agent-config.js';
import { MemoryAgentStore } from '../firmware-bridge/agent/agent-store.js';
import { ReceiverAgent } from '../firmware-bridge/agent/receiver-agent.js';
import { spreadReconnectMs } from '../firmware-bridge/agent/agent-link.js';
import { SilentPlayer } from '../firmware-bridge/agent/players.js';
import { nowMs } from './stats.js';
import { LoopBusy } from './loop-busy.js';
import { connectSpeakingAsAgent } from './conversation-floor.js';

let configs: AgentConfig[] = [];
let stateDir = '';
const reply = (m: object) => process.send!(m);
/** First arrival per receiver, per broadcast ("floor" for the bare-client phase). */
const arrivals = new Map<string, Map<string, number>>();
const record = (key: string, receiverId: string, at = nowMs()) => {
  const m = arrivals.get(key) ?? new Map<string, number>();
  if (!m.has(receiverId)) m.set(receiverId, at);
  arrivals.set(key, m);
};

/**
 * A bare client with a receiver's credentials (the floor's and the witnesses'): no session kept.
 * No reconnection, unless `reconnect` (the floor of a broker restart): then as an agent does, after
 * the agents' spread of 1-3 s, subscribing again (mqtt.js does that for a clean session).
 */
const connectAsReceiver = async (c: AgentConfig, reconnect = false) => {
  const client = await mqtt.connectAsync(c.mqtt_url, {
    clientId: c.receiver_id,
    username: c.receiver_id,
    password: c.secret,
    protocolVersion: 4,
    clean: true,
    ...mqttDebugLog, // as the agents have it: the floor's clients must not pay for mqtt.js's debug calls alone
    reconnectPeriod: reconnect ? spreadReconnectMs() : 0,
  });
  client.on('error', () => {}); // refused while the broker is down: it tries again
  return client;
};
let bare: MqttClient[] = [];

/** The broadcast id in a command, found without parsing the JSON (this runs for thousands of receivers in one thread). */
function broadcastIdOf(payload: Buffer): string | undefined {
  const i = payload.indexOf('"broadcast_id":"');
  return i < 0 ? undefined : payload.toString('latin1', i + 16, i + 52);
}
let agents: ReceiverAgent[] = [];
/** When messages on receivers' own topics (receipts, mostly) arrived: how much else the fleet was handling. */
const ownTopicArrivals: number[] = [];
const log = pino({ level: 'silent' });
/** How busy this process's loop was (the simulated fleet's work on its core): read back per window. */
const busy = new LoopBusy().start();

/**
 * Connects bare clients 100 at a time (as the agents are started); resolves with the time until all
 * had CONNACK. `conversation`: clients that say what an agent says on connecting (the restart
 * bench's second floor, conversation-floor.ts), which only connect, and reconnect.
 */
async function connectBare(reconnect = false, conversation = false): Promise<number> {
  const t0 = nowMs();
  const subscribed: Promise<unknown>[] = [];
  for (let i = 0; i < configs.length; i += 100) {
    const batch = await Promise.all(
      configs.slice(i, i + 100).map(async (c) => {
        if (conversation)
          return connectSpeakingAsAgent(
            c,
            () => record('connected', c.receiver_id),
            () => record('connect-timed-out', c.receiver_id),
          );
        const client = await connectAsReceiver(c, reconnect);
        client.on('connect', () => record('connected', c.receiver_id));
        subscribed.push(client.subscribeAsync(topics.hamletCommands(c.hamlet_id), { qos: 1 }));
        client.on('message', (_topic, payload) => {
          // By broadcast when the command names one (the loaded floor sends two), else "floor".
          const broadcastId = broadcastIdOf(payload);
          record(broadcastId ?? 'floor', c.receiver_id);
          client.publish(topics.ack(c.receiver_id), `{"floor":true,"broadcast_id":"${broadcastId ?? ''}"}`, { qos: 1 });
        });
        return client;
      }),
    );
    bare.push(...batch);
  }
  const connectMs = nowMs() - t0;
  await Promise.all(subscribed);
  return connectMs;
}

/** Connects the witnesses: subscribed to their hamlet's commands, recording each broadcast's first arrival, answering nothing. */
async function connectWitnesses(): Promise<void> {
  bare = await Promise.all(
    configs.map(async (c) => {
      const client = await connectAsReceiver(c);
      client.on('message', (_topic, payload) => {
        const broadcastId = broadcastIdOf(payload);
        if (broadcastId) record(broadcastId, c.receiver_id);
      });
      await client.subscribeAsync(topics.hamletCommands(c.hamlet_id), { qos: 1 });
      return client;
    }),
  );
}

/**
 * Builds the agents, then starts them 100 at a time as the bare clients connect; resolves with
 * how long each part took. Building (keys parsed, outbox and queue made) is the simulator doing in
 * one process what each real receiver does on its own CPU at boot, so the connect figure starts
 * after it, as the floor's does.
 */
async function startAgents(telemetryS?: number): Promise<{ build_ms: number; connect_ms: number }> {
  const t0 = nowMs();
  // Real receivers each have their own connection; 10,000 simulated ones share a pool.
  const pool = httpPool(64);
  const emergencyPool = httpPool(64);
  agents = configs.map(
    (c) =>
      new ReceiverAgent({
        httpPool: pool,
        emergencyHttpPool: emergencyPool,
        config: {
          ...c,
          state_dir: `${stateDir}/${c.receiver_id}`,
          player: { kind: 'silent', speed: 0 },
          ...(telemetryS ? { telemetry_interval_s: telemetryS } : {}),
        },
        store: new MemoryAgentStore(),
        player: new SilentPlayer(0),
        logger: log,
        onCommandArrived: (topic, _at, payload) => {
          const at = nowMs();
          if (!topic.includes('/cmd/hamlet/')) {
            ownTopicArrivals.push(at); // receipts, mostly: work each receiver does besides the broadcast
            // A command sent to this receiver alone (the controller's resend when it comes back online).
            const resent = broadcastIdOf(payload);
            if (resent) record(`own:${resent}`, c.receiver_id, at);
            return;
          }
          const broadcastId = broadcastIdOf(payload);
          if (broadcastId) record(broadcastId, c.receiver_id, at);
        },
      }),
  );
  // When each receiver starts a play (scheduled items: the synchronised start).
  for (const a of agents) a.on('playing', (c: { broadcast_id: string }) => record(`start:${c.broadcast_id}`, a.id));
  // When each link came up (after "arm": again, after a broker restart).
  for (const a of agents) a.on('connected', () => record('connected', a.id));
  // Which let a connection go for want of a CONNACK (stuck in a crowded broker's listen queue).
  for (const a of agents) a.on('connect-timed-out', () => record('connect-timed-out', a.id));
  const t1 = nowMs();
  for (let i = 0; i < agents.length; i += 100) await Promise.all(agents.slice(i, i + 100).map((a) => a.start()));
  return { build_ms: t1 - t0, connect_ms: nowMs() - t1 };
}

/** The floor for a synchronised start: as many bare timers as receivers, armed to one instant in this process. */
function timerFloor(at: number): Promise<number[]> {
  return new Promise((resolve) => {
    const late: number[] = [];
    for (let i = 0; i < configs.length; i++) {
      setTimeout(() => {
        late.push(nowMs() - at);
        if (late.length === configs.length) resolve(late);
      }, at - Date.now());
    }
  });
}

/** Signed acks ready to send, one list per bare client: made before the clock starts. */
let flood: string[][] = [];
const STAGES = ['received', 'downloaded', 'started', 'finished'] as const;

function prepareFlood(broadcastId: string, commandByHamlet: Record<string, string>): number {
  flood = configs.map((c) => {
    const key = createPrivateKey(c.ack_signing_key!);
    // Chained as a real agent chains its acks: each names the digest of the one before.
    let prev: string | undefined;
    return STAGES.map((stage, i) => {
      const ack: Ack = {
        v: PROTOCOL_VERSION,
        receiver_id: c.receiver_id,
        seq: i + 1,
        command_id: commandByHamlet[c.hamlet_id],
        broadcast_id: broadcastId,
        stage,
        at: new Date().toISOString(),
        reason: null,
        detail: null,
        ...(prev ? { prev } : {}),
      };
      prev = ackDigest(ack);
      return JSON.stringify(signAck(ack, key));
    });
  });
  return flood.reduce((n, acks) => n + acks.length, 0);
}

/**
 * The loaded floor's flood: four acks per bare client, each padded to the size of a real signed,
 * chained ack but not one (no seq, no signature), so the controller, subscribed to acks on the same
 * broker, drops them as malformed instead of checking and storing them: the broker's work, not
 * the controller's. Resolves with the count and the size.
 */
function prepareBareFlood(): { count: number; bytes: number } {
  const c = configs[0];
  const unsigned: Ack = {
    v: PROTOCOL_VERSION,
    receiver_id: c.receiver_id,
    seq: 2,
    command_id: randomUUID(),
    broadcast_id: randomUUID(),
    stage: 'downloaded',
    at: new Date().toISOString(),
    reason: null,
    detail: null,
    prev: 'f'.repeat(64),
  };
  const bytes = Buffer.byteLength(JSON.stringify(signAck(unsigned, createPrivateKey(c.ack_signing_key!))));
  flood = configs.map((r) =>
    STAGES.map((stage) => {
      const head = `{"floor":"flood","receiver_id":"${r.receiver_id}","stage":"${stage}","pad":"`;
      return `${head}${'x'.repeat(Math.max(0, bytes - head.length - 2))}"}`;
    }),
  );
  return { count: configs.length * STAGES.length, bytes };
}

/** Every bare client publishes its acks at once (QoS 1); resolves when the broker has them all. */
async function sendFlood(): Promise<void> {
  await Promise.all(
    bare.map((client, i) =>
      Promise.all(flood[i].map((ack) => client.publishAsync(topics.ack(configs[i].receiver_id), ack, { qos: 1 }))),
    ),
  );
}

// When the bench dies, the fleet goes with it (it would otherwise reconnect 10,000 clients forever).
process.on('disconnect', () => process.exit(0));

process.on(
  'message',
  async (msg: { op: string; key?: string; configs?: AgentConfig[]; stateDir?: string; at?: number }) => {
    try {
      if (msg.op === 'init') {
        configs = msg.configs!;
        stateDir = msg.stateDir!;
      }
      // Connect times: until every client has its CONNACK, 100 at a time, bare clients and agents alike.
      if (msg.op === 'witness') await connectWitnesses();
      if (msg.op === 'floor') {
        const m = msg as { reconnect?: boolean; conversation?: boolean };
        return reply({ op: 'floor', connect_ms: await connectBare(m.reconnect, m.conversation) });
      }
      if (msg.op === 'stop-floor') {
        await Promise.all(bare.map((c) => c.endAsync(true)));
        bare = [];
      }
      if (msg.op === 'agents') {
        return reply({ op: 'agents', ...(await startAgents((msg as { telemetryS?: number }).telemetryS)) });
      }
      if (msg.op === 'connected') return reply({ op: 'connected', count: agents.filter((a) => a.connected).length });
      if (msg.op === 'arm') arrivals.clear();
      if (msg.op === 'flood-prepare') {
        const m = msg as unknown as { broadcastId: string; commandByHamlet: Record<string, string> };
        return reply({ op: msg.op, count: prepareFlood(m.broadcastId, m.commandByHamlet) });
      }
      if (msg.op === 'bare-flood-prepare') return reply({ op: msg.op, ...prepareBareFlood() });
      if (msg.op === 'flood') {
        // When it started and when the broker had it all, on the clock the arrivals use.
        const startedAt = nowMs();
        await sendFlood();
        return reply({ op: msg.op, started_at: startedAt, acked_at: nowMs() });
      }
      if (msg.op === 'timer-floor') return reply({ op: 'timer-floor', late: await timerFloor(msg.at!) });
      if (msg.op === 'held') return reply({ op: 'held', count: agents.filter((a) => a.heldItems().length > 0).length });
      if (msg.op === 'busy') {
        const m = msg as unknown as { from: number; to: number };
        const own = ownTopicArrivals.filter((t) => t >= m.from && t <= m.to).length;
        return reply({ op: msg.op, share: busy.between(m.from, m.to), own_topic_messages: own });
      }
      if (msg.op === 'arrivals')
        return reply({ op: 'arrivals', arrivals: [...(arrivals.get(msg.key ?? 'floor')?.values() ?? [])] });
      if (msg.op === 'held-anyhow') {
        // A broadcast's first arrival at each receiver, on its hamlet's topic or its own (a resend).
        const first = new Map(arrivals.get(`own:${msg.key}`));
        for (const [id, at] of arrivals.get(msg.key!) ?? []) first.set(id, Math.min(at, first.get(id) ?? at));
        return reply({ op: msg.op, arrivals: [...first.values()] });
      }
      if (msg.op === 'stop') {
        // Profiled: out at once, so that the profile is written before the bench gives up waiting
        // (10,000 agents saying goodbye take longer than that) and kills the process without one.
        if (process.env.TT_BENCH_FLEET_PROFILE) process.exit(0);
        await Promise.all(agents.map((a) => a.stop()));
        await Promise.all(bare.map((c) => c.endAsync(true)));
      }
      reply({ op: msg.op, done: true });
      if (msg.op === 'stop') process.exit(0);
    } catch (err) {
      reply({ op: msg.op, error: String(err) });
    }
  },
);
