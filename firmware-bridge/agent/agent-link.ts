/**
 * The agent's MQTT link: connects with the receiver's own credentials, keeps a persistent session
 * (the broker holds QoS 1 commands while the link is down), announces itself with a retained
 * status and a last will carrying a session counter, subscribes to its command topics and hands
 * each message on. It follows the controller's availability too: a controller that started again
 * may have died holding acks it had not stored. It opens no inbound port.
 */
import mqtt, { type IClientPublishOptions, type MqttClient } from 'mqtt';
import { endLink } from '../../controller/protocol/end-link.js';
import { subscribedByUs } from '../../controller/shared/mqtt-subscriptions.js';
import { mqttDebugLog, mqttPassword } from '../../controller/shared/mqtt-debug-log.js';
import {
  CONTROLLER_STATUS_TOPIC,
  controllerStatusSchema,
  parsePayload,
  PROTOCOL_VERSION,
  topics,
} from '../../controller/protocol/index.js';
import type { AgentContext } from './agent-context.js';
import { CONNACK_BACKSTOP_MS, watchConnack } from './connack-deadline.js';
import { LinkJournal } from './link-journal.js';

export interface AgentLinkOptions {
  ctx: AgentContext;
  /** Called on every connection, once the subscriptions have been asked for. */
  onConnect: () => void;
  /** Called when the broker has answered a connection's SUBSCRIBE (granted or refused). */
  onSubscribed?: () => void;
  /** Called when a connection closes (or an attempt fails). */
  onLinkDown?: () => void;
  /** Called when an attempt's TCP connection opens, before its CONNACK: the network answers. */
  onLinkOpening?: () => void;
  /**
   * Called at a connection's CONNACK (accepted), before any message the broker kept: mqtt.js says
   * 'connect' only once it has sent again what it kept, and delivers kept messages meanwhile.
   */
  onConnack?: () => void;
  /** Handles one command message (on a later turn of the event loop). */
  onMessage: (payload: Buffer) => Promise<void>;
  /**
   * The controller announced itself on this link as it had not been before: a new boot (what it
   * had taken in but not stored died with the old one), or a new session at the broker (a broker
   * restarted without its sessions: what this link sent before the controller subscribed again
   * went to no one). Every unreceipted ack should go again.
   */
  onControllerBack: () => void;
  /** Called when a connection attempt is let go for want of a CONNACK (benchmarks count them). */
  onConnectTimedOut?: () => void;
  /** Benchmark hook: called when a command message arrives, before any check. */
  onCommandArrived?: (topic: string, at_ms: number, payload: Buffer) => void;
}

/**
 * How long a receiver waits before connecting again: 1-3 s, drawn once per agent, so that a
 * restarted broker is not hit by the whole fleet at once (the bench's floor reconnects alike).
 */
export function spreadReconnectMs(): number {
  return 1000 + Math.floor(Math.random() * 2000);
}

/** What an agent subscribes to on every connection: its own commands, its hamlet's, the controller's availability. */
export function agentSubscriptions(c: { receiver_id: string; hamlet_id: string }): string[] {
  return [topics.receiverCommands(c.receiver_id), topics.hamletCommands(c.hamlet_id), CONTROLLER_STATUS_TOPIC];
}

export class AgentLink {
  private client?: MqttClient;
  /** How long this agent waits before connecting again, drawn once (spreadReconnectMs). */
  private readonly reconnectSpreadMs = spreadReconnectMs();
  /** The fault knob's timer that puts reconnectSpreadMs back. */
  private spreadBack?: NodeJS.Timeout;
  /** The controller's boot and broker session last heard of on the current link; undefined until one is heard. */
  private controllerHeard?: { boot: string; session?: string };
  private readonly journal: LinkJournal;

  constructor(private readonly options: AgentLinkOptions) {
    this.journal = new LinkJournal(options.ctx.log);
  }

  /** Starts connecting (the state must be loaded: the will carries its session number). */
  start(): void {
    const { ctx } = this.options;
    const c = ctx.config;
    const client = mqtt.connect(c.mqtt_url, {
      clientId: c.receiver_id,
      username: c.receiver_id,
      password: mqttPassword(c.secret), // never printed by a debug log (mqtt-debug-log.ts)
      protocolVersion: 4,
      clean: false, // the broker keeps QoS 1 commands while the link is down
      ...subscribedByUs, // onConnect subscribes on every connection (mqtt-subscriptions.ts)
      keepalive: 30,
      reconnectPeriod: this.reconnectSpreadMs,
      // mqtt.js gives up for good after a refused CONNACK unless told otherwise. A receiver can be
      // refused for a moment (enrolled before Mosquitto reloaded its password file, the controller
      // restarting): it must keep trying, as it does when the network is down.
      reconnectOnConnackError: true,
      // Not mqtt.js's default table of 65,536 two-byte Buffers: 7 MB of a receiver's small memory
      // to save allocating two bytes per packet.
      writeCache: false,
      ...mqttDebugLog, // mqtt.js's own debug log only under DEBUG (mqtt-debug-log.ts)
      // Only a backstop: watchConnack lets a connection without a CONNACK go, and sooner.
      connectTimeout: CONNACK_BACKSTOP_MS,
      ...(c.ca_cert ? { ca: c.ca_cert } : {}),
      will: {
        topic: topics.status(c.receiver_id),
        payload: Buffer.from(this.statusPayload('offline')),
        qos: 1,
        retain: true,
      },
    });
    this.client = client;
    client.on('connect', () => this.onConnect(client));
    client.on('reconnect', () => {
      // A new session number for every connection, in the will too: an old session's will
      // arriving late can then never overwrite this session's "online".
      ctx.state.session++;
      try {
        ctx.store.saveState(ctx.state);
      } catch (err) {
        // A failing disk must not take the agent down with it: the session number still rises in memory.
        ctx.log.error({ err: (err as Error).message }, 'could not save state');
      }
      client.options.will = { ...client.options.will!, payload: Buffer.from(this.statusPayload('offline')) };
    });
    // Forgotten at this link's CONNACK, before anything the broker queued for us while we were away.
    client.on('packetreceive', (packet) => {
      if (packet.cmd !== 'connack' || this.client !== client) return;
      this.controllerHeard = undefined;
      if (!packet.returnCode) this.options.onConnack?.();
    });
    client.on('message', (topic, payload, packet) => {
      if (topic === CONTROLLER_STATUS_TOPIC) return this.onControllerStatus(payload, packet.retain);
      this.options.onCommandArrived?.(topic, performance.timeOrigin + performance.now(), payload);
      // Parsed and put in its turn as it arrives (work-lane.ts): the checks run later, in the
      // lane, so the MQTT client's parser is never held up by them, and a command that arrives
      // behind a backlog overtakes whatever of it still waits. A promise: no handler error can
      // escape into the parser.
      void this.options.onMessage(payload).catch((err) => ctx.log.error({ err }, 'command handling failed'));
    });
    client.on('close', () => this.options.onLinkDown?.());
    // The network answers, whether or not MQTT gets through on it in time (reconnect-backlog.ts).
    const watchOpening = () => client.stream?.once('connect', () => this.options.onLinkOpening?.());
    watchOpening();
    client.on('reconnect', () => queueMicrotask(watchOpening)); // mqtt.js opens the stream just after
    client.on('error', (err) => this.journal.failed(err.message));
    watchConnack(client, () => {
      ctx.log.warn('no CONNACK in time: letting the connection go and trying again');
      this.options.onConnectTimedOut?.();
    });
  }

  /** Resolves on the next connection (after the connect handler has run). */
  whenConnected(): Promise<void> {
    const client = this.client;
    if (!client) return Promise.reject(new Error('the link is not started'));
    return new Promise<void>((resolve) => client.once('connect', () => resolve()));
  }

  private onConnect(client: MqttClient): void {
    // A connection that completes while the agent stops (its goodbye still under way): the link is
    // no longer this agent's to use. Read from `this.client`, it crashed the whole simulated fleet
    // at 10,000 receivers (2026-12-04 18:10 UTC), and would a real receiver's agent on its way down.
    if (this.client !== client) return;
    const { ctx } = this.options;
    this.journal.connected(ctx.state.session);
    const wanted = agentSubscriptions(ctx.config);
    client.subscribe(wanted, { qos: 1 }, (err, _asked, suback) => {
      // The link closed before the broker answered (no SUBACK): not subscribed, so not "online"
      // either, which would make the controller send what we missed to a receiver that cannot
      // hear it. The next connection subscribes again.
      if (suback) this.options.onSubscribed?.();
      const codes: (number | object)[] = suback?.granted ?? [];
      if (err && !suback)
        return ctx.log.warn({ err: err.message }, 'subscribe failed; the next connection tries again');
      // Refused by the broker (mqtt.js calls that an error too): said, and the rest holds.
      codes.forEach((code, i) => {
        if (typeof code !== 'number' || (code & 0x80) === 0) return;
        // An older controller's broker does not offer its availability: acks then go again only on the resend timer.
        if (wanted[i] === CONTROLLER_STATUS_TOPIC)
          ctx.log.warn({ topic: wanted[i] }, 'subscription refused by the broker');
        else ctx.log.error({ topic: wanted[i] }, 'subscription refused by the broker');
      });
      // "online" only once subscribed: the controller answers it by re-sending what we missed.
      client.publish(topics.status(ctx.id), this.statusPayload('online'), { qos: 1, retain: true });
    });
    this.options.onConnect();
  }

  /**
   * The controller's availability. A retained one came before this link's subscription: that
   * controller had subscribed before anything this link sent, so it only notes what was heard. A
   * live "online" (not retained) was published after this link came up: when it names a boot or a
   * broker session not heard on this link, the controller started again or lost its session
   * meanwhile, and what this link sent may have reached no one: every unreceipted ack goes again.
   * The same boot and session announced again (the controller's own link came back, its session
   * kept at the broker, which queued what we sent) sends nothing twice. Of an "offline" only the
   * boot is noted: a last will is built a connection before, so its session may be an old one.
   */
  private onControllerStatus(payload: Buffer, retained: boolean): void {
    if (payload.length === 0) return; // a cleared retained status
    const parsed = parsePayload(controllerStatusSchema, payload);
    if (!parsed.ok) return this.options.ctx.log.warn({ error: parsed.error }, 'controller status not understood');
    const { state, boot, session } = parsed.value;
    const before = this.controllerHeard;
    const sameBoot = before?.boot === boot;
    if (state === 'offline') {
      if (!sameBoot) this.controllerHeard = { boot };
      return;
    }
    this.controllerHeard = { boot, session };
    // A session not known yet (only an "offline" heard, or an older controller's) is not a new one.
    const isNew = !sameBoot || (before.session !== undefined && before.session !== session);
    if (retained || !isNew) return;
    this.options.ctx.log.info({ boot, session }, 'the controller is back as new: sending unreceipted acks again');
    this.options.onControllerBack();
  }

  private statusPayload(state: 'online' | 'offline'): string {
    const { ctx } = this.options;
    return JSON.stringify({
      v: PROTOCOL_VERSION,
      receiver_id: ctx.id,
      state,
      session: ctx.state.session,
      at: ctx.clock.now().toISOString(),
      agent_version: ctx.version(),
      ...(ctx.state.memory_since ? { memory_since: ctx.state.memory_since } : {}),
    });
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Publishes on the link; dropped when the agent is not started or already stopped. */
  /** `done` is called with the broker's acknowledgement (PUBACK for QoS 1), or the publish's failure. */
  publish(topic: string, payload: string, options: IClientPublishOptions, done?: (err?: Error) => void): void {
    const client = this.client;
    if (!client) return done?.(new Error('the link is not started'));
    client.publish(topic, payload, options, (err) => done?.(err ?? undefined));
  }

  /** Fault knob: cut the network link abruptly (the broker sends our last will), come back after `ms`. */
  dropLink(ms: number): void {
    const client = this.client;
    if (!client) return;
    client.options.reconnectPeriod = ms;
    (client as any).stream?.destroy();
    clearTimeout(this.spreadBack);
    this.spreadBack = setTimeout(() => {
      client.options.reconnectPeriod = this.reconnectSpreadMs; // the agent's own, drawn at start
    }, ms + 10);
  }

  /** Says goodbye (retained "offline") when it can, then closes the link without hanging. */
  async stop(): Promise<void> {
    clearTimeout(this.spreadBack);
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (client.connected) {
      // The link may be dying unnoticed: say goodbye, but never wait long for the broker's answer.
      const goodbye = client
        .publishAsync(topics.status(this.options.ctx.id), this.statusPayload('offline'), { qos: 1, retain: true })
        .catch(() => {});
      await Promise.race([goodbye, new Promise((r) => setTimeout(r, 2000).unref())]);
    }
    await endLink(client);
  }
}
