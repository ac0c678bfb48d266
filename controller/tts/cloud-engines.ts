/**
 * Adapters for the cloud Vietnamese voices communes actually use. Each follows its provider's
 * documented request and response; each has a time limit; a failure is an error the caller
 * answers by falling back to the offline engine. Base URLs are settings, so tests (and a
 * province's proxy) can stand in for the provider. Requests go through Node's own client
 * (shared/http-client.ts: undici 6's fetch can crash the process on an HTTP/1.0 answer).
 */
import { httpExchange, jsonOf } from '../shared/http-client.js';
import type { SynthesisRequest, SynthesisResult, TtsEngine } from './tts-engine.js';
import { TtsEngineError } from './tts-engine.js';

export interface CloudOptions {
  base_url: string;
  api_key: string;
  timeout_ms: number;
  /** How long to wait for an asynchronous result (FPT.AI, VBee), polling every poll_ms. */
  result_wait_ms?: number;
  poll_ms?: number;
  app_id?: string;
}

async function download(engine: string, url: string, options: CloudOptions, deadline: number): Promise<Buffer> {
  // The provider may answer 404 until the file is ready (FPT.AI: "5 seconds to 2 minutes").
  while (performance.now() < deadline) {
    const res = await httpExchange(url, { signal: AbortSignal.timeout(options.timeout_ms) }).catch(() => undefined);
    if (res?.ok && res.body.length > 0) return res.body;
    await new Promise((r) => setTimeout(r, options.poll_ms ?? 1000));
  }
  throw new TtsEngineError(engine, 'audio was not ready in time');
}

const formatOf = (url: string): 'wav' | 'mp3' => (/\.wav(\?|$)/i.test(url) ? 'wav' : 'mp3');

/** A speed within a provider's documented range, with no more decimals than it accepts (VBee: one). */
const clampSpeed = (speed: number, min: number, max: number, decimals: number) =>
  Number(Math.max(min, Math.min(max, speed)).toFixed(decimals));

/** FPT.AI TTS v5: POST text as the body; headers api_key, voice, speed (-3..3); JSON {error, async}. */
export class FptEngine implements TtsEngine {
  readonly id = 'fpt';
  readonly voices = ['banmai', 'thuminh', 'leminh', 'myan', 'giahuy', 'lannhi', 'linhsan'] as const;
  readonly defaultVoice = 'banmai';
  constructor(private readonly options: CloudOptions) {}

  async synthesize(req: SynthesisRequest): Promise<SynthesisResult> {
    const deadline = performance.now() + (this.options.result_wait_ms ?? 120_000);
    const speed = String(Math.max(-3, Math.min(3, Math.round((req.speed - 1) * 6))));
    const res = await httpExchange(`${this.options.base_url}/hmi/tts/v5`, {
      method: 'POST',
      headers: { api_key: this.options.api_key, voice: req.voice, speed, format: 'mp3', 'Cache-Control': 'no-cache' },
      body: req.text,
      signal: AbortSignal.timeout(this.options.timeout_ms),
    }).catch((err) => {
      throw new TtsEngineError(this.id, (err as Error).message);
    });
    const body = (jsonOf(res.body) ?? {}) as { error?: number; async?: string; message?: string };
    if (!res.ok || body.error !== 0 || !body.async)
      throw new TtsEngineError(this.id, `HTTP ${res.status}: ${body.message ?? 'no audio link'}`);
    return { audio: await download(this.id, body.async, this.options, deadline), format: formatOf(body.async) };
  }
}

/** Viettel AI: POST JSON {text, voice, speed, tts_return_option: 3 (mp3), token, without_filter}; answers the audio. */
export class ViettelEngine implements TtsEngine {
  readonly id = 'viettel';
  readonly voices = [
    'hn-quynhanh',
    'hn-thanhtung',
    'hcm-diemmy',
    'hue-maingoc',
    'hn-phuongtrang',
    'hcm-minhquan',
  ] as const;
  readonly defaultVoice = 'hn-quynhanh';
  constructor(private readonly options: CloudOptions) {}

  async synthesize(req: SynthesisRequest): Promise<SynthesisResult> {
    const res = await httpExchange(`${this.options.base_url}/tts/speech_synthesis`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: '*/*' },
      // Its documented speed range is 0.7-1.3; the loudspeaker rate can ask for less.
      body: JSON.stringify({
        text: req.text,
        voice: req.voice,
        speed: clampSpeed(req.speed, 0.7, 1.3, 2),
        tts_return_option: 3,
        token: this.options.api_key,
        without_filter: false,
      }),
      signal: AbortSignal.timeout(this.options.timeout_ms),
    }).catch((err) => {
      throw new TtsEngineError(this.id, (err as Error).message);
    });
    const type = res.headers['content-type'] ?? '';
    if (!res.ok || type.includes('json')) {
      const body = (jsonOf(res.body) ?? {}) as { vi_message?: string; en_message?: string };
      throw new TtsEngineError(this.id, `HTTP ${res.status}: ${body.en_message ?? body.vi_message ?? 'no audio'}`);
    }
    if (res.body.length === 0) throw new TtsEngineError(this.id, 'empty audio');
    return { audio: res.body, format: 'mp3' };
  }
}

/** Zalo AI: POST form {input, speaker_id, speed, encode_type: 1 (mp3)} with header apikey; JSON {error_code, data: {url}}. */
export class ZaloEngine implements TtsEngine {
  readonly id = 'zalo';
  readonly voices = ['1', '2', '3', '4'] as const; // 1 south female, 2 north female, 3 south male, 4 north male
  readonly defaultVoice = '2';
  constructor(private readonly options: CloudOptions) {}

  async synthesize(req: SynthesisRequest): Promise<SynthesisResult> {
    const deadline = performance.now() + (this.options.result_wait_ms ?? 60_000);
    const form = new URLSearchParams({
      input: req.text,
      speaker_id: req.voice,
      speed: String(Math.max(0.8, Math.min(1.2, req.speed))),
      encode_type: '1',
    });
    const res = await httpExchange(`${this.options.base_url}/v1/tts/synthesize`, {
      method: 'POST',
      headers: { apikey: this.options.api_key, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal: AbortSignal.timeout(this.options.timeout_ms),
    }).catch((err) => {
      throw new TtsEngineError(this.id, (err as Error).message);
    });
    const body = (jsonOf(res.body) ?? {}) as {
      error_code?: number;
      error_message?: string;
      data?: { url?: string };
    };
    if (!res.ok || body.error_code !== 0 || !body.data?.url)
      throw new TtsEngineError(this.id, `HTTP ${res.status}: ${body.error_message ?? 'no audio link'}`);
    return { audio: await download(this.id, body.data.url, this.options, deadline), format: formatOf(body.data.url) };
  }
}

/**
 * VBee: POST /api/v1/tts (Bearer token) {app_id, response_type: "indirect", callback_url,
 * input_text, voice_code, audio_type, speed_rate (0.1-1.9, one decimal)} -> {status: 1, result: {request_id}}; then
 * GET /api/v1/tts/{request_id} until result.status is SUCCESS and result.audio_link is set.
 */
export class VbeeEngine implements TtsEngine {
  readonly id = 'vbee';
  readonly voices = [
    'hn_female_ngochuyen_full_48k-fhg',
    'hn_male_manhdung_news_48k-fhg',
    'sg_female_thaotrinh_full_48k-fhg',
    'hue_female_huonggiang_full_48k-fhg',
  ] as const;
  readonly defaultVoice = 'hn_female_ngochuyen_full_48k-fhg';
  constructor(private readonly options: CloudOptions) {}

  async synthesize(req: SynthesisRequest): Promise<SynthesisResult> {
    const deadline = performance.now() + (this.options.result_wait_ms ?? 120_000);
    const headers = { authorization: `Bearer ${this.options.api_key}`, 'content-type': 'application/json' };
    const res = await httpExchange(`${this.options.base_url}/api/v1/tts`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        app_id: this.options.app_id,
        response_type: 'indirect',
        callback_url: 'https://localhost/unused',
        input_text: req.text,
        voice_code: req.voice,
        audio_type: 'mp3',
        speed_rate: String(clampSpeed(req.speed, 0.1, 1.9, 1)),
      }),
      signal: AbortSignal.timeout(this.options.timeout_ms),
    }).catch((err) => {
      throw new TtsEngineError(this.id, (err as Error).message);
    });
    const body = (jsonOf(res.body) ?? {}) as {
      status?: number;
      error_message?: string;
      result?: { request_id?: string };
    };
    const requestId = body.result?.request_id;
    if (!res.ok || body.status !== 1 || !requestId)
      throw new TtsEngineError(this.id, `HTTP ${res.status}: ${body.error_message ?? 'request refused'}`);
    while (performance.now() < deadline) {
      const poll = await httpExchange(`${this.options.base_url}/api/v1/tts/${encodeURIComponent(requestId)}`, {
        headers,
        signal: AbortSignal.timeout(this.options.timeout_ms),
      }).catch(() => undefined);
      const result = (poll && jsonOf(poll.body)) as { result?: { status?: string; audio_link?: string } } | undefined;
      if (result?.result?.status === 'FAILURE') throw new TtsEngineError(this.id, 'synthesis failed');
      if (result?.result?.status === 'SUCCESS' && result.result.audio_link) {
        return {
          audio: await download(this.id, result.result.audio_link, this.options, deadline),
          format: formatOf(result.result.audio_link),
        };
      }
      await new Promise((r) => setTimeout(r, this.options.poll_ms ?? 1000));
    }
    throw new TtsEngineError(this.id, 'audio was not ready in time');
  }
}
