/**
 * What is sounding now in each hamlet, by the receivers' own acks: a broadcast counts where a
 * receiver reported it started and has not reported its end, within its play window (the same
 * "playing" the coverage page shows). The programme's plan is not proof: an ad-hoc or urgent
 * broadcast is not in it, and a planned item whose receivers never started it is not playing.
 * A stopped item is listed too while a receiver plays it by its last report, or went silent
 * mid-play, and has not taken the stop (a receiver without a link plays on, one without power
 * takes it up again when the power comes back): "stopped" on the desk
 * must not read as "silent" (an outsider's desk said "nothing plays" over a withdrawn alarm).
 * Nor does a receiver gone silent mid-play read as "over" before anyone presses stop: an item it
 * replays after a restart (an emergency) sounds again from the start when its power comes back,
 * while the item is valid; such a hamlet is listed, none playing, so the desk can still withdraw it.
 */
import { BROADCAST_TITLE } from '../broadcasts/broadcasts-read-model.js';
import type { Db } from '../db/database.js';
import { PRIORITIES, replaysAfterRestart, type Priority } from '../protocol/messages.js';
import type { AcksRepository } from './acks-repository.js';
import { outcomeOf, playWindowOver } from './outcome.js';
import { StopConfirmations, stopAllsBetween, stoppedFor, type StopAlls } from './stop-alls.js';

/** Looked back this far for broadcasts that may still sound: a live relay's longest window is well inside. */
const LOOK_BACK_MS = 86_400_000;

export interface PlayingBroadcast {
  broadcast_id: string;
  title: string | null;
  priority: Priority;
  drill: boolean;
  live: boolean;
  /** Receivers of this hamlet playing it now, of those it was sent to. */
  receivers_playing: number;
  /** Of those playing by their last report, the ones not connected now (a power cut, or a lost link that plays on). */
  receivers_playing_offline: number;
  /**
   * Those a person's stop went to that have not taken it: playing by their last report, or silent
   * mid-play (unfinished: not counted in `receivers_playing`) in an item it plays again after a
   * power cut, while the item is valid, unless it takes the stop first.
   */
  receivers_stop_unconfirmed: number;
  /** When that stop went out (the first, if the hamlet's receivers had more than one); null when none is waiting. */
  stop_sent_at: string | null;
  /**
   * Silent mid-play (unfinished: not connected, past the item's length), not stopped, and the item
   * is one a receiver plays again from the start after a restart: if its power was cut, it sounds
   * again when the power comes back, until `expires_at`. A lost link alone plays on and ends.
   */
  receivers_may_replay: number;
  /** The last moment a receiver may start it (again). */
  expires_at: string;
  receivers_targeted: number;
}

interface Candidate {
  id: string;
  title: string | null;
  priority: Priority;
  drill: number;
  live_id: string | null;
  created_at: string;
  play_at: string | null;
  expires_at: string;
  stopped_at: string | null;
  on_preempt: 'resume' | 'drop' | null;
}

interface HamletCount {
  playing: number;
  offline: number;
  stopUnconfirmed: number;
  stopSentAt: string | null;
  mayReplay: number;
  targeted: number;
}

/** Per hamlet id, the broadcasts playing there now: emergency first, then the newest. */
export function nowPlaying(db: Db, acks: AcksRepository, now: Date): Map<string, PlayingBroadcast[]> {
  const candidates = db
    .prepare<[string, string], Candidate>(
      `SELECT b.id, b.priority, b.drill, b.live_id, b.created_at, b.play_at, b.expires_at, b.stopped_at,
         ${BROADCAST_TITLE} AS title,
         (SELECT json_extract(c.payload, '$.on_preempt') FROM commands c
          WHERE c.broadcast_id = b.id AND c.type = 'play' LIMIT 1) AS on_preempt
       FROM broadcasts b LEFT JOIN media m ON m.id = b.media_id
       WHERE b.cancelled_at IS NULL
         AND COALESCE(b.play_at, b.created_at) > ? AND COALESCE(b.play_at, b.created_at) <= ?
       ORDER BY COALESCE(b.play_at, b.created_at) DESC`,
    )
    .all(new Date(now.getTime() - LOOK_BACK_MS).toISOString(), now.toISOString());
  const byHamlet = new Map<string, PlayingBroadcast[]>();
  const confirmations = new StopConfirmations(db);
  for (const b of candidates) {
    const window = acks.playWindowOf(b.id);
    if (!window || playWindowOver(window, now)) continue;
    const mayReplay =
      replaysAfterRestart({ priority: b.priority, on_preempt: b.on_preempt ?? undefined }) &&
      Date.parse(b.expires_at) > now.getTime();
    let stops: StopAlls | undefined;
    const perHamlet = new Map<string, HamletCount>();
    for (const s of acks.stagesOf(b.id)) {
      const h = perHamlet.get(s.hamlet_id) ?? {
        playing: 0,
        offline: 0,
        stopUnconfirmed: 0,
        stopSentAt: null,
        mayReplay: 0,
        targeted: 0,
      };
      h.targeted++;
      const outcome = outcomeOf(s, window, now);
      if (outcome === 'playing') {
        h.playing++;
        if (s.presence !== 'online') h.offline++;
      }
      // Playing by its last report, or silent mid-play in an item it plays again after a power cut
      // while valid (not past expiry, not a normal item: an outsider's dashboard warned of both):
      // stopped meanwhile, listed until it takes the stop; not stopped, listed while it may sound
      // again. The stops are read only here: most broadcasts here have ended everywhere.
      if (outcome === 'playing' || (outcome === 'unfinished' && mayReplay)) {
        stops ??= stopAllsBetween(db, b.created_at, b.expires_at);
        const stoppedAt = stoppedFor(stops, b, s.hamlet_id);
        if (stoppedAt && !confirmations.took(s.receiver_id, b, s.hamlet_id, stops)) {
          h.stopUnconfirmed++;
          if (!h.stopSentAt || stoppedAt < h.stopSentAt) h.stopSentAt = stoppedAt;
        } else if (!stoppedAt && outcome === 'unfinished') h.mayReplay++;
      }
      perHamlet.set(s.hamlet_id, h);
    }
    for (const [hamletId, h] of perHamlet) {
      if (h.playing === 0 && h.stopUnconfirmed === 0 && h.mayReplay === 0) continue;
      const list = byHamlet.get(hamletId) ?? [];
      list.push({
        broadcast_id: b.id,
        title: b.title,
        priority: b.priority,
        drill: b.drill === 1,
        live: b.live_id !== null,
        receivers_playing: h.playing,
        receivers_playing_offline: h.offline,
        receivers_stop_unconfirmed: h.stopUnconfirmed,
        stop_sent_at: h.stopSentAt,
        receivers_may_replay: h.mayReplay,
        expires_at: b.expires_at,
        receivers_targeted: h.targeted,
      });
      byHamlet.set(hamletId, list);
    }
  }
  // PRIORITIES runs from normal to emergency; the sort is stable, so the newest stays first within a level.
  for (const list of byHamlet.values())
    list.sort((a, b) => PRIORITIES.indexOf(b.priority) - PRIORITIES.indexOf(a.priority));
  return byHamlet;
}
