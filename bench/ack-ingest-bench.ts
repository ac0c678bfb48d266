/**
 * Ack ingest: every simulated receiver sends its four signed acks for one broadcast at once, and
 * the same flood is timed twice in the same run: until a bare MQTT subscriber has received them
 * all (the floor: what the broker delivers), and until the controller has checked and stored them
 * all in SQLite (the product). The fleet is bare clients with pre-signed acks, so the figure is the
 * controller's ingest, not the simulator's.
 */
import mqtt from 'mqtt';
import { topics } from '../controller/protocol/topics.js';
import { startBenchFleet, type BenchBroker } from './bench-fleet.js';
import { nowMs } from './stats.js';

export interface AckIngestResult {
  receivers: number;
  broker: BenchBroker;
  acks: number;
  floor_ms: number;
  product_ms: number;
  stored: number;
  /** Proof heads signed at every receipt round (the product); false: the same controller without (to price them). */
  heads: boolean;
  /** Signatures the controller verified at the door, and acks it let in on their receiver's chain. */
  door: { verified: number; vouched: number };
}

export async function runAckIngestBench(
  receivers: number,
  broker: BenchBroker,
  heads = true,
): Promise<AckIngestResult> {
  const bench = await startBenchFleet(receivers, 10, broker, { signProofHeads: heads });
  const { controller, ask } = bench;
  try {
    await ask('floor'); // bare clients with the receivers' credentials
    // A real broadcast to the whole commune, so that every ack names a command the controller sent.
    const { broadcast } = await controller.broadcasts.create(
      { media_id: bench.media.id, target: { all: true }, priority: 'normal', volume_pct: 80 },
      { id: 'bench' },
      'api',
      'bench',
    );
    const commands = controller.db
      .prepare<[string], { id: string; topic: string }>('SELECT id, topic FROM commands WHERE broadcast_id = ?')
      .all(broadcast.id);
    const commandByHamlet = Object.fromEntries(
      bench.hamlets.map((h) => [h.id, commands.find((c) => c.topic === topics.hamletCommands(h.id))!.id]),
    );
    const total: number = (await ask('flood-prepare', { broadcastId: broadcast.id, commandByHamlet })).count;
    await new Promise((r) => setTimeout(r, 1000)); // the bare clients' answers to the command itself pass first

    const sub = await mqtt.connectAsync(controller.mqttUrl, {
      clientId: 'bench-floor',
      ...bench.floorLogin,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    await sub.subscribeAsync(topics.ack('+'), { qos: 1 });
    let received = 0;
    let stored = 0;
    let floorDone = NaN;
    let productDone = NaN;
    const bothDone = new Promise<void>((resolve) => {
      const check = () => {
        if (Number.isFinite(floorDone) && Number.isFinite(productDone)) resolve();
      };
      sub.on('message', (_topic, payload) => {
        if (payload.includes(broadcast.id) && ++received === total) {
          floorDone = nowMs();
          check();
        }
      });
      controller.acks.events.on('stored', (acks: { broadcast_id: string | null }[]) => {
        for (const a of acks) if (a.broadcast_id === broadcast.id) stored++;
        if (stored === total && !Number.isFinite(productDone)) {
          productDone = nowMs();
          check();
        }
      });
    });
    const door = { ...controller.acks.door.stats };
    const start = nowMs();
    await ask('flood');
    await Promise.race([bothDone, new Promise((r) => setTimeout(r, 120_000))]);
    await sub.endAsync(true);
    return {
      receivers,
      broker,
      acks: total,
      floor_ms: floorDone - start,
      product_ms: productDone - start,
      stored,
      heads,
      door: {
        verified: controller.acks.door.stats.verified - door.verified,
        vouched: controller.acks.door.stats.vouched - door.vouched,
      },
    };
  } finally {
    await bench.close();
  }
}

export function printAckIngestBench(r: AckIngestResult): void {
  const rate = (ms: number) => (Number.isFinite(ms) ? Math.round(r.acks / (ms / 1000)) : NaN);
  console.log(
    `\nAck ingest, ${r.acks.toLocaleString('en')} signed acks from ${r.receivers.toLocaleString('en')} receivers at once, ${r.broker}`,
  );
  console.log(
    `  floor (bare subscriber received all)   ${(r.floor_ms / 1000).toFixed(2)} s, ${rate(r.floor_ms).toLocaleString('en')} acks/s`,
  );
  console.log(
    `  product (controller stored all)        ${(r.product_ms / 1000).toFixed(2)} s, ${rate(r.product_ms).toLocaleString('en')} acks/s` +
      `  ratio ${(rate(r.product_ms) / rate(r.floor_ms)).toFixed(2)}x (target >= 0.8x and 10,000 acks/s)`,
  );
  console.log(
    `  signatures verified at the door        ${r.door.verified.toLocaleString('en')} for ${(r.door.verified + r.door.vouched).toLocaleString('en')} acks (the others vouched for by the next ack of their receiver's chain, checked with them)`,
  );
  if (r.stored < r.acks) console.log(`  NOT ALL STORED within the time limit: ${r.stored} of ${r.acks}`);
}
