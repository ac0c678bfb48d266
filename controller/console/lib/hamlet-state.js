// One hamlet's row of a broadcast's coverage (GET /api/broadcasts/:id/coverage, or its event
// stream) in the words the console shows: the coverage table and the urgent desk's tiles read it
// here, so the two never disagree. Pure: tests/unit/coverage/hamlet-state.test.ts runs it.

/**
 * Of its receivers not yet answered or unanswered, those not connected now. `totals.offline` also
 * counts those holding, playing (by their last report) or unfinished that are not connected, so it
 * cannot say this on its own.
 */
export function unansweredOffline(h) {
  return (h.receivers ?? []).filter((r) => (r.outcome === 'waiting' || r.outcome === 'no_answer') && !r.online).length;
}

/** Holding or playing it by its last report, and not connected now: that word may no longer be true. */
export const lastWordOffline = (r) => ['playing', 'received', 'downloaded'].includes(r.outcome) && r.online === false;

/** Of its receivers, those holding or playing it by a last word and not connected (in "not connected", not in progress). */
const inProgressOffline = (h) => (h.receivers ?? []).filter(lastWordOffline).length;

/** Failed receivers that a person stopped or an emergency cut off: no fault of theirs (older answers lack `preempted`). */
const cutOff = (s) => s.stopped + (s.preempted ?? 0);

/** The counts of the coverage table's row, column by column. */
export function hamletCounts(h) {
  const s = h.totals;
  const offlineUnanswered = unansweredOffline(h);
  return {
    // Playing, or holding it and not started yet (downloading, waiting behind an emergency).
    in_progress: s.playing + s.holding - inProgressOffline(h),
    failed: s.failed - cutOff(s) + s.rejected,
    stopped: cutOff(s),
    unfinished: s.unfinished,
    offline: s.offline,
    no_answer: s.waiting + s.no_answer - offlineUnanswered,
  };
}

/**
 * Whether every receiver of the hamlet played it to the end ('all'), some did ('part'), or none
 * ('none'): a hamlet where 2 of 20 loudspeakers played is not said to have heard it.
 */
export function hamletHeard(h) {
  const s = h.totals;
  return s.finished > 0 && s.finished === s.targeted ? 'all' : s.finished > 0 ? 'part' : 'none';
}

/**
 * A hamlet tile's state on the urgent desk. Heard = finished. A hamlet is done only when every
 * receiver finished; failed, stopped and silent receivers say so. Sent (a bridge: RTP, a stream,
 * an FM transmitter) went out but nobody confirms it was heard: never "done".
 */
export function hamletState(h) {
  const s = h.totals;
  const ended = s.finished + s.sent + s.failed + s.rejected + s.no_answer;
  const settled = ended >= s.targeted;
  const unanswered = s.waiting + s.no_answer;
  // Started, then no end reported (a receiver or bridge died or lost its link mid-item): when
  // those are all that is left, nothing is known to be sounding, so never "playing".
  const unfinished = s.unfinished > 0 && ended + s.unfinished >= s.targeted;
  // Stopped by a person, or not connected: said so, not "failed" or "waiting". "Not connected"
  // is about the unanswered ones only: an unfinished receiver that is gone says nothing of them.
  // A stop sent that some receivers have not taken yet is not "stopped": they may still start it.
  // Every receiver yet to say its last word has a person's stop waiting: the stop is the news, not
  // "playing" beside it (an outsider's tile read "Đang phát … Mất kết nối: 3" over a stop awaited).
  const open = s.targeted - ended;
  const stopAwaited = open > 0 && (s.stop_unconfirmed ?? 0) >= open;
  return s.finished === s.targeted
    ? 'done'
    : stopAwaited
      ? 'stop_sent'
      : unfinished
        ? 'unfinished'
        : s.finished > 0
          ? settled
            ? 'partial'
            : 'playing'
          : s.sent > 0 && settled
            ? 'sent'
            : s.playing > 0 || s.sent > 0
              ? 'playing'
              : (s.stop_unconfirmed ?? 0) > 0 && (s.stop_unconfirmed ?? 0) >= unanswered && s.failed === cutOff(s)
                ? 'stop_sent'
                : s.stopped > 0 && settled
                  ? 'stopped'
                  : (s.preempted ?? 0) > 0 && settled && s.failed + s.rejected === cutOff(s)
                    ? 'preempted'
                    : unanswered > 0 && unansweredOffline(h) >= unanswered && s.failed + s.rejected === 0
                      ? 'offline'
                      : settled
                        ? 'failed'
                        : 'waiting';
}
