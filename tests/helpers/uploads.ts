/**
 * An upload by a client that keeps sending as fast as it can while the server answers: the way to
 * see whether a refusal given mid-body reaches the client. Node closing a connection with body
 * bytes still unread resets it, and the client loses the answer (every time with this client,
 * 2026-12-04) unless the server closes gently (controller/http/upload-refusal.ts).
 */
import { request } from 'node:http';

export interface UploadAnswer {
  status: number;
  body: string;
  /** Body bytes the client had sent when the answer came. */
  sentWhenAnswered: number;
}

export function uploadWhileSending(
  url: string,
  token: string,
  o: { bytes: number; declareLength: boolean; fields?: Record<string, string>; fileName?: string },
): Promise<UploadAnswer> {
  const boundary = 'tt-boundary';
  const fields = Object.entries(o.fields ?? {})
    .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    .join('');
  const head = Buffer.from(
    `${fields}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${o.fileName ?? 'big.mp3'}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          ...(o.declareLength ? { 'content-length': String(head.length + o.bytes) } : {}),
        },
      },
      (res) => {
        const at = sent;
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('error', reject); // a reset after the headers: the answer was lost
        res.on('end', () => resolve({ status: res.statusCode!, body, sentWhenAnswered: at }));
      },
    );
    req.on('error', reject);
    req.write(head);
    const chunk = Buffer.alloc(256 * 1024, 1);
    const pump = () => {
      if (sent >= o.bytes || req.destroyed) return req.end();
      sent += chunk.length;
      req.write(chunk, () => setImmediate(pump));
    };
    pump();
  });
}
