/** The offline engine: espeak-ng (GPL-3.0) with its three Vietnamese voices, in a worker thread. */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../system/module-worker.js';
import { toEspeakSsml } from './prosody-render.js';
import type { SynthesisRequest, SynthesisResult, TtsEngine } from './tts-engine.js';
import { TtsEngineError } from './tts-engine.js';

/**
 * Words per minute at speed 1, a conversational pace (about 3.9 syllables a second in Vietnamese).
 * The loudspeaker rate (tts.loudspeaker_rate, 0.9 by default) slows it for announcements to about
 * 145, the pace this engine used before the rate was a setting.
 */
const BASE_WPM = 160;
const JOB_TIMEOUT_MS = 60_000;

export class EspeakEngine implements TtsEngine {
  readonly id = 'espeak';
  readonly voices = ['vi', 'vi-vn-x-central', 'vi-vn-x-south'] as const;
  readonly defaultVoice = 'vi';
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: SynthesisResult) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startModuleWorker(import.meta.url, 'espeak-worker', {
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    worker.on('message', (msg: { id: number; wav?: Uint8Array; error?: string }) => {
      const job = this.pending.get(msg.id);
      if (!job) return;
      this.pending.delete(msg.id);
      clearTimeout(job.timer);
      if (msg.error || !msg.wav) job.reject(new TtsEngineError(this.id, msg.error ?? 'no audio'));
      else job.resolve({ audio: Buffer.from(msg.wav), format: 'wav' });
    });
    const failAll = (err: Error) => {
      for (const [, job] of this.pending) {
        clearTimeout(job.timer);
        job.reject(new TtsEngineError(this.id, err.message));
      }
      this.pending.clear();
      this.worker = undefined;
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => code !== 0 && failAll(new Error(`worker exited with ${code}`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  synthesize(request: SynthesisRequest): Promise<SynthesisResult> {
    if (!(this.voices as readonly string[]).includes(request.voice)) {
      return Promise.reject(new TtsEngineError(this.id, `unknown voice "${request.voice}"`));
    }
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new TtsEngineError(this.id, 'synthesis took too long'));
        // A stuck WASM run cannot be interrupted: replace the worker.
        void worker.terminate();
        this.worker = undefined;
      }, JOB_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      // With a plan, SSML: its breaks and slower numbers in the one run (no joining of chunks).
      const text = request.plan ? toEspeakSsml(request.plan) : request.text;
      worker.postMessage({
        id,
        text,
        ssml: Boolean(request.plan),
        voice: request.voice,
        wpm: Math.round(BASE_WPM * request.speed),
      });
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}
