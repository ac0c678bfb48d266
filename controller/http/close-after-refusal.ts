import type { Socket } from 'node:net';
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
export function closeGentlyAfterAnswer(socket: Socket): void {
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
