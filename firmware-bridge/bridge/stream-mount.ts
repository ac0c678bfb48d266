/**
 * One group's MP3 stream, as pull-type speakers (Icecast/SHOUTcast clients) play it. Between
 * broadcasts it sends MP3 silence, so a speaker stays connected and hears a broadcast from its
 * first frame without polling; during a broadcast it sends the broadcast's audio. It notes which
 * connections were sent broadcast audio: that, and only that, is what "fetched" means.
 *
 * Every frame has one size (MPEG-1 Layer III at 48 kHz, CBR: 144 x bitrate / 48 000 = 3 bytes a
 * kbit/s, never padded), so silence and broadcast frames join on frame boundaries.
 */
import type { ServerResponse } from 'node:http';

export const STREAM_SAMPLE_RATE = 48_000;
/** 1152 samples a frame at 48 kHz. */
const FRAME_MS = 24;
/** A connection this far behind is dropped, not buffered without end. */
const MAX_BACKLOG_BYTES = 1 << 20;

/**
 * The group's name as HTTP header text: ASCII, Vietnamese letters without their marks ("Truyền
 * thanh thôn Đoài" is "Truyen thanh thon Doai"). Headers are read as latin1 by many clients, so
 * UTF-8 bytes there show as "TruyÃ¡»n"; `fallback` when nothing of the name is left.
 */
export function asciiHeader(name: string, fallback: string): string {
  const ascii = name
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return ascii || fallback;
}

export interface Listener {
  ip: string;
  user_agent: string;
}

interface Connection extends Listener {
  res: ServerResponse;
}

export class StreamMount {
  private readonly connections = new Set<Connection>();
  /** Who was sent audio of the broadcast on air, by ip and user agent; undefined between broadcasts. */
  private fetched?: Map<string, Listener>;
  private pending = Buffer.alloc(0);
  private silenceTimer?: NodeJS.Timeout;
  private silenceSent = 0;
  private silenceSince = 0;

  constructor(
    readonly path: string,
    readonly name: string,
    readonly bitrate_kbps: number,
    private readonly silence: Buffer,
  ) {}

  get frameBytes(): number {
    return 3 * this.bitrate_kbps;
  }

  start(): void {
    this.resumeSilence();
  }

  stop(): void {
    clearInterval(this.silenceTimer);
    for (const c of this.connections) c.res.destroy();
    this.connections.clear();
  }

  /** A speaker connects: Icecast-style headers, no length (a stream has no end), no chunking. */
  attach(res: ServerResponse, listener: Listener): void {
    res.useChunkedEncodingByDefault = false;
    res.writeHead(200, {
      'content-type': 'audio/mpeg',
      // ASCII only: the name with its marks as UTF-8 bytes breaks players that read headers as latin1.
      'icy-name': asciiHeader(this.name, this.path.replace(/^\//, '') || 'stream'),
      'icy-br': String(this.bitrate_kbps),
      'icy-pub': '0',
      'icy-sr': String(STREAM_SAMPLE_RATE),
      'cache-control': 'no-cache, no-store',
      connection: 'close',
    });
    const c: Connection = { ...listener, res };
    this.connections.add(c);
    res.on('close', () => this.connections.delete(c));
  }

  /** A broadcast goes on air: its frames replace the silence. */
  begin(): void {
    clearInterval(this.silenceTimer);
    this.silenceTimer = undefined;
    this.fetched = new Map();
    this.pending = Buffer.alloc(0);
  }

  /** Encoder output, cut on frame boundaries and sent to every connection. */
  feed(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    const whole = this.pending.length - (this.pending.length % this.frameBytes);
    if (whole === 0) return;
    this.send(this.pending.subarray(0, whole), true);
    this.pending = this.pending.subarray(whole);
  }

  /** The broadcast is over (or cut): who was sent its audio; silence resumes. */
  end(): Listener[] {
    const fetched = [...(this.fetched?.values() ?? [])];
    this.fetched = undefined;
    this.pending = Buffer.alloc(0);
    this.resumeSilence();
    return fetched;
  }

  private send(frames: Buffer, ofBroadcast: boolean): void {
    for (const c of this.connections) {
      if (c.res.writableLength > MAX_BACKLOG_BYTES) {
        c.res.destroy();
        continue;
      }
      c.res.write(frames);
      if (ofBroadcast) this.fetched?.set(`${c.ip} ${c.user_agent}`, { ip: c.ip, user_agent: c.user_agent });
    }
  }

  /** Silence paced by the clock: as many frames as the time elapsed asks for, a little ahead. */
  private resumeSilence(): void {
    clearInterval(this.silenceTimer);
    this.silenceSince = performance.now();
    this.silenceSent = 0;
    const frames = Math.floor(this.silence.length / this.frameBytes);
    this.silenceTimer = setInterval(() => {
      const due = Math.floor((performance.now() - this.silenceSince) / FRAME_MS) + 10;
      for (; this.silenceSent < due; this.silenceSent++) {
        const i = this.silenceSent % frames;
        this.send(this.silence.subarray(i * this.frameBytes, (i + 1) * this.frameBytes), false);
      }
    }, 10 * FRAME_MS);
  }
}
