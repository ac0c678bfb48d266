/**
 * The broadcast profile: a mono MP3 at a fixed EBU R128 loudness whose true peak, measured on the
 * encoded file as ffmpeg's `ebur128=peak=true` reads it, never passes the ceiling.
 *
 * Measure, encode, verify:
 * 1. Measure the source's integrated loudness and peak (after the downmix and, for speech, the
 *    compressor: what is measured is what gets the gain).
 * 2. When the gain would push peaks into the limiter, measure through gain and limiter at two
 *    gains (no encoding: cheap) and add what the limiter took off, so speech reaches its target.
 *    Speech's loudness is known closely enough beforehand that this is read in the same ffmpeg
 *    run as step 1, from the same decode (issue 24: 300 characters to a ready MP3 within 1.5 s).
 * 3. Encode: gain, then a limiter run at 4x the sample rate (it then sees the peaks between
 *    samples, as a true-peak meter does), set below the ceiling by the codec's usual overshoot.
 * 4. Measure the MP3 itself. LAME adds its own overshoot (measured here: up to 1.5 dB at 64 kb/s
 *    over a limiter's output) and takes off about 0.4 LU; when the file is over the ceiling or off
 *    target, encode again with the limiter and gain corrected by what was measured.
 * A source too quiet to reach the target without raising its noise past reason gets at most
 * MAX_GAIN_DB and a warning, not a silent half-measure.
 */
import ffmpeg from 'fluent-ffmpeg';
import { run, SAFE_INPUT } from './audio-pipeline.js';
import { measureLoudness, type Branch, type Measurement } from './loudness-meter.js';

export interface BroadcastProfile {
  loudness_lufs: number;
  true_peak_db: number;
  bitrate_kbps: number;
  timeout_s: number;
  /** Synthetic speech: compress before normalising, or its peaks keep it from reaching the target. */
  speech?: boolean;
}

/** What the stored file measures, and why it may not be what was asked for. */
export interface LoudnessResult {
  /** Integrated loudness of the encoded file, LUFS. */
  loudness_lufs: number;
  /** True peak of the encoded file, dBTP. */
  true_peak_dbtp: number;
  /** The source's loudness before any gain (null: silent). */
  source_lufs: number | null;
  /** MP3 encodes it took (1, or more when the first missed the ceiling or the target): for the log. */
  encodes: number;
  warning: LoudnessWarning | null;
}

export type LoudnessWarning =
  | { code: 'media_warning_silent'; params: Record<string, never> }
  | { code: 'media_warning_too_short'; params: { ms: number } }
  | {
      code: 'media_warning_too_quiet';
      params: { source_lufs: number; output_lufs: number; target_lufs: number; max_gain_db: number };
    }
  | { code: 'media_warning_off_target'; params: { output_lufs: number; target_lufs: number } };

/**
 * The most gain a source gets: -16 LUFS from -36. Past that, hiss, hum and room noise come up
 * with the voice and the recording should be made again closer to the microphone.
 */
export const MAX_GAIN_DB = 20;
/** What is promised: the stored file within this of the target, or a warning that says why not. */
const PROMISE_LU = 0.5;
/** How far from the target the encoded file may land before it is encoded again: inside the promise. */
const TOLERANCE_LU = 0.3;
/** The limiter starts this far under the ceiling: LAME's overshoot at 64 kb/s (measured 0.9-1.4 dB on speech, 1.0 on pink noise, 1.5 on a low-passed mix). */
const CODEC_HEADROOM_DB = 1.6;
/** ebur128 prints tenths: keep the printed true peak a tenth under the ceiling so the real one is under it too. */
const METER_MARGIN_DB = 0.1;
/** Encodes after the first, at most. */
const MAX_CORRECTIONS = 4;
/** The second gain the limiter's effect is measured at, above the first. */
const PROBE_STEP_DB = 2;
/** The most a correction changes the gain at once: loudness under a working limiter is far from linear. */
const MAX_STEP_DB = 6;
/** Below this the source is silence (ebur128's absolute gate is -70 LUFS). */
const SILENCE_LUFS = -69;
/** A sample peak above this is sound, whatever the loudness meter could say of it. */
const SILENCE_PEAK_DB = -60;
/** LAME takes off about this much (0.4 dB on a 1 kHz sine and on speech, 48-128 kb/s): aim above by as much. */
const ENCODER_LOSS_LU = 0.4;
/** How far a true peak may lie above the sample peak, for the decision above (music: rarely past 1 dB). */
const SAMPLE_PEAK_SLACK_DB = 1;
/** The limiter's oversampling: 4x, as BS.1770's true-peak meter. */
const OVERSAMPLED_HZ = 176_400;
/**
 * Compressed speech measures -16.9 to -18.6 LUFS (espeak-ng's three voices at 0.7-1.2x, three
 * texts, chimes included): the limiter is tried at the gain that brings the middle to the target.
 */
const SPEECH_LIKELY_LUFS = -17.7;
/** How far the gain found may lie from the trial gain for the trial's reading to stand; farther, the limiter is measured again. */
const TRIAL_TRUST_DB = 2;
/**
 * LAME's quality for speech: 7 (no noise shaping) instead of its default 3 takes half the
 * encoder's time (0.25 s of 0.5 s for 300 characters) and, on our speech at 64 kb/s, leaves less
 * error: 33.7 dB signal-to-noise against 25.9 dB (segmental 39.4 against 30.6). Noise shaping hides
 * noise under a music's masking; speech read from 22 kHz synthesis has little to hide it under.
 * Uploads (music) keep LAME's default.
 */
const SPEECH_LAME_QUALITY = 7;

const SPEECH_COMPRESSOR = 'acompressor=threshold=-24dB:ratio=4:attack=5:release=120:makeup=4';

interface Pass {
  gain_db: number;
  limit_db: number;
}

/**
 * Transcodes `input` to the broadcast profile at `output`. `onProgress` receives 0-100 (the
 * first encode ends at 95: a correction, when needed, runs past the estimate).
 */
export async function transcodeToBroadcast(
  input: string,
  output: string,
  profile: BroadcastProfile,
  duration_ms: number,
  onProgress: (pct: number) => void,
): Promise<LoudnessResult> {
  const before = ['aformat=channel_layouts=mono', ...(profile.speech ? [SPEECH_COMPRESSOR] : [])];
  const target = profile.loudness_lufs;
  const ceiling = profile.true_peak_db - METER_MARGIN_DB;
  const timeout = profile.timeout_s;

  // The encoder's loss is made up on top of the gain, so the cap is on what the listener hears.
  const maxGain = MAX_GAIN_DB + ENCODER_LOSS_LU;
  const aim = target + ENCODER_LOSS_LU;
  const limit_db = ceiling - CODEC_HEADROOM_DB;
  // Speech: the limiter is tried at its likely gain in the run that measures the source.
  const trial: Pass | undefined = profile.speech ? { gain_db: aim - SPEECH_LIKELY_LUFS, limit_db } : undefined;
  // The sample peak (under the true peak by at most a few tenths) is enough to tell whether the limiter will work.
  const [source, ...tried] = await measureLoudness(
    input,
    [{ filters: [], peak: 'sample' }, ...(trial ? limiterBranches(trial) : [])],
    timeout,
    duration_ms,
    (p) => onProgress(Math.round(p * 0.2)),
    before,
  );
  // Integrated loudness needs 400 ms of sound (EBU R128's gating block): a shorter clip reads as
  // silence though it may not be. Its peak tells the two apart; its level is left as it is.
  const tooShort = source.integrated < SILENCE_LUFS && duration_ms < 400 && source.true_peak > SILENCE_PEAK_DB;
  const silent = source.integrated < SILENCE_LUFS;
  const pass: Pass = { gain_db: silent ? 0 : Math.max(-40, Math.min(maxGain, aim - source.integrated)), limit_db };

  // Peaks that will reach the limiter cost loudness. How much, and how much more gain makes up
  // for it, is measured through the same limiter at two gains (one decode, no encoding: cheap):
  // in the first run when it was tried near enough the gain found, otherwise now, at that gain.
  if (!silent && pass.gain_db < maxGain && source.true_peak + pass.gain_db > limit_db - SAMPLE_PEAK_SLACK_DB) {
    const near = trial && Math.abs(trial.gain_db - pass.gain_db) <= TRIAL_TRUST_DB;
    const base = near ? trial : { ...pass };
    const [at, above] = near
      ? tried
      : await measureLoudness(
          input,
          limiterBranches(base),
          timeout,
          duration_ms,
          (p) => onProgress(20 + Math.round(p * 0.1)),
          before,
        );
    const slope = Math.min(1, Math.max(0.25, (above.integrated - at.integrated) / PROBE_STEP_DB));
    pass.gain_db = Math.min(maxGain, base.gain_db + (aim - at.integrated) / slope);
  }

  let encodes = 1;
  let result = await encodeAndMeasure(input, output, before, pass, profile, duration_ms, (p) =>
    onProgress(30 + Math.round(p * 0.65)),
  );
  const search = new GainSearch(target);
  for (let i = 0; i < MAX_CORRECTIONS; i++) {
    const overPeak = result.true_peak - ceiling;
    const offTarget = target - result.integrated;
    // A source already at the most gain it may have cannot come closer: it gets the warning instead.
    const levelOk = silent || Math.abs(offTarget) <= TOLERANCE_LU || (offTarget > 0 && pass.gain_db >= maxGain);
    if (overPeak <= 0 && levelOk) break;
    if (overPeak > 0) {
      // Over the ceiling: the limiter comes down by the excess and a little more (the codec's
      // overshoot scales with it); what was learnt about the gain held for the old limiter only.
      pass.limit_db -= overPeak + 0.2;
      search.reset();
    } else {
      search.record(pass.gain_db, result.integrated);
    }
    if (!levelOk) pass.gain_db = Math.max(-40, Math.min(maxGain, search.next(pass.gain_db, offTarget)));
    result = await encodeAndMeasure(input, output, before, pass, profile, duration_ms, () => {});
    encodes++;
  }
  // The ceiling is a promise about every file a loudspeaker plays: never store one over it.
  if (result.true_peak > ceiling)
    throw new Error(`true peak ${result.true_peak} dBTP stays over the ceiling ${profile.true_peak_db} dBTP`);
  onProgress(100);

  const output_lufs = Number.isFinite(result.integrated) ? result.integrated : -70;
  const missed = !silent && Math.abs(output_lufs - target) > PROMISE_LU;
  const source_lufs = silent ? null : source.integrated;
  let warning: LoudnessWarning | null = null;
  if (tooShort) warning = { code: 'media_warning_too_short', params: { ms: duration_ms } };
  else if (silent) warning = { code: 'media_warning_silent', params: {} };
  else if (missed && output_lufs < target && pass.gain_db >= maxGain) {
    warning = {
      code: 'media_warning_too_quiet',
      params: { source_lufs: source.integrated, output_lufs, target_lufs: target, max_gain_db: MAX_GAIN_DB },
    };
  } else if (missed) warning = { code: 'media_warning_off_target', params: { output_lufs, target_lufs: target } };
  return {
    loudness_lufs: output_lufs,
    true_peak_dbtp: Number.isFinite(result.true_peak) ? result.true_peak : -70,
    source_lufs,
    warning,
    encodes,
  };
}

/**
 * The gain that brings an encode to the target, found from the encodes so far: between the
 * nearest one under and the nearest one over the target when there are both, otherwise a step
 * sized by how fast loudness followed the gain (slower once the limiter works), never more than
 * MAX_STEP_DB at once.
 */
class GainSearch {
  private under?: { gain_db: number; integrated: number };
  private over?: { gain_db: number; integrated: number };
  private last?: { gain_db: number; integrated: number };
  private slope = 1;

  constructor(private readonly target: number) {}

  record(gain_db: number, integrated: number): void {
    if (this.last && gain_db !== this.last.gain_db) {
      this.slope = Math.min(1, Math.max(0.25, (integrated - this.last.integrated) / (gain_db - this.last.gain_db)));
    }
    this.last = { gain_db, integrated };
    if (integrated < this.target && (!this.under || gain_db > this.under.gain_db)) this.under = { gain_db, integrated };
    if (integrated > this.target && (!this.over || gain_db < this.over.gain_db)) this.over = { gain_db, integrated };
  }

  reset(): void {
    this.under = this.over = this.last = undefined;
    this.slope = 1;
  }

  next(gain_db: number, offTarget_lu: number): number {
    const { under, over } = this;
    if (under && over) {
      const between =
        under.gain_db +
        ((this.target - under.integrated) * (over.gain_db - under.gain_db)) / (over.integrated - under.integrated);
      return Number.isFinite(between) ? between : (under.gain_db + over.gain_db) / 2;
    }
    const step = offTarget_lu / this.slope;
    return gain_db + Math.max(-MAX_STEP_DB, Math.min(MAX_STEP_DB, step));
  }
}

/**
 * Gain, then the limiter at 4x the rate so that it holds the peaks between samples too. Only
 * estimating what the limiter takes off, it may run at the source's rate: the loudness it leaves
 * differs by hundredths of a LU, for a third of the work.
 */
function shaping({ gain_db, limit_db }: Pass, oversampled = true): string[] {
  const limiter = `alimiter=limit=${Math.pow(10, limit_db / 20).toFixed(4)}:level=false:attack=5:release=50`;
  return [
    `volume=${gain_db.toFixed(2)}dB`,
    ...(oversampled ? [`aresample=${OVERSAMPLED_HZ}`, limiter, 'aresample=44100'] : [limiter]),
  ];
}

/** What the limiter leaves at `pass`'s gain and PROBE_STEP_DB above, read at the source's rate. */
function limiterBranches(pass: Pass): Branch[] {
  return [pass, { ...pass, gain_db: pass.gain_db + PROBE_STEP_DB }].map((p) => ({
    filters: shaping(p, false),
    peak: 'none',
  }));
}

async function encodeAndMeasure(
  input: string,
  output: string,
  before: string[],
  pass: Pass,
  profile: BroadcastProfile,
  duration_ms: number,
  onProgress: (pct: number) => void,
): Promise<Measurement> {
  await run(
    ffmpeg(input, { timeout: profile.timeout_s })
      .inputOptions(SAFE_INPUT)
      // One thread: the box has two cores and an emergency must never wait for a transcode.
      .outputOptions(['-threads', '1', ...(profile.speech ? ['-compression_level', String(SPEECH_LAME_QUALITY)] : [])])
      .noVideo()
      .audioFilters([...before, ...shaping(pass)])
      .audioChannels(1)
      .audioFrequency(44100)
      .audioCodec('libmp3lame')
      .audioBitrate(profile.bitrate_kbps)
      .outputOptions(['-map_metadata', '-1'])
      .format('mp3')
      .output(output),
    (p) => onProgress(Math.round(p * 0.85)),
    duration_ms,
  );
  // What a receiver decodes is what is measured: the MP3, not the PCM it was made from.
  const [encoded] = await measureLoudness(
    output,
    [{ filters: [], peak: 'true' }],
    profile.timeout_s,
    duration_ms,
    (p) => onProgress(85 + Math.round(p * 0.15)),
  );
  return encoded;
}
