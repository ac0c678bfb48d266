/**
 * The receiver agent: runs on a loudspeaker receiver (cụm loa). It connects with its own
 * credentials, announces itself (retained status, last will), accepts only commands signed by
 * the controller, unexpired, meant for it and never seen before, downloads and verifies the
 * audio, plays it, and acknowledges every stage. Acks wait on disk until the controller
 * confirms storing them. It opens no inbound port.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, statfsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { pino, type Logger } from 'pino';
import type { AgentConfig } from '../../controller/protocol/agent-config.js';
import { endLink } from '../../controller/protocol/end-link.js';
import {
  PROTOCOL_VERSION, topics, CommandVerifier, parsePayload, signAck, signedCommandSchema,
  type Ack, type AckReason, type AckStage, type PlayCommand, type SignedCommand, type UnsignedCommand, type OpCommand,
} from '../../controller/protocol/index.js';
import { FileAgentStore, type AgentState, type AgentStore } from './agent-store.js';
import { checkCommand } from './command-checks.js';
import { DownloadError, MediaCache } from './media-cache.js';
import { createPlayer, StreamDropped, type Player } from './players.js';
import { PackageInstaller, type Installer } from './installer.js';

export const AGENT_VERSION = '0.1.0';

const PRIORITY_RANK = { emergency: 0, priority: 1, normal: 2 } as const;

export interface AgentOptions {
  config: AgentConfig;
  store?: AgentStore;
  player?: Player;
  now?: () => Date;
  logger?: Logger;
  /** Acks not confirmed after this long are sent again. */
  resend_after_ms?: number;
  /** Fault knob for simulation: wait this long before handling each command. */
  processing_delay_ms?: number;
  /** For simulated fleets: one HTTP connection pool shared by every agent of the process. */
  dispatcher?: import('undici').Agent;
  /** Installs agent updates (default: keeps packages under state_dir/updates). */
  installer?: Installer;
  /** Benchmark hook: called when a command message arrives, before any check. */
  onCommandArrived?: (topic: string, at_ms: number, payload: Buffer) => void;
}

interface Playing {
  command: PlayCommand;
  abort: AbortController;
  reason?: 'preempted' | 'stopped';
}

interface Queued {
  command: PlayCommand;
  file: string;
}

/** Long waits are re-armed at least this often, so a start never drifts with a long timer. */
const MAX_TIMER_MS = 60_000;
/** Clock samples kept for the offset estimate. */
const OFFSET_SAMPLES = 20;

export class ReceiverAgent extends EventEmitter {
  readonly id: string;
  private client?: MqttClient;
  private state!: AgentState;
  private readonly store: AgentStore;
  private readonly player: Player;
  private readonly cache: MediaCache;
  private readonly installer: Installer;
  private readonly verifier: CommandVerifier;
  private readonly now: () => Date;
  private readonly log: Logger;
  private readonly lastSent = new Map<number, number>();
  private resendTimer?: NodeJS.Timeout;
  private telemetryTimer?: NodeJS.Timeout;
  private playing?: Playing;
  private queue: Queued[] = [];
  /** Items waiting for their play_at, by command id, each with its timer. */
  private readonly held = new Map<string, { item: Queued; timer?: NodeJS.Timeout }>();
  /** Receipt time minus issue time of recent commands: the smallest is the best estimate of clock offset. */
  private readonly offsetSamples: number[] = [];
  /** Play commands issued before the last stop-all never start (they may still be downloading). */
  private stopAllIssuedAt = '';
  private readonly stoppedBroadcasts = new Set<string>();
  private readonly startedAt = Date.now();
  private readonly recent: string[] = [];
  /** Parsed once: signing thousands of acks must not parse the PEM each time. */
  private readonly ackKey?: KeyObject;
  private stopped = false;

  constructor(private readonly options: AgentOptions) {
    super();
    const c = options.config;
    this.id = c.receiver_id;
    this.store = options.store ?? new FileAgentStore(c.state_dir);
    this.player = options.player ?? createPlayer(c.player);
    this.cache = new MediaCache(join(c.state_dir, 'media'), { username: c.receiver_id, password: c.secret }, c.ca_cert, options.dispatcher);
    this.installer = options.installer ?? new PackageInstaller(join(c.state_dir, 'updates'), this.store);
    this.verifier = new CommandVerifier(c.controller_public_keys);
    this.ackKey = c.ack_signing_key ? createPrivateKey(c.ack_signing_key) : undefined;
    this.now = options.now ?? (() => new Date());
    this.log = options.logger ?? pino({ level: 'info', base: { receiver_id: c.receiver_id } });
  }

  /** Connects; resolves on the first connection, or at once when `waitForConnection` is false. */
  async start(waitForConnection = true): Promise<void> {
    this.state = this.store.loadState();
    this.state.session++;
    this.store.saveState(this.state);
    // The programme held before a restart plays on, from the cache.
    for (const item of this.state.held ?? []) {
      if (existsSync(item.file)) this.hold(item, false);
      else this.ack(item.command, 'failed', 'storage_error', 'cached audio missing after restart');
    }
    this.saveHeld();
    const c = this.options.config;
    const client = mqtt.connect(c.mqtt_url, {
      clientId: c.receiver_id,
      username: c.receiver_id,
      password: c.secret,
      protocolVersion: 4,
      clean: false, // the broker keeps QoS 1 commands while the link is down
      keepalive: 30,
      // Spread reconnections so that a restarted broker is not hit by the whole fleet at once.
      reconnectPeriod: 1000 + Math.floor(Math.random() * 2000),
      connectTimeout: 15_000,
      ...(c.ca_cert ? { ca: c.ca_cert } : {}),
      will: { topic: topics.status(c.receiver_id), payload: Buffer.from(this.statusPayload('offline')), qos: 1, retain: true },
    });
    this.client = client;
    client.on('connect', () => this.onConnect());
    client.on('reconnect', () => {
      // A new session number for every connection, in the will too: an old session's will
      // arriving late can then never overwrite this session's "online".
      this.state.session++;
      try {
        this.store.saveState(this.state);
      } catch (err) {
        // A failing disk must not take the agent down with it: the session number still rises in memory.
        this.log.error({ err: (err as Error).message }, 'could not save state');
      }
      client.options.will = { ...client.options.will!, payload: Buffer.from(this.statusPayload('offline')) };
    });
    client.on('message', (topic, payload) => {
      this.options.onCommandArrived?.(topic, performance.timeOrigin + performance.now(), payload);
      // Checked on the next turn of the event loop: the MQTT client's parser is never held up
      // by signature checks, and a handler error can never escape into it.
      setImmediate(() => void this.onMessage(payload).catch((err) => this.log.error({ err }, 'command handling failed')));
    });
    client.on('error', (err) => this.log.warn({ err: err.message }, 'mqtt error'));
    const interval = (this.options.resend_after_ms ?? 20_000) / 2;
    this.resendTimer = setInterval(() => this.sendPendingAcks(false), interval);
    this.telemetryTimer = setInterval(() => this.sendTelemetry(), c.telemetry_interval_s * 1000);
    if (waitForConnection) await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  }

  private onConnect(): void {
    const client = this.client!;
    this.log.debug({ session: this.state.session }, 'connected');
    client.subscribe([topics.receiverCommands(this.id), topics.hamletCommands(this.options.config.hamlet_id)], { qos: 1 }, (err, granted) => {
      if (err) this.log.error({ err: err.message }, 'subscribe failed');
      for (const g of granted ?? []) if (g.qos === 128) this.log.error({ topic: g.topic }, 'subscription refused by the broker');
      // "online" only once subscribed: the controller answers it by re-sending what we missed.
      client.publish(topics.status(this.id), this.statusPayload('online'), { qos: 1, retain: true });
    });
    this.sendPendingAcks(true);
    this.emit('connected');
  }

  private statusPayload(state: 'online' | 'offline'): string {
    return JSON.stringify({
      v: PROTOCOL_VERSION, receiver_id: this.id, state, session: this.state.session, at: this.now().toISOString(), agent_version: this.version(),
    });
  }

  private async onMessage(payload: Buffer): Promise<void> {
    if (this.options.processing_delay_ms) await new Promise((r) => setTimeout(r, this.options.processing_delay_ms));
    const parsed = parsePayload(signedCommandSchema, payload);
    if (!parsed.ok) {
      this.log.warn({ error: parsed.error }, 'malformed command refused');
      this.emit('refused', { reason: 'malformed' });
      return;
    }
    const command = parsed.value;
    const verdict = checkCommand(command, {
      receiverId: this.id,
      hamletId: this.options.config.hamlet_id,
      verifier: this.verifier,
      now: this.now(),
      maxClockSkewMs: this.options.config.max_clock_skew_s * 1000,
      seen: (id) => id in this.state.seen,
    });
    if (verdict === 'duplicate') return; // redelivered: we already handled it
    if (verdict !== 'ok') {
      this.log.warn({ command_id: command.command_id, reason: verdict }, 'command refused');
      this.emit('refused', { reason: verdict, command_id: command.command_id });
      // Receipts are never acknowledged (that would loop); refused play/stop commands are reported.
      if (command.type === 'op') this.reply(command.command_id, 'error', null, `refused: ${verdict}`);
      else if (command.type !== 'ack_receipt') this.ack(command, 'rejected', verdict);
      return;
    }
    if (command.type === 'ack_receipt') {
      this.store.removeAcks(command.seqs);
      for (const seq of command.seqs) this.lastSent.delete(seq);
      return;
    }
    this.remember(command);
    this.sampleClock(command.issued_at);
    this.note(`command ${command.type} ${command.command_id}`);
    if (command.type === 'op') return this.runOp(command);
    this.ack(command, 'received');
    if (command.type === 'stop') this.stop_(command.broadcast_id, command.issued_at);
    else await this.prepare(command);
  }

  /** Remote operations: each answers once on the reply topic, echoing the command id. */
  private async runOp(command: OpCommand): Promise<void> {
    try {
      const data = await this.operate(command);
      this.reply(command.command_id, 'ok', data, null);
    } catch (err) {
      this.reply(command.command_id, 'error', null, (err as Error).message);
    }
  }

  private async operate(command: OpCommand): Promise<Record<string, unknown>> {
    const args = command.args;
    switch (command.op) {
      case 'set_volume': {
        const pct = Number(args.volume_pct);
        if (!Number.isInteger(pct) || pct < 0 || pct > 100) throw new Error('volume_pct must be 0-100');
        this.state.master_volume_pct = pct;
        this.store.saveState(this.state);
        return { volume_pct: pct };
      }
      case 'test_tone': {
        const seconds = Math.min(30, Math.max(1, Number(args.seconds ?? 3)));
        const file = join(this.options.config.state_dir, 'test-tone.mp3');
        if (!existsSync(file)) await makeTestTone(file);
        const started = Date.now();
        await this.player.play({ file, volume_pct: this.masterVolume(50), duration_ms: seconds * 1000, broadcast_id: command.command_id }, AbortSignal.timeout(seconds * 1000 + 10_000));
        return { played_ms: Date.now() - started };
      }
      case 'sync_clock': {
        const controller = Date.parse(String(args.controller_time));
        const receiver = this.now().getTime();
        return { receiver_time: new Date(receiver).toISOString(), offset_ms: Number.isFinite(controller) ? receiver - controller : null };
      }
      case 'fetch_logs':
        return { lines: this.recent.slice(-Math.min(500, Number(args.lines ?? 100))) };
      case 'update': {
        // The package must be exactly what the controller signed: hash and size are in the signed command.
        const version = String(args.version ?? '');
        if (!/^[0-9A-Za-z.+-]{1,40}$/.test(version)) throw new Error('update needs a version');
        const cache = new MediaCache(join(this.options.config.state_dir, 'updates'), { username: this.id, password: this.options.config.secret }, this.options.config.ca_cert, this.options.dispatcher, 300_000, 'pkg');
        const file = await cache.fetch({ url: String(args.url), sha256: String(args.sha256), size_bytes: Number(args.size_bytes), duration_ms: 0, mime: 'audio/mpeg' });
        const previous = this.version();
        this.installer.install(file, version, this.state);
        this.note(`installed agent ${version} (was ${previous})`);
        this.restartSoon();
        return { installed: version, previous };
      }
      case 'rollback': {
        const from = this.version();
        const to = this.installer.rollback(this.state);
        this.note(`rolled back from ${from} to ${to}`);
        this.restartSoon();
        return { rolled_back_from: from, to };
      }
      case 'resend_acks': {
        // The controller saw a gap in our ack numbers: send again every ack not yet receipted.
        const pending = this.store.pendingAcks();
        this.sendPendingAcks(true);
        return { resent: pending.length, next_seq: this.state.next_seq };
      }
      case 'restart':
        // Answer first, then go: a real receiver's service manager starts the agent again.
        this.restartSoon();
        return { restarting: true };
    }
  }

  /** Asks the service manager for a restart once the reply is out; never for an agent already stopped. */
  private restartSoon(): void {
    setTimeout(() => {
      if (!this.stopped) this.emit('restart');
    }, 100);
  }

  /** The version this receiver runs: the last update installed, or the one built in. */
  version(): string {
    return this.state?.installed_version ?? AGENT_VERSION;
  }

  /** The receiver's own volume setting scales every play (set remotely by technicians). */
  private masterVolume(pct: number): number {
    return Math.round((pct * (this.state.master_volume_pct ?? 100)) / 100);
  }

  private reply(commandId: string, status: 'ok' | 'error', data: Record<string, unknown> | null, error: string | null): void {
    this.client?.publish(topics.reply(this.id), JSON.stringify({
      v: PROTOCOL_VERSION, receiver_id: this.id, command_id: commandId, status, data, error: error?.slice(0, 500) ?? null, at: this.now().toISOString(),
    }), { qos: 1 });
  }

  /** A short memory of what the agent did, for fetch_logs. */
  private note(line: string): void {
    this.recent.push(`${this.now().toISOString()} ${line}`);
    if (this.recent.length > 500) this.recent.splice(0, this.recent.length - 500);
  }

  private remember(command: SignedCommand): void {
    const nowIso = this.now().toISOString();
    for (const [id, expires] of Object.entries(this.state.seen)) if (expires <= nowIso) delete this.state.seen[id];
    this.state.seen[command.command_id] = command.expires_at;
    this.store.saveState(this.state);
  }

  private async prepare(command: PlayCommand): Promise<void> {
    if ((command.media === null) === (command.stream === null)) {
      this.ack(command, 'failed', 'player_error', 'a play command needs exactly one of media and stream');
      return;
    }
    if (command.stream) {
      // A live stream is not downloaded ahead: it is played as it comes.
      this.hold({ command, file: '' });
      return;
    }
    let file: string;
    try {
      file = await this.cache.fetch(command.media!);
    } catch (err) {
      const reason = err instanceof DownloadError ? err.reason : 'download_failed';
      this.ack(command, 'failed', reason, (err as Error).message);
      return;
    }
    // "downloaded" is also "ready": the console counts it as predicted coverage before air time.
    this.ack(command, 'downloaded');
    this.hold({ command, file });
  }

  /** Waits for the item's play_at (synchronised start), or queues it at once when it is due. */
  private hold(item: Queued, persist = true): void {
    if (this.wasStopped(item.command)) {
      this.ack(item.command, 'failed', 'stopped');
      return;
    }
    const id = item.command.command_id;
    const arm = () => {
      if (this.stopped) return;
      const wait = item.command.play_at ? Date.parse(item.command.play_at) - this.now().getTime() : 0;
      if (wait <= 0) {
        this.held.delete(id);
        this.enqueue(item); // starts playing now when nothing else plays
        setImmediate(() => this.safely(() => this.saveHeld(), 'save the held programme')); // after the sound, as the "started" ack
        return;
      }
      this.held.set(id, { item, timer: setTimeout(() => this.safely(arm, 'start a held item'), Math.min(wait, MAX_TIMER_MS)) });
    };
    const wait = item.command.play_at ? Date.parse(item.command.play_at) - this.now().getTime() : 0;
    if (wait <= 0) {
      this.enqueue(item);
      return;
    }
    this.held.set(id, { item });
    if (persist) this.saveHeld();
    arm();
  }

  /** Runs work from a timer: a failing disk is logged, never thrown into the event loop. */
  private safely(fn: () => void, what: string): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err: (err as Error).message }, `could not ${what}`);
    }
  }

  private saveHeld(): void {
    this.state.held = [...this.held.values()].map((h) => h.item);
    this.store.saveState(this.state);
  }

  /** Scheduled items this receiver holds, earliest first (for tests and telemetry). */
  heldItems(): PlayCommand[] {
    return [...this.held.values()].map((h) => h.item.command).sort((a, b) => (a.play_at ?? '').localeCompare(b.play_at ?? ''));
  }

  private sampleClock(issuedAt: string): void {
    this.offsetSamples.push(this.now().getTime() - Date.parse(issuedAt));
    if (this.offsetSamples.length > OFFSET_SAMPLES) this.offsetSamples.shift();
  }

  private enqueue(item: Queued): void {
    const { command } = item;
    if (this.wasStopped(command)) {
      this.ack(command, 'failed', 'stopped');
      return;
    }
    this.queue.push(item);
    this.queue.sort((a, b) => PRIORITY_RANK[a.command.priority] - PRIORITY_RANK[b.command.priority]);
    // Circular 39/2020: an emergency plays at once, pre-empting whatever plays.
    if (this.playing && command.priority === 'emergency' && this.playing.command.priority !== 'emergency') {
      this.playing.reason = 'preempted';
      this.playing.abort.abort();
    }
    void this.pump();
  }

  private wasStopped(command: PlayCommand): boolean {
    // A stop-all silences what was due before it; the programme held for later still plays.
    const due = command.play_at && command.play_at > command.issued_at ? command.play_at : command.issued_at;
    return this.stoppedBroadcasts.has(command.broadcast_id) || due < this.stopAllIssuedAt;
  }

  private stop_(broadcastId: string | null, issuedAt: string): void {
    if (broadcastId === null) this.stopAllIssuedAt = issuedAt > this.stopAllIssuedAt ? issuedAt : this.stopAllIssuedAt;
    else {
      // Stopped broadcasts only matter while their commands could still arrive: keep the last few hundred.
      if (this.stoppedBroadcasts.size >= 500) this.stoppedBroadcasts.delete(this.stoppedBroadcasts.values().next().value!);
      this.stoppedBroadcasts.add(broadcastId);
    }
    const matches = (c: PlayCommand) => broadcastId === null || c.broadcast_id === broadcastId;
    for (const [id, h] of this.held) {
      // A stop-all silences what plays now; the programme ahead stays (only its own stop removes it).
      if (broadcastId === null || !matches(h.item.command)) continue;
      clearTimeout(h.timer);
      this.held.delete(id);
      this.ack(h.item.command, 'failed', 'stopped');
    }
    this.saveHeld();
    for (const q of this.queue.filter((q) => matches(q.command))) this.ack(q.command, 'failed', 'stopped');
    this.queue = this.queue.filter((q) => !matches(q.command));
    if (this.playing && matches(this.playing.command)) {
      this.playing.reason = 'stopped';
      this.playing.abort.abort();
    }
  }

  private async pump(): Promise<void> {
    if (this.playing || this.stopped) return;
    const next = this.queue.shift();
    if (!next) return;
    const { command, file } = next;
    const playing: Playing = { command, abort: new AbortController() };
    this.playing = playing;
    let startedAck: Promise<void> = Promise.resolve();
    try {
      if (Date.parse(command.expires_at) <= this.now().getTime()) {
        this.ack(command, 'failed', 'expired_before_start');
        return;
      }
      // Sound first, bookkeeping after: signing and writing the "started" ack (an fsync on a
      // receiver's SD card) must not delay a synchronised start.
      this.emit('playing', command);
      const playback = this.playOut(command, file, playing.abort.signal);
      startedAck = new Promise((resolve) => setImmediate(() => {
        this.safely(() => this.ack(command, 'started'), 'record the started ack');
        resolve();
      }));
      await playback;
      await startedAck;
      this.ack(command, 'finished');
      this.emit('played', command);
    } catch (err) {
      await startedAck;
      if (playing.reason === 'preempted' && command.on_preempt === 'resume' && Date.parse(command.expires_at) > this.now().getTime()) {
        // Recorded as interrupted, then played again from the start once the emergency is over.
        this.ack(command, 'interrupted', 'preempted');
        this.queue.push(next);
        this.queue.sort((a, b) => PRIORITY_RANK[a.command.priority] - PRIORITY_RANK[b.command.priority]);
      } else if (playing.reason) this.ack(command, 'failed', playing.reason);
      else if (err instanceof StreamDropped) this.ack(command, 'failed', 'stream_dropped', err.message);
      else this.ack(command, 'failed', 'player_error', (err as Error).message);
    } finally {
      this.playing = undefined;
      void this.pump();
    }
  }

  /** Plays the stream, or the file as many times as asked; starts the player before its first await. */
  private async playOut(command: PlayCommand, file: string, signal: AbortSignal): Promise<void> {
    if (command.stream) {
      const c = this.options.config;
      return this.player.playStream({
        url: command.stream.url, authorization: `Basic ${Buffer.from(`${c.receiver_id}:${c.secret}`).toString('base64')}`,
        volume_pct: this.masterVolume(command.volume_pct), broadcast_id: command.broadcast_id, ca: c.ca_cert,
      }, signal);
    }
    for (let i = 0; i < command.repeat_count; i++) {
      if (i > 0) await abortableSleep(command.repeat_interval_s * 1000, signal);
      await this.player.play({ file, volume_pct: this.masterVolume(command.volume_pct), duration_ms: command.media!.duration_ms, broadcast_id: command.broadcast_id }, signal);
    }
  }

  /** Records an ack durably, then sends it if the link is up; it stays on disk until receipted. */
  private ack(command: UnsignedCommand, stage: AckStage, reason: AckReason | null = null, detail: string | null = null): void {
    const unsigned: Ack = {
      v: PROTOCOL_VERSION,
      receiver_id: this.id,
      seq: this.state.next_seq++,
      command_id: command.command_id,
      broadcast_id: 'broadcast_id' in command ? command.broadcast_id : null,
      stage,
      at: this.now().toISOString(),
      reason,
      detail: detail?.slice(0, 500) ?? null,
    };
    const ack = this.ackKey ? signAck(unsigned, this.ackKey) : unsigned;
    this.store.saveState(this.state);
    this.store.addAck(ack);
    this.note(`ack ${stage}${reason ? ` ${reason}` : ''} ${command.command_id}`);
    this.emit('ack', ack);
    this.publishAck(ack);
  }

  private publishAck(ack: Ack): void {
    if (!this.client?.connected) return;
    this.lastSent.set(ack.seq, Date.now());
    this.client.publish(topics.ack(this.id), JSON.stringify(ack), { qos: 1 });
  }

  /** Sends acks never sent on this link, or sent long enough ago without a receipt. */
  private sendPendingAcks(all: boolean): void {
    if (!this.client?.connected) return;
    const cutoff = Date.now() - (this.options.resend_after_ms ?? 20_000);
    for (const ack of this.store.pendingAcks()) {
      const sent = this.lastSent.get(ack.seq);
      if (all || sent === undefined || sent < cutoff) this.publishAck(ack);
    }
  }

  private sendTelemetry(): void {
    if (!this.client?.connected) return;
    this.client.publish(topics.telemetry(this.id), JSON.stringify({
      v: PROTOCOL_VERSION, receiver_id: this.id, at: this.now().toISOString(),
      uptime_s: Math.round((Date.now() - this.startedAt) / 1000),
      playing_broadcast_id: this.playing?.command.broadcast_id ?? null,
      pending_acks: this.store.pendingAcks().length,
      scheduled_items: this.held.size,
      ...(this.offsetSamples.length ? { clock_offset_ms: Math.min(...this.offsetSamples) } : {}),
      free_storage_bytes: freeBytes(this.options.config.state_dir),
    }), { qos: 0 });
  }

  pendingAckCount(): number {
    return this.store.pendingAcks().length;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Fault knob: cut the network link abruptly (the broker sends our last will), come back after `ms`. */
  dropLink(ms: number): void {
    const client = this.client;
    if (!client) return;
    client.options.reconnectPeriod = ms;
    (client as any).stream?.destroy();
    setTimeout(() => {
      client.options.reconnectPeriod = 1000;
    }, ms + 10);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const h of this.held.values()) clearTimeout(h.timer);
    clearInterval(this.resendTimer);
    clearInterval(this.telemetryTimer);
    this.playing?.abort.abort();
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (client.connected) {
      // The link may be dying unnoticed: say goodbye, but never wait long for the broker's answer.
      const goodbye = client.publishAsync(topics.status(this.id), this.statusPayload('offline'), { qos: 1, retain: true }).catch(() => {});
      await Promise.race([goodbye, new Promise((r) => setTimeout(r, 2000).unref())]);
    }
    await endLink(client);
  }
}

/** A 1 kHz test tone, made once with ffmpeg. */
function makeTestTone(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(ffmpegInstaller.path, ['-y', '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=1000:duration=3', '-ac', '1', file], (err) => (err ? reject(err) : resolve()));
  });
}

function freeBytes(dir: string): number | undefined {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    }, { once: true });
  });
}
