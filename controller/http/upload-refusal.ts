/**
 * Refusing an upload while its body is still coming, so that the uploader reads why: the file
 * cut off the moment it passes its limit, and the connection closed gently after the answer.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Long enough for a client on a slow link to read the refusal; short enough not to take in a 300 MB body. */
const LINGER_MS = 2000;

/**
 * Closes a connection after a refusal sent before the request's body was read, so that the client
 * reads the refusal instead of a reset.
 *
 * Node ends such a connection with `socket.destroySoon()` once the answer is written, closing the
 * socket while the client's body bytes are still unread in it. Linux then sends a reset, and a
 * client that is still uploading loses the answer it had not yet read: a 40 MB upload refused with
 * 413 came back as a connection reset 100 times in 100 (2026-12-04, loopback). Here the server
 * closes its sending side, keeps discarding what arrives for a moment (a "lingering close", as
 * Apache and nginx do), then closes.
 */
function closeGentlyAfterAnswer(socket: Socket): void {
  socket.destroySoon = function lingeringClose(this: Socket) {
    this.end();
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
  };
}

/** For a refusal sent while the request's body is still coming: answer, then close gently. */
export function refuseWhileUploading(req: FastifyRequest, reply: FastifyReply): void {
  void reply.header('connection', 'close');
  closeGentlyAfterAnswer(req.raw.socket);
  // What still arrives is read and dropped meanwhile: after a file stream is cut short, the
  // multipart parser no longer reads the request, and unread bytes are what makes the reset.
  req.raw.resume();
}

/**
 * Writes a multipart file to `path`, stopping the moment it passes the parser's size limit.
 * Without the stop the parser only cuts the file short and reads on to the end of the body: a
 * chunked upload (no length declared) of 300 MB was read whole before its 413, and raised the
 * controller's memory by 47 MB. Resolves false when the file was too large; nothing is left at
 * `path` then, nor when the stream breaks (which rejects).
 */
export async function saveUploadedFile(file: Readable & { truncated?: boolean }, path: string): Promise<boolean> {
  let overLimit = false;
  file.once('limit', () => {
    overLimit = true;
    file.destroy();
  });
  try {
    await pipeline(file, createWriteStream(path, { mode: 0o600 }));
  } catch (err) {
    await rm(path, { force: true });
    if (overLimit) return false;
    throw err;
  }
  if (!file.truncated) return true;
  await rm(path, { force: true });
  return false;
}
