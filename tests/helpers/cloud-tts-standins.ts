/**
 * Local stand-ins for the cloud TTS providers, following each provider's documented request
 * and response. They check what a real provider checks (key, voice, body) and serve real MP3.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { readFileSync } from 'node:fs';

export interface StandIn {
  url: string;
  requests: { path: string; headers: IncomingMessage['headers']; body: string }[];
  /** Make the next calls fail like an outage. */
  failing: boolean;
  /**
   * Serve the audio files as an HTTP/1.0 server does (no length: the connection closes after the
   * body), as a provider's file host behind an old proxy may: undici 6 crashed on it (nodejs/undici#5360).
   */
  http10Files: boolean;
  close(): Promise<void>;
}

const KEY = 'test-key';

export async function startStandIn(provider: 'fpt' | 'viettel' | 'zalo' | 'vbee', mp3File: string): Promise<StandIn> {
  const mp3 = readFileSync(mp3File);
  let audioPolls = 0;
  const state: StandIn = { url: '', requests: [], failing: false, http10Files: false, close: async () => {} };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      state.requests.push({ path: req.url ?? '', headers: req.headers, body });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (state.failing) return json(503, { error: 1, message: 'service unavailable' });
      if (req.url?.startsWith('/files/')) {
        // Like FPT.AI: the file is not there at once.
        if (++audioPolls === 1) return json(404, { message: 'not ready' });
        if (state.http10Files) {
          req.socket.write('HTTP/1.0 200 OK\r\nContent-Type: audio/mpeg\r\n\r\n');
          return req.socket.end(mp3);
        }
        res.writeHead(200, { 'content-type': 'audio/mpeg' });
        return res.end(mp3);
      }
      if (provider === 'fpt' && req.url === '/hmi/tts/v5' && req.method === 'POST') {
        if (req.headers.api_key !== KEY) return json(401, { error: 1, message: 'invalid api key' });
        if (body.length < 3) return json(400, { error: 1, message: 'text too short' });
        return json(200, {
          async: `${state.url}/files/fpt.mp3`,
          error: 0,
          message: 'The content will be returned after a few seconds under the async link.',
          request_id: 'r1',
        });
      }
      if (provider === 'viettel' && req.url === '/tts/speech_synthesis' && req.method === 'POST') {
        const b = JSON.parse(body);
        if (b.token !== KEY) return json(401, { vi_message: 'Token không hợp lệ', en_message: 'Invalid token' });
        if (!b.text || !b.voice || b.tts_return_option !== 3) return json(400, { en_message: 'bad request' });
        res.writeHead(200, { 'content-type': 'audio/mpeg' });
        return res.end(mp3);
      }
      if (provider === 'zalo' && req.url === '/v1/tts/synthesize' && req.method === 'POST') {
        if (req.headers.apikey !== KEY) return json(200, { error_code: -7, error_message: 'Invalid api key' });
        const form = new URLSearchParams(body);
        if (!form.get('input') || !form.get('speaker_id'))
          return json(200, { error_code: -1, error_message: 'missing input' });
        return json(200, { data: { url: `${state.url}/files/zalo.mp3` }, error_code: 0, error_message: 'Successful.' });
      }
      if (provider === 'vbee' && req.url === '/api/v1/tts' && req.method === 'POST') {
        if (req.headers.authorization !== `Bearer ${KEY}`)
          return json(401, { status: 0, error_message: 'Unauthorized' });
        const b = JSON.parse(body);
        if (!b.input_text || !b.voice_code || !b.app_id)
          return json(400, { status: 0, error_message: 'missing fields' });
        return json(200, { status: 1, result: { request_id: 'vb-1', status: 'IN_PROGRESS' } });
      }
      if (provider === 'vbee' && req.url === '/api/v1/tts/vb-1') {
        return json(200, {
          status: 1,
          result: { request_id: 'vb-1', status: 'SUCCESS', audio_link: `${state.url}/files/vbee.mp3` },
        });
      }
      json(404, { message: 'unknown route' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  state.close = () => new Promise<void>((r) => server.close(() => r()));
  return state;
}

export const STAND_IN_KEY = KEY;
