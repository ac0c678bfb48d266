/**
 * The agent's downloads of signed media and update packages (firmware-bridge/agent/media-cache.ts):
 * streamed to disk with the receiver's HTTP Basic credentials, kept only when the size and the
 * sha256 are the signed ones, bounded in time, over TLS with the commune's CA, and safe against
 * an HTTP/1.0 server closing the connection while the disk lags (undici 6 crashed the agent
 * there: nodejs/undici#5360).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait.js';
import { DownloadError, MediaCache } from '../../../firmware-bridge/agent/media-cache.js';
import { httpPool } from '../../../controller/shared/http-client.js';
import { http10Server, selfSignedCert } from '../../helpers/http-servers.js';

const root = mkdtempSync(join(tmpdir(), 'media-cache-'));
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const credentials = { username: 'rx-1', password: 'bi-mat-cua-cum-loa' };
const basic = `Basic ${Buffer.from('rx-1:bi-mat-cua-cum-loa').toString('base64')}`;
const audio = Buffer.alloc(300_000, 9);
const signed = (body: Buffer, url: string) => ({
  url,
  sha256: createHash('sha256').update(body).digest('hex'),
  size_bytes: body.length,
  duration_ms: 1000,
  mime: 'audio/mpeg' as const,
});
let n = 0;
const cache = (o: Partial<ConstructorParameters<typeof MediaCache>[0]> = {}) =>
  new MediaCache({ dir: join(root, `c${++n}`), credentials, ...o });

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** Serves `body` to the receiver's credentials only. */
const withCredentials =
  (body: Buffer): RequestListener =>
  (req, res) => {
    if (req.headers.authorization !== basic) return res.writeHead(401).end();
    res.writeHead(200, { 'content-type': 'audio/mpeg' }).end(body);
  };

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as DownloadError,
  );

describe('media downloads', () => {
  it('downloads with the credentials, keeps the verified file by hash, and does not fetch it again', async () => {
    let requests = 0;
    const url = await serve((req, res) => {
      requests++;
      withCredentials(audio)(req, res);
    });
    const c = cache();
    const file = await c.fetch(signed(audio, `${url}/api/media/m1/file`));
    expect(file).toBe(c.pathFor(signed(audio, '').sha256));
    expect(readFileSync(file).equals(audio)).toBe(true);
    expect(await c.fetch(signed(audio, `${url}/api/media/m1/file`))).toBe(file);
    expect(requests).toBe(1);
  });

  it('refuses a wrong hash, a body over the signed size (not worth retrying) and a short one (worth retrying), leaving nothing behind', async () => {
    const c = cache();
    const other = Buffer.alloc(audio.length, 1);
    const wrong = await failure(c.fetch(signed(audio, await serve(withCredentials(other)))));
    expect(wrong).toMatchObject({ reason: 'hash_mismatch', transient: false });
    const longer = await failure(c.fetch(signed(audio, await serve(withCredentials(Buffer.concat([audio, audio]))))));
    expect(longer).toMatchObject({ reason: 'size_mismatch', transient: false });
    const shorter = await failure(c.fetch(signed(audio, await serve(withCredentials(audio.subarray(0, 1000))))));
    expect(shorter).toMatchObject({ reason: 'size_mismatch', transient: true });
    expect(readdirSync(join(root, `c${n}`))).toEqual([]);
  });

  it('says download_failed on a refusal, a dead server and a stalled answer (within its time limit)', async () => {
    const c = cache({ timeoutMs: 500 });
    const refused = await failure(c.fetch(signed(audio, await serve((_req, res) => res.writeHead(404).end()))));
    expect(refused).toMatchObject({ reason: 'download_failed', transient: true, message: 'HTTP 404' });
    const dead = await failure(c.fetch(signed(audio, 'http://127.0.0.1:1/x')));
    expect(dead).toMatchObject({ reason: 'download_failed' });
    const stalled = await serve((_req, res) => {
      res.writeHead(200);
      res.write(audio.subarray(0, 1000)); // and then nothing
    });
    const started = Date.now();
    const late = await failure(c.fetch(signed(audio, stalled)));
    expect(late).toMatchObject({ reason: 'download_failed' });
    expect(late?.message).toMatch(/timeout/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(readdirSync(join(root, `c${n}`))).toEqual([]);
  });

  it('takes a whole file from an HTTP/1.0 server that closes the connection while the disk lags, and stays up', async () => {
    // Large enough that the body is still arriving when the FIN comes.
    const long = Buffer.alloc(4_000_000, 5);
    const old = await http10Server(long);
    try {
      for (let i = 0; i < 4; i++) {
        const file = await cache().fetch(signed(long, `${old.url}/ban-tin.mp3`));
        expect(readFileSync(file).length).toBe(long.length);
      }
      expect(old.heads[0]).toContain(`authorization: ${basic}`);
    } finally {
      await old.close();
    }
  });

  it("trusts the commune's CA from the agent's config for an HTTPS controller", async () => {
    const { cert, key } = selfSignedCert(mkdtempSync(join(root, 'tls-')));
    const server = createHttpsServer({ cert, key }, withCredentials(audio));
    servers.push(server as unknown as Server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `https://127.0.0.1:${(server.address() as { port: number }).port}/api/media/m1/file`;
    expect(existsSync(await cache({ caCert: cert }).fetch(signed(audio, url)))).toBe(true);
    const untrusted = await failure(cache().fetch(signed(audio, url)));
    expect(untrusted).toMatchObject({ reason: 'download_failed' });
  });
  it("downloads an emergency's audio while a fleet's shared pool is full of a broadcast's slow downloads", async () => {
    const emergencyAudio = Buffer.alloc(1000, 7);
    const stalled: import('node:http').ServerResponse[] = [];
    const url = await serve((req, res) => {
      if (req.url === '/api/media/emergency/file') return withCredentials(emergencyAudio)(req, res);
      stalled.push(res.writeHead(200, { 'content-type': 'audio/mpeg' })); // sends no body yet
    });
    const shared = { httpPool: httpPool(2), emergencyHttpPool: httpPool(2) };
    // Two receivers of a simulated fleet hold the normal pool's both sockets with the broadcast's audio.
    const normal = [cache(shared), cache(shared)].map((c) =>
      failure(c.fetch(signed(audio, `${url}/api/media/news/file`))),
    );
    await waitFor(() => stalled.length === 2, 'both sockets of the pool busy');
    const file = await cache(shared).fetch(signed(emergencyAudio, `${url}/api/media/emergency/file`), true);
    expect(readFileSync(file).equals(emergencyAudio)).toBe(true);
    for (const res of stalled) res.end(audio);
    expect(await Promise.all(normal)).toEqual([undefined, undefined]);
  });
});
