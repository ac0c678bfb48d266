/**
 * What the receiver plays, and when: verified audio (or a live stream) is held until its play_at
 * (synchronised start, kept on disk so the programme plays on after a restart), then queued by
 * priority and played one at a time. An emergency pre-empts whatever plays; a pre-empted item
 * that asks to resume plays again once it is over. Stop commands silence what matches them.
 */
import { existsSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PlayCommand } from '../../controller/protocol/index.js';
import type { AgentContext } from './agent-context.js';
import type { AckOutbox } from './ack-outbox.js';
import { DownloadError, type MediaCache } from './media-cache.js';
import { afterRestart, type RestartVerdict } from './on-air-recovery.js';
import { byTurn, emergencyCuts } from './queue-order.js';
import { DueHold } from './due-hold.js';
import type { ReconnectBacklog } from './reconnect-backlog.js';
import { dueBefore, StopMemory } from './stop-memory.js';
import { playRepeated, reportOf, StreamDropped, type Player, type PlayReport } from './players.js';

/** Pauses between download attempts: doubling from the base up to the cap (emergencies: a short cap). */
const RETRY_BASE_MS = 500;
const RETRY_CAP_MS = 30_000;
const EMERGENCY_RETRY_CAP_MS = 4_000;

/** How long an item waits for an earlier one of its priority to be ready, to keep arrival order. */
const ORDER_WAIT_MS = 10_000;
const EMERGENCY_ORDER_WAIT_MS = 2_000;
/** Long waits are re-armed at least this often, so a start never drifts with a long timer. */
const MAX_TIMER_MS = 60_000;

interface Playing {
  command: PlayCommand;
  item: Queued;
  abort: AbortController;
  reason?: 'preempted' | 'stopped';
}

interface Queued {
  command: PlayCommand;
  file: string;
  restart?: Pick<RestartVerdict, 'late' | 'stopDetail' | 'replay'>; // taken up again at the start (on-air-recovery.ts)
}

export interface PlayQueueOptions {
  ctx: AgentContext;
  acks: AckOutbox;
  player: Player;
  /** Where verified audio is downloaded to (named by hash). */
  cache: MediaCache;
  /** After the start and each reconnection, nothing starts until what the broker kept has all arrived (its stops too). */
  backlog?: ReconnectBacklog;
}

export class PlayQueue {
  private playing?: Playing;
  private queue: Queued[] = [];
  /** Items waiting for their play_at, by command id, each with its timer. */
  private readonly held = new Map<string, { item: Queued; timer?: NodeJS.Timeout }>();
  /** The last item of each priority still being made ready: the next one waits for it (arrival order). */
  private readonly arrivals = new Map<PlayCommand['priority'], Promise<void>>();
  /** Taken ("received") and not yet held, queued or failed: made ready again after a restart. */
  private readonly preparing = new Map<string, PlayCommand>();
  /** Stops taken, kept with the state: what is taken up again after a restart must not play either. */
  private readonly stops: StopMemory;
  private stopped = false;
  /** Cuts short the pauses between download attempts when the agent stops. */
  private readonly halted = new AbortController();
  /** What is due waits while a reconnection's burst is still coming (see ReconnectBacklog). */
  private readonly dueHold: DueHold;

  constructor(private readonly options: PlayQueueOptions) {
    this.stops = new StopMemory(options.ctx);
    this.dueHold = new DueHold(options.backlog, options.ctx.log, () => void this.pump());
    // Every download waiting to retry listens to it: many at once on one receiver is normal, not a leak.
    setMaxListeners(0, this.halted.signal);
  }

  /**
   * After a restart: what was on air or waiting its turn at a crash or power cut is settled first
   * (never left "started"), then the programme held for later plays on (the state must be loaded).
   */
  start(): void {
    const { ctx, acks } = this.options;
    for (const item of ctx.state.on_air ?? []) {
      // Stopped, and cut off before it could say so (the stop's save and the power cut crossed).
      if (this.stops.stopped(item.command)) {
        acks.record(item.command, 'failed', 'stopped');
        continue;
      }
      const verdict = afterRestart(item, ctx.clock.now());
      if (verdict.ack) acks.record(item.command, verdict.ack.stage, verdict.ack.reason, verdict.ack.detail);
      if (verdict.playAgain || verdict.late) this.enqueue({ ...item, restart: verdict });
    }
    for (const item of ctx.state.held ?? []) {
      if (existsSync(item.file)) this.hold(item, false);
      else acks.record(item.command, 'failed', 'storage_error', 'cached audio missing after restart');
    }
    // A crash mid-download once lost the item for good: "received" said, never played nor failed.
    for (const command of ctx.state.preparing ?? []) void this.prepare(command);
    this.saveProgramme();
  }

  /** Nothing more starts; what plays is cut short. */
  stop(): void {
    this.stopped = true;
    this.halted.abort();
    this.dueHold.stop();
    for (const h of this.held.values()) clearTimeout(h.timer);
    this.playing?.abort.abort();
  }

  /** Scheduled items this receiver holds, earliest first (for tests and telemetry). */
  heldItems(): PlayCommand[] {
    return [...this.held.values()]
      .map((h) => h.item.command)
      .sort((a, b) => (a.play_at ?? '').localeCompare(b.play_at ?? ''));
  }

  get heldCount(): number {
    return this.held.size;
  }

  /** An emergency playing, or waiting its turn: a restart (update, rollback, restart op) waits for it. */
  get emergencyOnAir(): boolean {
    return this.playing?.command.priority === 'emergency' || this.queue.some((q) => q.command.priority === 'emergency');
  }

  get playingBroadcastId(): string | null {
    return this.playing?.command.broadcast_id ?? null;
  }

  /** Downloads and verifies the audio (a stream is not downloaded ahead), then holds it for its start. */
  async prepare(command: PlayCommand): Promise<void> {
    const { acks } = this.options;
    if (this.stops.stopped(command)) return acks.record(command, 'failed', 'stopped'); // taken up again after a restart
    if ((command.media === null) === (command.stream === null)) {
      acks.record(command, 'failed', 'player_error', 'a play command needs exactly one of media and stream');
      return;
    }
    if (command.stream) {
      // A live stream is not downloaded ahead: it is played as it comes.
      this.hold({ command, file: '' });
      return;
    }
    // Items of one priority play in the order they arrived, even when a later one's download ends
    // first; but never held up long by an earlier download that is stuck (an emergency least).
    const earlier = this.arrivals.get(command.priority) ?? Promise.resolve();
    let arrived!: () => void;
    const mine = new Promise<void>((resolve) => (arrived = resolve));
    this.arrivals.set(command.priority, mine);
    this.preparing.set(command.command_id, command);
    this.saveProgramme();
    try {
      const file = await this.download(command);
      if (file === undefined) return;
      // "downloaded" is also "ready": the console counts it as predicted coverage before air time.
      acks.record(command, 'downloaded');
      const waitMs = command.priority === 'emergency' ? EMERGENCY_ORDER_WAIT_MS : ORDER_WAIT_MS;
      await Promise.race([earlier, sleep(waitMs, undefined, { signal: this.halted.signal }).catch(() => {})]);
      this.hold({ command, file });
    } finally {
      arrived();
      // Stopping (a shutdown) keeps it on disk: the next start makes it ready again.
      if (!this.stopped && this.preparing.delete(command.command_id)) this.saveProgramme();
      if (this.arrivals.get(command.priority) === mine) this.arrivals.delete(command.priority);
      if (command.priority === 'emergency') void this.pump(); // what waited for it may start
    }
  }

  /**
   * The volume to play at: the command's, scaled by the receiver's own (set_volume, a technician's
   * calibration), except for an emergency: a speaker turned down, or to 0, must still warn the
   * hamlet at the volume the emergency was sent with (Circular 39/2020: emergencies pre-empt all).
   */
  private volumeOf(command: PlayCommand): number {
    return command.priority === 'emergency' ? command.volume_pct : this.options.ctx.masterVolume(command.volume_pct);
  }

  /**
   * The verified file, or undefined once a final `failed` ack is recorded. A transient failure (the
   * controller restarting, a link dropping mid-download) is tried again with growing pauses for as
   * long as the command's window allows: only then is it `download_failed`. Emergencies try sooner.
   */
  private async download(command: PlayCommand): Promise<string | undefined> {
    const { ctx, acks, cache } = this.options;
    const capMs = command.priority === 'emergency' ? EMERGENCY_RETRY_CAP_MS : RETRY_CAP_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        return await cache.fetch(command.media!, command.priority === 'emergency');
      } catch (err) {
        const e = err instanceof DownloadError ? err : new DownloadError('download_failed', (err as Error).message);
        // Full jitter keeps a fleet that lost the controller together from returning together.
        const pauseMs = Math.min(capMs, RETRY_BASE_MS * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
        const windowLeft = Date.parse(command.expires_at) - ctx.clock.now().getTime() > pauseMs;
        if (this.stopped) return undefined;
        if (this.stops.stopped(command)) {
          acks.record(command, 'failed', 'stopped');
          return undefined;
        }
        if (!e.transient || !windowLeft) {
          acks.record(command, 'failed', e.reason, attempt > 1 ? `${e.message} (${attempt} attempts)` : e.message);
          return undefined;
        }
        ctx.log.warn(
          {
            command_id: command.command_id,
            attempt,
            reason: e.reason,
            error: e.message,
            retry_in_ms: Math.round(pauseMs),
          },
          'download failed: trying again',
        );
        ctx.note(`download attempt ${attempt} of ${command.command_id} failed: ${e.message}`);
        const stillRunning = await sleep(pauseMs, true, { signal: this.halted.signal }).catch(() => false);
        if (!stillRunning) return undefined;
      }
    }
  }

  /** Waits for the item's play_at (synchronised start), or queues it at once when it is due. */
  private hold(item: Queued, persist = true): void {
    const { ctx, acks } = this.options;
    if (this.stops.stopped(item.command)) {
      acks.record(item.command, 'failed', 'stopped');
      return;
    }
    const id = item.command.command_id;
    const arm = () => {
      if (this.stopped) return;
      const wait = item.command.play_at ? Date.parse(item.command.play_at) - ctx.clock.now().getTime() : 0;
      if (wait <= 0) {
        this.held.delete(id);
        this.enqueue(item); // starts playing now when nothing else plays
        setImmediate(() => ctx.safely(() => this.saveProgramme(), 'save the programme')); // after the sound, as the "started" ack
        return;
      }
      this.held.set(id, {
        item,
        timer: setTimeout(() => ctx.safely(arm, 'start a held item'), Math.min(wait, MAX_TIMER_MS)),
      });
    };
    const wait = item.command.play_at ? Date.parse(item.command.play_at) - ctx.clock.now().getTime() : 0;
    if (wait <= 0) {
      this.enqueue(item);
      return;
    }
    this.held.set(id, { item });
    if (persist) this.saveProgramme();
    arm();
  }

  /** Keeps on disk what is held for later and what is on air or queued now (for start() after a crash). */
  private saveProgramme(): void {
    const { ctx } = this.options;
    ctx.state.held = [...this.held.values()].map((h) => h.item);
    ctx.state.preparing = [...this.preparing.values()];
    ctx.state.on_air = [
      ...(this.playing ? [{ ...this.playing.item, started: true }] : []),
      ...this.queue.map((q) => ({ ...q, started: false })),
    ];
    ctx.store.saveState(ctx.state);
  }

  private enqueue(item: Queued): void {
    const { command } = item;
    if (this.stops.stopped(command)) {
      this.options.acks.record(command, 'failed', 'stopped');
      return;
    }
    this.queue.push(item);
    this.queue.sort((a, b) => byTurn(a, b, this.options.ctx.clock.now()));
    void this.pump();
  }

  /** A stop command: one broadcast (held, queued or playing), or everything due now (`null`). */
  stopBroadcast(broadcastId: string | null, issuedAt: string, expiresAt: string): void {
    const { acks } = this.options;
    this.stops.add(broadcastId, issuedAt, expiresAt);
    // A stop-all silences what was due before it was issued, as the stop memory and the controller
    // say it: not a fresh emergency that overtook it on the receiver's own topic.
    const matches = (c: PlayCommand) =>
      broadcastId === null ? dueBefore(c, issuedAt) : c.broadcast_id === broadcastId;
    for (const [id, h] of this.held) {
      // A stop-all silences what plays now; the programme ahead stays (only its own stop removes it).
      if (broadcastId === null || !matches(h.item.command)) continue;
      clearTimeout(h.timer);
      this.held.delete(id);
      acks.record(h.item.command, 'failed', 'stopped');
    }
    for (const q of this.queue.filter((q) => matches(q.command)))
      acks.record(q.command, 'failed', 'stopped', q.restart?.stopDetail);
    this.queue = this.queue.filter((q) => !matches(q.command));
    // Saved once nothing stopped is left queued: the next start must not take it up again.
    this.saveProgramme();
    if (this.playing && matches(this.playing.command)) {
      this.playing.reason = 'stopped';
      this.playing.abort.abort();
    }
  }

  private async pump(): Promise<void> {
    if (this.stopped) return;
    // A reconnection's burst may still hold a stop for what is queued: wait for the burst to end.
    if (this.dueHold.holds(this.queue)) return;
    // Circular 39/2020: an emergency pre-empts what plays, bar a fresh emergency (queue-order.ts); pump goes on after.
    const first = this.queue[0]?.command;
    if (this.playing && first && emergencyCuts(this.playing.item, first, this.options.ctx.clock.now())) {
      this.playing.reason = 'preempted';
      return this.playing.abort.abort();
    }
    if (this.playing) return;
    // An emergency whose audio is still downloading comes first: nothing below it starts meanwhile.
    if (this.arrivals.has('emergency') && this.queue[0]?.command.priority !== 'emergency') return;
    const next = this.queue.shift();
    if (!next) return;
    const { ctx, acks } = this.options;
    const { command, file } = next;
    const playing: Playing = { command, item: next, abort: new AbortController() };
    this.playing = playing;
    let startedAck: Promise<void> = Promise.resolve();
    try {
      const late = next.restart?.late; // taken up again at the start, past its window
      if (Date.parse(command.expires_at) <= ctx.clock.now().getTime())
        return acks.record(command, 'failed', late?.reason ?? 'expired_before_start', late?.detail);
      // Sound first, bookkeeping after: signing and writing the "started" ack (an fsync on a
      // receiver's SD card) must not delay a synchronised start.
      ctx.events.emit('playing', command);
      const playback = this.playOut(command, file, playing.abort.signal);
      startedAck = new Promise((resolve) =>
        setImmediate(() => {
          ctx.safely(() => acks.record(command, 'started'), 'record the started ack');
          ctx.safely(() => this.saveProgramme(), 'save the programme');
          resolve();
        }),
      );
      const report = await playback;
      await startedAck;
      acks.record(command, 'finished', null, report?.detail ?? null, report?.evidence);
      ctx.events.emit('played', command);
    } catch (err) {
      await startedAck;
      // The agent is stopping (a restart, an update): no verdict now. The item stays on record as
      // on air, so the next start says it was interrupted and plays it again if it may.
      if (this.stopped) return;
      if (
        playing.reason === 'preempted' &&
        command.on_preempt === 'resume' &&
        Date.parse(command.expires_at) > ctx.clock.now().getTime()
      ) {
        // Recorded as interrupted, then played again from the start once the emergency is over (a
        // stop now says nothing of a restart before: it played since).
        acks.record(command, 'interrupted', 'preempted', reportOf(err));
        this.queue.push({ command, file });
        this.queue.sort((a, b) => byTurn(a, b, ctx.clock.now()));
      } else if (playing.reason) acks.record(command, 'failed', playing.reason, reportOf(err));
      else if (err instanceof StreamDropped) acks.record(command, 'failed', 'stream_dropped', err.message);
      else acks.record(command, 'failed', 'player_error', (err as Error).message);
    } finally {
      this.playing = undefined;
      if (!this.stopped) {
        ctx.safely(() => this.saveProgramme(), 'save the programme');
        void this.pump();
      }
    }
  }

  /** Plays the stream, or the file as many times as asked; starts the player before its first await. */
  private async playOut(command: PlayCommand, file: string, signal: AbortSignal): Promise<void | PlayReport> {
    const { ctx, player } = this.options;
    if (command.stream) {
      const c = ctx.config;
      return player.playStream(
        {
          url: command.stream.url,
          authorization: `Basic ${Buffer.from(`${c.receiver_id}:${c.secret}`).toString('base64')}`,
          volume_pct: this.volumeOf(command),
          broadcast_id: command.broadcast_id,
          ca: c.ca_cert,
        },
        signal,
      );
    }
    const request = {
      file,
      volume_pct: this.volumeOf(command),
      duration_ms: command.media!.duration_ms,
      broadcast_id: command.broadcast_id,
    };
    return playRepeated(
      player,
      request,
      { times: command.repeat_count, interval_s: command.repeat_interval_s },
      signal,
    );
  }
}
