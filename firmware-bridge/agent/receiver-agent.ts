/**
 * The receiver agent: runs on a loudspeaker receiver (cụm loa). It connects with its own
 * credentials, announces itself (retained status, last will), accepts only commands signed by
 * the controller, unexpired, meant for it and never seen before, downloads and verifies the
 * audio, plays it, and acknowledges every stage. Acks wait on disk until the controller
 * confirms storing them. It opens no inbound port.
 *
 * This class is the facade: it checks each command and hands it to the part that does the work
 * (agent-link, play-queue, ack-outbox, remote-ops, telemetry; agent-context is what they share).
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { systemClock, type Clock } from '../../controller/clock.js';
import type { AgentConfig } from '../../controller/protocol/agent-config.js';
import {
  CommandVerifier,
  parsePayload,
  signedCommandSchema,
  type PlayCommand,
  type SignedCommand,
} from '../../controller/protocol/index.js';
import { FileAgentStore, type AgentStore } from './agent-store.js';
import { inTurn } from './work-lane.js';
import { AgentContext } from './agent-context.js';
import { AgentLink } from './agent-link.js';
import { AckOutbox } from './ack-outbox.js';
import { checkCommand } from './command-checks.js';
import { PackageInstaller, type Installer } from './installer.js';
import { MediaCache } from './media-cache.js';
import { PlayQueue } from './play-queue.js';
import { createPlayer, type Player } from './players.js';
import { ReconnectBacklog } from './reconnect-backlog.js';
import { RemoteOps } from './remote-ops.js';
import { Telemetry } from './telemetry.js';

export { AGENT_VERSION } from './agent-context.js';

export interface AgentOptions {
  config: AgentConfig;
  store?: AgentStore;
  player?: Player;
  /** Every time the agent reads (expiry checks, play_at, ack and status times); default the system clock. */
  clock?: Clock;
  logger?: Logger;
  /** Acks not confirmed after this long are sent again. */
  resend_after_ms?: number;
  /** Fault knob for simulation: wait this long before handling each command. */
  processing_delay_ms?: number;
  /** For simulated fleets: one HTTP connection pool shared by every agent of the process. */
  httpPool?: import('../../controller/shared/http-client.js').HttpPool;
  /** For simulated fleets: the pool for emergencies' downloads, so they never queue behind the fleet's others. */
  emergencyHttpPool?: import('../../controller/shared/http-client.js').HttpPool;
  /** Installs agent updates (default: keeps packages under state_dir/updates). */
  installer?: Installer;
  /** Benchmark hook: called when a command message arrives, before any check. */
  onCommandArrived?: (topic: string, at_ms: number, payload: Buffer) => void;
  /** Where the board's /sys and /proc are read from (default /; tests give a made-up tree). */
  board_root?: string;
}

/**
 * Events: `connected` (each connection), `refused` ({ reason, command_id? }), `ack` (each ack
 * recorded), `playing` / `played` (a play command), `restart` (asked for by a remote operation).
 */
export class ReceiverAgent extends EventEmitter {
  readonly id: string;
  private readonly ctx: AgentContext;
  private readonly verifier: CommandVerifier;
  private readonly link: AgentLink;
  private readonly acks: AckOutbox;
  private readonly queue: PlayQueue;
  private readonly ops: RemoteOps;
  private readonly telemetry: Telemetry;
  private readonly backlog = new ReconnectBacklog();
  private stopped = false;

  constructor(private readonly options: AgentOptions) {
    super();
    const c = options.config;
    this.id = c.receiver_id;
    this.ctx = new AgentContext({
      config: c,
      store: options.store ?? new FileAgentStore(c.state_dir),
      clock: options.clock ?? systemClock,
      // ISO times, as the controller's log: a technician reads them beside the console's.
      log:
        options.logger ??
        pino({ level: 'info', base: { receiver_id: c.receiver_id }, timestamp: pino.stdTimeFunctions.isoTime }),
      events: this,
    });
    const ctx = this.ctx;
    const player = options.player ?? createPlayer(c.player);
    const cache = new MediaCache({
      dir: join(c.state_dir, 'media'),
      credentials: { username: c.receiver_id, password: c.secret },
      caCert: c.ca_cert,
      httpPool: options.httpPool,
      emergencyHttpPool: options.emergencyHttpPool,
    });
    const installer = options.installer ?? new PackageInstaller(join(c.state_dir, 'updates'), ctx.store);
    this.verifier = new CommandVerifier(c.controller_public_keys);
    this.link = new AgentLink({
      ctx,
      // The burst begins at the CONNACK: kept commands can come before mqtt.js says 'connect' (a
      // withdrawn emergency started so, its stop 50 ms behind, on a busy machine).
      onConnack: () => this.backlog.linkUp(),
      onConnect: () => {
        this.acks.linkUp();
        this.emit('connected');
      },
      onMessage: (payload) => this.onMessage(payload),
      onSubscribed: () => this.backlog.subscribed(),
      onLinkDown: () => this.backlog.linkDown(),
      onLinkOpening: () => this.backlog.linkOpening(),
      onControllerBack: () => this.acks.sendPending(true),
      onConnectTimedOut: () => this.emit('connect-timed-out'),
      onCommandArrived: options.onCommandArrived,
    });
    this.acks = new AckOutbox({ ctx, link: this.link, resendAfterMs: options.resend_after_ms });
    this.queue = new PlayQueue({ ctx, acks: this.acks, player, cache, backlog: this.backlog });
    this.ops = new RemoteOps({
      ctx,
      link: this.link,
      acks: this.acks,
      player,
      installer,
      httpPool: options.httpPool,
      emergencyOnAir: () => this.queue.emergencyOnAir,
    });
    this.telemetry = new Telemetry({
      ctx,
      link: this.link,
      snapshot: () => ({
        playing_broadcast_id: this.queue.playingBroadcastId,
        pending_acks: this.acks.pendingCount(),
        scheduled_items: this.queue.heldCount,
      }),
      boardRoot: options.board_root,
    });
  }

  /** Connects; resolves on the first connection, or at once when `waitForConnection` is false. */
  async start(waitForConnection = true): Promise<void> {
    const { ctx } = this;
    this.stopped = false;
    ctx.state = ctx.store.loadState();
    ctx.state.memory_since ??= ctx.clock.now().toISOString();
    ctx.state.session++;
    ctx.store.saveState(ctx.state);
    this.backlog.starting(); // what was on air at a power cut may have been stopped meanwhile
    this.queue.start();
    this.link.start();
    this.acks.start();
    this.telemetry.start();
    if (waitForConnection) await this.link.whenConnected();
  }

  private async onMessage(payload: Buffer): Promise<void> {
    const { ctx } = this;
    if (this.options.processing_delay_ms) await new Promise((r) => setTimeout(r, this.options.processing_delay_ms));
    const parsed = parsePayload(signedCommandSchema, payload);
    if (!parsed.ok) {
      ctx.log.warn({ error: parsed.error }, 'malformed command refused');
      this.emit('refused', { reason: 'malformed' });
      return;
    }
    const command = parsed.value;
    const inBurst = command.type === 'play' || command.type === 'stop';
    if (inBurst) this.backlog.read(); // a reconnection's burst is not in while it waits its turn
    // An emergency or a stop before what already waits, a receipt after it (work-lane.ts).
    const turn =
      command.type === 'stop' || (command.type === 'play' && command.priority === 'emergency')
        ? 'first'
        : command.type === 'ack_receipt'
          ? 'last'
          : 'then';
    inTurn(turn, () => void this.handle(command).catch((err) => ctx.log.error({ err }, 'command handling failed')));
  }

  /** Checks a parsed command and acts on it. */
  private async handle(command: SignedCommand): Promise<void> {
    const { ctx } = this;
    const inBurst = command.type === 'play' || command.type === 'stop'; // read() counted it in onMessage
    if (this.stopped) {
      if (inBurst) this.backlog.checked(null);
      return;
    }
    const verdict = checkCommand(command, {
      receiverId: this.id,
      hamletId: ctx.config.hamlet_id,
      verifier: this.verifier,
      now: ctx.clock.now(),
      maxClockSkewMs: ctx.config.max_clock_skew_s * 1000,
      seen: (id) => id in ctx.state.seen,
      memorySince: this.memorySince(),
    });
    // Every command the controller signed is a sample for the clock estimate (an upper bound: see
    // telemetry.ts), receipts and refused ones too: a clock far behind refuses every command as
    // "not yet valid", and those are how the controller comes to know it.
    const signed = verdict !== 'unknown_key' && verdict !== 'bad_signature';
    if (signed) this.telemetry.sampleClock(command.issued_at);
    // Part of a reconnection's burst (reconnect-backlog.ts) only when the controller signed it for
    // this receiver: forged plays or stops arriving one after another must not hold an emergency back.
    if (inBurst) this.backlog.checked(signed && verdict !== 'wrong_target' ? command.command_id : null);
    if (verdict === 'duplicate') return; // redelivered: we already handled it
    if (verdict !== 'ok') {
      ctx.log.warn({ command_id: command.command_id, reason: verdict }, 'command refused');
      this.emit('refused', { reason: verdict, command_id: command.command_id });
      // Receipts are never acknowledged (that would loop); refused play/stop commands are reported.
      if (command.type === 'op') this.ops.reply(command.command_id, 'error', null, `refused: ${verdict}`);
      else if (command.type !== 'ack_receipt') this.acks.record(command, 'rejected', verdict);
      return;
    }
    if (command.type === 'ack_receipt') {
      this.acks.receipted(command.seqs);
      this.acks.keepHead(command.head);
      if (command.refused?.length) this.acks.refused(command.refused);
      return;
    }
    if (command.type === 'play' && ctx.state.broadcasts?.[command.broadcast_id]) {
      // A fresh copy of a broadcast already taken (sent to a receiver thought to have lost it): once is enough.
      ctx.log.info(
        { command_id: command.command_id, broadcast_id: command.broadcast_id },
        'fresh copy of a broadcast already taken: ignored',
      );
      this.remember(command);
      return;
    }
    this.remember(command);
    ctx.note(`command ${command.type} ${command.command_id}`);
    if (command.type === 'op') return this.ops.run(command);
    this.acks.record(command, 'received');
    if (command.type === 'stop') this.queue.stopBroadcast(command.broadcast_id, command.issued_at, command.expires_at);
    else await this.queue.prepare(command);
  }

  /**
   * Where the replay memory begins: the enrolment, or the creation of this state. The state's time
   * is the receiver's clock: if it runs ahead, a command issued just after a wipe is refused too,
   * and the controller issues it afresh a little later. No replay window is left open for that.
   */
  private memorySince(): Date | null {
    const { config, state } = this.ctx;
    const instants = [
      config.enrolled_at ? Date.parse(config.enrolled_at) : NaN,
      state.memory_since ? Date.parse(state.memory_since) : NaN,
    ].filter((x) => !Number.isNaN(x));
    return instants.length ? new Date(Math.max(...instants)) : null;
  }

  /** The replay cache: a command id is kept until its command expires. */
  private remember(command: SignedCommand): void {
    const { ctx } = this;
    const nowIso = ctx.clock.now().toISOString();
    for (const [id, expires] of Object.entries(ctx.state.seen)) if (expires <= nowIso) delete ctx.state.seen[id];
    ctx.state.seen[command.command_id] = command.expires_at;
    const taken = (ctx.state.broadcasts ??= {});
    for (const [id, expires] of Object.entries(taken)) if (expires <= nowIso) delete taken[id];
    if (command.type === 'play') taken[command.broadcast_id] = command.expires_at;
    ctx.store.saveState(ctx.state);
  }

  /** The version this receiver runs: the last update installed, or the one built in. */
  version(): string {
    return this.ctx.version();
  }

  /** Scheduled items this receiver holds, earliest first (for tests and telemetry). */
  heldItems(): PlayCommand[] {
    return this.queue.heldItems();
  }

  /** Sends a health report now rather than at the next interval (after a repair, or in tests). */
  reportHealthNow(): void {
    this.telemetry.send();
  }

  pendingAckCount(): number {
    return this.acks.pendingCount();
  }

  get connected(): boolean {
    return this.link.connected;
  }

  /** Fault knob: cut the network link abruptly (the broker sends our last will), come back after `ms`. */
  dropLink(ms: number): void {
    this.link.dropLink(ms);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.stop();
    this.ops.stop();
    this.acks.stop();
    this.telemetry.stop();
    await this.link.stop();
  }
}
