/**
 * A broker restart under a fleet (issue 22's connect storms; the project's target: a reconnect
 * storm absorbed within 15 s and within 2x the floor, no broadcast lost meanwhile).
 *
 * Floor: bare clients with the receivers' credentials, reconnecting as the agents do (after their
 * spread of 1-3 s) and subscribing again; the broker restarted under them: from the broker
 * listening again to the last client's CONNACK. A second floor, "the agents' conversation": bare
 * clients that also say what an agent says on connecting (a kept session, a last will, three
 * subscriptions, a retained status) and let a connection go for want of a CONNACK as it does
 * (conversation-floor.ts): the broker's own time for our protocol, with none of the agents' or the
 * controller's work. Product: the real agents, the same restart: from listening again to the last
 * agent's link up, and to the controller having heard "online" from every receiver. First the
 * storm alone (the floors carry nothing else: like with like), then with an emergency confirmed
 * the moment the broker listens again, when no receiver is on it yet: it must reach every one, by
 * its hamlet's topic if it is back in time or by the controller's resend to it alone when it says
 * "online". The floors' rounds come first (the agents are not running then).
 */
import { startBenchFleet, type BenchBroker } from './bench-fleet.js';
import { sendConfirmed } from './fleet-process.js';
import { nowMs, row } from './stats.js';
import { LoopBusy } from './loop-busy.js';

const ROUNDS = 2;
/** A round that has not settled by then reports what it has (receivers never back are "lost"). */
const LIMIT_MS = 120_000;

export interface RestartBenchResult {
  receivers: number;
  broker: BenchBroker;
  rounds: number;
  /** Per round (floor's, then product's): from the kill to the broker listening again. */
  down_ms: number[];
  /** Per floor round, from listening again: the last bare client connected. */
  floor_ms: number[];
  /** Per round of the agents' conversation's floor (conversation-floor.ts), from listening again: the last such client connected. */
  conversation_ms: number[];
  /** Per product round with an emergency, from listening again: the last agent connected, the controller heard "online" from every receiver. */
  connected_ms: number[];
  online_ms: number[];
  /** The same, per product round without one (the storm alone). */
  quiet_connected_ms: number[];
  quiet_online_ms: number[];
  /** Per round (floor's, then product's), from listening again: the controller's own link back (it queues with the fleet). */
  controller_link_ms: number[];
  /** Per round of the conversation's floor, then per product round: receivers that let a connection go for want of a CONNACK (a crowded listen queue). */
  timed_out: number[];
  /** Per round (floor's, the conversation's, then product's): how many connected in each second after listening again. */
  per_second: number[][];
  /** Per product round: the emergency's confirmation call, and from listening again the last receiver holding it. */
  emergency: { api_ms: number; last_ms: number; held: number; by_resend: number }[];
  /** Per product round, from listening again to the last receiver back: how busy each loop was (0-1). */
  busy: { controller: number; broker?: number; fleet: number }[];
  /** Receivers not back (or without the emergency) when a round gave up, the worst round's. */
  lost: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * Between restarts. The controller starts a crashed embedded broker again at once, but waits longer
 * after each crash within a minute of the one before (embedded-broker.ts): each round's must be a
 * first crash, as a broker that has run a while has.
 */
const gapMs = (broker: BenchBroker) => (broker === 'aedes' ? 61_000 : 3_000);
/** How many of `at` fell in each whole second after `from`. */
const perSecond = (at: number[], from: number) => {
  const counts: number[] = [];
  for (const t of at) {
    const s = Math.max(0, Math.floor((t - from) / 1000));
    while (counts.length <= s) counts.push(0);
    counts[s]!++;
  }
  return counts;
};
const latest = (xs: number[]) => xs.reduce((m, x) => (x > m ? x : m), -Infinity);

/** Polls `read` until it says done or the limit passes; resolves with its last answer. */
async function settle<T extends { done: boolean }>(read: () => Promise<T>): Promise<T> {
  const deadline = nowMs() + LIMIT_MS;
  for (;;) {
    const answer = await read();
    if (answer.done || nowMs() > deadline) return answer;
    await sleep(100);
  }
}

export async function runRestartBench(receivers: number, broker: BenchBroker): Promise<RestartBenchResult> {
  const step = (s: string) => process.stderr.write(`  broker restart, ${receivers} receivers, ${broker}: ${s}\n`);
  const bench = await startBenchFleet(receivers, 10, broker);
  const { controller, ask } = bench;
  const result: RestartBenchResult = {
    receivers,
    broker,
    rounds: ROUNDS,
    down_ms: [],
    floor_ms: [],
    conversation_ms: [],
    connected_ms: [],
    online_ms: [],
    quiet_connected_ms: [],
    quiet_online_ms: [],
    controller_link_ms: [],
    timed_out: [],
    per_second: [],
    emergency: [],
    busy: [],
    lost: 0,
  };
  const controllerBusy = new LoopBusy().start();
  // The embedded broker's thread is a new one after each restart: its counters start again then.
  const brokerBusy = controller.broker
    ? new LoopBusy(() => controller.broker?.eventLoopUtilization()).start()
    : undefined;
  // When the controller's own link came back after each restart (it reconnects every second).
  let controllerLinkAt = NaN;
  controller.mqtt.events.on('link', (link) => {
    if (link.connected && Number.isNaN(controllerLinkAt)) controllerLinkAt = nowMs();
  });
  /** Waits (up to the round's limit) for the controller's link; from `upAt`. */
  const controllerBack = async (upAt: number) => {
    await settle(async () => ({ done: !Number.isNaN(controllerLinkAt) }));
    return controllerLinkAt - upAt;
  };
  const connectedSince = async (upAt: number) => {
    const at: number[] = (await ask('arrivals', { key: 'connected' })).arrivals;
    return { done: at.length >= receivers, count: at.length, last: latest(at) - upAt, at };
  };
  /** The floor's rounds: bare clients (`conversation`: saying what an agent says) under restarts. */
  const floorRounds = async (conversation: boolean) => {
    const name = conversation ? "the agents' conversation's floor" : 'the floor';
    step(`${conversation ? 'bare clients saying what an agent says' : 'bare clients'} connect`);
    await ask('floor', { reconnect: true, conversation });
    for (let i = 0; i < ROUNDS; i++) {
      step(`${name}: restart ${i + 1} of ${ROUNDS}`);
      await ask('arm');
      controllerLinkAt = NaN;
      const { down_at, up_at } = await bench.restartBroker();
      result.down_ms.push(up_at - down_at);
      const back = await settle(() => connectedSince(up_at));
      result.controller_link_ms.push(await controllerBack(up_at));
      (conversation ? result.conversation_ms : result.floor_ms).push(back.last);
      if (conversation) result.timed_out.push((await ask('arrivals', { key: 'connect-timed-out' })).arrivals.length);
      result.per_second.push(perSecond(back.at, up_at));
      result.lost = Math.max(result.lost, receivers - back.count);
      await sleep(gapMs(broker) - (nowMs() - up_at));
    }
    await ask('stop-floor');
  };
  try {
    await floorRounds(false);
    await floorRounds(true);

    step('the agents connect');
    await bench.startAgents();
    const online = new Set<string>();
    let allOnlineAt = NaN;
    controller.presence.events.on('status', (e: { receiver_id: string; state: string }) => {
      if (e.state !== 'online') return void online.delete(e.receiver_id);
      online.add(e.receiver_id);
      if (online.size === receivers && Number.isNaN(allOnlineAt)) allOnlineAt = nowMs();
    });
    /**
     * The product's rounds: the agents under restarts, `withEmergency` confirmed the moment the
     * broker listens again. Without one, the storm alone, set against the floors (which carry none).
     */
    const productRounds = async (withEmergency: boolean) => {
      for (let i = 0; i < ROUNDS; i++) {
        step(
          `the product's restart ${i + 1} of ${ROUNDS}${withEmergency ? ', an emergency as the broker listens again' : ''}`,
        );
        await ask('arm');
        controllerLinkAt = NaN;
        const { down_at, up_at } = await bench.restartBroker();
        online.clear();
        allOnlineAt = NaN;
        result.down_ms.push(up_at - down_at);
        const emergency = withEmergency
          ? await sendConfirmed(controller.httpUrl, bench.token, {
              media_id: bench.media.id,
              target: { all: true },
              priority: 'emergency',
              repeat_count: 1,
            })
          : undefined;
        const round = await settle(async () => {
          const links = await connectedSince(up_at);
          const held: number[] = emergency ? (await ask('held-anyhow', { key: emergency.id })).arrivals : [];
          const done = links.done && (!emergency || held.length >= receivers) && !Number.isNaN(allOnlineAt);
          return { done, links, held };
        });
        result.controller_link_ms.push(await controllerBack(up_at));
        result.timed_out.push((await ask('arrivals', { key: 'connect-timed-out' })).arrivals.length);
        result.per_second.push(perSecond(round.links.at, up_at));
        (withEmergency ? result.connected_ms : result.quiet_connected_ms).push(round.links.last);
        (withEmergency ? result.online_ms : result.quiet_online_ms).push(allOnlineAt - up_at);
        if (emergency) {
          const byResend: number[] = (await ask('arrivals', { key: `own:${emergency.id}` })).arrivals;
          result.emergency.push({
            api_ms: emergency.api_ms,
            last_ms: round.held.length >= receivers ? latest(round.held) - up_at : NaN,
            held: round.held.length,
            by_resend: byResend.length,
          });
        }
        // From a moment after the restart: the samples before it read the broker thread that died.
        const window = [up_at + 100, up_at + Math.max(round.links.last, allOnlineAt - up_at)] as const;
        result.busy.push({
          controller: controllerBusy.between(...window),
          broker: brokerBusy?.between(...window),
          fleet: (await ask('busy', { from: window[0], to: window[1] })).share,
        });
        const held = emergency ? round.held.length : receivers;
        result.lost = Math.max(result.lost, receivers - Math.min(round.links.count, held, online.size));
        if (!withEmergency || i < ROUNDS - 1) await sleep(gapMs(broker) - (nowMs() - up_at));
      }
    };
    await productRounds(false);
    await productRounds(true);
    return result;
  } finally {
    controllerBusy.stop();
    brokerBusy?.stop();
    await bench.close();
  }
}

export function printRestartBench(r: RestartBenchResult): void {
  const list = (xs: number[]) => xs.map((x) => `${Math.round(x)}`).join(', ');
  console.log(
    `\nBroker restart under ${r.receivers.toLocaleString('en')} receivers, ${r.broker} (${r.rounds} rounds each; ` +
      `the broker ${r.broker === 'mosquitto' ? 'killed (SIGKILL) and started again' : 'thread ended as a crash would, started again by the controller'})`,
  );
  /** A round's name by its place: the floor's, the conversation's, the storm alone's, then with an emergency. */
  const kinds = [
    ...r.floor_ms.map(() => 'floor'),
    ...r.conversation_ms.map(() => 'conversation'),
    ...r.quiet_connected_ms.map(() => 'product alone'),
    ...r.connected_ms.map(() => 'product with the emergency'),
  ];
  const kind = (i: number) => kinds[i] ?? '?';
  console.log(`  down, from the kill to listening again     ${list(r.down_ms)} ms (each round, the floors' first)`);
  console.log('  from the broker listening again (the worst round; each round in brackets):');
  for (const [what, ms] of [
    ['the storm alone', r.quiet_connected_ms],
    ['with an emergency', r.connected_ms],
  ] as const) {
    console.log(
      row(`every receiver connected, ${what}`, latest(r.conversation_ms), latest(ms)) +
        `  (floor: bare clients saying what an agent says on connecting, ${list(r.conversation_ms)}; product ${list(ms)} ms)`,
    );
    console.log(
      row('  the same against the plain floor', latest(r.floor_ms), latest(ms)) +
        `  (bare clients, one subscription each, a clean session: ${list(r.floor_ms)} ms)`,
    );
  }
  console.log(
    row('the controller heard "online" from every one', latest(r.floor_ms), latest(r.online_ms)) +
      `  (with the emergency ${list(r.online_ms)} ms, the storm alone ${list(r.quiet_online_ms)} ms; floor: the plain floor's CONNACK)`,
  );
  console.log(
    `  connected in each second after listening    ${r.per_second.map((c, i) => `${kind(i)} ${c.join(' ')}`).join('; ')}`,
  );
  console.log(
    `  the controller's own link back              ${r.controller_link_ms.map((x, i) => `${kind(i)} ${Math.round(x)}`).join(', ')} ms (it reconnects every second, in the same listen queue as the fleet)`,
  );
  console.log(
    `  receivers that let a stuck connection go    ${r.timed_out.map((n, i) => `${kind(i + r.floor_ms.length)} ${n}`).join(', ')} (no CONNACK within their timeout, as when the broker's listen queue overflows)`,
  );
  const e = r.emergency;
  console.log(
    row('an emergency confirmed then: every receiver held it', latest(r.floor_ms), latest(e.map((x) => x.last_ms))) +
      `  (${list(e.map((x) => x.last_ms))} ms; by the controller's resend to the receiver alone: ${e.map((x) => x.by_resend).join(', ')} of ${r.receivers}; its confirmation answered in ${list(e.map((x) => x.api_ms))} ms)`,
  );
  const pct = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '-' : `${Math.round(x * 100)} %`);
  console.log(
    `  busy until the last receiver was back      ${r.busy.map((b, i) => `${kind(i + r.floor_ms.length + r.conversation_ms.length)}: controller thread ${pct(b.controller)}, ${b.broker === undefined ? '' : `broker thread ${pct(b.broker)}, `}simulated fleet ${pct(b.fleet)}`).join('; ')}`,
  );
  // A round in which the controller never heard every receiver (NaN) fails the 15 s, not skipped.
  const worst = (xs: number[]) => (xs.some(Number.isNaN) ? Infinity : latest(xs));
  const [alone, withIt] = [worst(r.quiet_online_ms), worst(r.online_ms)];
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  // The target's floor is "the same work done with a bare MQTT client" (the project's targets): the
  // conversation's, which carries no emergency, so set against the storm alone.
  const ratio = latest(r.quiet_connected_ms) / latest(r.conversation_ms);
  const withEmergency = latest(r.connected_ms) / latest(r.conversation_ms);
  const againstPlain = latest(r.quiet_connected_ms) / latest(r.floor_ms);
  const lost = r.lost === 0 ? 'none' : `${r.lost} RECEIVERS NOT BACK or without the emergency`;
  const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
  console.log(
    `  target: connected within 2x the floor of the same conversation, the storm alone (${ratio.toFixed(2)}x; ` +
      `${againstPlain.toFixed(2)}x the plain floor; with an emergency ${withEmergency.toFixed(2)}x): ${verdict(ratio <= 2)}; ` +
      `back within 15 s (the controller heard every one): the storm alone ${secs(alone)} ${verdict(alone <= 15_000)}, ` +
      `with the emergency ${secs(withIt)} ${verdict(withIt <= 15_000)}; ` +
      `nothing lost (${lost}): ${verdict(r.lost === 0)}`,
  );
  console.log(
    '  (the floors are bare clients\' CONNACK: the "online" and emergency rows count more than that, so their ratios are not like with like)',
  );
}
