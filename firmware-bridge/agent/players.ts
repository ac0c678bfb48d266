/**
 * Players: how a receiver turns a verified file into sound. All take an AbortSignal so that an
 * emergency or a stop-all can cut what plays.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import type { PlayerConfig } from '../../controller/protocol/agent-config.js';
import type { AckEvidence } from '../../controller/protocol/messages.js';
import { inBoth } from '../../controller/i18n/messages.js';

export interface PlayRequest {
  file: string;
  volume_pct: number;
  duration_ms: number;
  broadcast_id: string;
}

export interface StreamRequest {
  url: string;
  /** The receiver's credentials for the controller (HTTP Basic). */
  authorization: string;
  volume_pct: number;
  broadcast_id: string;
  /** A commune CA to trust for https. */
  ca?: string;
}

/**
 * What a player could confirm about where the sound went, when that is not a loudspeaker of its
 * own (a bridge: "rtp: sent to 2 addresses"). It goes into the ack's `detail`; say only what
 * was seen, never that a device played what the player cannot know.
 */
export interface PlayReport {
  detail: string;
  /**
   * What the `finished` ack vouches for (PROTOCOL.md, "Evidence"): 'sent' when the audio only
   * left the receiver and nobody confirms sound (RTP, a stream mount, an FM transmitter). Absent:
   * 'played', a loudspeaker of its own.
   */
  evidence?: AckEvidence;
}

export interface Player {
  /** Resolves when playback ends (with a report, if it has one); rejects when it fails or is aborted. */
  play(request: PlayRequest, signal: AbortSignal): Promise<void | PlayReport>;
  /** Plays a live stream until it ends; rejects with StreamDropped when it breaks off. */
  playStream(request: StreamRequest, signal: AbortSignal): Promise<void | PlayReport>;
}

/** Cut short by a stop or an emergency; `report` says what had been done until then. */
export class PlaybackAborted extends Error {
  constructor(
    message: string,
    readonly report?: PlayReport,
  ) {
    super(message);
  }
}

/** What a player that was cut short could still confirm (a bridge's driver), for the ack's detail. */
export function reportOf(err: unknown): string | null {
  return err instanceof PlaybackAborted ? (err.report?.detail ?? null) : null;
}
export class StreamDropped extends Error {}

/**
 * Plays a file `times` times, `interval_s` apart. Once heard in full, a later repeat's fault does
 * not unsay it: the report's detail says how many plays were heard and what failed. Stopped or
 * pre-empted after a play in full, it rejects (PlaybackAborted) with that count as its detail.
 */
export async function playRepeated(
  player: Player,
  request: PlayRequest,
  repeat: { times: number; interval_s: number },
  signal: AbortSignal,
): Promise<void | PlayReport> {
  let report: void | PlayReport = undefined;
  for (let i = 0; i < repeat.times; i++) {
    try {
      if (i > 0) await sleep(repeat.interval_s * 1000, undefined, { signal });
      report = await player.play(request, signal);
    } catch (err) {
      if (i === 0) throw err;
      const played = `played ${i} of ${repeat.times} times`;
      if (signal.aborted) {
        const cut = reportOf(err);
        throw new PlaybackAborted((err as Error).message, { ...report, detail: `${played}${cut ? `; ${cut}` : ''}` });
      }
      return { ...report, detail: `${played}, then: ${(err as Error).message}` };
    }
  }
  return report;
}

/**
 * Reads a live stream to its end, handing each chunk to `sink`: a stream that ends without its
 * closing chunk, or with a network error, has dropped.
 */
export async function consumeStream(
  request: StreamRequest,
  signal: AbortSignal,
  sink: (chunk: Uint8Array) => void = () => {},
): Promise<void> {
  const { Agent, fetch } = await import('undici');
  let res;
  try {
    res = await fetch(request.url, {
      headers: { authorization: request.authorization },
      signal,
      dispatcher: request.ca ? new Agent({ connect: { ca: request.ca } }) : undefined,
    });
  } catch (err) {
    if (signal.aborted) throw new PlaybackAborted('aborted');
    throw new StreamDropped((err as Error).message);
  }
  if (!res.ok || !res.body) throw new StreamDropped(`HTTP ${res.status}`);
  try {
    for await (const chunk of res.body) sink(chunk as Uint8Array);
  } catch (err) {
    if (signal.aborted) throw new PlaybackAborted('aborted');
    throw new StreamDropped((err as Error).message);
  }
}

/** Plays through ffmpeg to a sound device (ALSA by default). */
export class FfmpegPlayer implements Player {
  constructor(
    private readonly format: string,
    private readonly device: string,
    private readonly ffmpegPath = ffmpegInstaller.path,
  ) {}

  /** The stream is fetched here (credentials, CA, drop detection) and piped into ffmpeg. */
  playStream(request: StreamRequest, signal: AbortSignal): Promise<void> {
    const child = spawn(
      this.ffmpegPath,
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-nostdin',
        '-f',
        'mp3',
        '-i',
        'pipe:0',
        '-af',
        `volume=${(request.volume_pct / 100).toFixed(2)}`,
        '-f',
        this.format,
        this.device,
      ],
      { stdio: ['pipe', 'ignore', 'ignore'] },
    );
    const ended = new Promise<void>((resolve) => child.on('close', () => resolve()));
    child.stdin.on('error', () => {});
    return consumeStream(request, signal, (chunk) => child.stdin.write(chunk)).finally(async () => {
      child.stdin.end();
      if (signal.aborted) child.kill('SIGKILL');
      await ended;
    });
  }

  play(request: PlayRequest, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        this.ffmpegPath,
        [
          '-hide_banner',
          '-loglevel',
          'error',
          '-nostdin',
          '-protocol_whitelist',
          'file',
          '-re',
          '-i',
          request.file,
          '-af',
          `volume=${(request.volume_pct / 100).toFixed(2)}`,
          '-f',
          this.format,
          this.device,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
      const onAbort = () => child.kill('SIGKILL');
      signal.addEventListener('abort', onAbort, { once: true });
      child.on('error', (err) => reject(err));
      child.on('close', (code) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) reject(new PlaybackAborted('aborted'));
        else if (code === 0) resolve();
        else reject(new Error(playbackError(stderr, code, this.format, this.device)));
      });
    });
  }
}

/** ffmpeg's words when it cannot open the sound output (ALSA, Pulse, OSS), as against a bad file. */
const OUTPUT_FAILED = /audio device|output format|opening output|write header|No such device|Device or resource busy/i;

/**
 * Why playback failed, for the technician reading it in the console: a sound output that cannot be
 * opened is said in words first, with what to check (ffmpeg's own line follows, as it said it).
 */
export function playbackError(stderr: string, code: number | null, format: string, device: string): string {
  const lines = stderr.trim().split('\n');
  const said = lines.pop() || `ffmpeg exited with ${code}`;
  const output = lines.find((line) => OUTPUT_FAILED.test(line)) ?? (OUTPUT_FAILED.test(said) ? said : null);
  if (!output) return said;
  const hint = inBoth('agent_audio_output_failed', { output: `${format}:${device}` });
  return `${hint.vi} / ${hint.en} (ffmpeg: ${output.trim()})`;
}

/**
 * Writes each played file, with a JSON note of the volume, into a directory (tests, recording, an
 * agent tried on a desktop), then takes as long as playing it would: its "finished" must not come
 * before the item could have sounded (an outsider's coverage showed a 40 s item heard 38 ms after
 * it started), and a stop or an emergency can still cut it meanwhile.
 */
export class FilePlayer implements Player {
  private count = 0;
  private readonly playingTime = new SilentPlayer(1);
  constructor(private readonly directory: string) {}

  async playStream(request: StreamRequest, signal: AbortSignal): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const chunks: Uint8Array[] = [];
    try {
      await consumeStream(request, signal, (c) => chunks.push(c));
    } finally {
      await writeFile(
        join(this.directory, `${String(++this.count).padStart(4, '0')}-${request.broadcast_id}-live.mp3`),
        Buffer.concat(chunks),
      );
    }
  }

  async play(request: PlayRequest, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw new PlaybackAborted('aborted');
    await mkdir(this.directory, { recursive: true });
    const base = join(this.directory, `${String(++this.count).padStart(4, '0')}-${request.broadcast_id}`);
    await copyFile(request.file, `${base}.mp3`);
    await writeFile(
      `${base}.json`,
      JSON.stringify({ volume_pct: request.volume_pct, duration_ms: request.duration_ms }),
    );
    await this.playingTime.play(request, signal);
  }
}

/** Plays nothing for `speed` x the duration (0 = at once): simulated fleets. */
export class SilentPlayer implements Player {
  constructor(private readonly speed: number) {}

  /** Listens to the whole stream (a live item lasts as long as its source), playing nothing. */
  playStream(request: StreamRequest, signal: AbortSignal): Promise<void> {
    return consumeStream(request, signal);
  }

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
