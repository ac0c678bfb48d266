/**
 * Downloads audio named in a signed command, verifies its size and sha256 while streaming, and
 * keeps it in a cache named by hash. Only a file whose hash the controller signed is ever played.
 * Through Node's own client (controller/shared/http-client.ts): undici 6's fetch crashes the
 * agent with an uncatchable assertion when a server closes the connection while the body waits
 * for the disk, as an HTTP/1.0 server (or a proxy in front of the controller) may.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PlayCommand } from '../../controller/protocol/messages.js';
import { sendRequest, type HttpPool } from '../../controller/shared/http-client.js';

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
  httpPool?: HttpPool;
  /**
   * The shared pool for emergencies' downloads: in a fleet's one pool they queued behind a
   * broadcast's 1,000 downloads and started sounding 10-20 s after the click (an outsider,
   * 2026-12-04); a real receiver, with connections of its own, never waits so.
   */
  emergencyHttpPool?: HttpPool;
  /** The whole download, headers and body (default 2 minutes). */
  timeoutMs?: number;
  extension?: string;
}

export class MediaCache {
  private readonly httpPool?: HttpPool;
  private readonly emergencyHttpPool?: HttpPool;
  private readonly caCert?: string;
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
    this.httpPool = o.httpPool;
    this.emergencyHttpPool = o.emergencyHttpPool;
    this.caCert = o.caCert;
  }

  pathFor(sha256: string): string {
    return join(this.dir, `${sha256}.${this.extension}`);
  }

  /** The verified local file for this media, downloading it when it is not cached yet. */
  async fetch(media: NonNullable<PlayCommand['media']>, emergency = false): Promise<string> {
    const target = this.pathFor(media.sha256);
    if (existsSync(target)) return target;
    const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.part`;
    const auth = Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64');
    let response: IncomingMessage;
    try {
      // The signal bounds the whole download, body included; redirects within the controller's
      // origin keep the credentials, others lose them.
      response = await sendRequest(media.url, {
        headers: { authorization: `Basic ${auth}` },
        signal: AbortSignal.timeout(this.timeoutMs),
        ca: this.caCert,
        pool: (emergency && this.emergencyHttpPool) || this.httpPool,
      });
    } catch (err) {
      throw new DownloadError('download_failed', (err as Error).message);
    }
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) {
      response.destroy();
      throw new DownloadError('download_failed', `HTTP ${status}`);
    }

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
      await pipeline(response, meter, createWriteStream(tmp, { mode: 0o600 }));
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
