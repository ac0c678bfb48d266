/**
 * The kit's own media server: test tones made with the project's ffmpeg, served over HTTP with
 * the device's Basic credentials, as the controller serves `media.url` (without them: 401).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import type { PlayCommand } from '../../controller/protocol/messages.js';

export type MediaRef = NonNullable<PlayCommand['media']>;

/** The tones every run needs: short plays keep the run short; the long one is there to be cut. */
export const TONES = {
  short: { seconds: 1, frequency_hz: 440 },
  alarm: { seconds: 1, frequency_hz: 880 },
  long: { seconds: 5, frequency_hz: 330 },
} as const;
export type ToneName = keyof typeof TONES;

export interface KitMediaOptions {
  dir: string;
  host: string;
  port: number;
  /** The address the device uses to reach this server (default: host). */
  advertise?: string;
  username: string;
  password: string;
}

export class KitMedia {
  private server?: Server;
  private readonly files = new Map<string, Buffer>();
  private readonly refs = new Map<ToneName, MediaRef>();

  constructor(private readonly options: KitMediaOptions) {}

  async start(): Promise<string> {
    const o = this.options;
    const server = createServer((req, res) => {
      const expected = Buffer.from(`Basic ${Buffer.from(`${o.username}:${o.password}`).toString('base64')}`);
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="conformance"' }).end();
        return;
      }
      const body = this.files.get(req.url ?? '');
      if (!body || req.method !== 'GET') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': body.length }).end(body);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => resolve());
    });
    const base = `http://${o.advertise ?? o.host}:${(server.address() as AddressInfo).port}`;
    for (const [name, tone] of Object.entries(TONES) as [ToneName, (typeof TONES)[ToneName]][]) {
      const file = join(o.dir, `tone-${name}.mp3`);
      await promisify(execFile)(ffmpegInstaller.path, [
        '-y',
        '-hide_banner',
        '-loglevel',
        'error',
        '-f',
        'lavfi',
        '-i',
        `sine=frequency=${tone.frequency_hz}:duration=${tone.seconds}`,
        '-ac',
        '1',
        '-codec:a',
        'libmp3lame',
        '-b:a',
        '64k',
        file,
      ]);
      const body = readFileSync(file);
      this.files.set(`/media/${name}.mp3`, body);
      this.refs.set(name, {
        url: `${base}/media/${name}.mp3`,
        sha256: createHash('sha256').update(body).digest('hex'),
        size_bytes: body.length,
        duration_ms: tone.seconds * 1000,
        mime: 'audio/mpeg',
      });
    }
    return base;
  }

  ref(name: ToneName): MediaRef {
    const ref = this.refs.get(name);
    if (!ref) throw new Error('the media server is not started');
    return ref;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}
