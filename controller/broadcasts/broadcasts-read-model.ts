/** What other wings read of the broadcasts (coverage, publishing, metrics): implemented by the repository. */
export interface Broadcast {
  id: string;
  media_id: string | null;
  live_id: string | null;
  priority: 'normal' | 'priority' | 'emergency';
  volume_pct: number;
  target_json: string;
  source: string;
  created_by: string;
  created_at: string;
  play_at: string | null;
  expires_at: string;
  drill: number;
  repeat_count: number;
  stopped_at: string | null;
  /** Cancelled and corrected (POST /api/broadcasts/{id}/cancel). */
  cancelled_at?: string | null;
  confirmed_by: string | null;
  /** The schedule occurrence this broadcast plays, when it came from the programme. */
  occurrence_id: string | null;
  /** What it was about (a bulletin's or schedule's category), for reports. */
  category?: string | null;
}

export interface BroadcastTarget {
  broadcast_id: string;
  receiver_id: string;
  hamlet_id: string;
}

export interface BroadcastsReadModel {
  get(id: string): Broadcast | undefined;
  targetsOf(broadcastId: string): BroadcastTarget[];
}

/**
 * A broadcast as people name it, from broadcasts "b" joined with its media "m": the bulletin's
 * title, else the audio's.
 */
export const BROADCAST_TITLE = `COALESCE((SELECT bu.title FROM bulletins bu WHERE bu.media_id = b.media_id AND b.media_id IS NOT NULL LIMIT 1), m.title)`;
