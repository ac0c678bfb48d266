/**
 * The bridge's one HTTP server for pull-type speakers: each `http_stream` group is a mount
 * (`/thon-1.mp3`); anything else is 404. The only port a bridge opens, and only when a group
 * needs it.
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { STREAM_SAMPLE_RATE, StreamMount } from './stream-mount.js';

/** The encoder arguments every mount's frames share (silence and broadcasts alike). */
export function mp3Encoder(bitrate_kbps: number): string[] {
  return [
    '-c:a',
    'libmp3lame',
    '-b:a',
    `${bitrate_kbps}k`,
    '-ar',
    String(STREAM_SAMPLE_RATE),
    '-ac',
    '1',
    '-write_xing',
    '0',
    '-id3v2_version',
    '0',
    '-f',
    'mp3',
  ];
}

/** About two seconds of encoded silence, whole frames only. */
async function encodeSilence(bitrate_kbps: number, ffmpegPath: string): Promise<Buffer> {
  const { stdout } = await promisify(execFile)(
    ffmpegPath,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      '-f',
      'lavfi',
      '-i',
      `anullsrc=r=${STREAM_SAMPLE_RATE}:cl=mono`,
      '-t',
      '2',
      ...mp3Encoder(bitrate_kbps),
      'pipe:1',
    ],
    { encoding: 'buffer' },
  );
  const frame = 3 * bitrate_kbps;
  return stdout.subarray(0, stdout.length - (stdout.length % frame));
}

/** The stream server could not listen (the port taken, a privileged port, an address not on this host). */
export class StreamServerListenError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string,
    cause: Error,
  ) {
    super(`the stream server cannot listen on ${host}:${port}: ${cause.message}`, { cause });
    this.name = 'StreamServerListenError';
  }
}

export class StreamServer {
  private readonly mounts = new Map<string, StreamMount>();
  private server?: Server;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly ffmpegPath = ffmpegInstaller.path,
  ) {}

  async mount(path: string, name: string, bitrate_kbps: number): Promise<StreamMount> {
    if (this.mounts.has(path)) throw new Error(`two http_stream groups share the mount ${path}`);
    const mount = new StreamMount(path, name, bitrate_kbps, await encodeSilence(bitrate_kbps, this.ffmpegPath));
    this.mounts.set(path, mount);
    mount.start();
    return mount;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const mount = this.mounts.get(new URL(req.url ?? '/', 'http://x').pathname);
      if (!mount || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      if (req.method === 'HEAD') {
        res.writeHead(200, { 'content-type': 'audio/mpeg' }).end();
        return;
      }
      mount.attach(res, listenerOf(req));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', (err: NodeJS.ErrnoException) =>
        reject(new StreamServerListenError(this.host, this.port, err.code ?? 'UNKNOWN', err)),
      );
      this.server!.listen(this.port, this.host, () => resolve());
    });
  }

  get url(): string {
    const { address, port } = this.server!.address() as AddressInfo;
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  }

  async stop(): Promise<void> {
    for (const m of this.mounts.values()) m.stop();
    // A server that never listened is closed at once (close answers it with an error, ignored).
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

function listenerOf(req: IncomingMessage): { ip: string; user_agent: string } {
  return { ip: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''), user_agent: req.headers['user-agent'] ?? '' };
}
