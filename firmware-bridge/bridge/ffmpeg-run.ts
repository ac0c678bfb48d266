/**
 * Running ffmpeg for a driver: the source is a verified file or a live stream (fetched with the
 * receiver's credentials, as the agent's own players do, and piped in), optionally opened by a
 * preamble tone, paced to real time at the end of the filter chain (`arealtime`: what leaves is
 * never faster than it should be heard, whatever feeds it), and killed at once when aborted.
 *
 * A file is fed through ffmpeg's stdin too, never opened by ffmpeg itself, and only a few seconds
 * ahead of the sound: if the bridge dies (kill -9, a crash, the OOM killer) the pipe closes and
 * ffmpeg ends within seconds instead of playing the rest of the item into the exciter or the
 * network with nobody left to stop it.
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { pipeline } from 'node:stream/promises';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { consumeStream, PlaybackAborted, type StreamRequest } from '../agent/players.js';

/** A file with its duration is fed at about real time (see pacedFile); without one, as fast as ffmpeg reads. */
export type AudioSource = { file: string; duration_ms?: number } | { stream: StreamRequest };

/** How far ahead of the sound a file is fed: enough for ffmpeg's probe and any hiccup, little enough to end soon if the bridge dies. */
const FEED_LEAD_MS = 3000;

export interface Preamble {
  frequency_hz: number;
  duration_ms: number;
}

export interface FfmpegJob {
  source: AudioSource;
  volume_pct: number;
  preamble?: Preamble | null;
  /** Filters after the volume, before the pacing (resampling, framing for the codec). */
  filters: string[];
  /** Everything after the filter graph: codec and output. */
  output: string[];
  /** Gets what ffmpeg writes to stdout (when the output is `pipe:1`). */
  onOutput?: (chunk: Buffer) => void;
  ffmpegPath?: string;
}

/** The input and filter-graph arguments: [0] (the preamble, if any) then the source, into [out]. */
export function graphArgs(job: FfmpegJob): string[] {
  // A file is probed as it comes (cached audio is MP3; a test tone may be WAV); a live stream is MP3.
  // A small probe: ffmpeg reads ahead no more than it needs, so little is left to play if the bridge dies.
  const input =
    'file' in job.source
      ? ['-probesize', '32768', '-protocol_whitelist', 'pipe', '-i', 'pipe:0']
      : ['-f', 'mp3', '-i', 'pipe:0'];
  const tail = [`volume=${(job.volume_pct / 100).toFixed(2)}`, ...job.filters, 'arealtime'].join(',');
  if (!job.preamble)
    return [
      ...input,
      '-filter_complex',
      `[0:a]aresample=48000,aformat=channel_layouts=mono,${tail}[out]`,
      '-map',
      '[out]',
    ];
  const { frequency_hz, duration_ms } = job.preamble;
  // Both parts in one format, or concat refuses them.
  const same = 'aresample=48000,aformat=sample_fmts=fltp:channel_layouts=mono';
  return [
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${frequency_hz}:duration=${duration_ms / 1000}:sample_rate=48000`,
    ...input,
    '-filter_complex',
    `[0:a]${same},volume=0.5[p];[1:a]${same}[m];[p][m]concat=n=2:v=0:a=1,${tail}[out]`,
    '-map',
    '[out]',
  ];
}

/** ffmpeg itself failed (its last error line), as against a source that could not be read or a stop. */
export class FfmpegFailed extends Error {
  override name = 'FfmpegFailed';
}

/** Resolves when ffmpeg has sent everything; rejects with PlaybackAborted when aborted, else with ffmpeg's last error line. */
export async function runFfmpeg(job: FfmpegJob, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new PlaybackAborted('aborted');
  const live = 'stream' in job.source ? job.source.stream : undefined;
  const fileSource = 'file' in job.source ? job.source : undefined;
  const file = fileSource?.file;
  if (file) await stat(file); // a missing file fails here, with its own error, before ffmpeg starts
  const child = spawn(
    job.ffmpegPath ?? ffmpegInstaller.path,
    ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...graphArgs(job), ...job.output],
    {
      stdio: ['pipe', job.onOutput ? 'pipe' : 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
  if (job.onOutput) child.stdout!.on('data', job.onOutput);
  const closed = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  closed.catch(() => {}); // awaited below; a failure to feed it may throw first
  const kill = () => child.kill('SIGKILL');
  signal.addEventListener('abort', kill, { once: true });
  child.stdin!.on('error', () => {}); // ffmpeg gone first: its exit code tells why
  try {
    if (file) {
      // ffmpeg ending early (an error, an abort) closes the pipe: that is not a failure to read.
      const lead = FEED_LEAD_MS + (job.preamble?.duration_ms ?? 0);
      const feed = fileSource?.duration_ms
        ? pacedFile(file, fileSource.duration_ms, lead, signal)
        : createReadStream(file);
      await pipeline(feed, child.stdin!).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_PREMATURE_CLOSE' && !signal.aborted) throw err;
      });
    }
    if (live) {
      // ffmpeg gone (an error) ends the feed too; a drop of the stream is reported as such.
      const ffmpegGone = new AbortController();
      void closed.finally(() => ffmpegGone.abort()).catch(() => {});
      await consumeStream(live, AbortSignal.any([signal, ffmpegGone.signal]), (chunk) => child.stdin!.write(chunk))
        .catch((err) => {
          if (!(err instanceof PlaybackAborted)) throw err;
        })
        .finally(() => child.stdin!.end());
    }
    const code = await closed;
    if (signal.aborted) throw new PlaybackAborted('aborted');
    if (code !== 0) throw new FfmpegFailed(stderr.trim().split('\n').pop() || `ffmpeg exited with ${code}`);
  } finally {
    signal.removeEventListener('abort', kill);
    if (child.exitCode === null && child.signalCode === null) kill();
  }
}

/** The file's bytes, each chunk released no earlier than `leadMs` before its place in the sound. */
async function* pacedFile(
  file: string,
  durationMs: number,
  leadMs: number,
  signal: AbortSignal,
): AsyncGenerator<Buffer> {
  const bytesPerMs = (await stat(file)).size / Math.max(durationMs, 1);
  const started = Date.now();
  let sent = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 4096 })) {
    const wait = started + sent / bytesPerMs - leadMs - Date.now();
    if (wait > 0) await sleep(wait, undefined, { signal });
    yield chunk as Buffer;
    sent += (chunk as Buffer).length;
  }
}
