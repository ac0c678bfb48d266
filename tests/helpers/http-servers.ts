/**
 * Servers as clients meet them outside: one that answers as HTTP/1.0 does (no length, the end of
 * the body is the connection closing: python3 -m http.server, old CAP and media servers), and
 * a self-signed certificate as a commune without a public name makes for its controller.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { join } from 'node:path';

export interface RawServer {
  url: string;
  /** What each request's head said, in order. */
  heads: string[];
  close(): Promise<void>;
}

/**
 * Answers every request `HTTP/1.0 <status>` with `body` and closes the connection at once:
 * the FIN comes while the client is still reading, the case that crashed undici 6
 * (nodejs/undici#5360) when the reader was slower than the network.
 */
export async function http10Server(body: Buffer, status = '200 OK'): Promise<RawServer> {
  const heads: string[] = [];
  const server: NetServer = createNetServer((socket) => {
    let head = '';
    socket.on('data', (d) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      heads.push(head);
      head = '';
      socket.write(`HTTP/1.0 ${status}\r\nContent-Type: audio/mpeg\r\n\r\n`);
      socket.end(body);
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    heads,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A self-signed certificate for 127.0.0.1 in `dir`: { cert, key } as PEM text. */
export function selfSignedCert(dir: string): { cert: string; key: string } {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
}
