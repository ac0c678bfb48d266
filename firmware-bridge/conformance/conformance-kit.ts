/**
 * The conformance kit: plays the controller's part against one receiver (its own broker, media
 * server, signing key and enrolment file), runs every case a receiver must get right, and returns
 * a report a commune can attach to an acceptance record. `start()` prepares everything and says
 * where the device must connect; the device is then started (by the kit, or by hand); `run()`
 * waits for it and runs the cases; `stop()` closes everything the kit opened.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KitBroker, type RefusedConnection } from './kit-broker.js';
import { KitController } from './kit-controller.js';
import { enrol, newSecret, type Enrolment } from './kit-enrolment.js';
import { KitMedia } from './kit-media.js';
import {
  DEFAULT_TIMINGS,
  fail,
  KitSession,
  type ConformanceCase,
  type Finding,
  type KitTimings,
} from './kit-session.js';
import { describeLoss, DeviceLinkWatch, waitingNotice, type DeviceLinkLoss } from './device-link.js';
import { topics } from '../../controller/protocol/topics.js';
import {
  availability,
  expired,
  forgedSignature,
  notYetValid,
  replayed,
  tamperedPayload,
  validSequence,
  wrongTarget,
} from './cases-commands.js';
import { hashMismatch, playAt, preemption, stopAll, stopInBacklog, stopOne } from './cases-playback.js';
import { ackSignatures, controllerRestart, controllerSession, lastWill, linkLoss, resendAcks } from './cases-link.js';
import {
  buildReport,
  describeExit,
  EXIT_OUTPUT_PREFIX,
  renderExit,
  type CaseOutcome,
  type ConformanceReport,
  type KitMode,
  type RunInfo,
  type SetupFailure,
} from './report.js';
import { signReport } from './report-signature.js';
import type { DeviceExit } from './device-process.js';

/** In the order they run: the link is cut only near the end, and the signatures are judged over everything. */
export const CASES: readonly ConformanceCase[] = [
  availability,
  validSequence,
  forgedSignature,
  tamperedPayload,
  expired,
  notYetValid,
  wrongTarget,
  replayed,
  hashMismatch,
  stopOne,
  stopAll,
  preemption,
  playAt,
  resendAcks,
  controllerRestart,
  controllerSession,
  stopInBacklog,
  linkLoss,
  lastWill,
  ackSignatures,
];

/** No case may take longer than this (a device that never answers must not hang the kit). */
const CASE_LIMIT_MS = 90_000;

export interface KitOptions {
  /** The kit's working folder: agent.json, the test audio, the reference agent's state and log. */
  dir: string;
  receiverId?: string;
  hamletId?: string;
  /** Where the broker and media server listen (default 127.0.0.1) and the ports (default: free ones). */
  host?: string;
  mqttPort?: number;
  mediaPort?: number;
  /** The address written into the enrolment file and media URLs, when the device reaches the kit by another name. */
  advertise?: string;
  timings?: Partial<KitTimings>;
  /** Run only these case ids (availability always runs). */
  only?: string[];
  /** How long to wait for the device's first `online` status. */
  connectTimeoutMs?: number;
  /** Progress, one line per case, and the device's exit or loss the moment it happens. */
  progress?: (line: string) => void;
  /** How often to say, while waiting for the device's first connection, that the kit still waits (default 10 s). */
  waitNoticeMs?: number;
  /** For the record: how the device came, the command the kit ran, who ran the kit, what they say the device is. */
  mode?: KitMode;
  command?: string;
  operator?: string;
  device?: { make?: string; model?: string; firmware?: string };
}

/** The device under test as a process the kit watches: when it ends, the run ends. */
export interface WatchedDevice {
  exited: Promise<DeviceExit>;
  /** The command line it was started with, the enrolment file's path filled in (for the record). */
  command?: string;
}

export interface KitAddresses {
  enrolmentFile: string;
  mqttUrl: string;
  mediaUrl: string;
  receiverId: string;
}

export class ConformanceKit {
  private enrolment?: Enrolment;
  private broker?: KitBroker;
  private media?: KitMedia;
  private controller?: KitController;
  private addresses?: KitAddresses;
  /** Connections the broker refused, and why: evidence when the device never comes. */
  readonly refusedConnections: RefusedConnection[] = [];
  private readonly timings: KitTimings;

  constructor(private readonly o: KitOptions) {
    this.timings = { ...DEFAULT_TIMINGS, ...o.timings };
  }

  async start(): Promise<KitAddresses> {
    const o = this.o;
    const host = o.host ?? '127.0.0.1';
    const advertise = o.advertise ?? host;
    const receiverId = o.receiverId ?? 'rx-kiem-tra';
    const hamletId = o.hamletId ?? 'thon-kiem-tra';
    mkdirSync(o.dir, { recursive: true, mode: 0o700 });
    // The broker's port is known only once it listens, and the enrolment names it: listen first.
    const secret = newSecret();
    const controllerPassword = newSecret();
    this.broker = new KitBroker({
      receiverId,
      hamletId,
      host,
      port: o.mqttPort ?? 0,
      secret,
      controllerPassword,
      onRefused: (refused) => this.refusedConnections.push(refused),
    });
    const mqttPort = await this.broker.start();
    const mqttUrl = `mqtt://${advertise}:${mqttPort}`;
    this.enrolment = enrol({
      dir: o.dir,
      receiverId,
      hamletId,
      mqttUrl,
      secret,
      controllerPassword,
      stateDir: join(o.dir, 'agent-state'),
      at: new Date(),
    });
    this.media = new KitMedia({
      dir: o.dir,
      host,
      port: o.mediaPort ?? 0,
      advertise,
      username: receiverId,
      password: this.enrolment.config.secret,
    });
    const mediaUrl = await this.media.start();
    this.controller = new KitController({
      url: this.broker.internalUrl,
      password: this.enrolment.controllerPassword,
      receiverId,
      signer: this.enrolment.signer,
      ackPublicKeyPem: this.enrolment.ackPublicKeyPem,
      now: Date.now,
    });
    await this.controller.start();
    this.addresses = { enrolmentFile: this.enrolment.file, mqttUrl, mediaUrl, receiverId };
    return this.addresses;
  }

  /**
   * Waits for the device, runs the cases, and reports. The device is gone, and the run ends at
   * once with the case it was in and those after it not run, when its process exits (given it) or
   * when it drops off the broker unasked (whether the kit started it or not).
   */
  async run(device?: WatchedDevice): Promise<ConformanceReport> {
    const { enrolment, broker, media, controller, addresses } = this;
    if (!enrolment || !broker || !media || !controller || !addresses) throw new Error('start the kit first');
    const startedAt = new Date();
    const session = new KitSession(enrolment.config, controller, media, broker, this.timings);
    const outcomes: CaseOutcome[] = [];
    const connectMs = this.o.connectTimeoutMs ?? 60_000;
    let current: string | null = null;
    let deviceExit: { exit: DeviceExit; during: string | null } | undefined;
    let deviceLost: DeviceLinkLoss | undefined;
    let setupFailure: SetupFailure | undefined;
    // Once the report is made, the device is stopped by whoever started it: that is no exit to tell.
    let reported = false;
    let markGone!: () => void;
    // Whichever comes first, the process's exit or the link's loss, ends the run; the other is not told.
    const gone = new Promise<void>((resolve) => (markGone = resolve));
    const isGone = () => reported || deviceExit !== undefined || deviceLost !== undefined;
    void device?.exited.then((exit) => {
      if (isGone()) return;
      deviceExit = { exit, during: current };
      session.abort();
      markGone();
      // Said the moment it happens, in both languages; its output once.
      const shown = { ...exit, during: current, ...describeExit(exit, current) };
      const words = (lang: 'vi' | 'en') => renderExit(shown, lang).filter((l) => !l.startsWith(EXIT_OUTPUT_PREFIX));
      const output = renderExit(shown, 'en').filter((l) => l.startsWith(EXIT_OUTPUT_PREFIX));
      this.o.progress?.([...words('vi'), ...words('en'), ...output].join('\n'));
    });
    let stopWatching = () => {};
    const report = () => {
      reported = true;
      stopWatching();
      return signReport(
        buildReport({
          config: enrolment.config,
          controller,
          startedAt,
          finishedAt: new Date(),
          outcomes,
          allCases: CASES.map((c) => c.id),
          run: this.runInfo(connectMs, device),
          deviceExit,
          deviceLost,
          setupFailure,
        }),
        enrolment.signer,
      );
    };
    const online = await this.waitForDevice(session, connectMs);
    if (!online) {
      if (deviceExit) return report();
      if (broker.deviceConnections === 0)
        // Never got in: the setup is to fix (address, password), the device is not judged.
        setupFailure = { waited_ms: connectMs, mqtt_url: addresses.mqttUrl, refused: this.refusedConnections };
      else
        // It got in but never said it is there: that is the device's fault, judged as availability.
        outcomes.push({
          id: 'availability',
          title: 'conf_case_availability',
          findings: [
            fail('conf_never_online', {
              topic: topics.status(enrolment.config.receiver_id),
              seconds: connectMs / 1000,
            }),
          ],
          duration_ms: connectMs,
        });
      return report();
    }
    const watch = new DeviceLinkWatch(broker, { reconnectMs: this.timings.reconnect_ms, current: () => current });
    stopWatching = () => watch.stop();
    void watch.lost.then((loss) => {
      if (isGone()) return;
      deviceLost = loss;
      session.abort();
      markGone();
      const { vi, en } = describeLoss(loss);
      this.o.progress?.(`${vi}\n${en}`);
    });
    const cases = CASES.filter((c) => c.id === 'availability' || !this.o.only || this.o.only.includes(c.id));
    for (const [i, c] of cases.entries()) {
      const t0 = performance.now();
      current = c.id;
      // Each case starts with the device connected and nothing playing.
      await session.waitFor(() => broker.deviceSession().connected, this.timings.reconnect_ms);
      session.beginCase();
      const findings = await runGuarded(c, session, gone);
      // The device dropped off during the case: what it saw is the silence of a device that is gone.
      if (watch.dropped) await gone;
      // What a case saw while its device died is no evidence about the device: it is not run.
      if (isGone()) break;
      await session.settle();
      outcomes.push({ id: c.id, title: c.title, findings, duration_ms: Math.round(performance.now() - t0) });
      this.o.progress?.(
        `[${i + 1}/${cases.length}] ${c.id}: ${findings.every((f) => f.ok) ? 'ĐẠT / PASS' : 'KHÔNG ĐẠT / FAIL'}`,
      );
    }
    current = null;
    return report();
  }

  /**
   * The device's first `online` status, within `ms`. Meanwhile the console is told, every
   * `waitNoticeMs`, that the kit still waits, where, and which connections it refused: the
   * technician at the device fixes a wrong address or password without waiting out the limit.
   */
  private async waitForDevice(session: KitSession, ms: number): Promise<boolean> {
    const t0 = performance.now();
    const notice = setInterval(() => {
      this.o.progress?.(
        waitingNotice({
          seconds: Math.round((performance.now() - t0) / 1000),
          mqttUrl: this.addresses!.mqttUrl,
          receiverId: this.addresses!.receiverId,
          refused: this.refusedConnections,
        }),
      );
    }, this.o.waitNoticeMs ?? 10_000);
    try {
      return (await session.waitFor(() => this.controller!.onlineCount() > 0, ms)) === true;
    } finally {
      clearInterval(notice);
    }
  }

  private runInfo(connectMs: number, device?: WatchedDevice): RunInfo {
    const o = this.o;
    return {
      mode: o.mode ?? null,
      command: device?.command ?? o.command ?? null,
      operator: o.operator ?? null,
      device: { make: o.device?.make ?? null, model: o.device?.model ?? null, firmware: o.device?.firmware ?? null },
      tolerances: { ...this.timings, case_limit_ms: CASE_LIMIT_MS, connect_timeout_ms: connectMs },
    };
  }

  async stop(): Promise<void> {
    await this.controller?.stop();
    await this.media?.stop();
    await this.broker?.stop();
  }
}

/** A case that throws or hangs fails with that as its evidence; it never stops the run, nor outlives its device. */
async function runGuarded(c: ConformanceCase, session: KitSession, gone?: Promise<void>): Promise<Finding[]> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<Finding[]>((resolve) => {
    timer = setTimeout(() => resolve([fail('conf_case_timed_out', { seconds: CASE_LIMIT_MS / 1000 })]), CASE_LIMIT_MS);
  });
  try {
    return await Promise.race([c.run(session), limit, ...(gone ? [gone.then(() => [])] : [])]);
  } catch (err) {
    return [fail('conf_case_error', { error: (err as Error).message.slice(0, 300) })];
  } finally {
    clearTimeout(timer);
  }
}
