/**
 * Remote operations (`op` commands) for technicians: volume, test tone, clock check, logs, agent
 * update and rollback, ack resend, restart. Each answers once on the reply topic, echoing the
 * command id.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { PROTOCOL_VERSION, TEST_TONE_VOLUME_PCT, topics, type OpCommand } from '../../controller/protocol/index.js';
import type { AgentContext } from './agent-context.js';
import type { AgentLink } from './agent-link.js';
import type { AckOutbox } from './ack-outbox.js';
import type { Installer } from './installer.js';
import { MediaCache } from './media-cache.js';
import type { Player } from './players.js';

export interface RemoteOpsOptions {
  ctx: AgentContext;
  link: AgentLink;
  acks: AckOutbox;
  player: Player;
  installer: Installer;
  /** Whether an emergency plays or waits its turn: a restart never cuts one. */
  emergencyOnAir: () => boolean;
  /** For simulated fleets: one HTTP connection pool shared by every agent of the process. */
  httpPool?: import('../../controller/shared/http-client.js').HttpPool;
}

export class RemoteOps {
  private stopped = false;

  constructor(private readonly options: RemoteOpsOptions) {}

  /** After stop, no restart is asked for. */
  stop(): void {
    this.stopped = true;
  }

  /** Runs one operation and answers it. */
  async run(command: OpCommand): Promise<void> {
    try {
      const data = await this.operate(command);
      this.reply(command.command_id, 'ok', data, null);
    } catch (err) {
      // Kept for fetch_logs too: a failed test tone is the technician's best clue (a sound card gone).
      this.options.ctx.note(`op ${command.op} failed: ${(err as Error).message}`);
      this.reply(command.command_id, 'error', null, (err as Error).message);
    }
  }

  reply(commandId: string, status: 'ok' | 'error', data: Record<string, unknown> | null, error: string | null): void {
    const { ctx, link } = this.options;
    link.publish(
      topics.reply(ctx.id),
      JSON.stringify({
        v: PROTOCOL_VERSION,
        receiver_id: ctx.id,
        command_id: commandId,
        status,
        data,
        error: error?.slice(0, 500) ?? null,
        at: ctx.clock.now().toISOString(),
      }),
      { qos: 1 },
    );
  }

  private async operate(command: OpCommand): Promise<Record<string, unknown>> {
    const { ctx } = this.options;
    const args = command.args;
    switch (command.op) {
      case 'set_volume': {
        const pct = Number(args.volume_pct);
        if (!Number.isInteger(pct) || pct < 0 || pct > 100) throw new Error('volume_pct must be 0-100');
        ctx.state.master_volume_pct = pct;
        ctx.store.saveState(ctx.state);
        return { volume_pct: pct };
      }
      case 'test_tone': {
        const seconds = Math.min(30, Math.max(1, Number(args.seconds ?? 3)));
        const file = join(ctx.config.state_dir, 'test-tone.mp3');
        if (!existsSync(file)) await makeTestTone(file);
        const started = performance.now();
        await this.options.player.play(
          {
            file,
            volume_pct: ctx.masterVolume(Math.min(100, Math.max(0, Number(args.volume_pct ?? TEST_TONE_VOLUME_PCT)))),
            duration_ms: seconds * 1000,
            broadcast_id: command.command_id,
          },
          AbortSignal.timeout(seconds * 1000 + 10_000),
        );
        return {
          played_ms: Math.round(performance.now() - started),
          volume_pct: Number(args.volume_pct ?? TEST_TONE_VOLUME_PCT),
        };
      }
      case 'sync_clock': {
        const controller = Date.parse(String(args.controller_time));
        const receiver = ctx.clock.now().getTime();
        return {
          receiver_time: new Date(receiver).toISOString(),
          offset_ms: Number.isFinite(controller) ? receiver - controller : null,
        };
      }
      case 'fetch_logs':
        return { lines: ctx.recentLines(Number(args.lines ?? 100)) };
      case 'update': {
        // The package must be exactly what the controller signed: hash and size are in the signed command.
        const version = String(args.version ?? '');
        if (!/^[0-9A-Za-z.+-]{1,40}$/.test(version)) throw new Error('update needs a version');
        const c = ctx.config;
        const cache = new MediaCache({
          dir: join(c.state_dir, 'updates'),
          credentials: { username: ctx.id, password: c.secret },
          caCert: c.ca_cert,
          httpPool: this.options.httpPool,
          timeoutMs: 300_000,
          extension: 'pkg',
        });
        const file = await cache.fetch({
          url: String(args.url),
          sha256: String(args.sha256),
          size_bytes: Number(args.size_bytes),
          duration_ms: 0,
          mime: 'audio/mpeg',
        });
        const previous = ctx.version();
        this.options.installer.install(file, version, ctx.state);
        ctx.note(`installed agent ${version} (was ${previous})`);
        this.restartSoon();
        return { installed: version, previous };
      }
      case 'rollback': {
        const from = ctx.version();
        const to = this.options.installer.rollback(ctx.state);
        ctx.note(`rolled back from ${from} to ${to}`);
        this.restartSoon();
        return { rolled_back_from: from, to };
      }
      case 'resend_acks': {
        // The controller saw a gap in our ack numbers: send again every ack not yet receipted.
        const pending = this.options.acks.pendingCount();
        this.options.acks.sendPending(true);
        return { resent: pending, next_seq: ctx.state.next_seq };
      }
      case 'restart':
        // Answer first, then go: a real receiver's service manager starts the agent again.
        this.restartSoon();
        return { restarting: true };
    }
  }

  /**
   * Asks the service manager for a restart once the reply is out; never for an agent already
   * stopped, and never while an emergency plays or waits: the restart (an update, a rollback, a
   * technician's restart) waits until it is over.
   */
  private restartSoon(): void {
    let noted = false;
    const attempt = () => {
      if (this.stopped) return;
      if (this.options.emergencyOnAir()) {
        if (!noted) this.options.ctx.note('restart deferred: an emergency is on the air');
        noted = true;
        setTimeout(attempt, 1_000);
        return;
      }
      this.options.ctx.events.emit('restart');
    };
    setTimeout(attempt, 100);
  }
}

/** A 1 kHz test tone, made once with ffmpeg. */
function makeTestTone(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      ffmpegInstaller.path,
      [
        '-y',
        '-hide_banner',
        '-loglevel',
        'error',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=1000:duration=3',
        '-ac',
        '1',
        file,
      ],
      (err) => (err ? reject(err) : resolve()),
    );
  });
}
