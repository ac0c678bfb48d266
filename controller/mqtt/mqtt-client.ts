/**
 * The controller's own MQTT connection, the same code for the embedded broker and an external
 * one. Message callbacks never throw: every payload is handed to a handler that parses safely.
 */
import { subscribedByUs } from '../shared/mqtt-subscriptions.js';
import { mqttDebugLog, mqttPassword } from '../shared/mqtt-debug-log.js';
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { systemClock, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { endLink } from '../protocol/end-link.js';
import type { ControllerStatus } from '../protocol/messages.js';
import { CONTROLLER_STATUS_TOPIC, PROTOCOL_VERSION } from '../protocol/topics.js';
import { TypedEvents } from '../shared/typed-events.js';

export interface MqttConnectionOptions {
  username: string;
  password: string;
  clientId: string;
  /** Certificates to trust for mqtts:// (the embedded broker's own, or a commune CA). */
  ca?: string;
  /**
   * Keep the session across a restart or a lost link (an external broker): the broker keeps the
   * subscriptions and queues the QoS 1 messages meanwhile, so an ack sent while the controller is
   * away is not answered and dropped, to come again only when its receiver resends it 20-30 s
   * later. The embedded broker stops with the controller and holds acks at its gate (ack-gate.ts).
   */
  keepSession?: boolean;
  /**
   * Tell the receivers when this controller is up and when it is gone (CONTROLLER_STATUS_TOPIC):
   * a retained "online" naming this process's boot once the subscriptions are taken, a last will
   * "offline". A receiver seeing a new boot sends again its acks without a receipt: those this
   * controller had taken in but not yet stored when it was killed come back at once, not when the
   * receiver's 20-30 s resend comes round. Only the controller itself announces, never a probe.
   */
  announce?: boolean;
}

export type MessageHandler = (topic: string, payload: Buffer) => void;

/**
 * The controller's link to its broker, as staff must see it: while it is down (an external
 * Mosquitto restarting, its host gone) no command reaches a receiver and no ack or availability
 * reaches the controller, so what the console shows of receivers is only the last known.
 */
export interface BrokerLink {
  connected: boolean;
  /** When it was lost (UTC), while it is down; null while it is up. */
  down_since: string | null;
}

export class ControllerMqtt {
  private client?: MqttClient;
  private downSince: string | null = null;
  readonly events = new TypedEvents<{ link: [link: BrokerLink] }>();
  /** This process's boot, named in its announcements: new at every start. */
  readonly boot = randomUUID();
  /**
   * Its session at the broker, named in its announcements: new when the broker kept nothing of
   * the last (a restarted Mosquitto without persistence): what receivers sent meanwhile is lost.
   */
  private session = randomUUID();

  constructor(
    private readonly options: MqttConnectionOptions,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  get link(): BrokerLink {
    return { connected: this.connected, down_since: this.downSince };
  }

  /**
   * `url` is known only once the embedded broker listens, hence here and not in the constructor.
   * `onSubscribed` runs each time the subscriptions are taken (the first and every reconnection),
   * before the broker sends the retained messages they match.
   */
  async start(
    url: string,
    subscriptions: readonly string[],
    onMessage: MessageHandler,
    onSubscribed: () => void = () => {},
  ): Promise<void> {
    const client = mqtt.connect(url, {
      clientId: this.options.clientId,
      username: this.options.username,
      password: mqttPassword(this.options.password), // never printed by a debug log (mqtt-debug-log.ts)
      protocolVersion: 4, // MQTT 3.1.1: what aedes speaks
      clean: !this.options.keepSession,
      ...subscribedByUs, // the connect handler subscribes on every reconnection (mqtt-subscriptions.ts)
      reconnectPeriod: 1000,
      // Refused once while running (Mosquitto reloading its password file), it keeps trying:
      // mqtt.js would otherwise stop reconnecting for good. A refusal at start still fails start.
      reconnectOnConnackError: true,
      // mqtt.js's default fills a table of 65,536 two-byte Buffers, 7 MB of heap for this one
      // process, to save allocating two bytes per packet (aedes-broker.ts says the same to aedes).
      writeCache: false,
      ...mqttDebugLog, // mqtt.js's own debug log only under DEBUG (mqtt-debug-log.ts)
      connectTimeout: 10_000,
      ...(this.options.ca ? { ca: this.options.ca } : {}),
      ...(this.options.announce
        ? { will: { topic: CONTROLLER_STATUS_TOPIC, payload: this.presence('offline'), qos: 1, retain: true } }
        : {}),
    });
    // Before the connection: a kept session's queued messages come right after the CONNACK.
    client.on('message', (topic, payload) => {
      try {
        onMessage(topic, payload);
      } catch (err) {
        this.log.error({ err, topic }, 'mqtt message handler failed');
      }
    });
    await new Promise<void>((resolve, reject) => {
      const connected = () => {
        client.off('error', failed);
        resolve();
      };
      const failed = (err: Error) => {
        client.off('connect', connected);
        client.end(true);
        reject(err);
      };
      client.once('connect', connected);
      client.once('error', failed);
    });
    client.on('error', (err) => this.log.warn({ err: err.message }, 'mqtt client error'));
    client.on('offline', () => this.log.warn('controller lost its broker connection; reconnecting'));
    client.on('close', () => {
      // Once per outage (every failed reconnection closes again), and not for a stop of our own.
      if (this.downSince !== null || this.client !== client) return;
      this.downSince = this.clock.now().toISOString();
      this.events.emit('link', this.link);
    });
    client.on('connect', (connack) => {
      if (!connack.sessionPresent) {
        this.session = randomUUID();
        // The will of the next connection names it (this one's CONNECT is already sent; receivers
        // note only the boot of an "offline", so a will naming the session before does no harm).
        if (client.options.will) client.options.will = { ...client.options.will, payload: this.presence('offline') };
      }
      if (this.downSince !== null) {
        this.log.info({ down_since: this.downSince }, 'controller has its broker connection back');
        this.downSince = null;
        this.events.emit('link', this.link);
      }
      // Registered once connected: every call is a reconnection. Subscribed again whatever the
      // broker says of the session: a session present can be one without them.
      onSubscribed();
      client.subscribe([...subscriptions], { qos: 1 }, (err, _asked, suback) => {
        // The same boot and session: receivers send nothing again; a new session: they do.
        if (!err) return this.announce(client, 'online');
        // Closed before the broker answered: the next connection subscribes again. Refused (its
        // rules changed under the controller): acks and statuses no longer reach it; say so loudly.
        if (!suback) this.log.warn({ err: err.message }, 'subscribe failed; the next connection tries again');
        else this.log.error({ err: err.message }, 'the broker refused the controller its subscriptions');
      });
    });
    onSubscribed();
    try {
      // mqtt.js rejects a SUBACK that refuses any of them.
      await client.subscribeAsync([...subscriptions], { qos: 1 });
    } catch (err) {
      // A start that fails leaves no client behind, reconnecting and subscribing on its own.
      await endLink(client);
      throw err;
    }
    this.client = client;
    // Once the acks are subscribed to: the receivers that see this new boot send theirs again.
    this.announce(client, 'online');
  }

  private presence(state: ControllerStatus['state']): Buffer {
    const status: ControllerStatus = {
      v: PROTOCOL_VERSION,
      state,
      boot: this.boot,
      session: this.session,
      at: this.clock.now().toISOString(),
    };
    return Buffer.from(JSON.stringify(status));
  }

  /** Publishes the retained availability; resolves when the broker has it, or has failed to take it. */
  private announce(client: MqttClient, state: ControllerStatus['state']): Promise<void> {
    if (!this.options.announce) return Promise.resolve();
    return client.publishAsync(CONTROLLER_STATUS_TOPIC, this.presence(state), { qos: 1, retain: true }).then(
      () => {},
      (err: Error) => this.log.warn({ err: err.message, state }, 'could not publish the controller availability'),
    );
  }

  /**
   * Resolves when the broker has the message (PUBACK). Commands are never retained. `now`: the
   * packet goes to the socket before this returns. mqtt-packet corks the socket for each packet
   * and uncorks it on the next tick, and Node runs the next tick only after every promise
   * continuation queued meanwhile: for an emergency confirmed over HTTP, the rest of its handler
   * (the targets' commit, the audit entry, the reply). Receipts, hundreds at a time, keep the
   * cork, which joins them into fewer writes.
   */
  async publish(topic: string, payload: string, now = false): Promise<void> {
    if (!this.client) throw new Error('mqtt not started');
    const acked = this.client.publishAsync(topic, payload, { qos: 1, retain: false });
    const socket = this.client.stream;
    if (now) for (let corks = socket?.writableCorked ?? 0; corks > 0; corks--) socket!.uncork();
    await acked;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (client.connected) {
      // The goodbye: receivers know the controller is gone. Never wait long for the broker's answer.
      await Promise.race([this.announce(client, 'offline'), new Promise((r) => setTimeout(r, 2000).unref())]);
    }
    await endLink(client);
  }
}
