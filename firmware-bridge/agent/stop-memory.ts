/**
 * The stops a receiver has taken, kept with its state. A play taken before a power cut is taken up
 * again from the state at the next start (what was on air or queued, what was still downloading,
 * what is held for later), and the broker does not send its stop again: so the stop must be
 * remembered too, or a broadcast the desk had withdrawn sounds after the receiver's next restart
 * (an outsider heard a withdrawn emergency, three times at full volume, after a second power cut).
 *
 * A broadcast's stop is kept until the stop command expires: the controller keeps a stop valid as
 * long as what it silenced could start. A stop-all silences what was due before it was issued.
 */
import type { PlayCommand } from '../../controller/protocol/index.js';
import type { AgentContext } from './agent-context.js';

/** Plenty for a commune's day; the oldest go first beyond it. */
const MAX_KEPT = 500;

export class StopMemory {
  constructor(private readonly ctx: AgentContext) {}

  /** A stop taken: `broadcastId` null for a stop-all. Saved with the next save of the state. */
  add(broadcastId: string | null, issuedAt: string, expiresAt: string): void {
    const stops = (this.ctx.state.stops ??= { broadcasts: {}, all_issued_at: '' });
    if (broadcastId === null) {
      if (issuedAt > stops.all_issued_at) stops.all_issued_at = issuedAt;
      return;
    }
    const now = this.ctx.clock.now().toISOString();
    for (const [id, expires] of Object.entries(stops.broadcasts)) if (expires <= now) delete stops.broadcasts[id];
    delete stops.broadcasts[broadcastId]; // kept again, as the newest
    const kept = Object.keys(stops.broadcasts);
    for (const id of kept.slice(0, Math.max(0, kept.length - MAX_KEPT + 1))) delete stops.broadcasts[id];
    stops.broadcasts[broadcastId] = expiresAt;
  }

  /** Whether a play was stopped: its broadcast's stop, or a stop-all issued after it was due. */
  stopped(command: PlayCommand): boolean {
    const stops = this.ctx.state.stops;
    if (!stops) return false;
    // A stop-all silences what was due before it; the programme held for later still plays.
    return Object.hasOwn(stops.broadcasts, command.broadcast_id) || dueBefore(command, stops.all_issued_at);
  }
}

/** Whether a play was due (its start, or its issue when it plays at once) before `instant`: what a stop-all issued then silences. */
export function dueBefore(command: PlayCommand, instant: string): boolean {
  const due = command.play_at && command.play_at > command.issued_at ? command.play_at : command.issued_at;
  return due < instant;
}
