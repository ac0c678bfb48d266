/**
 * HTTP stream driver: while a broadcast plays, the group's mount sends its audio as MP3 to every
 * connected speaker; between broadcasts, silence. What it can know: which connections were sent
 * the broadcast's audio (named from the configured device list by IP and User-Agent). A broadcast
 * that no device fetched is reported failed: nothing shows it reached anyone.
 */
import type { PlayReport, PlayRequest, Player, StreamRequest } from '../agent/players.js';
import type { StreamDriverConfig } from './bridge-config.js';
import { runFfmpeg, type AudioSource } from './ffmpeg-run.js';
import { reportedAbort, sentReport } from './reports.js';
import type { Listener, StreamMount } from './stream-mount.js';
import { mp3Encoder } from './stream-server.js';

type Device = StreamDriverConfig['devices'][number];

/** "fetched by 2 devices (loa-cho, 10.0.0.9 VLC/3.0); not fetched: loa-dinh": names from the device list, else IP and User-Agent. */
export function fetchReport(fetched: Listener[], devices: Device[]): string {
  const matches = (d: Device, l: Listener) => d.ip === l.ip && (!d.user_agent || l.user_agent.includes(d.user_agent));
  const names = fetched.map(
    (l) => devices.find((d) => matches(d, l))?.name ?? `${l.ip}${l.user_agent ? ` ${l.user_agent}` : ''}`,
  );
  const missing = devices.filter((d) => !fetched.some((l) => matches(d, l))).map((d) => d.name);
  const unique = [...new Set(names)];
  return (
    `http stream: fetched by ${unique.length} device${unique.length === 1 ? '' : 's'}${unique.length ? ` (${unique.join(', ')})` : ''}` +
    (missing.length ? `; not fetched: ${missing.join(', ')}` : '')
  );
}

export class StreamDriver implements Player {
  constructor(
    private readonly config: StreamDriverConfig,
    private readonly mount: StreamMount,
    private readonly ffmpegPath?: string,
  ) {}

  play(request: PlayRequest, signal: AbortSignal): Promise<PlayReport> {
    return this.serve({ file: request.file, duration_ms: request.duration_ms }, request.volume_pct, signal);
  }

  playStream(request: StreamRequest, signal: AbortSignal): Promise<PlayReport> {
    return this.serve({ stream: request }, request.volume_pct, signal);
  }

  private async serve(source: AudioSource, volume_pct: number, signal: AbortSignal): Promise<PlayReport> {
    this.mount.begin();
    let fetched: Listener[] | undefined;
    // Fetched is not heard: a connection took the audio, nothing says a speaker sounded it.
    const report = () => sentReport(fetchReport((fetched ??= this.mount.end()), this.config.devices));
    try {
      await reportedAbort(
        report,
        runFfmpeg(
          {
            source,
            volume_pct,
            filters: [],
            output: [...mp3Encoder(this.config.bitrate_kbps), 'pipe:1'],
            onOutput: (c) => this.mount.feed(c),
            ffmpegPath: this.ffmpegPath,
          },
          signal,
        ),
      );
    } finally {
      fetched ??= this.mount.end();
    }
    const done = report();
    if (fetched.length === 0) throw new Error(`${done.detail}: played to its end, but no device fetched it`);
    return done;
  }
}
