/**
 * Quiet hours that begin while something ordinary sounds: a relay started at 21:29 must not play
 * through the night (a mis-set relay once woke a commune at 03:15), and an item sent before a
 * hamlet's quiet hours were changed must not start in them. Every `every_s` seconds, an ordinary
 * broadcast that may be sounding in a hamlet now in its quiet hours is stopped, as a person's
 * stop would, and the audit says why. Only what may still sound there is stopped: a broadcast
 * already stopped, past its window, or whose receivers in that hamlet all reported an end
 * (finished, failed, silenced by a stop-all) is left alone, or the audit and reports would
 * say quiet hours stopped something that had ended. Emergencies are never touched.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { singlePass } from '../shared/single-pass.js';
import type { BroadcastsRepository } from './broadcasts-repository.js';
import type { QuietHours } from './quiet-hours.js';

export interface QuietWatchOptions {
  repo: Pick<BroadcastsRepository, 'mayBeSounding' | 'unendedHamletsOf'>;
  quiet: Pick<QuietHours, 'quietHamlets'>;
  stop: (broadcastId: string, actor: { id: string }) => Promise<unknown>;
  /** Ends a live session (a relay stops pulling its source once nothing plays it). */
  endLive: (liveId: string, actor: { id: string }) => void;
  clock: Clock;
  log: Logger;
  every_s?: number;
}

export const QUIET_WATCH_ACTOR = { id: 'quiet-hours' };

export class QuietWatch {
  private timer?: NodeJS.Timeout;
  /** One pass: the broadcasts it stopped. */
  readonly pass: () => Promise<string[]>;

  constructor(private readonly o: QuietWatchOptions) {
    this.pass = singlePass(() => this.round(), o.log, 'quiet-hours watch', []);
  }

  start(): void {
    this.timer = setInterval(() => void this.pass(), (this.o.every_s ?? 15) * 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async round(): Promise<string[]> {
    const now = this.o.clock.now();
    const stopped: string[] = [];
    for (const b of this.o.repo.mayBeSounding(now.toISOString())) {
      // mayBeSounding has dropped the stopped and the expired; the acks say where it ended.
      const hamlets = this.o.repo.unendedHamletsOf(b.id);
      const quiet = this.o.quiet.quietHamlets(hamlets, now);
      if (quiet.length === 0) continue;
      this.o.log.warn(
        { broadcast_id: b.id, hamlets: quiet.map((q) => q.hamlet_id) },
        'quiet hours began while an ordinary broadcast could sound: stopped',
      );
      await this.o.stop(b.id, QUIET_WATCH_ACTOR);
      if (b.live_id) {
        try {
          this.o.endLive(b.live_id, QUIET_WATCH_ACTOR);
        } catch (err) {
          this.o.log.debug({ live_id: b.live_id, err: (err as Error).message }, 'live session already ended');
        }
      }
      stopped.push(b.id);
    }
    return stopped;
  }
}
