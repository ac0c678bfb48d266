/**
 * Downloads audio named in a signed command, verifies its size and sha256 while streaming, and
 * keeps it in a cache named by hash. Only a file whose hash the controller signed is ever played.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Agent, fetch } from 'undici';
import type { PlayCommand } from '../../controller/protocol/messages.js';

export class DownloadError extends Error {
  constructor(
    readonly reason: 'download_failed' | 'hash_mismatch' | 'size_mismatch' | 'storage_error',
    message: string,
    /** Worth trying again: the link or the server failed, not the file (a wrong hash stays wrong). */
    readonly transient = reason === 'download_failed',
  ) {
    super(message);
  }
}

export interface MediaCacheOptions {
  dir: string;
  credentials: { username: string; password: string };
  /** A commune's own CA, trusted for downloads as for MQTT. */
  caCert?: string;
  /** A shared connection pool (simulated fleets: thousands of receivers in one process). */
  dispatcher?: Agent;
  timeoutMs?: number;
  extension?: string;
}

export class MediaCache {
  private readonly dispatcher?: Agent;
  private readonly dir: string;
  private readonly credentials: { username: string; password: string };
  private readonly timeoutMs: number;
  private readonly extension: string;

  constructor(o: MediaCacheOptions) {
    this.dir = o.dir;
    this.credentials = o.credentials;
    this.timeoutMs = o.timeoutMs ?? 120_000;
    this.extension = o.extension ?? 'mp3';
    mkdirSync(o.dir, { recursive: true, mode: 0o700 });
    this.dispatcher = o.dispatcher ?? (o.caCert ? new Agent({ connect: { ca: o.caCert } }) : undefined);
  }

  pathFor(sha256: string): string {
    return join(this.dir, `${sha256}.${this.extension}`);
  }

  /** The verified local file for this media, downloading it when it is not cached yet. */
  async fetch(media: NonNullable<PlayCommand['media']>): Promise<string> {
    const target = this.pathFor(media.sha256);
    if (existsSync(target)) return target;
    const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.part`;
    const auth = Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64');
    let response: Awaited<ReturnType<typeof fetch>>;
    try {
      response = await fetch(media.url, {
        headers: { authorization: `Basic ${auth}` },
        signal: AbortSignal.timeout(this.timeoutMs),
        dispatcher: this.dispatcher,
      });
    } catch (err) {
      throw new DownloadError('download_failed', (err as Error).message);
    }
    if (!response.ok || !response.body) throw new DownloadError('download_failed', `HTTP ${response.status}`);

    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        // Stop a hostile or broken server from filling the disk.
        if (size > media.size_bytes)
          return done(new DownloadError('size_mismatch', `more than ${media.size_bytes} bytes`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(response.body as any), meter, createWriteStream(tmp, { mode: 0o600 }));
    } catch (err) {
      await rm(tmp, { force: true });
      if (err instanceof DownloadError) throw err;
      throw new DownloadError('download_failed', (err as Error).message);
    }
    if (size !== media.size_bytes) {
      await rm(tmp, { force: true });
      // Fewer bytes is a transfer cut short (the controller stopped mid-answer): try again.
      throw new DownloadError(
        'size_mismatch',
        `got ${size} bytes, expected ${media.size_bytes}`,
        size < media.size_bytes,
      );
    }
    if (hash.digest('hex') !== media.sha256) {
      await rm(tmp, { force: true });
      throw new DownloadError('hash_mismatch', 'sha256 differs from the signed command');
    }
    await rename(tmp, target);
    return target;
  }
}
