/**
 * The loudness meter: ffmpeg's `ebur128=peak=true` (ITU-R BS.1770 integrated loudness and true
 * peak, 4x oversampled), the reading that tools people use give for the same file. Several filter
 * chains can be measured in one decode (for the limiter's effect at two gains, say).
 */
import ffmpeg from 'fluent-ffmpeg';
import { run, SAFE_INPUT } from './audio-pipeline.js';

export interface Measurement {
  /** Integrated loudness, LUFS; -70 (the absolute gate) or -Infinity for silence. */
  integrated: number;
  /** True peak, dBTP; -Infinity for silence. */
  true_peak: number;
}

/**
 * Measures `input` through each chain of filters (an empty chain: the file as it is), in one
 * decode. `peak: false` skips the true peak (NaN then), and its 4x oversampling with it.
 */
export function measureLoudness(
  input: string, chains: string[][], timeout_s: number, duration_ms: number, onProgress: (pct: number) => void, { peak = true } = {},
): Promise<Measurement[]> {
  // framelog=verbose: its ten lines a second go to a level ffmpeg does not print here; the summary stays.
  const METER = `ebur128=peak=${peak ? 'true' : 'none'}:framelog=verbose`;
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
      }
      else if (/^\[/.test(line)) current = undefined;
      if (current !== undefined) summaries.set(current, (summaries.get(current) ?? '') + line + '\n');
    });
  if (chains.length === 1) command.audioFilters([...chains[0], METER]);
  else {
    const split = `[0:a]asplit=${chains.length}${chains.map((_, i) => `[in${i}]`).join('')}`;
    const branches = chains.map((chain, i) => `[in${i}]${[...chain, METER].join(',')}[out${i}]`);
    command.complexFilter([split, ...branches], chains.map((_, i) => `out${i}`));
  }
  return run(command, onProgress, duration_ms).then(() => {
    // Filters are numbered in the order the graph names them: the order of the chains.
    const found = [...summaries.entries()].sort(([a], [b]) => a - b).map(([, text]) => parseSummary(text, peak));
    if (found.length !== chains.length) throw new Error('loudness measurement produced no result');
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
