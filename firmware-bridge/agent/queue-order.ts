/**
 * The order a receiver's items take their turn in, and what an emergency cuts (Circular 39/2020):
 * by level, then as they came. An emergency cuts anything below it; it does not cut another
 * emergency, each heard whole, but for one the receiver replays from its start after its own
 * restart (a power cut) and that was issued before it: a replay of an older warning, heard once
 * before the power went, must not hold a newer one back for its whole length (an outsider's
 * receivers replayed a 7-minute-old alarm while a new one waited behind it). Such a newer one also
 * waits ahead of the replay, when it came in the start's wait before the replay began.
 */
import type { PlayCommand } from '../../controller/protocol/index.js';
import type { RestartVerdict } from './on-air-recovery.js';

const PRIORITY_RANK = { emergency: 0, priority: 1, normal: 2 } as const;

/** An item as the queue holds it: its command and, when taken up again after a restart, the verdict. */
interface Turn {
  command: PlayCommand;
  restart?: Pick<RestartVerdict, 'replay'>;
}

/** Whether the emergency `next` cuts `current` (playing, or ahead of it in the queue). An expired one cuts nothing. */
export function emergencyCuts(current: Turn, next: PlayCommand, now: Date): boolean {
  if (next.priority !== 'emergency' || Date.parse(next.expires_at) <= now.getTime()) return false;
  if (current.command.priority !== 'emergency') return true;
  return Boolean(current.restart?.replay) && Date.parse(next.issued_at) > Date.parse(current.command.issued_at);
}

/** A comparator for the queue (the sort is stable: otherwise as they came). */
export function byTurn(a: Turn, b: Turn, now: Date): number {
  const rank = PRIORITY_RANK[a.command.priority] - PRIORITY_RANK[b.command.priority];
  if (rank !== 0) return rank;
  if (emergencyCuts(a, b.command, now)) return 1;
  return emergencyCuts(b, a.command, now) ? -1 : 0;
}
