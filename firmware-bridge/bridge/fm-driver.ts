/**
 * FM driver: plays to the sound device that feeds the exciter, keying the transmitter before
 * (lead time: the carrier settles) and releasing it after (tail time), and at once when cut by a
 * stop or an emergency. At start it always releases the key: a crash may have left it keyed, and
 * a transmitter keyed on dead air blocks the channel for everyone.
 *
 * What it can know: that it keyed the transmitter and played the audio into it. Not that the
 * carrier went out, nor that a radio heard it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import {
  PlaybackAborted,
  type PlayReport,
  type PlayRequest,
  type Player,
  type StreamRequest,
} from '../agent/players.js';
import type { FmDriverConfig } from './bridge-config.js';
import { FfmpegFailed, runFfmpeg, type AudioSource } from './ffmpeg-run.js';
import { openPttLine, type PttLine } from './ptt-line.js';
import { reportedAbort, sentReport } from './reports.js';

export class FmDriver implements Player {
  private line?: PttLine;

  constructor(
    private readonly config: FmDriverConfig,
    private readonly ffmpegPath?: string,
    private readonly log?: Logger,
  ) {}

  /**
   * Opens the key line and releases it, whatever state a crash left it in. A line that cannot be
   * opened (the USB serial adapter unplugged) does not stop the bridge: the other groups play on,
   * this one tries again at each item and says why it could not key (returned here for the log).
   */
  start(): Error | undefined {
    try {
      this.openLine();
      return undefined;
    } catch (err) {
      return err as Error;
    }
  }

  /** Writes to the key line; a line that failed (unplugged) is dropped, to be opened again next time. */
  private onLine(line: PttLine, write: () => void): void {
    try {
      write();
    } catch (err) {
      if (this.line === line) this.line = undefined;
      try {
        line.close();
      } catch {
        /* already gone */
      }
      throw new Error(`fm: writing to the transmitter key line (${line.name}) failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  private openLine(): PttLine {
    if (this.line) return this.line;
    const { ptt } = this.config;
    try {
      const line = openPttLine(ptt);
      line.unkey();
      this.line = line;
      return line;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new Error(
        `fm: the transmitter key line ${ptt.path} cannot be used (${code}): check the cable and ptt.path in the bridge config`,
        { cause: err },
      );
    }
  }

  stop(): void {
    this.line?.unkey();
    this.line?.close();
    this.line = undefined;
  }

  play(request: PlayRequest, signal: AbortSignal): Promise<PlayReport> {
    return this.transmit({ file: request.file, duration_ms: request.duration_ms }, request.volume_pct, signal);
  }

  playStream(request: StreamRequest, signal: AbortSignal): Promise<PlayReport> {
    return this.transmit({ stream: request }, request.volume_pct, signal);
  }

  private async transmit(source: AudioSource, volume_pct: number, signal: AbortSignal): Promise<PlayReport> {
    // Nothing to hear (a technician's silent test in quiet hours, a receiver turned to 0): the
    // audio path is run without keying, since a carrier alone opens the radios on the poles.
    if (volume_pct === 0) return this.unkeyedRun(source, signal);
    const line = this.openLine();
    const { lead_ms, tail_ms, output_format, output_device } = this.config;
    // Keyed and fed: nobody confirms reception, so it vouches for sending only.
    const report = (how: string) =>
      sentReport(
        `fm: transmitter keyed (${line.name}), audio played to ${output_format} ${output_device}, released ${how}`,
      );
    if (signal.aborted) throw new PlaybackAborted('aborted');
    this.onLine(line, () => line.key());
    try {
      await reportedAbort(
        () => report('when cut short'),
        (async () => {
          await sleep(lead_ms, undefined, { signal }).catch(() => {
            throw new PlaybackAborted('aborted');
          });
          await this.toDevice(source, volume_pct, signal);
          // Cut during the tail: the audio is out, release now.
          await sleep(tail_ms, undefined, { signal }).catch(() => {});
        })(),
      );
    } finally {
      this.onLine(line, () => line.unkey());
    }
    return report('after the tail');
  }

  private async unkeyedRun(source: AudioSource, signal: AbortSignal): Promise<PlayReport> {
    const { output_format, output_device } = this.config;
    await this.toDevice(source, 0, signal);
    return sentReport(`fm: volume 0: played to ${output_format} ${output_device} silently, transmitter not keyed`);
  }

  /**
   * The audio into the exciter's sound device. ffmpeg failing here is almost always the device (not
   * there, busy, a wrong name): the ack's detail names it, as ffmpeg's own words do not.
   */
  private async toDevice(source: AudioSource, volume_pct: number, signal: AbortSignal): Promise<void> {
    const { output_format, output_device } = this.config;
    const output = ['-f', output_format, output_device];
    try {
      await runFfmpeg({ source, volume_pct, filters: [], output, ffmpegPath: this.ffmpegPath }, signal);
    } catch (err) {
      if (!(err instanceof FfmpegFailed)) throw err;
      this.log?.warn({ device: output_device, format: output_format, err: err.message }, 'FM sound device failed');
      throw new Error(
        `fm: the sound device ${output_device} (${output_format}) cannot be opened or played to: ${err.message}`,
        { cause: err },
      );
    }
  }
}
