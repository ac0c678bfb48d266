/**
 * A drill's audio: the spoken drill preamble (emergency.drill_preamble) joined before the item, made
 * once per media item and reused, so that no one who hears a drill takes it for the real thing.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { joinAudio } from '../audio/audio-pipeline.js';
import type { Actor } from '../audit/actor.js';
import type { MediaService } from '../media/media-service.js';
import type { Settings } from '../settings.js';
import { DomainError } from '../shared/domain-error.js';
import type { TtsService } from '../tts/tts-service.js';

export interface DrillAudioOptions {
  media: MediaService;
  tts: TtsService;
  settings: Pick<Settings, 'emergency'>;
}

/** The media with the spoken drill preamble before it (its id), made once per media item. */
export async function drillVersion(o: DrillAudioOptions, mediaId: string, actor: Actor): Promise<string> {
  const { media, tts } = o;
  const original = media.get(mediaId);
  if (original.status !== 'ready')
    throw new DomainError('conflict', 'media_not_ready', { id: original.id, progress_pct: original.progress_pct });
  const key = `drill:${mediaId}`;
  const hit = tts.derivedMedia(key);
  if (hit) return hit;
  const preamble = await tts.render({ text: o.settings.emergency.drill_preamble, title: 'Diễn tập' }, actor);
  const joined = join(media.incomingDir, `${randomUUID()}.upload`);
  try {
    await joinAudio(
      [join(media.mediaDir, media.fileName(preamble.media.id)), join(media.mediaDir, media.fileName(mediaId))],
      joined,
      300,
    );
    const drill = await media.acceptAndWait(joined, `[Diễn tập] ${original.title}`, actor, { origin: 'drill' });
    tts.rememberDerived(key, drill.id, 'drill');
    return drill.id;
  } finally {
    await rm(joined, { force: true });
  }
}
