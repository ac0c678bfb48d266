/**
 * The audio pipeline: with its siblings in audio/, the only code that runs ffmpeg (through
 * fluent-ffmpeg, or directly where a time limit is needed).
 * Uploaded files are hostile: we probe them with a protocol whitelist, accept only known audio
 * containers (no playlists or concat scripts that point elsewhere), kill ffmpeg after a time
 * limit, and distribute only our own re-encoded output. The broadcast profile itself (loudness,
 * true peak) is in broadcast-loudness.ts; whether a file is whole, in completeness.ts.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import ffmpeg from 'fluent-ffmpeg';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';

ffmpeg.setFfmpegPath(ffmpegInstaller.path);
ffmpeg.setFfprobePath(ffprobeInstaller.path);

export const FFMPEG_PATH = ffmpegInstaller.path;

/** Demuxers we accept: audio containers and the common video containers (their audio is used). */
const ALLOWED_FORMATS = new Set([
  'mp3',
  'wav',
  'w64',
  'ogg',
  'flac',
  'aac',
  'amr',
  'aiff',
  'caf',
  'asf',
  'matroska',
  'webm',
  'mov',
  'mp4',
  'm4a',
  '3gp',
  '3g2',
  'mj2',
  'opus',
]);

export interface ProbeResult {
  format: string;
  duration_ms: number;
  channels: number;
  sample_rate: number;
}

export class AudioProbeError extends Error {}

/**
 * Input options for every ffmpeg and ffprobe run on an upload: local files only, and only the
 * demuxers we accept, so that a playlist or concat script is refused before it can open
 * anything it names.
 */
export const SAFE_INPUT = ['-protocol_whitelist', 'file', '-format_whitelist', [...ALLOWED_FORMATS].join(',')];
const PROBE_TIMEOUT_MS = 30_000;

interface ProbeData {
  format: { format_name?: string; duration?: string };
  streams?: { codec_type?: string; channels?: number; sample_rate?: string; duration?: string }[];
}

/** ffprobe directly, for its time limit (fluent-ffmpeg's ffprobe has none). */
function ffprobeJson(file: string): Promise<ProbeData> {
  return new Promise((resolve, reject) => {
    execFile(
      ffprobeInstaller.path,
      ['-v', 'error', ...SAFE_INPUT, '-show_format', '-show_streams', '-of', 'json', file],
      { timeout: PROBE_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (err) {
          if (err.killed) return reject(new AudioProbeError('probe took too long'));
          if (/not on whitelist/.test(stderr))
            return reject(new AudioProbeError('container type not accepted (format not on whitelist)'));
          return reject(new AudioProbeError(firstLine(stderr || err.message)));
        }
        try {
          resolve(JSON.parse(stdout) as ProbeData);
        } catch {
          reject(new AudioProbeError('unreadable probe output'));
        }
      },
    );
  });
}

export async function probeAudio(file: string): Promise<ProbeResult> {
  const data = await ffprobeJson(file);
  const formats = String(data.format.format_name ?? '').split(',');
  if (!formats.some((f) => ALLOWED_FORMATS.has(f)))
    throw new AudioProbeError(`container "${data.format.format_name}" is not accepted`);
  const audio = data.streams?.find((s) => s.codec_type === 'audio');
  if (!audio) throw new AudioProbeError('no audio stream');
  const seconds = Number(data.format.duration ?? audio.duration);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new AudioProbeError('unknown or zero duration');
  return {
    format: String(data.format.format_name),
    duration_ms: Math.round(seconds * 1000),
    channels: audio.channels ?? 0,
    sample_rate: Number(audio.sample_rate ?? 0),
  };
}

/**
 * A live encoder: reads a relayed stream (the provincial station) or what a browser sends on
 * stdin (live voice), and writes a mono MP3 stream on stdout, as it comes. A relay may only use
 * network protocols; a browser's audio only arrives on stdin.
 */
export function startLiveEncoder(source: { url: string } | 'stdin', bitrate_kbps: number): ChildProcess {
  const input =
    source === 'stdin'
      ? ['-protocol_whitelist', 'pipe', '-i', 'pipe:0']
      : ['-protocol_whitelist', 'http,https,tcp,tls,crypto', '-re', '-i', source.url];
  return spawn(
    FFMPEG_PATH,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      ...(source === 'stdin' ? [] : ['-nostdin']),
      ...input,
      '-vn',
      '-ac',
      '1',
      '-ar',
      '44100',
      '-c:a',
      'libmp3lame',
      '-b:a',
      `${bitrate_kbps}k`,
      '-flush_packets',
      '1',
      '-f',
      'mp3',
      'pipe:1',
    ],
    { stdio: [source === 'stdin' ? 'pipe' : 'ignore', 'pipe', 'pipe'] },
  );
}

/** A two-tone attention chime ("ding-dong"), made once when no chime file is configured. */
export function makeChime(output: string): Promise<void> {
  return run(
    ffmpeg()
      .input('sine=frequency=880:duration=0.35')
      .inputFormat('lavfi')
      .input('sine=frequency=660:duration=0.6')
      .inputFormat('lavfi')
      .complexFilter(
        [
          '[0:a]afade=t=out:st=0.2:d=0.15[a]',
          '[1:a]afade=t=out:st=0.3:d=0.3[b]',
          '[a][b]concat=n=2:v=0:a=1,volume=0.5[out]',
        ],
        'out',
      )
      .audioChannels(1)
      .audioFrequency(44100)
      .format('wav')
      .output(output),
    () => {},
    0,
  );
}

/** Joins audio files (chime, speech, chime) into one mono WAV with a short pause between parts. */
export function joinAudio(parts: string[], output: string, timeout_s: number): Promise<void> {
  const command = ffmpeg({ timeout: timeout_s });
  for (const p of parts) command.input(p).inputOptions(SAFE_INPUT);
  const filters = parts.map(
    (_, i) => `[${i}:a]aformat=sample_rates=44100:channel_layouts=mono,apad=pad_len=17640[p${i}]`,
  );
  filters.push(`${parts.map((_, i) => `[p${i}]`).join('')}concat=n=${parts.length}:v=0:a=1[out]`);
  return run(command.complexFilter(filters, 'out').format('wav').output(output), () => {}, 0);
}

/** Runs an ffmpeg command to its end, reporting progress as a percentage of `duration_ms`. */
export function run(
  command: ffmpeg.FfmpegCommand,
  onProgress: (pct: number) => void,
  duration_ms: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    command
      .on('progress', (p: { timemark?: string }) => {
        const ms = timemarkToMs(p.timemark);
        if (ms !== undefined && duration_ms > 0) onProgress(Math.min(100, Math.round((ms / duration_ms) * 100)));
      })
      .on('error', (err: Error) => reject(new Error(firstLine(err.message))))
      .on('end', () => resolve())
      .run();
  });
}

function timemarkToMs(timemark: string | undefined): number | undefined {
  const m = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(timemark ?? '');
  if (!m) return undefined;
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(-1)[0]
      ?.slice(0, 200) ?? 'unknown error'
  );
}

export async function sha256File(file: string): Promise<{ sha256: string; size_bytes: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), size_bytes: (await stat(file)).size };
}
