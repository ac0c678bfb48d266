/**
 * What a CAP alert sounds like: its own audio when it carries some (embedded or linked, within the
 * size limit), else its headline, description and instruction read aloud by the voice.
 */
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Actor } from '../audit/actor.js';
import type { Logger } from '../logger.js';
import type { MediaService } from '../media/media-service.js';
import type { TtsService } from '../tts/tts-service.js';
import { downloadToFile, TooLargeError } from './cap-download.js';
import type { CapInfo } from './cap-parser.js';

export interface CapAudioDeps {
  media: MediaService;
  tts: TtsService;
  /** The largest audio an alert may carry (cap.max_audio_mb). */
  maxAudioMb: number;
  log: Logger;
}

/** The id of a ready media file for the block; its own audio when usable, else its text read aloud. */
export async function audioFor(deps: CapAudioDeps, info: CapInfo, actor: Actor): Promise<string> {
  const resource = info.resource.find((r) => r.mimeType.startsWith('audio/') && (r.derefUri || r.uri));
  if (resource) {
    const max = Math.floor(deps.maxAudioMb * 1024 * 1024);
    const path = join(deps.media.incomingDir, `${randomUUID()}.upload`);
    try {
      if (resource.derefUri) {
        // Base64: three bytes per four characters; judged before decoding.
        if (Math.floor((resource.derefUri.length * 3) / 4) > max + 2)
          throw new TooLargeError(`the embedded audio is over the limit of ${max} bytes`);
        await writeFile(path, Buffer.from(resource.derefUri, 'base64'), { mode: 0o600 });
      } else {
        // Streamed to disk with the limit enforced while reading: never whole in memory.
        await downloadToFile(resource.uri!, path, max);
      }
      const media = await deps.media.acceptAndWait(path, `CAP: ${info.event}`, actor, { origin: 'cap' });
      if (media.status === 'ready') return media.id;
    } catch (err) {
      await rm(path, { force: true }).catch(() => undefined);
      deps.log.warn({ err: (err as Error).message }, "the alert's audio could not be used; reading its text instead");
    }
  }
  const text = [info.headline, info.description, info.instruction].filter(Boolean).join('. ') || info.event;
  const { media } = await deps.tts.render({ text, title: `CAP: ${info.event}`, repeat: 0 }, actor);
  return media.id;
}
