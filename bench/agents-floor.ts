/**
 * The loaded floor at the same agents: the product's emergency against a broker carrying the same
 * flood to and from the same simulated receivers, without the controller's part. A bare client
 * (the floor's login) publishes a whole-commune normal command to every hamlet, signed with the
 * controller's key so that the real agents take it as they take the product's: each checks it,
 * signs and sends its four acks (the same flood, from the same receivers, at the same moment).
 * Then the bare client publishes an emergency-shaped command to every hamlet, and each agent
 * records when it holds it, as for the product's emergency. The emergency goes as long after the
 * normal command as the product's did in the round before (from the broker taking the last of the
 * normal commands to it taking the last of the emergency's): the agents are then at the same
 * point of their work on the broadcast when the emergency comes. A fixed 30 ms after the normal
 * command's publish would put the floor's emergency ahead of most of that work, which the
 * product's emergency (30 ms after the normal broadcast's confirmation returns, then its own
 * confirmation and signing) never is.
 *
 * The bare-client floors (bench/loaded-floor.ts) leave out the receivers' own work on the command
 * before the emergency; with thousands of receivers on one machine's cores that work is most of the
 * agents' wait, so this floor is the like-for-like one at the agents. The controller stores no
 * ack for commands it never sent: it counts and receipts them, so the agents' outboxes empty as
 * they do in the product's rounds.
 */
import mqtt from 'mqtt';
import { mqttDebugLog } from '../controller/shared/mqtt-debug-log.js';
import { randomUUID } from 'node:crypto';
import { topics } from '../controller/protocol/topics.js';
import type { BenchFleet } from './bench-fleet.js';
import { commandLike } from './loaded-floor.js';
import { nowMs, summary } from './stats.js';

export interface AgentsFloor {
  /** From the bare emergency's publish to each agent holding it, every round pooled. */
  command: ReturnType<typeof summary>;
  /** The same at the witnesses (bare receivers of their own in an idle process). */
  witnesses: ReturnType<typeof summary>;
  /** Agents that held the bare emergency in every round (the fewest of the rounds). */
  reached: number;
  rounds: number;
  /** Per round, from the broker taking the last normal command to it taking the last emergency one. */
  gaps_ms: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Opens the floor's publisher; each `round()` is one floor round, so that the benchmark can take
 * them in turn with the product's rounds (both then see the same machine at the same moments);
 * `close()` ends the publisher and pools the rounds.
 */
export async function openAgentsFloor(
  bench: BenchFleet,
  { limitMs = 60_000, settleMs = 3_000 } = {},
): Promise<{ round(gapMs: number): Promise<void>; close(): Promise<AgentsFloor> }> {
  const { controller, hamlets, ask } = bench;
  const receivers = bench.configs.length;
  const publisher = await mqtt.connectAsync(controller.mqttUrl, {
    clientId: 'bench-agents-floor',
    ...bench.floorLogin,
    ...mqttDebugLog,
    protocolVersion: 4,
    // It reconnects (and mqtt.js sends again what the broker had not acknowledged): with no
    // reconnection, a connection lost at 10,000 receivers on aedes left a round waiting for
    // PUBACKs for ever (2026-12-04 17:42 UTC, the bench idle for eight minutes).
    reconnectPeriod: 1_000,
  });
  publisher.on('offline', () => process.stderr.write("    the floor's publisher lost its connection; it reconnects\n"));
  const commands = (broadcastId: string, priority: 'normal' | 'emergency') =>
    hamlets.map((h) => ({
      topic: topics.hamletCommands(h.id),
      payload: commandLike(bench, controller.signer, h.id, broadcastId, priority),
    }));
  const publishAll = async (list: { topic: string; payload: string }[]) => {
    let timer: NodeJS.Timeout | undefined;
    const tooLong = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the floor's publish was not acknowledged within ${limitMs} ms`)),
        limitMs,
      );
    });
    try {
      await Promise.race([
        Promise.all(list.map((p) => publisher.publishAsync(p.topic, p.payload, { qos: 1 }))),
        tooLong,
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
  const arrivals: number[] = [];
  const witnessed: number[] = [];
  const gaps: number[] = [];
  let reached = receivers;
  let rounds = 0;
  let publishMs = 0; // the last emergency publish's own time until the broker took it all

  /** `gapMs`: the product's, from the broker taking its last normal command to taking its last emergency one. */
  const round = async (gapMs: number) => {
    const emergencyId = randomUUID();
    const normal = commands(randomUUID(), 'normal');
    const emergency = commands(emergencyId, 'emergency');
    await ask('arm');
    await publishAll(normal);
    const normalTaken = nowMs();
    await sleep(Math.max(0, gapMs - publishMs));
    const start = nowMs();
    await publishAll(emergency);
    const emergencyTaken = nowMs();
    publishMs = emergencyTaken - start;
    gaps.push(emergencyTaken - normalTaken);
    let held: number[] = [];
    for (const until = nowMs() + limitMs; nowMs() < until; await sleep(250)) {
      held = (await ask('arrivals', { key: emergencyId })).arrivals;
      if (held.length >= receivers) break;
    }
    arrivals.push(...held.map((t) => t - start));
    const last = held.length ? Math.max(...held) : nowMs();
    const fleet = await ask('busy', { from: start, to: last });
    process.stderr.write(
      `    floor at the same agents: last agent held it ${Math.round(last - start)} ms after the publish; ` +
        `${fleet.own_topic_messages} receipts reached the fleet meanwhile, fleet ${Math.round(fleet.share * 100)} % busy\n`,
    );
    reached = Math.min(reached, held.length);
    if (bench.askWitnesses)
      witnessed.push(
        ...((await bench.askWitnesses('arrivals', { key: emergencyId })).arrivals as number[]).map((t) => t - start),
      );
    rounds++;
    await sleep(settleMs); // the agents play both and send their acks before the next round
  };
  const close = async () => {
    await publisher.endAsync(true);
    return { command: summary(arrivals), witnesses: summary(witnessed), reached, rounds, gaps_ms: gaps };
  };
  return { round, close };
}
