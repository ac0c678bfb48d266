/**
 * Outbound HTTP through Node's own client (node:http, node:https), for what the controller and
 * the receiver agent fetch from or send to other machines: CAP audio and feeds, playlist
 * imports, cloud voices, health webhooks, the agent's media and update downloads. Not undici's
 * fetch: undici 6 crashes the whole process with an uncatchable assertion (nodejs/undici#5360)
 * when a server closes the connection while a slow reader has paused the body, which any
 * HTTP/1.0 server does (python3 -m http.server); those servers are not ours to choose.
 * Importable from firmware-bridge too: it depends on nothing but Node.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Redirects followed by default (GET and HEAD only). */
export const MAX_REDIRECTS = 5;

/** An answer over a size limit (declared or read). */
export class TooLargeError extends Error {}

/** Connections shared by many clients of one process (a simulated fleet of receivers). */
export interface HttpPool {
  http: HttpAgent;
  https: HttpsAgent;
}

export function httpPool(maxSockets: number): HttpPool {
  return {
    http: new HttpAgent({ keepAlive: true, maxSockets }),
    https: new HttpsAgent({ keepAlive: true, maxSockets }),
  };
}

export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Ends the whole exchange, the answer's body included, failing with the signal's reason. */
  signal?: AbortSignal;
  /** Trusted in place of the system's CAs for https addresses (a commune's own CA). */
  ca?: string;
  pool?: HttpPool;
  /**
   * Redirects followed for GET and HEAD (default MAX_REDIRECTS; 0 answers with the 3xx itself).
   * Other methods never follow one: a POST is not replayed somewhere the caller did not name.
   */
  maxRedirects?: number;
}

const reasonOf = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted'));

/**
 * One exchange: resolves with the answer once its headers came, its body still to be read (or
 * resumed: a body left unread holds the connection). Rejects on a network or TLS failure.
 */
export function sendRequest(target: string | URL, o: HttpRequestOptions = {}, redirects = 0): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const url = new URL(target);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return reject(new Error(`not an http(s) address: ${url.protocol}`));
    const { signal } = o;
    if (signal?.aborted) return reject(reasonOf(signal));
    const secure = url.protocol === 'https:';
    const method = (o.method ?? 'GET').toUpperCase();
    const req = (secure ? httpsRequest : httpRequest)(url, {
      method,
      headers: o.headers,
      agent: o.pool ? (secure ? o.pool.https : o.pool.http) : undefined,
      ...(secure && o.ca ? { ca: o.ca } : {}),
    });
    let answer: IncomingMessage | undefined;
    // Our own listener rather than the request's `signal` option: the answer is destroyed too,
    // and with the reason (a timeout says so) instead of a bare AbortError.
    const onAbort = () => {
      const reason = reasonOf(signal!);
      req.destroy(reason);
      answer?.destroy(reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const release = () => signal?.removeEventListener('abort', onAbort);
    req.on('error', (err) => {
      release();
      reject(err);
    });
    req.on('response', (res) => {
      answer = res;
      res.once('close', release);
      const status = res.statusCode ?? 0;
      const limit = o.maxRedirects ?? MAX_REDIRECTS;
      const location = res.headers.location;
      if (status < 300 || status >= 400 || !location || limit === 0 || (method !== 'GET' && method !== 'HEAD'))
        return resolve(res);
      res.resume();
      if (redirects >= limit) return reject(new Error(`more than ${limit} redirects`));
      const next = new URL(location, url);
      // As fetch does: credentials meant for one origin are not handed to another.
      const headers = { ...o.headers };
      if (next.origin !== url.origin)
        for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
      resolve(sendRequest(next, { ...o, headers }, redirects + 1));
    });
    req.end(o.body);
  });
}

/** The answer's body in memory, at most maxBytes of it (else TooLargeError, the connection closed). */
export async function readBody(res: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = res.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    res.destroy();
    throw new TooLargeError(`the answer declares ${declared} bytes, over the limit of ${maxBytes}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  // Leaving the loop early (a throw) destroys the answer: nothing more is read.
  for await (const chunk of res as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new TooLargeError(`the answer is over the limit of ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  if (!res.complete) throw new Error('the connection closed before the whole answer came');
  return Buffer.concat(chunks);
}

export interface HttpAnswer {
  status: number;
  /** 2xx. */
  ok: boolean;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One exchange with its answer read whole (at most `maxBytes`, default 64 MiB): for small JSON and audio answers. */
export async function httpExchange(
  url: string | URL,
  o: HttpRequestOptions & { maxBytes?: number } = {},
): Promise<HttpAnswer> {
  const res = await sendRequest(url, o);
  const status = res.statusCode ?? 0;
  const body = await readBody(res, o.maxBytes ?? 64 * 1024 * 1024);
  return { status, ok: status >= 200 && status < 300, headers: res.headers, body };
}

/** The body as JSON, or undefined when it is not JSON. */
export function jsonOf(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
