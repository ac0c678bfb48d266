/**
 * Bounded downloads for CAP audio and feed documents: a Content-Length over the limit is refused
 * before the body is read, and a body without end is cut off once past the limit (a 400 MB answer
 * used to be read whole into memory first).
 */
import { mkdtempSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadToFile, fetchLimited, TooLargeError } from '../../../controller/cap/cap-download.js';

let server: Server | undefined;
const dir = mkdtempSync(join(tmpdir(), 'cap-download-'));
afterEach(() => {
  server?.close();
  server = undefined;
});

async function serve(handler: RequestListener): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server!.address() as any).port}/`;
}

/** An answer that never ends unless the client goes; counts what it wrote. */
function endless(stats: { sent: number; closed: boolean }, headers: Record<string, string> = {}): RequestListener {
  const chunk = Buffer.alloc(64 * 1024, 7);
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'audio/mpeg', ...headers });
    const pump = () => {
      while (!stats.closed && stats.sent < 400 * 1024 * 1024 && res.write(chunk)) stats.sent += chunk.length;
    };
    res.on('drain', pump);
    res.on('close', () => {
      stats.closed = true;
    });
    pump();
  };
}

describe('bounded downloads', () => {
  it('reads a body within the limit', async () => {
    const url = await serve((_req, res) => res.end('x'.repeat(1000)));
    expect((await fetchLimited(url, 1000)).length).toBe(1000);
  });

  it('cuts off a body without end once over the limit, holding no more than the limit', async () => {
    const stats = { sent: 0, closed: false };
    const url = await serve(endless(stats));
    const before = process.memoryUsage().rss;
    await expect(fetchLimited(url, 1024 * 1024)).rejects.toBeInstanceOf(TooLargeError);
    await new Promise((r) => setTimeout(r, 200));
    expect(stats.closed).toBe(true);
    expect(stats.sent).toBeLessThan(20 * 1024 * 1024); // not 400 MB
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses a Content-Length over the limit before reading the body', async () => {
    const stats = { sent: 0, closed: false };
    const url = await serve(endless(stats, { 'content-length': String(400 * 1024 * 1024) }));
    const err = await fetchLimited(url, 1024 * 1024).catch((e) => e);
    expect(err).toBeInstanceOf(TooLargeError);
    expect(err.message).toMatch(/declares 419430400 bytes/);
  });

  it('streams to a file and removes it when the answer is too large', async () => {
    const ok = await serve((_req, res) => res.end(Buffer.alloc(5000, 3)));
    const path = join(dir, 'ok.upload');
    expect(await downloadToFile(ok, path, 10_000)).toBe(5000);
    expect(readFileSync(path).length).toBe(5000);
    server!.close();
    const stats = { sent: 0, closed: false };
    const big = await serve(endless(stats));
    const tooBig = join(dir, 'big.upload');
    await expect(downloadToFile(big, tooBig, 100_000)).rejects.toBeInstanceOf(TooLargeError);
    expect(existsSync(tooBig)).toBe(false);
  });

  it('refuses an HTTP error', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    await expect(fetchLimited(url, 1000)).rejects.toThrow(/HTTP 404/);
  });
});

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
