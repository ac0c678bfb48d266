/**
 * The aedes broker (MQTT 3.1.1) itself, in the thread that runs it: embedded-broker.ts runs it in
 * a worker thread (broker-worker.ts) for the controller; tests may run it in their own thread. It
 * asks its authenticator who a client is and applies the permission table in broker-acl.ts.
 * Only this module, mqtt-client.ts, agent-link.ts and protocol/end-link.ts import MQTT libraries.
 */
import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import { Aedes, type Client } from 'aedes';
import mqttPacket from 'mqtt-packet';
import { createRequire } from 'node:module';
import { canPublish, canSubscribe, type BrokerPrincipal } from './broker-acl.js';
import type { BrokerAuthenticator } from './broker-credentials.js';
import { indexRetained } from './retained-index.js';
import { AckGate } from './ack-gate.js';
import { urgentAckTest, type UrgentCommands } from '../protocol/urgency.js';
import { ACKS_FILTER, TOPIC_ROOT, parseReceiverTopic } from '../protocol/topics.js';

/** The broker's log lines: a pino logger, or the worker's messages to the controller's logger. */
export interface BrokerLog {
  warn(fields: object, msg: string): void;
  debug(fields: object, msg: string): void;
}

export interface BrokerListen {
  host: string;
  port: number;
  tls?: { cert: string; key: string };
}

const principals = new WeakMap<Client, BrokerPrincipal>();
/**
 * Connections the kernel may hold for the broker to accept. A fleet coming back at once (the
 * broker restarted, a power cut) overflows Node's default of 511: the kernel then drops the rest,
 * and each receiver dropped tries again only after 1, 3, 7, 15, 31 s (TCP's own backoff). The
 * kernel caps it at net.core.somaxconn (4,096 on Debian 12).
 */
const LISTEN_BACKLOG = 16_384;

/** The credential each receiver's session was opened with (CredentialTable.versionOf). */
const openedWith = new WeakMap<Client, string | undefined>();
// aedes's own default persistence. A CommonJS function whose types declare an ES default export,
// which TypeScript then misreads under NodeNext: required directly.
const memoryPersistence = createRequire(import.meta.url)('aedes-persistence') as () => object;
// aedes writes through mqtt-packet, whose default fills a table of 65,536 two-byte Buffers on the
// first packet (7 MB of heap in this thread) to save allocating two bytes per packet. mqtt.js
// clients say the same with `writeCache: false` (mqtt-client.ts, agent-link.ts).
mqttPacket.writeToStream.cacheNumbers = false;

export class AedesBroker {
  private aedes?: Aedes;
  private server?: Server;
  /** Every open socket, including those still before CONNECT, which aedes does not list yet. */
  private readonly sockets = new Set<Socket>();
  /** Holds receivers' acks, and so aedes's PUBACK to them, while the routing backlog is long (ack-gate.ts). */
  private ackGate?: AckGate;
  private readonly isUrgentAck: (payload: Buffer) => boolean;

  constructor(
    private readonly auth: BrokerAuthenticator,
    private readonly log: BrokerLog,
    private readonly listen: BrokerListen,
    /** Told the number of connected clients whenever it changes. */
    private readonly onClients?: (count: number) => void,
    /**
     * The ack gate (ack-gate.ts): its marks (tests set them low to see it hold), and the urgent
     * commands whose acks it lets through first (protocol/urgency.ts).
     */
    private readonly gate: {
      marks?: { holdAbove: number; releaseBelow: number };
      urgent?: Pick<UrgentCommands, 'has'>;
      /** Closed until the controller has subscribed to acks, and while it is away (ack-gate.ts). */
      untilController?: boolean;
    } = {},
  ) {
    this.isUrgentAck = urgentAckTest(gate.urgent);
  }

  async start(): Promise<number> {
    const aedes = await Aedes.createBroker({
      persistence: indexRetained(memoryPersistence()),
      // Protect the broker from slow or hostile clients.
      connectTimeout: 10_000,
      maxClientsIdLength: 64,
      authenticate: (client, username, password, done) => {
        const principal = this.auth.authenticate(client.id, username, password);
        if (!principal) {
          this.log.warn({ client_id: client.id, username, ip: remoteAddress(client) }, 'mqtt authentication refused');
          const err = Object.assign(new Error('bad username or password'), { returnCode: 4 as const });
          return done(err as any, false);
        }
        principals.set(client, principal);
        if (principal.kind === 'receiver') openedWith.set(client, this.auth.versionOf(principal.receiverId));
        done(null, true);
      },
      authorizePublish: (client, packet, callback) => {
        const principal = client ? this.current(client) : undefined;
        if (!principal || !canPublish(principal, packet.topic, packet.retain)) {
          this.log.warn({ client_id: client?.id, topic: packet.topic, retain: packet.retain }, 'mqtt publish denied');
          return callback(new Error('publish not authorised')); // aedes closes the connection
        }
        if (principal.kind === 'receiver' && parseReceiverTopic(packet.topic)?.kind === 'ack') {
          // The proof that a warning was heard or a sound stopped goes before a flood (within a ceiling).
          const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
          return this.ackGate!.pass(() => callback(null), this.isUrgentAck(payload));
        }
        callback(null);
      },
      authorizeSubscribe: (client, subscription, callback) => {
        const principal = this.current(client);
        if (!principal || !canSubscribe(principal, subscription.topic)) {
          this.log.warn({ client_id: client.id, topic: subscription.topic }, 'mqtt subscribe denied');
          return callback(null, null); // SUBACK 0x80 for this filter [MQTT-3.9.3]
        }
        callback(null, subscription);
      },
    });
    // mqemitter completes a message synchronously when nothing (or only a synchronous $SYS
    // handler) listens to its topic; with a backlog queued behind the concurrency limit those
    // completions recurse until the stack overflows and the controller dies (seen here under a
    // burst of 1,000 receivers' status messages). One listener on every topic that completes on
    // the next turn keeps every completion asynchronous.
    const mq = (aedes as unknown as { mq: Emitter }).mq;
    this.ackGate = new AckGate(() => mq.length, this.gate.marks);
    if (this.gate.untilController) this.followController(aedes, this.ackGate);
    mq.on('#', (_packet, done) => setImmediate(done));
    commandLane(mq);
    aedes.on('clientError', (client, err) =>
      this.log.debug({ client_id: client.id, err: err.message }, 'mqtt client error'),
    );
    aedes.on('connectionError', (client, err) =>
      this.log.debug({ client_id: client.id, err: err.message }, 'mqtt connection error'),
    );
    if (this.onClients) {
      const count = () => this.onClients!(aedes.connectedClients);
      aedes.on('client', count);
      aedes.on('clientDisconnect', count);
    }
    this.aedes = aedes;
    this.server = this.listen.tls
      ? createTlsServer({ cert: this.listen.tls.cert, key: this.listen.tls.key, minVersion: 'TLSv1.2' }, aedes.handle)
      : createServer(aedes.handle);
    // 'connection' is the raw TCP socket for TLS too, so sockets still in their handshake are counted.
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen({ port: this.listen.port, host: this.listen.host, backlog: LISTEN_BACKLOG }, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Closes the gate while no controller client is subscribed to acks, opens it when one is. */
  private followController(aedes: Aedes, gate: AckGate): void {
    const takingAcks = new Set<Client>();
    gate.close();
    aedes.on('subscribe', (subscriptions, client) => {
      if (this.current(client)?.kind !== 'controller') return;
      if (!subscriptions.some((s) => s.topic === ACKS_FILTER)) return;
      takingAcks.add(client);
      gate.open();
    });
    aedes.on('clientDisconnect', (client) => {
      if (takingAcks.delete(client) && takingAcks.size === 0) gate.close();
    });
  }

  /**
   * Drops a receiver's session opened with a credential that is no longer current (rotated,
   * revoked, moved hamlet). One opened with the current credential stays: a receiver that
   * reconnects with its new secret before this request comes through must not be cut off again.
   */
  disconnectClient(clientId: string): void {
    const client = (this.aedes as any)?.clients?.[clientId] as Client | undefined;
    if (!client) return;
    const current = this.auth.versionOf(clientId);
    if (current === undefined || openedWith.get(client) !== current) client.close();
  }

  /** The aedes instance, for tests. */
  get instance(): Aedes | undefined {
    return this.aedes;
  }

  /** Receivers' acks held unanswered by the ack gate right now (tests). */
  get heldAcks(): number {
    return this.ackGate?.heldCount ?? 0;
  }

  get connectedClients(): number {
    return this.aedes?.connectedClients ?? 0;
  }

  async stop(): Promise<void> {
    const server = this.server;
    const aedes = this.aedes;
    this.server = undefined;
    this.aedes = undefined;
    this.ackGate?.releaseAll();
    if (aedes) {
      // Close the clients first, or server.close() waits for them forever.
      for (const client of Object.values((aedes as any).clients ?? {}) as Client[]) client.close();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    }
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A socket still before its CONNECT (a receiver reconnecting right now) is no aedes client
      // yet; left open it would hold server.close() until its connect timeout.
      for (const socket of this.sockets) socket.destroy();
      await closed;
    }
  }

  private current(client: Client): BrokerPrincipal | undefined {
    const principal = principals.get(client);
    return principal ? this.auth.refresh(principal) : undefined;
  }
}

/** What aedes routes through: mqemitter, with the internals the command lane needs (mqemitter 7). */
interface Emitter {
  on(topic: string, fn: (packet: unknown, done: () => void) => void): void;
  emit(packet: { topic: string }, done?: (err?: Error) => void): void;
  _do(packet: { topic: string }, done?: (err?: Error) => void): void;
  current: number;
  concurrency: number;
  /** Whether a release will come to drain the queue (mqemitter's own flag). */
  _doing: boolean;
  /** Messages queued behind the concurrency limit. */
  readonly length: number;
}

const COMMAND_TOPICS = `${TOPIC_ROOT}/cmd/`;

/**
 * Commands overtake the queue. aedes routes at most `concurrency` (100) messages at a time and
 * queues the rest; a delivery to a client whose socket is full (the controller reading a flood of
 * acks) holds its slot until the socket drains, so during a whole commune's acks the queue is
 * thousands of acks long and an emergency published then waited behind all of them, however fast
 * the broker's thread was. Commands (only the controller may publish them) start routing at once;
 * everything else keeps the limit, which is what paces the acks to the controller.
 */
function commandLane(mq: Emitter): void {
  const emit = mq.emit.bind(mq);
  mq.emit = (packet, done) => {
    const full = mq.concurrency > 0 && mq.current >= mq.concurrency;
    if (full && packet.topic.startsWith(COMMAND_TOPICS)) mq._do(packet, done ?? (() => {}));
    else {
      // A command routed past the limit can leave the slots full with the emitter thinking it is
      // idle (its queue ran dry while the command was in flight). mqemitter then takes the next
      // message for a lost release ("MqEmitter leak detected") and frees a slot that is still
      // held, loosening the limit for good. The slots in flight will each release and drain the
      // queue, so say so.
      if (full) mq._doing = true;
      emit(packet, done);
    }
  };
}

function remoteAddress(client: Client): string | undefined {
  return (client.conn as any)?.remoteAddress;
}
