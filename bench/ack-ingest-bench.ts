/**
 * Ack ingest: every simulated receiver sends its four signed acks for one broadcast at once, and
 * the same flood is timed twice in the same run: until a bare MQTT subscriber has received them
 * all (the floor: what the broker delivers), and until the controller has checked and stored them
 * all in SQLite (the product). The fleet is bare clients with pre-signed acks, so the figure is the
 * controller's ingest, not the simulator's.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startModuleWorker } from '../controller/system/module-worker.js';
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
  /**
   * How long the controller's thread was busy, per ack, from the flood's start until both were
   * done: the thread every ack passes through (the door's verifications run on the thread pool).
   */
  thread_us_per_ack: number;
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

    // The floor's bare subscriber, in a thread of its own (floor-subscriber.ts).
    const floor = startModuleWorker(import.meta.url, 'floor-subscriber', {
      workerData: {
        url: controller.mqttUrl,
        ...bench.floorLogin,
        topic: topics.ack('+'),
        match: broadcast.id,
        total,
      },
    });
    await new Promise<void>((resolve, reject) => {
      floor.once('message', () => resolve());
      floor.once('error', reject);
    });
    let stored = 0;
    let floorDone = NaN;
    let productDone = NaN;
    const bothDone = new Promise<void>((resolve) => {
      const check = () => {
        if (Number.isFinite(floorDone) && Number.isFinite(productDone)) resolve();
      };
      floor.on('message', (m: { done: number }) => {
        floorDone = m.done;
        check();
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
    const profile = await startFloodProfile();
    const elu = performance.eventLoopUtilization();
    const start = nowMs();
    await ask('flood');
    await Promise.race([bothDone, new Promise((r) => setTimeout(r, 120_000))]);
    const busy = performance.eventLoopUtilization(elu);
    await profile?.stop(`${receivers}-${broker}`);
    floor.postMessage('close');
    await new Promise((r) => floor.once('exit', r));
    return {
      receivers,
      broker,
      acks: total,
      floor_ms: floorDone - start,
      product_ms: productDone - start,
      stored,
      heads,
      thread_us_per_ack: (busy.active * 1000) / total,
      door: {
        verified: controller.acks.door.stats.verified - door.verified,
        vouched: controller.acks.door.stats.vouched - door.vouched,
      },
    };
  } finally {
    await bench.close();
  }
}

/**
 * TT_BENCH_INGEST_PROFILE=<dir>: a CPU profile of the controller's thread during the flood only
 * (a whole-run --cpu-prof is mostly enrolment and setup), to see where ingest time goes.
 */
async function startFloodProfile(): Promise<{ stop(name: string): Promise<void> } | null> {
  const dir = process.env.TT_BENCH_INGEST_PROFILE;
  if (!dir) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `ingest-${name}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
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
  console.log(
    `  controller's thread busy, per ack      ${Math.round(r.thread_us_per_ack)} µs (parse, hand the signatures over, store, receipts)`,
  );
  if (r.stored < r.acks) console.log(`  NOT ALL STORED within the time limit: ${r.stored} of ${r.acks}`);
}
