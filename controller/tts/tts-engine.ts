/** Text-to-speech engines behind one interface: the offline espeak-ng and the cloud voices. */
import type { ProsodyPlan } from './prosody.js';

export interface SynthesisRequest {
  /** Already normalised Vietnamese text, punctuation kept (it is all a cloud voice has to pause by). */
  text: string;
  /** The engine's voice id. */
  voice: string;
  /** 1 = normal; 0.5-2 (the loudspeaker rate is already applied). */
  speed: number;
  /** The same text with its pauses and slower numbers, for an engine that can render them (espeak-ng). */
  plan?: ProsodyPlan;
}

export interface SynthesisResult {
  audio: Buffer;
  format: 'wav' | 'mp3';
}

export interface TtsEngine {
  readonly id: string;
  readonly voices: readonly string[];
  readonly defaultVoice: string;
  synthesize(request: SynthesisRequest, signal?: AbortSignal): Promise<SynthesisResult>;
  close?(): Promise<void>;
}

export class TtsEngineError extends Error {
  constructor(
    readonly engine: string,
    message: string,
  ) {
    super(`${engine}: ${message}`);
  }
}
