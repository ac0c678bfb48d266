/**
 * The cloud voices' adapters (controller/tts/cloud-engines.ts) against the providers' stand-ins,
 * with the audio served as an HTTP/1.0 file host does (the connection closes after the body):
 * the audio comes whole and the process stays up (undici 6's fetch could crash it there,
 * nodejs/undici#5360); a provider that does not answer is an engine error within its time limit.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FptEngine, VbeeEngine, ViettelEngine, ZaloEngine } from '../../../controller/tts/cloud-engines.js';
import { TtsEngineError } from '../../../controller/tts/tts-engine.js';
import { startStandIn, STAND_IN_KEY, type StandIn } from '../../helpers/cloud-tts-standins.js';

const dir = mkdtempSync(join(tmpdir(), 'cloud-engines-'));
// Large enough that the body is still arriving when the server closes the connection.
const audio = Buffer.alloc(3_000_000, 0x55);
const standIns: Partial<Record<'fpt' | 'viettel' | 'zalo' | 'vbee', StandIn>> = {};

beforeAll(async () => {
  writeFileSync(join(dir, 'voice.mp3'), audio);
  for (const p of ['fpt', 'viettel', 'zalo', 'vbee'] as const) {
    standIns[p] = await startStandIn(p, join(dir, 'voice.mp3'));
    standIns[p].http10Files = true;
  }
});
afterAll(async () => {
  await Promise.all(Object.values(standIns).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

const options = (p: keyof typeof standIns) => ({
  base_url: standIns[p]!.url,
  api_key: STAND_IN_KEY,
  timeout_ms: 5000,
  result_wait_ms: 10_000,
  poll_ms: 20,
  app_id: 'app-1',
});

describe('cloud voices through Node’s own HTTP client', () => {
  it.each([
    ['fpt', () => new FptEngine(options('fpt'))],
    ['viettel', () => new ViettelEngine(options('viettel'))],
    ['zalo', () => new ZaloEngine(options('zalo'))],
    ['vbee', () => new VbeeEngine(options('vbee'))],
  ] as const)('%s: the whole audio, fetched from an HTTP/1.0 file host', async (_name, make) => {
    const engine = make();
    const result = await engine.synthesize({ text: 'Bản tin thử.', voice: engine.defaultVoice, speed: 1 });
    expect(result.audio.equals(audio)).toBe(true);
    expect(result.format).toBe('mp3');
  });

  it('says why when the provider refuses, and gives up on one that never answers', async () => {
    const refused = await new FptEngine({ ...options('fpt'), api_key: 'wrong' })
      .synthesize({ text: 'Bản tin thử.', voice: 'banmai', speed: 1 })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TtsEngineError);
    expect((refused as Error).message).toContain('HTTP 401: invalid api key');

    const silent: Server = createServer(() => {}); // takes the request, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
      const started = Date.now();
      const late = await new ViettelEngine({ ...options('viettel'), base_url: url, timeout_ms: 300 })
        .synthesize({ text: 'Bản tin thử.', voice: 'hn-quynhanh', speed: 1 })
        .catch((e: unknown) => e);
      expect(late).toBeInstanceOf(TtsEngineError);
      expect((late as Error).message).toMatch(/timeout/);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
