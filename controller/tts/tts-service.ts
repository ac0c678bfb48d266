/**
 * Text to broadcast-ready audio: normalise the Vietnamese, plan its pauses and pace as an
 * announcement (prosody.ts), synthesise with the configured engine at the voice's loudspeaker
 * rate (falling back to offline espeak-ng when a cloud voice fails), frame it with the
 * attention chime, repeat it when asked ("xin nhắc lại"), then the same loudness pipeline as
 * every upload. The result is a media item, cached by everything that shapes it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { joinAudio, makeChime, probeAudio } from '../audio/audio-pipeline.js';
import { findTruncation } from '../audio/completeness.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../shared/domain-error.js';
import type { Logger } from '../logger.js';
import type { Media } from '../media/media-read-model.js';
import type { MediaService } from '../media/media-service.js';
import type { Actor } from '../audit/actor.js';
import type { Settings } from '../settings.js';
import { FptEngine, VbeeEngine, ViettelEngine, ZaloEngine, type CloudOptions } from './cloud-engines.js';
import { EspeakEngine } from './espeak-engine.js';
import { normalizeVietnameseDetailed, type UncertainReading } from './normalize-vi.js';
import { planAnnouncement, REPEAT_PHRASE, type ProsodyPlan, type SpokenBlock } from './prosody.js';
import { splitBlocks } from './prosody-blocks.js';
import { findNames } from './prosody-names.js';
import { effectiveSpeed, readProsodyOptions, type ProsodyOptions } from './prosody-options.js';
import { toPlainText } from './prosody-render.js';
import type { TtsEngine } from './tts-engine.js';
import type { TtsRepository } from './tts-repository.js';

export interface RenderRequest {
  text: string;
  title?: string;
  engine?: string;
  voice?: string | null;
  speed?: number;
  chime?: boolean;
  repeat?: number;
  /** Abbreviations tried before they are saved (the console's "Nghe thử" beside them). */
  abbreviations?: Readonly<Record<string, string>>;
}

/** Letters Vietnamese text is written in (Latin with its diacritics), digits, punctuation, symbols we read. */
const SUPPORTED = /^[\p{Script=Latin}\p{N}\p{P}\p{Zs}\n\r\t°%&+=/<>$€₫§№\p{M}]*$/u;

export interface TtsServiceOptions {
  repo: TtsRepository;
  media: MediaService;
  settings: Settings['tts'];
  clock: Clock;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** The commune's abbreviations now (config and console); the config's alone when not given. */
  abbreviations?: () => Readonly<Record<string, string>>;
}

export class TtsService {
  readonly engines = new Map<string, TtsEngine>();
  private readonly offline = new EspeakEngine();
  private chimePath?: Promise<string>;

  private readonly repo: TtsRepository;
  private readonly media: MediaService;
  private readonly settings: Settings['tts'];
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly abbreviations: () => Readonly<Record<string, string>>;

  constructor({ repo, media, settings, clock, log, env = process.env, abbreviations }: TtsServiceOptions) {
    this.abbreviations = abbreviations ?? (() => settings.abbreviations);
    this.repo = repo;
    this.media = media;
    this.settings = settings;
    this.clock = clock;
    this.log = log;
    this.engines.set('espeak', this.offline);
    const key = (name: string, file: string | null) =>
      env[`TT_${name.toUpperCase()}_API_KEY`] ??
      (file && existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined);
    const opts = (name: 'fpt' | 'viettel' | 'zalo' | 'vbee'): CloudOptions | undefined => {
      const apiKey = key(name, settings[name].api_key_file);
      return apiKey
        ? {
            base_url: settings[name].base_url,
            api_key: apiKey,
            timeout_ms: settings.timeout_s * 1000,
            app_id: name === 'vbee' ? (settings.vbee.app_id ?? undefined) : undefined,
          }
        : undefined;
    };
    const fpt = opts('fpt');
    if (fpt) this.engines.set('fpt', new FptEngine(fpt));
    const viettel = opts('viettel');
    if (viettel) this.engines.set('viettel', new ViettelEngine(viettel));
    const zalo = opts('zalo');
    if (zalo) this.engines.set('zalo', new ZaloEngine(zalo));
    const vbee = opts('vbee');
    if (vbee) this.engines.set('vbee', new VbeeEngine(vbee));
  }

  /** Engines that can speak now, with their voices. */
  available(): { engine: string; voices: readonly string[]; default_voice: string }[] {
    return [...this.engines.values()].map((e) => ({ engine: e.id, voices: e.voices, default_voice: e.defaultVoice }));
  }

  /** Checks and normalises; throws a 4xx that says what is wrong. */
  prepare(text: string): string {
    return this.prepareDetailed(text).spoken;
  }

  /**
   * What the voice will read, and the readings the normaliser was unsure of (for the preview);
   * `trying` adds abbreviations not yet saved, to hear what they change.
   */
  prepareDetailed(
    text: string,
    trying: Readonly<Record<string, string>> = {},
  ): { spoken: string; uncertain: UncertainReading[] } {
    const cleaned = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200D\uFEFF]/g, '').trim();
    if (!/[\p{L}\p{N}]/u.test(cleaned)) throw new DomainError('invalid', 'tts_text_empty');
    if (cleaned.length > this.settings.max_chars)
      throw new DomainError('too_large', 'tts_text_too_long', { length: cleaned.length, max: this.settings.max_chars });
    if (!SUPPORTED.test(cleaned)) {
      const bad = [...new Set([...cleaned].filter((c) => !SUPPORTED.test(c)))].slice(0, 10).join(' ');
      throw new DomainError('invalid', 'tts_unsupported_characters', { characters: bad });
    }
    return normalizeVietnameseDetailed(cleaned, { abbreviations: { ...this.abbreviations(), ...trying } });
  }

  /** The audio for an announcement, made once per distinct request. */
  async render(
    req: RenderRequest,
    actor: Actor,
  ): Promise<{ media: Media; engine: string; spoken: string; cached: boolean }> {
    const spoken = this.prepareDetailed(req.text, req.abbreviations).spoken;
    const engineId = req.engine ?? this.settings.engine;
    const engine = this.engines.get(engineId);
    if (!engine) throw new DomainError('invalid', 'tts_engine_unavailable', { engine: engineId });
    const voice = req.voice ?? (engineId === this.settings.engine ? this.settings.voice : null) ?? engine.defaultVoice;
    if (!engine.voices.includes(voice))
      throw new DomainError('invalid', 'tts_unknown_voice', { voice, voices: engine.voices.join(', ') });
    const baseSpeed = req.speed ?? this.settings.speed;
    const chime = req.chime ?? this.settings.chime;
    const repeat = Math.max(0, Math.min(3, req.repeat ?? 0));
    // Read on every render: the prosody keys may not be in the settings schema (defaults apply).
    const prosody = readProsodyOptions(this.settings);
    const plan = prosody.enabled ? this.plan(req.text, repeat, prosody) : undefined;
    const script = plan ? toPlainText(plan) : [spoken, ...Array(repeat).fill(`${REPEAT_PHRASE} ${spoken}`)].join(' ');
    // The key covers the pauses and the rate, so a change to either makes new audio.
    const key = createHash('sha256')
      .update(
        JSON.stringify([engineId, voice, effectiveSpeed(baseSpeed, prosody, engineId, voice), chime, plan ?? script]),
      )
      .digest('hex');

    const hit = this.repo.cached(key);
    if (hit) {
      const media = this.media.get(hit.media_id);
      if (media.status === 'ready') return { media, engine: hit.engine, spoken, cached: true };
    }

    const { audio, format, usedEngine } = await this.synthesize(
      engine,
      { text: script, voice, plan },
      baseSpeed,
      prosody,
    );
    const work = join(this.media.incomingDir, randomUUID());
    const speech = `${work}.speech.${format}`;
    const joined = `${work}.upload`;
    try {
      await writeFile(speech, audio);
      const probe = await probeAudio(speech).catch(() => undefined);
      // Never a silent, empty file: an engine that answered nothing usable is an error.
      if (!probe || probe.duration_ms < 200)
        throw new DomainError('upstream_failed', 'tts_no_audio', { engine: usedEngine });
      // A cloud voice's MP3 cut off in transit would be read out only to where it stops.
      const cut =
        format === 'mp3' ? await findTruncation(speech, probe.format, probe.duration_ms).catch(() => null) : null;
      if (cut) {
        this.log.warn({ engine: usedEngine, ...cut }, "the voice's audio is cut short");
        throw new DomainError('upstream_failed', 'tts_no_audio', { engine: usedEngine });
      }
      const parts = chime ? [await this.chime(), speech, await this.chime()] : [speech];
      await joinAudio(parts, joined, 120).catch((err) => {
        throw new DomainError('upstream_failed', 'tts_failed', {
          engine: usedEngine,
          detail: `joining audio: ${(err as Error).message.slice(0, 150)}`,
        });
      });
      // Named as it was written (capitals, diacritics), not as the voice reads it.
      const media = await this.media.acceptAndWait(joined, req.title ?? titleFromText(req.text), actor, {
        speech: true,
        origin: 'speech',
      });
      if (media.status !== 'ready') throw new DomainError('upstream_failed', 'tts_no_audio', { engine: usedEngine });
      this.repo.remember(key, media.id, usedEngine, this.clock.now().toISOString());
      return { media, engine: usedEngine, spoken, cached: false };
    } finally {
      await rm(speech, { force: true });
      await rm(joined, { force: true });
    }
  }

  /**
   * The announcement's prosody plan. Lines, paragraphs, list items and names are found in the
   * typed text (the normaliser flattens and lowercases it), and each is normalised on its own.
   */
  private plan(text: string, repeat: number, prosody: ProsodyOptions): ProsodyPlan | undefined {
    const blocks: SpokenBlock[] = [];
    let skipped = false;
    for (const block of splitBlocks(text)) {
      let spoken: string;
      try {
        spoken = this.prepare(block.text);
      } catch (err) {
        // A line of symbols only ("* * *") says nothing; it separates like a blank line.
        if (err instanceof DomainError && err.code === 'tts_text_empty') {
          skipped = true;
          continue;
        }
        throw err;
      }
      const names = findNames(block.text).map((name) => this.prepare(name));
      blocks.push({ spoken, names, before: blocks.length === 0 ? 'none' : skipped ? 'paragraph' : block.before });
      skipped = false;
    }
    const plan = planAnnouncement(blocks, repeat, prosody);
    return plan.steps.length > 0 ? plan : undefined;
  }

  /** Speaks with the engine at its voice's rate; a failed cloud voice falls back to espeak-ng at its own. */
  private async synthesize(
    engine: TtsEngine,
    request: { text: string; voice: string; plan?: ProsodyPlan },
    baseSpeed: number,
    prosody: ProsodyOptions,
  ) {
    try {
      const result = await engine.synthesize({
        ...request,
        speed: effectiveSpeed(baseSpeed, prosody, engine.id, request.voice),
      });
      return { ...result, usedEngine: engine.id };
    } catch (err) {
      if (engine === this.offline)
        throw new DomainError('upstream_failed', 'tts_failed', {
          engine: engine.id,
          detail: (err as Error).message.slice(0, 200),
        });
      // A cloud voice failed (no internet, quota, outage): the announcement still goes out.
      this.log.warn(
        { engine: engine.id, err: (err as Error).message },
        'cloud TTS failed; falling back to the offline voice',
      );
      const voice = this.offline.defaultVoice;
      const result = await this.offline.synthesize({
        ...request,
        voice,
        speed: effectiveSpeed(baseSpeed, prosody, this.offline.id, voice),
      });
      return { ...result, usedEngine: this.offline.id };
    }
  }

  private chime(): Promise<string> {
    if (this.settings.chime_file) return Promise.resolve(this.settings.chime_file);
    this.chimePath ??= (async () => {
      const path = join(this.media.mediaDir, 'chime.wav');
      if (!existsSync(path)) await makeChime(path);
      return path;
    })();
    return this.chimePath;
  }

  /** A media item made from another under a key (a drill version), or undefined. */
  derivedMedia(key: string): string | undefined {
    return this.repo.cached(key)?.media_id;
  }

  /** Remembers a media item made from another (e.g. with the drill preamble) under its key. */
  rememberDerived(key: string, mediaId: string, engine: string): void {
    this.repo.remember(key, mediaId, engine, this.clock.now().toISOString());
  }

  async close(): Promise<void> {
    await Promise.all([...this.engines.values()].map((e) => e.close?.()));
  }
}

/**
 * A title from the words of an announcement: its first 80 characters, cut between words with an
 * ellipsis, never inside one ("…sơ tán ngay trướ" read as a typo in every list and report).
 */
export function titleFromText(text: string, max = 80): string {
  const words = text.trim().replace(/\s+/g, ' ');
  if (words.length <= max) return words;
  const cut = words.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/u, '')}…`;
}
