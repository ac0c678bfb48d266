/**
 * Running ffmpeg for a driver: the source is a verified file or a live stream (fetched with the
 * receiver's credentials, as the agent's own players do, and piped in), optionally opened by a
 * preamble tone, paced to real time at the end of the filter chain (`arealtime`: what leaves is
 * never faster than it should be heard, whatever feeds it), and killed at once when aborted.
 */
import { spawn } from 'node:child_process';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { consumeStream, PlaybackAborted, type StreamRequest } from '../agent/players.js';

export type AudioSource = { file: string } | { stream: StreamRequest };

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
  const input =
    'file' in job.source ? ['-protocol_whitelist', 'file', '-i', job.source.file] : ['-f', 'mp3', '-i', 'pipe:0'];
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

/** Resolves when ffmpeg has sent everything; rejects with PlaybackAborted when aborted, else with ffmpeg's last error line. */
export async function runFfmpeg(job: FfmpegJob, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new PlaybackAborted('aborted');
  const live = 'stream' in job.source ? job.source.stream : undefined;
  const child = spawn(
    job.ffmpegPath ?? ffmpegInstaller.path,
    ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...graphArgs(job), ...job.output],
    {
      stdio: [live ? 'pipe' : 'ignore', job.onOutput ? 'pipe' : 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
  if (job.onOutput) child.stdout!.on('data', job.onOutput);
  const closed = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  const kill = () => child.kill('SIGKILL');
  signal.addEventListener('abort', kill, { once: true });
  try {
    if (live) {
      child.stdin!.on('error', () => {});
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
    if (code !== 0) throw new Error(stderr.trim().split('\n').pop() || `ffmpeg exited with ${code}`);
  } finally {
    signal.removeEventListener('abort', kill);
    if (child.exitCode === null && child.signalCode === null) kill();
  }
}
