/**
 * A controller on embedded defaults with N enrolled receivers, and a fleet process (its own event
 * loop and file descriptors) that runs them: shared by the benchmarks that need a fleet.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { connect } from 'node:net';
import type { Worker } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { buildController, type Controller } from '../controller/app.js';
import { PERMISSIONS } from '../controller/accounts/permissions.js';
import type { AgentConfig } from '../controller/protocol/agent-config.js';
import { parseSettings } from '../controller/settings.js';
import { CONTROLLER_USERNAME } from '../controller/mqtt/broker-acl.js';
import { mosquittoHash, reloadMosquitto } from '../controller/mqtt/mosquitto-files.js';
import { TOPIC_ROOT } from '../controller/protocol/topics.js';
import { uploadReadyTone } from '../tests/helpers/audio.js';
import { startControllerMosquitto, startMosquitto } from '../tests/helpers/mosquitto.js';
import { nowMs, peakRssMb } from './stats.js';
import { forkFleet, forkFleetGroup } from './fleet-process.js';

/** The embedded aedes broker (in the controller's process) or a Mosquitto process of its own. */
export type BenchBroker = 'aedes' | 'mosquitto';

export interface BenchFleet {
  controller: Controller;
  token: string;
  dir: string;
  hamlets: { id: string; name: string }[];
  configs: AgentConfig[];
  media: { id: string; sha256: string; size_bytes: number; duration_ms: number };
  /**
   * Starts the real agents; resolves when the controller has heard "online" (sent after the
   * agent's subscriptions are in place) from every receiver, or after `limitMs`.
   */
  startAgents(
    extra?: object,
    limitMs?: number,
  ): Promise<{ build_ms: number; connect_ms: number; online_ms: number; online: number }>;
  /** One request to the fleet process and its answer. */
  ask(op: string, extra?: object): Promise<any>;
  /**
   * One request to the witnesses' process (bench/fleet-worker.ts, op "witness"), when asked for:
   * `witnessesPerHamlet` extra receivers per hamlet, bare clients in a process of their own.
   */
  askWitnesses?(op: string, extra?: object): Promise<any>;
  /** How many witnesses there are (0: none). */
  witnesses: number;
  broker: BenchBroker;
  /** The broker account of the floor's bare publisher and ack subscriber. */
  floorLogin: { username: string; password: string };
  /** The controller process's peak resident memory so far, in MB. */
  rssPeakMb(): number;
  /** Mosquitto's peak resident memory (its VmHWM), in MB; undefined for the embedded broker. */
  brokerPeakMb(): number | undefined;
  /**
   * The broker goes down and comes back on the same port: Mosquitto killed (SIGKILL, as a crash or
   * a power cut of its host) and started again; the embedded broker's thread ended as a crash would
   * end it (the controller starts it again at once). Every connection ends with it, no last will is
   * sent, and Mosquitto keeps no session (it runs without persistence). Resolves when it listens
   * again, with when it went down and when it was back (nowMs clock).
   */
  restartBroker(): Promise<{ down_at: number; up_at: number }>;
  close(): Promise<void>;
}

/**
 * How many processes run the simulated fleet (`npm run bench -- --fleet-processes N`). One by
 * default: the fleet is load for the controller, and in one process it takes at most one of this
 * machine's two cores, leaving the other to the controller and its broker, as the controller has a
 * machine of its own in the field. Two processes halve each one's queue of receivers' work, but
 * take both cores from the controller (measured 2026-12-02 16:51: every receiver's first ack stored
 * 2.6 s after the click at 1,000 receivers, against 0.8-1.9 s in the day's runs with one process).
 */
export const fleetShape = { processes: 1 };

export async function startBenchFleet(
  receivers: number,
  hamletCount = 10,
  broker: BenchBroker = 'aedes',
  options: { signProofHeads?: boolean; witnessesPerHamlet?: number } = {},
): Promise<BenchFleet> {
  const { witnessesPerHamlet = 0, ...overrides } = options;
  const dir = mkdtempSync(join(tmpdir(), 'tt-bench-'));
  const hamlets = Array.from({ length: hamletCount }, (_, i) => ({ id: `thon-${i + 1}`, name: `Thôn ${i + 1}` }));
  const mosquitto = broker === 'mosquitto' ? await startControllerMosquitto(dir) : undefined;
  const controller = buildController(
    parseSettings({
      commune: { id: 'bench', name: 'Xã Đo Đạc' },
      hamlets,
      data_dir: join(dir, 'data'),
      log_level: 'silent',
      broadcasts: { quiet_hours: null },
      http: { host: '127.0.0.1', port: 0 },
      mqtt: mosquitto?.mqtt ?? { embedded_host: '127.0.0.1', embedded_port: 0 },
    }),
    // Errors only, on stderr beside the bench's progress: a broker thread that died and restarted
    // mid-run explains a stalled round (a round once waited eight minutes with nothing said).
    { logger: pino({ level: 'error' }, pino.destination(2)), ...overrides },
  );
  await controller.start({ TT_ADMIN_PASSWORD: 'bench-admin-password' });
  let rssPeak = 0;
  const sampler = setInterval(() => {
    try {
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    } catch {
      // out of descriptors for a moment: skip this sample
    }
  }, 100);
  const token = controller.accounts.createToken(
    { name: 'bench', role: 'admin' },
    { id: 'bench', permissions: new Set(PERMISSIONS) },
  ).token;
  const actor = { id: 'bench' };
  const configs: AgentConfig[] = [];
  const witnessConfigs: AgentConfig[] = [];
  // One transaction for the whole fleet: with synchronous=FULL, one per receiver costs minutes at 10,000.
  controller.db.transaction(() => {
    for (let i = 0; i < receivers; i++) {
      const hamlet = hamlets[i % hamletCount].id;
      const id = `sim-${hamlet}-${String(i).padStart(5, '0')}`;
      controller.receivers.create({ id, hamlet_id: hamlet, name: id }, actor);
      configs.push(controller.receivers.enrol(id, actor).agent_config);
    }
    for (const h of hamlets)
      for (let i = 0; i < witnessesPerHamlet; i++) {
        const id = `wit-${h.id}-${i}`;
        controller.receivers.create({ id, hamlet_id: h.id, name: id }, actor);
        witnessConfigs.push(controller.receivers.enrol(id, actor).agent_config);
      }
  })();
  let floorLogin = {
    username: CONTROLLER_USERNAME,
    password: (controller as unknown as { controllerMqttSecret: string }).controllerMqttSecret,
  };
  if (mosquitto) {
    // Mosquitto takes the username as client id: the floor's bare client needs an account of its
    // own, or it would take over the controller's session.
    await new Promise((r) => setImmediate(r)); // the controller's own rewrite after the enrolments comes first
    floorLogin = { username: '_bench_floor', password: `floor-${Math.random().toString(36).slice(2)}` };
    const dir = mosquitto.mqtt.mosquitto_dir;
    appendFileSync(join(dir, 'passwd'), `${floorLogin.username}:${mosquittoHash(floorLogin.password)}\n`);
    appendFileSync(
      join(dir, 'acl'),
      `\nuser ${floorLogin.username}\ntopic write ${TOPIC_ROOT}/cmd/hamlet/+\ntopic read ${TOPIC_ROOT}/rx/+/ack\n`,
    );
    reloadMosquitto(join(dir, 'mosquitto.pid'));
    await new Promise((r) => setTimeout(r, 1000)); // Mosquitto re-reads its files on SIGHUP
  }
  const media = await uploadReadyTone(controller.httpUrl, token, dir, 2);
  const fleet = forkFleetGroup(fleetShape.processes);
  const ask = fleet.ask;
  await ask('init', { configs, stateDir: dir });
  const witnessProcess = witnessConfigs.length > 0 ? forkFleet() : undefined;
  if (witnessProcess) {
    await witnessProcess.ask('init', { configs: witnessConfigs, stateDir: dir });
    await witnessProcess.ask('witness');
  }
  const startAgents = async (extra: object = {}, limitMs = 120_000) => {
    const online = new Set<string>();
    let allOnline: () => void = () => {};
    const done = new Promise<void>((r) => (allOnline = r));
    const listener = (e: { receiver_id: string; state: string }) => {
      if (e.state === 'online') online.add(e.receiver_id);
      if (online.size === receivers) allOnline();
    };
    controller.presence.events.on('status', listener);
    const t0 = performance.now();
    const { build_ms, connect_ms } = await ask('agents', extra);
    await Promise.race([done, new Promise((r) => setTimeout(r, limitMs))]);
    controller.presence.events.off('status', listener);
    // online_ms counts from before the build: the controller's side of a fleet coming up.
    return {
      build_ms: build_ms as number,
      connect_ms: connect_ms as number,
      online_ms: performance.now() - t0,
      online: online.size,
    };
  };
  return {
    controller,
    token,
    dir,
    hamlets,
    configs,
    media,
    ask,
    askWitnesses: witnessProcess?.ask,
    witnesses: witnessConfigs.length,
    startAgents,
    broker,
    floorLogin,
    rssPeakMb: () => Math.round(rssPeak / 1024 / 1024),
    brokerPeakMb: () => (mosquitto ? peakRssMb(mosquitto.broker.process.pid!) : undefined),
    async restartBroker() {
      const down_at = nowMs();
      if (mosquitto) {
        const gone = once(mosquitto.broker.process, 'exit');
        mosquitto.broker.process.kill('SIGKILL');
        await gone;
        mosquitto.broker = await startMosquitto(mosquitto.mqtt.mosquitto_dir, mosquitto.port);
      } else {
        await (controller.broker as unknown as { worker: Worker }).worker.terminate();
        await listening(new URL(controller.mqttUrl));
      }
      return { down_at, up_at: nowMs() };
    },
    async close() {
      clearInterval(sampler);
      await ask('stop').catch(() => {});
      // Each fleet process exits on "stop" (writing its profile when asked for one); killed if it hangs.
      await Promise.all(
        fleet.processes.map((p) =>
          p.exitCode !== null ? undefined : Promise.race([once(p, 'exit'), new Promise((r) => setTimeout(r, 5_000))]),
        ),
      );
      for (const p of fleet.processes) p.kill();
      await witnessProcess?.ask('stop').catch(() => {});
      witnessProcess?.process.kill();
      await controller.stop();
      await mosquitto?.broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once the port takes a TCP connection (polled every 5 ms). */
async function listening(url: URL): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(url.port), url.hostname);
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.once('connect', () => done(true)).once('error', () => done(false));
      socket.setTimeout(1000, () => done(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}
