/**
 * The same announcement asked for again: the same audio (typed words make the same audio: speech is
 * cached by its text), at the same level, to the same hamlets, while the first still waits for its
 * confirmation or shortly after it was sent. Said to whoever asks and whoever confirms, so that
 * one emergency is not sent twice by mistake (an outsider did, from a desk that had not been told
 * of the first; two identical requests also sat side by side on another leader's phone). Said, not
 * refused: a warning may rightly be repeated.
 */
import type { Broadcast } from './broadcasts-read-model.js';
import type { BroadcastRequest } from './broadcasts-service.js';

/** How far back a sent broadcast counts as "just sent". */
export const RECENTLY_SENT_MS = 15 * 60_000;

export interface Similar {
  /** Confirmations still waiting for the same announcement (their ids). */
  waiting: string[];
  /** When the same announcement last went out within RECENTLY_SENT_MS, if it did. */
  sent_at: string | null;
}

interface Asked {
  id: string;
  request: BroadcastRequest;
  hamlet_ids: string[];
}

const sameAudio = (
  a: Pick<BroadcastRequest, 'media_id' | 'priority'>,
  b: { media_id?: string | null; priority: string },
) => Boolean(a.media_id) && a.media_id === b.media_id && a.priority === b.priority;
const sameHamlets = (a: string[], b: string[]) => a.length === b.length && a.every((h) => b.includes(h));

export function similarRequests(
  asked: Omit<Asked, 'id'>,
  waiting: Asked[],
  recent: Broadcast[],
  hamletsOf: (target: BroadcastRequest['target']) => string[],
  now: Date,
): Similar {
  const since = new Date(now.getTime() - RECENTLY_SENT_MS).toISOString();
  const sent = recent.find(
    (b) =>
      b.created_at >= since &&
      sameAudio(asked.request, b) &&
      sameHamlets(asked.hamlet_ids, hamletsOf(JSON.parse(b.target_json) as BroadcastRequest['target'])),
  );
  return {
    waiting: waiting
      .filter((w) => sameAudio(asked.request, w.request) && sameHamlets(asked.hamlet_ids, w.hamlet_ids))
      .map((w) => w.id),
    sent_at: sent?.created_at ?? null,
  };
}
