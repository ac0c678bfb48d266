/**
 * What a bulletin's broadcast did to its publication (publishing-service.ts afterBroadcast), as
 * every answer that sends a bulletin carries it: the bulletin's own send, and the confirmation
 * of one that needed a second person.
 */
import { z } from 'zod';
import type { Bulletin } from './bulletins-read-model.js';

export const publicationNoteSchema = z
  .object({
    status: z.enum(['published', 'already_published', 'withdrawn', 'private', 'drill', 'none']),
    publication_id: z.string().nullable(),
    message: z.string(),
    message_en: z.string(),
  })
  .describe(
    'Whether the broadcast published the bulletin: not again when it already was, not when it was withdrawn (then how to publish it again)',
  );
export type PublicationNote = z.infer<typeof publicationNoteSchema>;

/** Tells what a broadcast of the bulletin did to its publication (the wiring hands in the publishing service's). */
export type PublicationAfter = (bulletin: Bulletin, broadcastId: string) => PublicationNote;
