/**
 * Bounded downloads for CAP: an alert's audio and the documents of a feed come from outside, and
 * an answer may be any size. The limit holds while reading: a Content-Length over it is refused
 * before the body is read, and a body that grows past it is cut off at once (the connection is
 * aborted), so memory never holds more than the limit.
 */
import { open, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { sendRequest, TooLargeError } from '../shared/http-client.js';

export { TooLargeError };

export interface LimitedOptions {
  /** The whole download, headers and body (default 30 s). */
  timeoutMs?: number;
}

/** Reads the body chunk by chunk into `sink`, aborting once more than maxBytes came. Returns the byte count. */
async function stream(
  url: string,
  maxBytes: number,
  sink: (chunk: Uint8Array) => Promise<void> | void,
  o: LimitedOptions,
): Promise<number> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`no complete answer within ${o.timeoutMs ?? 30_000} ms`)),
    o.timeoutMs ?? 30_000,
  );
  let res: IncomingMessage | undefined;
  try {
    // Node's own client, following redirects (shared/http-client.ts says why not undici's fetch).
    res = await sendRequest(url, { signal: controller.signal });
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) throw new Error(`HTTP ${status}`);
    const declared = res.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBytes)
      throw new TooLargeError(`the answer declares ${declared} bytes, over the limit of ${maxBytes}`);
    let total = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      total += chunk.byteLength;
      if (total > maxBytes) throw new TooLargeError(`the answer is over the limit of ${maxBytes} bytes`);
      await sink(chunk);
    }
    if (!res.complete) throw new Error('the connection closed before the whole answer came');
    return total;
  } catch (err) {
    // An abort on timeout surfaces as AbortError; say why instead.
    if (controller.signal.aborted && controller.signal.reason instanceof Error && !(err instanceof TooLargeError))
      throw controller.signal.reason;
    throw err;
  } finally {
    clearTimeout(timer);
    // Whatever went wrong, close the connection: nothing more is read from it.
    res?.destroy();
    controller.abort();
  }
}

/** The body, at most maxBytes of it (else TooLargeError). */
export async function fetchLimited(url: string, maxBytes: number, o: LimitedOptions = {}): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  await stream(url, maxBytes, (c) => void chunks.push(c), o);
  return Buffer.concat(chunks);
}

/** The body written to `path` (mode 0600) as it comes, at most maxBytes of it; the file is removed on any failure. */
export async function downloadToFile(
  url: string,
  path: string,
  maxBytes: number,
  o: LimitedOptions = {},
): Promise<number> {
  const file = await open(path, 'wx', 0o600);
  try {
    const bytes = await stream(url, maxBytes, async (c) => void (await file.write(c)), o);
    await file.close();
    return bytes;
  } catch (err) {
    await file.close().catch(() => undefined);
    await rm(path, { force: true });
    throw err;
  }
}
