/**
 * The one outbound HTTP client of the controller and the agent (controller/shared/http-client.ts):
 * it survives an HTTP/1.0 server closing the connection under a slow reader (undici 6 crashed
 * the process there: nodejs/undici#5360), follows redirects only for GET and never hands
 * credentials to another origin, bounds what it reads, times out with words, and trusts a
 * commune's own CA when told to.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  httpExchange,
  httpPool,
  readBody,
  sendRequest,
  TooLargeError,
} from '../../../controller/shared/http-client.js';
import { http10Server, selfSignedCert } from '../../helpers/http-servers.js';

const dir = mkdtempSync(join(tmpdir(), 'http-client-'));
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe('the shared HTTP client', () => {
  it('reads a whole body from an HTTP/1.0 server that closes the connection while a slow reader lags, and the process stays up', async () => {
    const body = Buffer.alloc(900_000, 7);
    const old = await http10Server(body);
    try {
      for (let i = 0; i < 5; i++) {
        const res = await sendRequest(`${old.url}/ban-tin.mp3`);
        let n = 0;
        for await (const chunk of res as AsyncIterable<Buffer>) {
          n += chunk.length;
          await new Promise((r) => setTimeout(r, 1)); // the disk or the transcoder, slower than the network
        }
        expect(n).toBe(body.length);
        expect(res.complete).toBe(true);
      }
    } finally {
      await old.close();
    }
  });

  it('follows a GET redirect, keeping credentials within the origin and dropping them for another', async () => {
    const seen: { path: string; auth?: string }[] = [];
    const other = await serve((req, res) => {
      seen.push({ path: `other${req.url}`, auth: req.headers.authorization });
      res.end('there');
    });
    const home = await serve((req, res) => {
      seen.push({ path: req.url ?? '', auth: req.headers.authorization });
      if (req.url === '/a') return res.writeHead(302, { location: '/b' }).end();
      if (req.url === '/b') return res.writeHead(301, { location: `${other}/c` }).end();
      res.end('?');
    });
    const res = await httpExchange(`${home}/a`, { headers: { authorization: 'Basic c2VjcmV0' } });
    expect(res.body.toString()).toBe('there');
    expect(seen).toEqual([
      { path: '/a', auth: 'Basic c2VjcmV0' },
      { path: '/b', auth: 'Basic c2VjcmV0' },
      { path: 'other/c', auth: undefined },
    ]);
  });

  it('answers a POST with its 3xx, never replaying it elsewhere; GET gives up after too many redirects', async () => {
    let posts = 0;
    const url = await serve((req, res) => {
      if (req.method === 'POST') posts++;
      res.writeHead(307, { location: req.url === '/loop' ? '/loop' : '/elsewhere' }).end();
    });
    const res = await httpExchange(`${url}/hook`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(307);
    expect(posts).toBe(1);
    await expect(sendRequest(`${url}/loop`)).rejects.toThrow('more than 5 redirects');
  });

  it('refuses a body over the limit, declared or read', async () => {
    const declared = await serve((_req, res) => res.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000)));
    await expect(httpExchange(declared, { maxBytes: 1000 })).rejects.toBeInstanceOf(TooLargeError);
    const chunked = await serve((_req, res) => {
      res.write('x'.repeat(800));
      res.end('x'.repeat(800));
    });
    await expect(readBody(await sendRequest(chunked), 1000)).rejects.toThrow('over the limit of 1000 bytes');
  });

  it('ends a stalled answer at the deadline with the reason, body included', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200);
      res.write('a little'); // and then nothing
    });
    const res = await sendRequest(url, { signal: AbortSignal.timeout(300) });
    const started = Date.now();
    await expect(readBody(res, 1000)).rejects.toThrow(/timeout/);
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(sendRequest('ftp://127.0.0.1/x')).rejects.toThrow('not an http(s) address');
  });

  it("trusts a commune's own CA when given it, through a shared pool too, and not otherwise", async () => {
    const { cert, key } = selfSignedCert(dir);
    const server = createHttpsServer({ cert, key }, (_req, res) => res.end('secure'));
    servers.push(server as unknown as Server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `https://127.0.0.1:${(server.address() as { port: number }).port}/`;
    expect((await httpExchange(url, { ca: cert })).body.toString()).toBe('secure');
    expect((await httpExchange(url, { ca: cert, pool: httpPool(2) })).body.toString()).toBe('secure');
    await expect(httpExchange(url)).rejects.toThrow(/self[- ]signed/i);
  });
});
