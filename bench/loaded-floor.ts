/**
 * The loaded floor of "emergency during a normal broadcast's ack ingest": the same traffic through
 * the same broker with bare clients, so that the product's emergency is compared with a broker
 * carrying the same flood, not only with an idle one.
 *  - the fleet's bare clients publish 4 acks each, all at once, each the size of a real signed ack
 *    (padded, not signed: the controller, subscribed to acks on the same broker, drops them as
 *    malformed instead of checking and storing them, so the floor is the broker's work);
 *  - 30 ms after the flood starts, a bare client publishes a signed command shaped like the
 *    emergency (same fields, so about the same size) to each hamlet's command topic;
 *  - each bare receiver records when it holds the command and answers once; the bare subscriber
 *    counts the flood and the answers.
 * In the product's shape (`precededByBroadcast`), a bare client also publishes a normal command
 * to every hamlet as the flood starts, as the product's emergency follows a whole-commune
 * broadcast whose N copies the broker is still writing to the same receivers; without it, the
 * emergency follows only the acks (the first definition of the floor). Both are printed.
 */
import type { MqttClient } from 'mqtt';
import { randomUUID } from 'node:crypto';
import { CommandSigner } from '../controller/protocol/signing.js';
import { PROTOCOL_VERSION, topics } from '../controller/protocol/topics.js';
import type { BenchFleet } from './bench-fleet.js';
import { nowMs, summary } from './stats.js';

export interface LoadedFloor {
  /** Whether a whole-commune normal command went out as the flood started (the product's shape). */
  preceded_by_broadcast: boolean;
  /** From the bare command publish (the floor's "click") to each bare receiver holding it. */
  command: ReturnType<typeof summary>;
  /** From the bare command publish to each witness holding it (bench/fleet-worker.ts; n = 0 without witnesses). */
  witnesses: ReturnType<typeof summary>;
  /** Bare receivers that held the command within the time limit. */
  reached: number;
  /** From the command publish until the bare subscriber had every receiver's answer to it (NaN: not all). */
  answers_ms: number;
  flood_acks: number;
  /** The size of one flood ack: a real signed, chained ack's size. */
  ack_bytes: number;
  /** The size of the command the bare client published (the product's emergency: `emergency_bytes`). */
  command_bytes: number;
  /** From the flood's start: the broker acknowledged every flood ack (PUBACK). */
  flood_acked_ms: number;
  /** From the flood's start: the bare subscriber received every flood ack (NaN: not all). */
  flood_received_ms: number;
  /** The measured gap between the flood's start and the command's publish (aimed at `afterMs`). */
  command_after_flood_ms: number;
}

/** A signed play command with the emergency's fields (or a normal one's), for one hamlet: what the floor publishes. */
export function commandLike(
  bench: BenchFleet,
  signer: CommandSigner,
  hamletId: string,
  broadcastId: string,
  priority: 'normal' | 'emergency' = 'emergency',
): string {
  const now = new Date();
  const m = bench.media;
  return JSON.stringify(
    signer.sign({
      v: PROTOCOL_VERSION,
      command_id: randomUUID(),
      issued_at: now.toISOString(),
      expires_at: new Date(now.getTime() + 3_600_000).toISOString(),
      target: { kind: 'hamlet', id: hamletId },
      type: 'play',
      broadcast_id: broadcastId,
      priority,
      volume_pct: 100,
      play_at: null,
      repeat_count: 1,
      repeat_interval_s: 0,
      drill: false,
      media: {
        url: `${bench.controller.httpUrl}/api/media/${m.id}/audio`,
        sha256: m.sha256,
        size_bytes: m.size_bytes,
        duration_ms: m.duration_ms,
        mime: 'audio/mpeg',
      },
      stream: null,
    }),
  );
}

/** One loaded-floor round's raw figures (ms from the bare publish). */
interface FloorRound {
  arrivals: number[];
  witnessed: number[];
  answers_ms: number;
  flood_acked_ms: number;
  flood_received_ms: number;
  command_after_flood_ms: number;
  command_bytes: number;
}

/**
 * Runs the loaded floor `rounds` times with the fleet's bare clients connected and `sub` (the
 * floor's bare client, subscribed to every ack topic) as the publisher of the command. The
 * arrivals of every round are pooled (so p99 is one of many, and max is the worst round's last);
 * the other figures are the worst round's.
 */
export async function runLoadedFloor(
  bench: BenchFleet,
  sub: MqttClient,
  { rounds = 1, precededByBroadcast = false, afterMs = 30, limitMs = 120_000 } = {},
): Promise<LoadedFloor> {
  const { count: floodAcks, bytes: ackBytes } = (await bench.ask('bare-flood-prepare')) as {
    count: number;
    bytes: number;
  };
  const done: FloorRound[] = [];
  for (let i = 0; i < rounds; i++) {
    done.push(await floorRound(bench, sub, { floodAcks, precededByBroadcast, afterMs, limitMs }));
    await new Promise((r) => setTimeout(r, 500)); // the broker drains before the next round
  }
  const worst = (f: (r: FloorRound) => number) => Math.max(...done.map(f));
  return {
    preceded_by_broadcast: precededByBroadcast,
    command: summary(done.flatMap((r) => r.arrivals)),
    witnesses: summary(done.flatMap((r) => r.witnessed)),
    reached: Math.min(...done.map((r) => r.arrivals.length)),
    answers_ms: worst((r) => r.answers_ms),
    flood_acks: floodAcks,
    ack_bytes: ackBytes,
    command_bytes: done[0].command_bytes,
    flood_acked_ms: worst((r) => r.flood_acked_ms),
    flood_received_ms: worst((r) => r.flood_received_ms),
    command_after_flood_ms: worst((r) => r.command_after_flood_ms),
  };
}

async function floorRound(
  bench: BenchFleet,
  sub: MqttClient,
  o: { floodAcks: number; precededByBroadcast: boolean; afterMs: number; limitMs: number },
): Promise<FloorRound> {
  const { ask, hamlets } = bench;
  const { floodAcks, afterMs, limitMs } = o;
  const receivers = bench.configs.length;
  const { signer } = CommandSigner.generate();
  const commands = (broadcastId: string, priority: 'normal' | 'emergency') =>
    hamlets.map((h) => ({
      topic: topics.hamletCommands(h.id),
      payload: commandLike(bench, signer, h.id, broadcastId, priority),
    }));
  const publishAll = (list: { topic: string; payload: string }[]) =>
    Promise.all(list.map((p) => sub.publishAsync(p.topic, p.payload, { qos: 1 })));
  const broadcastId = randomUUID(); // one for every hamlet, as the product's emergency has
  const payloads = commands(broadcastId, 'emergency');
  const before = o.precededByBroadcast ? commands(randomUUID(), 'normal') : [];
  await ask('arm');

  let flooded = 0;
  let answered = 0;
  let floodReceivedAt = NaN;
  let answersAt = NaN;
  let allIn: () => void = () => {};
  const done = new Promise<void>((r) => (allIn = r));
  const onMessage = (_topic: string, payload: Buffer) => {
    // Flood acks carry their mark; bare receivers' answers name the command's broadcast (the
    // whole-commune command's answers are not counted).
    if (payload.includes('"floor":"flood"')) {
      if (++flooded === floodAcks) floodReceivedAt = nowMs();
    } else if (payload.includes(broadcastId) && ++answered === receivers) answersAt = nowMs();
    if (flooded >= floodAcks && answered >= receivers) allIn();
  };
  sub.on('message', onMessage);

  const broadcastSent = publishAll(before);
  const flood = ask('flood') as Promise<{ started_at: number; acked_at: number }>;
  await new Promise((r) => setTimeout(r, afterMs));
  const start = nowMs();
  await publishAll(payloads);
  await broadcastSent;
  const sent = await flood;
  await Promise.race([done, new Promise<void>((r) => setTimeout(r, limitMs))]);
  sub.off('message', onMessage);
  const arrivals: number[] = (await ask('arrivals', { key: broadcastId })).arrivals;
  // The witnesses are not waited for (as in the product's rounds): a moment for the last of them.
  if (bench.askWitnesses) await new Promise((r) => setTimeout(r, 200));
  const witnessed: number[] = bench.askWitnesses
    ? (await bench.askWitnesses('arrivals', { key: broadcastId })).arrivals
    : [];
  return {
    arrivals: arrivals.map((t) => t - start),
    witnessed: witnessed.map((t) => t - start),
    answers_ms: answersAt - start,
    command_bytes: Buffer.byteLength(payloads[0].payload),
    flood_acked_ms: sent.acked_at - sent.started_at,
    flood_received_ms: floodReceivedAt - sent.started_at,
    command_after_flood_ms: start - sent.started_at,
  };
}
