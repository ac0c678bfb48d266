/**
 * Broadcast to N simulated receivers on the embedded aedes broker or an external Mosquitto,
 * beside the floor: the same work done by bare MQTT clients against the same broker, in the same run.
 *  - connect: until every receiver has its CONNACK (bare clients, then real agents);
 *  - command: from the API call (or the bare publish) until every receiver has the command;
 *  - acks: until every receiver's ack is stored in SQLite (product) or received by a bare
 *    subscriber (floor).
 * The emergency sent during a broadcast's ack ingest is compared with two floors: the idle one (a
 * bare publish to an idle broker) and the loaded one (the same publish while bare clients flood the
 * broker with as many acks, bench/loaded-floor.ts), so its ratio says what the product adds to what
 * a broker carrying that flood costs anyway.
 */
import mqtt from 'mqtt';
import { mqttDebugLog } from '../controller/shared/mqtt-debug-log.js';
import { topics } from '../controller/protocol/topics.js';
import { fleetShape, startBenchFleet, type BenchBroker } from './bench-fleet.js';
import { runLoadedFloor, type LoadedFloor } from './loaded-floor.js';
import { openAgentsFloor, type AgentsFloor } from './agents-floor.js';
import { fmt, lastHeld, nowMs, percentile, row, summary } from './stats.js';
import { LoopBusy } from './loop-busy.js';
import { sendConfirmed } from './fleet-process.js';

export interface BroadcastBenchResult {
  receivers: number;
  /** Witnesses: extra bare receivers in a process of their own (bench/fleet-worker.ts). */
  witnesses: number;
  /** Emergency (and loaded-floor) rounds pooled in the figures: "last" needs every receiver of every round. */
  emergency_rounds: number;
  broker: BenchBroker;
  /** product_ms counts from the first agent's connect, after the simulator built them all (build_ms). */
  connect: { floor_ms: number; product_ms: number; build_ms: number; online_ms: number; online: number };
  floor: { command: ReturnType<typeof summary>; all_acks_ms: number };
  /**
   * The emergency-under-load round done by bare clients on the same broker, in the product's shape:
   * a whole-commune command and the flood of acks, the emergency 30 ms later.
   */
  loaded_floor: LoadedFloor;
  /**
   * The loaded floor at the same agents (bench/agents-floor.ts): a bare client sends the normal
   * command (signed as the controller signs) and the emergency 30 ms later; the agents do their
   * own work on both, as in the product's rounds.
   */
  agents_floor?: AgentsFloor;
  /** The same without the whole-commune command: the emergency follows only the acks. */
  acks_only_floor: LoadedFloor;
  product: {
    label: string;
    command: ReturnType<typeof summary>;
    /** The emergency only: from the click to each witness holding it (bare receivers in an idle process). */
    witnesses?: ReturnType<typeof summary>;
    received_acks_ms: number;
    finished_acks_ms?: number;
    started_acks_ms?: number;
    api_ms: number;
    ack_to_stored: ReturnType<typeof summary>;
    /** From the click to each receiver making its first ack (its `at`): the receiver's part of the first-ack figure. */
    first_ack_made?: ReturnType<typeof summary>;
    /** How many receivers got there within the round's time limit (NaN figures when not all did). */
    reached: Record<string, number>;
  }[];
  /** The product's emergency command as published (bytes), beside the loaded floor's command_bytes. */
  emergency_bytes?: number;
  /**
   * From the emergency's click to the last receiver holding it: the share of that time each event
   * loop was running code (0-1; the broker thread only for the embedded broker). A loop near 1
   * is where the emergency queued.
   */
  emergency_busy?: {
    window_ms: number;
    controller: number;
    broker?: number;
    fleet: number;
    /** Messages on the receivers' own topics (receipts, mostly) that reached them in that window. */
    own_topic_messages: number;
  };
  /** From the emergency's click: its commands signed (issued_at, before the transaction), and taken by the broker (PUBACK after the commit, the last). */
  emergency_path?: { stored_ms: number; broker_took_ms: number };
  /** Per round, from the broker taking the normal broadcast's last command to it taking the emergency's last. */
  emergency_gaps_ms?: number[];
  rss_peak_mb: number;
  broker_peak_mb?: number;
}

const WITNESSES_PER_HAMLET = 5;
/**
 * Emergency rounds (and loaded-floor rounds) per run: one round's p99 is one receiver, and single
 * runs vary 2-5x here. At 1,000 receivers a round's figure is only 150-400 ms, so one slow round
 * of three (product or floor) swung the ratio 0.6-1.5x from run to run (2026-12-05/06): nine
 * rounds, cheap at that size, pool enough arrivals for the p99 to be the fleet's, not a round's.
 */
const emergencyRounds = (receivers: number) => (receivers <= 2_000 ? 9 : 3);

interface EmergencyRound {
  arrivals: number[];
  witnessed: number[];
  /** When the last receiver held it, ms after the click. */
  last: number;
  received_acks_ms: number;
  started_acks_ms: number;
  api_ms: number;
  to_stored: number[];
  /** From the click to each receiver making its "received" ack. */
  received_made: number[];
  /** Acks waiting in the controller (unchecked or unstored): at the click, and the most until every receiver's first ack was stored. */
  controller_waiting: { at_click: number; max: number };
  reached: { received: number; started: number };
  bytes?: number;
  path: NonNullable<BroadcastBenchResult['emergency_path']>;
  busy: NonNullable<BroadcastBenchResult['emergency_busy']>;
  /** From the broker taking the normal broadcast's last command to it taking the emergency's last (the floor at the agents matches it). */
  gap_ms: number;
}

export async function runBroadcastBench(
  receivers: number,
  broker: BenchBroker = 'aedes',
  hamletCount = 10,
): Promise<BroadcastBenchResult> {
  // Five witnesses per hamlet: receivers of their own, bare, in an otherwise idle process.
  const began = nowMs();
  /** Where a long run is, on stderr (the figures go to stdout at the end). */
  const step = (what: string) =>
    process.stderr.write(
      `  [${receivers} receivers on ${broker}, ${((nowMs() - began) / 1000).toFixed(0)} s] ${what}\n`,
    );
  step('starting the controller and the fleet');
  const bench = await startBenchFleet(receivers, hamletCount, broker, { witnessesPerHamlet: WITNESSES_PER_HAMLET });
  const { controller, token, hamlets, media, ask } = bench;
  const controllerBusy = new LoopBusy().start();
  const brokerBusy = controller.broker
    ? new LoopBusy(() => controller.broker?.eventLoopUtilization()).start()
    : undefined;
  try {
    // ---- floor: bare publish to each hamlet topic, bare subscriber counts acks
    step('the floor: bare clients');
    const floorConnectMs: number = (await ask('floor')).connect_ms;
    const sub = await mqtt.connectAsync(controller.mqttUrl, {
      clientId: 'bench-floor',
      ...bench.floorLogin,
      ...mqttDebugLog,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    await sub.subscribeAsync('tt/v1/rx/+/ack', { qos: 1 });
    let floorAcks = 0;
    let floorAcksDone = 0;
    const allFloorAcks = new Promise<void>((resolve) =>
      sub.on('message', () => {
        if (++floorAcks === receivers) {
          floorAcksDone = nowMs();
          resolve();
        }
      }),
    );
    await ask('arm');
    const payload = JSON.stringify(controller.broadcasts.list(1)[0] ?? {}).padEnd(900, ' ');
    const floorStart = nowMs();
    await Promise.all(hamlets.map((h) => sub.publishAsync(topics.hamletCommands(h.id), payload, { qos: 1 })));
    await allFloorAcks;
    const floorArrivals: number[] = (await ask('arrivals')).arrivals;
    const floor = {
      command: summary(floorArrivals.map((t) => t - floorStart)),
      all_acks_ms: floorAcksDone - floorStart,
    };
    step('the loaded floors of bare clients');
    const loadedFloor = await runLoadedFloor(bench, sub, {
      rounds: emergencyRounds(receivers),
      precededByBroadcast: true,
    });
    const acksOnlyFloor = await runLoadedFloor(bench, sub, { rounds: emergencyRounds(receivers) });
    await sub.endAsync(true);
    await ask('stop-floor');

    // ---- product: the API call (and its confirmation), real agents, acks into SQLite
    step('the agents connect');
    const agents = await bench.startAgents();
    const connect = {
      floor_ms: floorConnectMs,
      product_ms: agents.connect_ms,
      build_ms: agents.build_ms,
      online_ms: agents.online_ms,
      online: agents.online,
    };
    const product: BroadcastBenchResult['product'] = [];
    const send = (body: object) => sendConfirmed(controller.httpUrl, token, body);
    /** Waits for a round, at most `ms`: a fleet that loses receivers under load must still give figures. */
    const bounded = (p: Promise<void>, ms = 180_000) => Promise.race([p, new Promise<void>((r) => setTimeout(r, ms))]);
    /** Times until every receiver's `stage` ack for the broadcast is stored. */
    const watch = (stages: string[]) => {
      const at = new Map<string, number>();
      const counts = new Map<string, number>();
      const toStored: number[] = [];
      /** When each receiver made its ack of the first stage watched (its `at`, epoch ms). */
      const made: number[] = [];
      let id = '';
      let resolveDone: () => void = () => {};
      const done = new Promise<void>((r) => (resolveDone = r));
      const listener = (acks: { broadcast_id: string | null; stage: string; at: string }[]) => {
        const storedAt = Date.now();
        for (const a of acks) {
          if (!id || a.broadcast_id !== id) continue;
          toStored.push(storedAt - Date.parse(a.at));
          if (a.stage === stages[0]) made.push(Date.parse(a.at));
          const n = (counts.get(a.stage) ?? 0) + 1;
          counts.set(a.stage, n);
          if (n === receivers) at.set(a.stage, nowMs());
          if (stages.every((s) => at.has(s))) resolveDone();
        }
      };
      controller.acks.events.on('stored', listener);
      return {
        setId: (x: string) => (id = x),
        done,
        at,
        counts,
        toStored,
        made,
        off: () => controller.acks.events.off('stored', listener),
      };
    };

    /** One emergency 30 ms after a whole-commune broadcast: raw arrivals (ms from its click) and where its time went. */
    const emergencyRound = async (): Promise<EmergencyRound> => {
      const background = watch(['finished']);
      const normal = await send({ media_id: media.id, target: { all: true } });
      background.setId(normal.id);
      await new Promise((r) => setTimeout(r, 30));
      const w = watch(['received', 'started']);
      const emergency = await send({
        media_id: media.id,
        target: { all: true },
        priority: 'emergency',
        repeat_count: 1,
      });
      w.setId(emergency.id);
      // The acks waiting in the controller (unchecked or unstored) while the emergency's proof comes in.
      const waitingAtClick = controller.acks.queueDepth;
      let waitingMax = waitingAtClick;
      const sampler = setInterval(() => (waitingMax = Math.max(waitingMax, controller.acks.queueDepth)), 50);
      await bounded(w.done);
      clearInterval(sampler);
      w.off();
      // The normal broadcast's acks finish too, or 3 s pass (its items cut by the emergency may end as preempted).
      await bounded(background.done, 3_000);
      background.off();
      const arrivals: number[] = (await ask('arrivals', { key: emergency.id })).arrivals;
      // The witnesses are not waited for: a moment for the last of them.
      await new Promise((r) => setTimeout(r, 200));
      const witnessed: number[] = (await bench.askWitnesses!('arrivals', { key: emergency.id })).arrivals;
      const bytes = controller.db
        .prepare<[string], { n: number }>('SELECT length(payload) AS n FROM commands WHERE broadcast_id = ? LIMIT 1')
        .get(emergency.id)?.n;
      const path = controller.db
        .prepare<[string], { created: string | null; published: string | null }>(
          "SELECT MIN(created_at) AS created, MAX(published_at) AS published FROM commands WHERE broadcast_id = ? AND type = 'play'",
        )
        .get(emergency.id);
      const lastTaken = (id: string) =>
        controller.db
          .prepare<[string], { at: string | null }>(
            "SELECT MAX(published_at) AS at FROM commands WHERE broadcast_id = ? AND type = 'play'",
          )
          .get(id)?.at;
      const gap_ms = Date.parse(lastTaken(emergency.id) ?? '') - Date.parse(lastTaken(normal.id) ?? '');
      const sinceClick = (iso: string | null | undefined) => (iso ? Date.parse(iso) - emergency.start : NaN);
      const lastArrival = arrivals.length ? Math.max(...arrivals) : nowMs();
      const fleetBusy = await ask('busy', { from: emergency.start, to: lastArrival });
      return {
        arrivals: arrivals.map((t) => t - emergency.start),
        witnessed: witnessed.map((t) => t - emergency.start),
        last: lastArrival - emergency.start,
        received_acks_ms: (w.at.get('received') ?? NaN) - emergency.start,
        started_acks_ms: (w.at.get('started') ?? NaN) - emergency.start,
        api_ms: emergency.api_ms,
        to_stored: w.toStored,
        received_made: w.made.map((t) => t - emergency.start),
        controller_waiting: { at_click: waitingAtClick, max: waitingMax },
        reached: { received: w.counts.get('received') ?? 0, started: w.counts.get('started') ?? 0 },
        bytes,
        path: { stored_ms: sinceClick(path?.created), broker_took_ms: sinceClick(path?.published) },
        gap_ms,
        busy: {
          window_ms: lastArrival - emergency.start,
          controller: controllerBusy.between(emergency.start, lastArrival),
          broker: brokerBusy?.between(emergency.start, lastArrival),
          fleet: fleetBusy.share as number,
          own_topic_messages: fleetBusy.own_topic_messages as number,
        },
      };
    };

    for (let round = 0; round < 2; round++) {
      step(`whole-commune broadcast ${round + 1} of 2`);
      const w = watch(['received', 'finished']);
      const sent = await send({ media_id: media.id, target: { all: true } });
      w.setId(sent.id);
      await bounded(w.done);
      w.off();
      const arrivals: number[] = (await ask('arrivals', { key: sent.id })).arrivals;
      product.push({
        label: round === 0 ? 'first broadcast (audio downloaded)' : 'second broadcast (audio cached)',
        command: summary(arrivals.map((t) => t - sent.start)),
        received_acks_ms: (w.at.get('received') ?? NaN) - sent.start,
        finished_acks_ms: (w.at.get('finished') ?? NaN) - sent.start,
        api_ms: sent.api_ms,
        ack_to_stored: summary(w.toStored),
        first_ack_made: summary(w.made.map((t) => t - sent.start)),
        reached: { received: w.counts.get('received') ?? 0, finished: w.counts.get('finished') ?? 0 },
      });
      await new Promise((r) => setTimeout(r, 500)); // let receipts settle between rounds
    }

    // An emergency sent while a normal broadcast's acks are being ingested, emergencyRounds(receivers) times.
    const rounds: EmergencyRound[] = [];
    // Each in turn with a round of the loaded floor at the same agents: both see the machine alike.
    const floorAtAgents = await openAgentsFloor(bench);
    for (let i = 0; i < emergencyRounds(receivers); i++) {
      step(`emergency under load, round ${i + 1} of ${emergencyRounds(receivers)}, then the floor at the same agents`);
      const product = await emergencyRound();
      rounds.push(product);
      process.stderr.write(
        `    product: last agent held it ${Math.round(product.last)} ms after the click (its confirmation answered in ${Math.round(product.api_ms)} ms, ` +
          `the commands signed ${Math.round(product.path.stored_ms)} ms and taken by the broker ${Math.round(product.path.broker_took_ms)} ms after it; ` +
          `the last witness ${Math.round(Math.max(...product.witnessed))} ms); ` +
          `${product.busy.own_topic_messages} receipts reached the fleet meanwhile, fleet ${Math.round(product.busy.fleet * 100)} % busy\n` +
          `    its proof: every receiver's first ack stored ${Math.round(product.received_acks_ms)} ms after the click; made on the receivers ` +
          `p50 ${Math.round(percentile(product.received_made, 50))}, max ${Math.round(summary(product.received_made).max)} ms; ` +
          `acks waiting in the controller ${product.controller_waiting.at_click} at the click, at most ${product.controller_waiting.max}\n`,
      );
      await new Promise((r) => setTimeout(r, 500)); // let receipts settle between rounds
      await floorAtAgents.round(Number.isFinite(product.gap_ms) ? product.gap_ms : 30);
    }
    const agentsFloor = await floorAtAgents.close();
    const worstRound = rounds.reduce((a, b) => (b.last > a.last ? b : a));
    const worst = (f: (r: EmergencyRound) => number) => Math.max(...rounds.map(f));
    product.push({
      label: `emergency during a normal broadcast's ack ingest (${rounds.length} rounds pooled; "last" is the worst round's, each ack figure its slowest round's, where the time went the round with the slowest agents)`,
      command: summary(rounds.flatMap((r) => r.arrivals)),
      witnesses: summary(rounds.flatMap((r) => r.witnessed)),
      received_acks_ms: worst((r) => r.received_acks_ms),
      started_acks_ms: worst((r) => r.started_acks_ms),
      api_ms: worst((r) => r.api_ms),
      ack_to_stored: summary(rounds.flatMap((r) => r.to_stored)),
      first_ack_made: summary(rounds.flatMap((r) => r.received_made)),
      reached: {
        received: Math.min(...rounds.map((r) => r.reached.received)),
        started: Math.min(...rounds.map((r) => r.reached.started)),
      },
    });
    return {
      receivers,
      witnesses: bench.witnesses,
      emergency_rounds: emergencyRounds(receivers),
      broker,
      connect,
      emergency_busy: worstRound.busy,
      emergency_path: worstRound.path,
      emergency_gaps_ms: rounds.map((r) => r.gap_ms),
      floor,
      loaded_floor: loadedFloor,
      acks_only_floor: acksOnlyFloor,
      agents_floor: agentsFloor,
      emergency_bytes: worstRound.bytes,
      product,
      rss_peak_mb: bench.rssPeakMb(),
      broker_peak_mb: bench.brokerPeakMb(),
    };
  } finally {
    controllerBusy.stop();
    brokerBusy?.stop();
    await bench.close();
  }
}

export function printBroadcastBench(r: BroadcastBenchResult): void {
  console.log(`\nBroadcast to ${r.receivers} simulated receivers, ${BROKER_NAMES[r.broker]} (ratio = product / floor)`);
  console.log(row('every receiver connected (CONNACK)', r.connect.floor_ms, r.connect.product_ms));
  console.log(
    `  ${'controller heard "online" from'.padEnd(44)} ${r.connect.online} of ${r.receivers} receivers, after ${fmt(r.connect.online_ms)}` +
      ` (from before the simulator built the agents, ${fmt(r.connect.build_ms)}, which the connect figure leaves out)`,
  );
  r.product.forEach((p) => {
    console.log(` ${p.label}; the confirmation call answered in ${fmt(p.api_ms)}`);
    const short = Object.entries(p.reached).filter(([, n]) => n < r.receivers);
    if (short.length > 0)
      console.log(
        `  NOT ALL RECEIVERS within the time limit: ${short.map(([stage, n]) => `${stage} ${n} of ${r.receivers}`).join(', ')}; the command figures cover those that got it`,
      );
    const underLoad = p.started_acks_ms !== undefined;
    if (underLoad) console.log('  against the IDLE floor (a bare command published to an idle broker):');
    console.log(row('every receiver holds the command: p50', r.floor.command.p50, p.command.p50));
    console.log(row('every receiver holds the command: p99', r.floor.command.p99, p.command.p99));
    console.log(row('every receiver holds the command: max', r.floor.command.max, p.command.max));
    console.log(row("every receiver's first ack stored (floor: received)", r.floor.all_acks_ms, p.received_acks_ms));
    if (underLoad) printAgainstLoadedFloor(r, p);
    if (p.started_acks_ms !== undefined)
      console.log(row('every receiver\'s "started" ack stored', undefined, p.started_acks_ms));
    if (p.finished_acks_ms !== undefined)
      console.log(row('every receiver\'s "finished" ack stored', undefined, p.finished_acks_ms));
    console.log(
      `  ${'an ack, from made on the receiver to stored'.padEnd(44)} p50 ${fmt(p.ack_to_stored.p50)}, p99 ${fmt(p.ack_to_stored.p99)}, max ${fmt(p.ack_to_stored.max)}`,
    );
    if (p.first_ack_made)
      console.log(
        `  ${'the first ack, from the click to made'.padEnd(44)} p50 ${fmt(p.first_ack_made.p50)}, p99 ${fmt(p.first_ack_made.p99)}, max ${fmt(p.first_ack_made.max)} (on the receiver: the fleet's queue)`,
      );
    if (p.finished_acks_ms !== undefined)
      console.log(
        `  ${'acks stored per second (4 stages x receivers)'.padEnd(44)} ${Math.round((4 * r.receivers) / (p.finished_acks_ms / 1000))} acks/s`,
      );
  });
  console.log(
    `  (The fleet is ${fleetShape.processes} process(es) on the same 2 cores: every simulated receiver checks its Ed25519 signature`,
  );
  console.log(
    `   there, so the ack figures include the simulator queueing ${r.receivers} receivers' work; the floor's bare`,
  );
  console.log('   clients answer without checking anything.)');
  console.log(
    r.broker === 'aedes'
      ? `  peak RSS of the controller process (controller + embedded broker): ${r.rss_peak_mb} MB`
      : `  peak RSS: controller ${r.rss_peak_mb} MB, Mosquitto ${r.broker_peak_mb ?? '?'} MB`,
  );
}

/** The emergency under load beside the floors that carry the same flood (with and without the whole-commune command). */
function printAgainstLoadedFloor(r: BroadcastBenchResult, p: BroadcastBenchResult['product'][number]): void {
  for (const l of [r.loaded_floor, r.acks_only_floor]) {
    console.log(
      `  against the LOADED floor${l.preceded_by_broadcast ? " in the product's shape (a bare client publishes a normal command to each hamlet and " : ' of acks only ('}` +
        `bare clients publish ${l.flood_acks.toLocaleString('en')} acks of ${l.ack_bytes} bytes at once;` +
        ` ${fmt(l.command_after_flood_ms)} later a bare client publishes a ${l.command_bytes}-byte command` +
        ` to each hamlet; the product's emergency: ${r.emergency_bytes ?? '?'} bytes):`,
    );
    printHeld('receiver', l.command, p.command, r.receivers * r.emergency_rounds);
    console.log(row("every receiver's first ack stored (floor: its answer)", l.answers_ms, p.received_acks_ms));
    if (p.witnesses && l.witnesses.n > 0) {
      console.log(
        `  at the ${r.witnesses} witnesses, ${r.witnesses * r.emergency_rounds} arrivals over ${r.emergency_rounds} rounds (bare receivers of their own in an otherwise idle process: the controller and broker's delivery without the simulated fleet's queue):`,
      );
      printHeld('witness', l.witnesses, p.witnesses, r.witnesses * r.emergency_rounds);
    }
    console.log(
      `  ${'loaded floor: the flood'.padEnd(44)} acknowledged by the broker after ${fmt(l.flood_acked_ms)}, all at the bare subscriber after ${fmt(l.flood_received_ms)}; ${l.reached} of ${r.receivers} bare receivers held the command`,
    );
  }
  const a = r.agents_floor;
  if (a) {
    console.log(
      `  against the LOADED floor AT THE SAME AGENTS (a bare client publishes a normal command to each hamlet, signed as the controller signs, and the agents check it and send their acks as they do the product's; then a bare client publishes an emergency-shaped command to each hamlet, as long after the normal one as the product's emergency came after its broadcast; ${a.rounds} rounds pooled, ${a.reached} of ${r.receivers} agents held it in every round):`,
    );
    const ms = (list: number[] | undefined) => (list ?? []).map((g) => `${Math.round(g)}`).join(', ');
    console.log(
      `  ${'emergency after the normal command'.padEnd(44)} from the broker taking the last normal command to it taking the last emergency one, per round: product ${ms(r.emergency_gaps_ms)} ms; floor ${ms(a.gaps_ms)} ms`,
    );
    printHeld('receiver', a.command, p.command, r.receivers * r.emergency_rounds);
    if (p.witnesses && a.witnesses.n > 0)
      printHeld('witness', a.witnesses, p.witnesses, r.witnesses * r.emergency_rounds);
  }
  if (r.emergency_path)
    console.log(
      `  ${"the controller's part, from the click".padEnd(44)} commands signed ${fmt(r.emergency_path.stored_ms)}, stored and every hamlet's taken by the broker (PUBACK) ${fmt(r.emergency_path.broker_took_ms)}`,
    );
  const b = r.emergency_busy;
  if (b) {
    const pct = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '?' : `${Math.round(x * 100)} %`);
    console.log(
      `  ${'busy from the click to the last receiver'.padEnd(44)} ${fmt(b.window_ms)}: controller thread ${pct(b.controller)}` +
        `${r.broker === 'aedes' ? `, broker thread ${pct(b.broker)}` : ''}, simulated fleet ${pct(b.fleet)}` +
        `; ${b.own_topic_messages} messages on receivers' own topics (receipts) reached them meanwhile`,
    );
  }
}

/** The emergency held, floor beside product: p50, p99, max and the last of `expected` (NaN when some never held it). */
function printHeld(who: 'receiver' | 'witness', floor: Summary, product: Summary, expected: number): void {
  const holder = who === 'receiver' ? 'every receiver' : 'witness';
  for (const k of ['p50', 'p99', 'max'] as const)
    console.log(row(`${holder} holds the command: ${k}`, floor[k], product[k]));
  console.log(row(`last ${who} holds it, ms after the click`, lastHeld(floor, expected), lastHeld(product, expected)));
}

type Summary = ReturnType<typeof summary>;

export const BROKER_NAMES: Record<BenchBroker, string> = {
  aedes: 'embedded aedes broker',
  mosquitto: 'external Mosquitto',
};
