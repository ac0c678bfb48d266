/**
 * Players: how a receiver turns a verified file into sound. All take an AbortSignal so that an
 * emergency or a stop-all can cut what plays.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import type { PlayerConfig } from '../../controller/protocol/agent-config.js';

export interface PlayRequest {
  file: string;
  volume_pct: number;
  duration_ms: number;
  broadcast_id: string;
}

export interface Player {
  /** Resolves when playback ends; rejects when it fails or is aborted. */
  play(request: PlayRequest, signal: AbortSignal): Promise<void>;
}

export class PlaybackAborted extends Error {}

/** Plays through ffmpeg to a sound device (ALSA by default). */
export class FfmpegPlayer implements Player {
  constructor(private readonly format: string, private readonly device: string, private readonly ffmpegPath = ffmpegInstaller.path) {}

  play(request: PlayRequest, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.ffmpegPath, [
        '-hide_banner', '-loglevel', 'error', '-nostdin', '-protocol_whitelist', 'file',
        '-re', '-i', request.file, '-af', `volume=${(request.volume_pct / 100).toFixed(2)}`,
        '-f', this.format, this.device,
      ], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
      const onAbort = () => child.kill('SIGKILL');
      signal.addEventListener('abort', onAbort, { once: true });
      child.on('error', (err) => reject(err));
      child.on('close', (code) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) reject(new PlaybackAborted('aborted'));
        else if (code === 0) resolve();
        else reject(new Error(stderr.trim().split('\n').pop() || `ffmpeg exited with ${code}`));
      });
    });
  }
}

/** Writes each played file, with a JSON note of the volume, into a directory: tests and recording. */
export class FilePlayer implements Player {
  private count = 0;
  constructor(private readonly directory: string) {}

  async play(request: PlayRequest, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw new PlaybackAborted('aborted');
    await mkdir(this.directory, { recursive: true });
    const base = join(this.directory, `${String(++this.count).padStart(4, '0')}-${request.broadcast_id}`);
    await copyFile(request.file, `${base}.mp3`);
    await writeFile(`${base}.json`, JSON.stringify({ volume_pct: request.volume_pct, duration_ms: request.duration_ms }));
  }
}

/** Plays nothing for `speed` x the duration (0 = at once): simulated fleets. */
export class SilentPlayer implements Player {
  constructor(private readonly speed: number) {}

  play(request: PlayRequest, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new PlaybackAborted('aborted'));
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, request.duration_ms * this.speed);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new PlaybackAborted('aborted'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

export function createPlayer(config: PlayerConfig): Player {
  if (config.kind === 'ffmpeg') return new FfmpegPlayer(config.output_format, config.output_device);
  if (config.kind === 'file') return new FilePlayer(config.directory);
  return new SilentPlayer(config.speed);
}
