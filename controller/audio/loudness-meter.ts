/**
 * The loudness meter: ffmpeg's `ebur128=peak=true` (ITU-R BS.1770 integrated loudness and true
 * peak, 4x oversampled), the reading that tools people use give for the same file. Several filter
 * chains can be measured in one decode.
 */
import ffmpeg from 'fluent-ffmpeg';
import { run, SAFE_INPUT } from './audio-pipeline.js';

export interface Measurement {
  /** Integrated loudness, LUFS; -70 (the absolute gate) or -Infinity for silence. */
  integrated: number;
  /** True peak, dBTP (or the sample peak, dBFS, when that was asked for); -Infinity for silence. */
  true_peak: number;
}

/** One reading: the filters it is read through (none: the file as it is) and which peak it reads. */
export interface Branch {
  filters: string[];
  /** The true peak costs a 4x oversampling: 'sample' reads the sample peak in its place, 'none' no peak (NaN). */
  peak: 'true' | 'sample' | 'none';
}

/**
 * Measures `input` through each branch, in one decode: `common` filters run once, then the audio
 * is split to the branches (one ffmpeg process reads the source, the meter and what the limiter
 * leaves at two gains, say).
 */
export function measureLoudness(
  input: string,
  branches: Branch[],
  timeout_s: number,
  duration_ms: number,
  onProgress: (pct: number) => void,
  common: string[] = [],
): Promise<Measurement[]> {
  // framelog=verbose: its ten lines a second go to a level ffmpeg does not print here; the summary stays.
  const meter = (peak: Branch['peak']) => `ebur128=peak=${peak}:framelog=verbose`;
  // Each summary starts "[Parsed_ebur128_7 @ 0x…] Summary:"; its lines follow without a prefix.
  // A filter graph may be set up twice (ffmpeg configures a complex graph once before the real
  // run, and that first one reports silence): the last summary of each filter is the reading.
  const summaries = new Map<number, string>();
  let current: number | undefined;
  const command = ffmpeg(input, { timeout: timeout_s })
    .inputOptions(SAFE_INPUT)
    // One thread: the box has two cores and an emergency must never wait for a measurement.
    .outputOptions(['-threads', '1'])
    .noVideo()
    .format('null')
    .output('-')
    .on('stderr', (line: string) => {
      const start = /Parsed_ebur128_(\d+) @ [^\]]*\] Summary:/.exec(line);
      if (start) {
        current = Number(start[1]);
        summaries.set(current, '');
      } else if (/^\[/.test(line)) current = undefined;
      if (current !== undefined) summaries.set(current, (summaries.get(current) ?? '') + line + '\n');
    });
  if (branches.length === 1) command.audioFilters([...common, ...branches[0].filters, meter(branches[0].peak)]);
  else {
    const split = `[0:a]${[...common, `asplit=${branches.length}`].join(',')}${branches.map((_, i) => `[in${i}]`).join('')}`;
    const chains = branches.map((b, i) => `[in${i}]${[...b.filters, meter(b.peak)].join(',')}[out${i}]`);
    command.complexFilter(
      [split, ...chains],
      branches.map((_, i) => `out${i}`),
    );
  }
  return run(command, onProgress, duration_ms).then(() => {
    // Filters are numbered in the order the graph names them: the order of the branches.
    const found = [...summaries.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, text], i) => parseSummary(text, branches[i]?.peak !== 'none'));
    if (found.length !== branches.length) throw new Error('loudness measurement produced no result');
    return found;
  });
}

/** "Integrated loudness: I: -17.0 LUFS … True peak: Peak: -0.4 dBFS"; silence reads -70 or -inf. */
function parseSummary(summary: string, withPeak: boolean): Measurement {
  const integrated = /I:\s+(-?[\d.]+|-inf)\s+LUFS/.exec(summary)?.[1];
  const peak = withPeak ? /Peak:\s+(-?[\d.]+|-inf)\s+dBFS/.exec(summary)?.[1] : 'nan';
  if (integrated === undefined || peak === undefined) throw new Error('loudness measurement produced no result');
  const value = (text: string) => (text === '-inf' ? -Infinity : text === 'nan' ? NaN : Number(text));
  return { integrated: value(integrated), true_peak: value(peak) };
}
