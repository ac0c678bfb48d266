/**
 * The embedded broker, the default for a commune's single box, as the controller sees it: aedes
 * runs in its own worker thread (broker-worker.ts, aedes-broker.ts), so routing a flood of acks
 * and the controller's own work (ack signature checks, SQLite writes) no longer take turns on one
 * event loop, and an emergency is not published and delivered behind them.
 *
 * The worker authenticates from a credential table: every enrolled receiver's id, secret hash and
 * hamlet, sent at start, then each change (enrolment, rotation, revocation, hamlet move) as it
 * happens. Should the worker die, it is logged and started again on the same port: the receivers
 * and the controller's own client reconnect by themselves and the outbox republishes what the
 * broker had not taken, so the controller is deaf for about a second, never silently.
 */
import type { Worker } from 'node:worker_threads';
import type { EventLoopUtilization } from 'node:perf_hooks';
import type { Logger } from '../logger.js';
import { startModuleWorker } from '../system/module-worker.js';
import type { BrokerListen } from './aedes-broker.js';
import type { ReceiverCredential } from './broker-credentials.js';
import type { UrgentCommands } from '../protocol/urgency.js';
import { fanOutEvents } from '../shared/typed-events.js';

export interface BrokerCredentialSource {
  /** The controller's own broker password. */
  controllerSecret: string;
  /** Every enrolled receiver. */
  all(): ReceiverCredential[];
  /** One receiver's current credential; undefined when it has none (revoked). */
  one(id: string): ReceiverCredential | undefined;
}

export interface BrokerWorkerData {
  listen: BrokerListen;
  controllerSecret: string;
  receivers: ReceiverCredential[];
  /** The urgent commands sent lately (protocol/urgency.ts): their acks go first through the ack gate. */
  urgent: string[];
  /** The ack gate's marks (ack-gate.ts), when not the product's: tests set them low to see it hold. */
  ackMarks?: { holdAbove: number; releaseBelow: number };
  debug: boolean;
}

export type ToBrokerWorker =
  | { type: 'credential'; id: string; credential: ReceiverCredential | null }
  | { type: 'disconnect'; id: string }
  | { type: 'urgent'; id: string }
  | { type: 'stop' };

export type FromBrokerWorker =
  | { type: 'listening'; port: number }
  | { type: 'failed'; message: string; code?: string }
  | { type: 'clients'; count: number }
  | { type: 'log'; level: 'warn' | 'debug'; fields: object; msg: string }
  | { type: 'stopped' };

const STOP_TIMEOUT_MS = 5_000;
/** A worker that stayed up this long before dying restarts at once; one dying again and again waits longer each time, up to 30 s. */
const STABLE_MS = 60_000;

export class EmbeddedBroker {
  /**
   * "connectionsEnded" when a broker that was listening is gone (stopped, or its worker died):
   * every receiver's connection ended with it, and no last will was sent for any of them.
   */
  readonly events = fanOutEvents<{ connectionsEnded: [] }>();
  private worker?: Worker;
  private clients = 0;
  private urgent?: UrgentCommands;
  private stopping = false;
  /** The port it listens on once started: a restart after a crash takes the same one. */
  private port?: number;
  private crashes = 0;
  private startedAt = 0;
  private restartTimer?: NodeJS.Timeout;

  constructor(
    private readonly credentials: BrokerCredentialSource,
    private readonly log: Logger,
    private readonly listen: BrokerListen,
    /** The ack gate's marks (ack-gate.ts); tests set them low to see it hold. */
    private readonly ackMarks?: { holdAbove: number; releaseBelow: number },
  ) {}

  async start(): Promise<number> {
    this.stopping = false;
    this.port = await this.spawn(this.listen.port);
    return this.port;
  }

  /** Tells the worker a receiver's credential changed; `disconnect` ends its open session too. */
  credentialsChanged(receiverId: string, disconnect: boolean): void {
    this.post({ type: 'credential', id: receiverId, credential: this.credentials.one(receiverId) ?? null });
    if (disconnect) this.disconnectClient(receiverId);
  }

  /** Drops a client's connection, e.g. after its credentials were rotated or revoked. */
  disconnectClient(clientId: string): void {
    this.post({ type: 'disconnect', id: clientId });
  }

  get connectedClients(): number {
    return this.clients;
  }

  /** The broker thread's event-loop utilisation so far (benchmarks: how busy routing kept it); undefined when down. */
  eventLoopUtilization(): EventLoopUtilization | undefined {
    return this.worker?.performance.eventLoopUtilization();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    this.worker = undefined;
    this.clients = 0;
    if (!worker) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => {
        worker.on('message', (m: FromBrokerWorker) => {
          if (m.type === 'stopped') resolve();
        });
        worker.once('exit', () => resolve());
        worker.postMessage({ type: 'stop' } satisfies ToBrokerWorker);
      }),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    await worker.terminate();
    this.events.emit('connectionsEnded');
  }

  /** The broker's thread keeps a copy of the controller's urgent commands, from now on and after a restart. */
  followUrgent(urgent: UrgentCommands): void {
    this.urgent = urgent;
    urgent.follow((id) => this.post({ type: 'urgent', id }));
  }

  private post(message: ToBrokerWorker): void {
    this.worker?.postMessage(message);
  }

  /** Starts a worker listening on `port`; resolves with the port it listens on. */
  private spawn(port: number): Promise<number> {
    const workerData: BrokerWorkerData = {
      listen: { ...this.listen, port },
      controllerSecret: this.credentials.controllerSecret,
      receivers: this.credentials.all(),
      urgent: this.urgent?.all() ?? [],
      ackMarks: this.ackMarks,
      debug: this.log.isLevelEnabled('debug'),
    };
    const worker = startModuleWorker(import.meta.url, 'broker-worker', {
      workerData: workerData as unknown as Record<string, unknown>,
    });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      let listening = false;
      worker.on('message', (m: FromBrokerWorker) => {
        if (m.type === 'log') this.log[m.level](m.fields, m.msg);
        else if (m.type === 'clients') this.clients = m.count;
        else if (m.type === 'listening') {
          listening = true;
          this.startedAt = Date.now();
          resolve(m.port);
        } else if (m.type === 'failed') {
          reject(Object.assign(new Error(m.message), { code: m.code }));
          void worker.terminate();
        }
      });
      worker.on('error', (err) => {
        if (listening) this.log.error({ err }, 'the embedded broker failed');
        else reject(err);
      });
      worker.once('exit', (code) => {
        if (!listening) reject(new Error(`the embedded broker's worker exited with ${code} before listening`));
        if (this.worker !== worker) return; // stopped, or replaced
        this.worker = undefined;
        this.clients = 0;
        if (!listening) return;
        this.events.emit('connectionsEnded');
        if (!this.stopping) this.restartAfterCrash(code);
      });
    });
  }

  private restartAfterCrash(exitCode: number): void {
    this.crashes = Date.now() - this.startedAt > STABLE_MS ? 1 : this.crashes + 1;
    const delayMs = this.crashes === 1 ? 0 : Math.min(30_000, 500 * 2 ** (this.crashes - 2));
    this.log.error(
      { exit_code: exitCode, crashes: this.crashes, restart_in_ms: delayMs },
      'the embedded broker stopped unexpectedly: receivers are cut off until it is restarted',
    );
    const retry = () => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.spawn(this.port ?? this.listen.port).then(
        () => this.log.warn({ port: this.port }, 'the embedded broker is running again'),
        (err: Error) => {
          this.crashes++;
          const again = Math.min(30_000, 500 * 2 ** (this.crashes - 2));
          this.log.error({ err, restart_in_ms: again }, 'the embedded broker could not be restarted');
          this.restartTimer = setTimeout(retry, again);
        },
      );
    };
    this.restartTimer = setTimeout(retry, delayMs);
  }
}
