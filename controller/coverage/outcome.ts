/**
 * A receiver's outcome for a broadcast: a pure function of the stages it reported, its presence
 * and `now`. Coverage, the as-run log and "now playing" all read outcomes through it.
 */
import type { PlayWindow, ReceiverStages } from './stage-columns.js';

/**
 * Furthest first. "finished": played to the end on the receiver's own loudspeaker (heard). "sent":
 * ended normally, but the receiver could only vouch that the audio left it (a bridge's RTP group,
 * stream mount or FM transmitter): not confirmed heard. "playing": started, and may still sound.
 * "unfinished": started, and no end was ever reported where one was due (the receiver or bridge
 * died mid-item, or is not connected): never heard, never finished. "waiting": no answer yet but
 * the command is still valid; "no_answer": it expired unanswered.
 */
export const OUTCOMES = [
  'finished',
  'sent',
  'playing',
  'unfinished',
  'downloaded',
  'received',
  'failed',
  'rejected',
  'waiting',
  'no_answer',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Holding it or playing it, by the receiver's last word: a later word (or a stop taken) still changes it. */
export const IN_PROGRESS: ReadonlySet<Outcome> = new Set(['playing', 'received', 'downloaded']);

/**
 * Slack past the latest moment a play can end before it is called unfinished: an ack waits in a
 * receiver's outbox until its link is back, its clock may be off by up to the skew it accepts,
 * and a file player starts a little late. Five minutes is far beyond those, and still soon
 * enough that an official is not told "playing" about a loudspeaker that went silent long ago.
 */
export const UNFINISHED_GRACE_MS = 5 * 60_000;
/**
 * A live stream has no length: it ends when its source does. A commune's relay of the provincial
 * station or a spoken announcement lasts well under this past the window; a stream still going
 * after that is not what the desk watches.
 */
export const LIVE_UNFINISHED_AFTER_MS = 3 * 3_600_000;
/**
 * A receiver not connected whose item should have ended this long ago: its "finished" would have
 * been sent by now had its link been up. Not final: it may have played on alone and report later.
 */
export const OFFLINE_END_SLACK_MS = 30_000;

/** How long the broadcast sounds on one receiver (repeats and their pauses); null for a live stream. */
function lengthMs(w: PlayWindow): number | null {
  if (w.duration_ms === null) return null;
  const repeats = Math.max(1, w.repeat_count);
  return w.duration_ms * repeats + (w.repeat_interval_s ?? 0) * 1000 * (repeats - 1);
}

/**
 * Whether every play of it has had time to end: the latest start (expires_at), its length, and the
 * grace are past. Then a receiver that started and reported no end is settled as unfinished.
 */
export function playWindowOver(w: PlayWindow, now: Date): boolean {
  const length = lengthMs(w);
  const after = length === null ? LIVE_UNFINISHED_AFTER_MS : length + UNFINISHED_GRACE_MS;
  return now.getTime() > Date.parse(w.expires_at) + after;
}

/**
 * A receiver's outcome from the stages it reported, its presence (when known) and `now`. An end
 * reported late (a receiver that played on offline) still wins: outcomes are computed from acks.
 */
export function outcomeOf(s: ReceiverStages, window: PlayWindow, now: Date): Outcome {
  if (s.heard_at) return 'finished';
  if (s.finished_at) return 'sent';
  if (s.failed_at) return 'failed';
  if (s.rejected_at) return 'rejected';
  if (s.started_at) return startedOutcome(s.started_at, s.presence, window, now);
  if (s.downloaded_at) return 'downloaded';
  if (s.received_at) return 'received';
  return now.toISOString() < window.expires_at ? 'waiting' : 'no_answer';
}

function startedOutcome(
  startedAt: string,
  presence: string | null | undefined,
  window: PlayWindow,
  now: Date,
): 'playing' | 'unfinished' {
  if (playWindowOver(window, now)) return 'unfinished';
  // Known not connected (presence is only known for coverage now, not for the as-run record).
  if (presence != null && presence !== 'online') {
    const length = lengthMs(window);
    // A live stream reaches no receiver without its link: it ended with it.
    if (length === null) return 'unfinished';
    if (now.getTime() > Date.parse(startedAt) + length + OFFLINE_END_SLACK_MS) return 'unfinished';
  }
  return 'playing';
}
