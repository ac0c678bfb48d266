/**
 * The kit's own broker: the controller's aedes broker, in the kit's thread (the same permission table, so a
 * device that would be refused by a commune's controller is refused here), knowing exactly two
 * accounts: the kit playing the controller, and the device under test with its enrolled secret.
 * The device reaches it through a small TCP relay, so that the kit can cut the device's link the
 * way a failing 4G modem does (no DISCONNECT: the broker sends the device's last will) and keep
 * it cut for a while.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { pino } from 'pino';
import { AedesBroker } from '../../controller/mqtt/aedes-broker.js';
import { CONTROLLER_USERNAME, type BrokerPrincipal } from '../../controller/mqtt/broker-acl.js';
import { pipeSlowly, type LinkSpeed } from './slow-pipe.js';

export interface KitBrokerOptions {
  receiverId: string;
  hamletId: string;
  secret: string;
  controllerPassword: string;
  /** Where the device connects: the relay's address (port 0: any free port). */
  host: string;
  port: number;
  /** Told about every refused connection, and why: the first thing to check on a vendor's device. */
  onRefused?: (refused: RefusedConnection) => void;
}

/**
 * Why the broker refused a connection: the device's identity (client id and username, both its
 * receiver id) was right but its password wrong or missing, or the identity itself was wrong.
 */
export type RefusalReason = 'wrong_password' | 'no_password' | 'wrong_identity';

export interface RefusedConnection {
  clientId: string;
  username: string | undefined;
  reason: RefusalReason;
}

/** The kit's own client ids start with this; the device must use its receiver id. */
export const KIT_CLIENT_PREFIX = '_kit';

export class KitBroker {
  private readonly broker: AedesBroker;
  private relay?: Server;
  private brokerPort = 0;
  /** Device-side and broker-side sockets of every relayed connection. */
  private readonly links = new Set<[Socket, Socket]>();
  /** performance.now() until which new device connections are dropped at once. */
  private cutUntil = 0;
  /** How fast the broker's bytes reach the device on new links (undefined: as fast as loopback). */
  private speed?: LinkSpeed;
  /** How many MQTT sessions the device has opened: 0 after a wait means it never got in (a setup mistake). */
  private deviceSessions = 0;
  private readonly deviceListeners = new Set<(connected: boolean) => void>();

  constructor(private readonly options: KitBrokerOptions) {
    const o = options;
    const matches = (given: Buffer | undefined, expected: string) => {
      const want = Buffer.from(expected);
      return given !== undefined && given.length === want.length && timingSafeEqual(given, want);
    };
    this.broker = new AedesBroker(
      {
        authenticate: (clientId, username, password): BrokerPrincipal | undefined => {
          if (
            username === CONTROLLER_USERNAME &&
            clientId.startsWith(KIT_CLIENT_PREFIX) &&
            matches(password, o.controllerPassword)
          )
            return { kind: 'controller' };
          const device = username === o.receiverId && clientId === o.receiverId;
          if (device && matches(password, o.secret))
            return { kind: 'receiver', receiverId: o.receiverId, hamletId: o.hamletId };
          // The kit's own clients never fail here; whatever else knocks is the device (or a stranger).
          const reason = !device ? 'wrong_identity' : password?.length ? 'wrong_password' : 'no_password';
          o.onRefused?.({ clientId, username, reason });
          return undefined;
        },
        refresh: (principal) => principal,
        // One fixed credential for the run: never a newer one to keep a session for.
        versionOf: () => undefined,
      },
      pino({ level: 'silent' }),
      { host: '127.0.0.1', port: 0 },
    );
  }

  /** Starts the broker and the relay in front of it; returns the relay's port (the device's). */
  async start(): Promise<number> {
    this.brokerPort = await this.broker.start();
    const aedes = this.broker.instance!;
    const tell = (connected: boolean) => (client: { id: string }) => {
      if (client.id !== this.options.receiverId) return;
      if (connected) this.deviceSessions++;
      for (const listener of this.deviceListeners) listener(connected);
    };
    aedes.on('client', tell(true));
    aedes.on('clientDisconnect', tell(false));
    const relay = createServer((device) => this.relayOne(device));
    this.relay = relay;
    await new Promise<void>((resolve, reject) => {
      relay.once('error', reject);
      relay.listen(this.options.port, this.options.host, () => resolve());
    });
    return (relay.address() as AddressInfo).port;
  }

  /** The broker itself, for the kit's own clients (never through the relay: a cut spares them). */
  get internalUrl(): string {
    return `mqtt://127.0.0.1:${this.brokerPort}`;
  }

  /** Whether the device's MQTT session is persistent (CONNECT clean session = 0). */
  deviceSession(): { connected: boolean; clean?: boolean; keepalive?: number } {
    const client = (
      this.broker.instance as unknown as
        { clients: Record<string, { clean: boolean; _keepaliveInterval: number } | undefined> } | undefined
    )?.clients[this.options.receiverId];
    if (!client) return { connected: false };
    // aedes keeps only its timer: 1.5 x the CONNECT's keepalive, in ms, plus one [MQTT-3.1.2-24].
    const interval = client._keepaliveInterval;
    return { connected: true, clean: client.clean, keepalive: interval > 0 ? Math.round((interval - 1) / 1500) : 0 };
  }

  /** How many MQTT sessions the device has opened since the broker started. */
  get deviceConnections(): number {
    return this.deviceSessions;
  }

  /**
   * Told each time the device's MQTT session opens (true) or closes (false), whether it sent a
   * DISCONNECT, its link dropped, the kit cut it, or a new connection took its client id over.
   * Returns the function that stops telling.
   */
  onDevice(listener: (connected: boolean) => void): () => void {
    this.deviceListeners.add(listener);
    return () => this.deviceListeners.delete(listener);
  }

  /** performance.now() at which the last cut's blackout ends (0: never cut): a drop before then was the kit's. */
  get cutEndsAt(): number {
    return this.cutUntil;
  }

  /**
   * Cuts every device link without a DISCONNECT and refuses new ones for `blackoutMs`; the device
   * comes back on a link as slow as `comeBackOn` says (the broker's bytes to it), or a fast one.
   */
  cut(blackoutMs: number, comeBackOn?: LinkSpeed): void {
    this.cutUntil = performance.now() + blackoutMs;
    this.speed = comeBackOn;
    for (const [device, upstream] of this.links) {
      device.destroy();
      upstream.destroy();
    }
    this.links.clear();
  }

  private relayOne(device: Socket): void {
    if (performance.now() < this.cutUntil) {
      device.destroy();
      return;
    }
    const upstream = connect(this.brokerPort, '127.0.0.1');
    const pair: [Socket, Socket] = [device, upstream];
    this.links.add(pair);
    const close = () => {
      this.links.delete(pair);
      device.destroy();
      upstream.destroy();
    };
    device.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    device.pipe(upstream);
    if (this.speed) pipeSlowly(upstream, device, this.speed);
    else upstream.pipe(device);
  }

  async stop(): Promise<void> {
    this.cut(0);
    const relay = this.relay;
    this.relay = undefined;
    if (relay) await new Promise<void>((resolve) => relay.close(() => resolve()));
    await this.broker.stop();
  }
}
