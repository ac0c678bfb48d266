/**
 * The play queue's side of the wait for a reconnection's burst (reconnect-backlog.ts): while what
 * the broker kept is still coming, what is due waits, and looks again shortly. The journal says
 * when a wait begins and how long it took, once each: a technician reading it after a power cut
 * sees why a standing emergency started a few seconds after the receiver was back, not a silence.
 */
import type { Logger } from 'pino';
import type { PlayCommand } from '../../controller/protocol/index.js';
import type { ReconnectBacklog } from './reconnect-backlog.js';

/** How often what is due looks again while it waits (the burst's own wait is counted by the backlog). */
const LOOK_AGAIN_MS = 100;

export class DueHold {
  private timer?: NodeJS.Timeout;
  /** performance.now() when the present wait began (undefined: not waiting). */
  private since?: number;

  constructor(
    private readonly backlog: ReconnectBacklog | undefined,
    private readonly log: Logger,
    private readonly lookAgain: () => void,
  ) {}

  /** Whether the items due must wait now; when they must, `lookAgain` follows shortly. */
  holds(due: readonly { command: PlayCommand }[]): boolean {
    const waitMs = due.length > 0 && this.backlog ? this.backlog.waitMs() : 0;
    if (waitMs > 0) {
      if (this.since === undefined) {
        this.since = performance.now();
        this.log.info(
          { broadcast_ids: due.map((d) => d.command.broadcast_id) },
          'holding what is due until the commands the broker kept are in (a stop may be among them)',
        );
      }
      this.timer ??= setTimeout(
        () => {
          this.timer = undefined;
          this.lookAgain();
        },
        Math.min(LOOK_AGAIN_MS, waitMs),
      );
      return true;
    }
    if (this.since !== undefined) {
      const waited = { waited_ms: Math.round(performance.now() - this.since) };
      if (this.backlog?.linked) this.log.info(waited, 'the commands the broker kept are in: playing what is due');
      // Its limit, with no broker reached (a power cut's start with the network down): said so, not
      // "the commands are in" (an outsider read that over a withdrawn alarm played from the store).
      else
        this.log.warn(
          waited,
          "no broker reached in time: playing what is due from the receiver's store (a stop sent meanwhile is taken when the link comes back)",
        );
      this.since = undefined;
    }
    return false;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
