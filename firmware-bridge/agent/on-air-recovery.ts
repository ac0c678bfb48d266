/**
 * What becomes, after a restart, of an item that was on air or queued when the agent stopped
 * without finishing it (a crash, a kill, a power cut): one pure decision, so it is tested on its
 * own and the play queue only carries it out.
 *
 * An item cut off mid-play is replayed from the start, as after an emergency's pre-emption, when
 * it is an emergency (its warning must be heard whole, repeats included) or asks to resume; an
 * item only queued simply plays. Either way only within its window: past `expires_at` it fails,
 * but only once the start's wait for what the broker kept is over (play-queue.ts): a person may
 * have stopped it while the receiver was down, and then its record must say "stopped", not a fault
 * (an outsider's as-run log read a withdrawn alarm as the receiver's player error).
 */
import { existsSync } from 'node:fs';
import {
  CUT_BY_RESTART,
  replaysAfterRestart,
  type AckReason,
  type AckStage,
  type PlayCommand,
} from '../../controller/protocol/index.js';

export interface OnAirItem {
  command: PlayCommand;
  /** The verified audio in the cache ('' for a live stream). */
  file: string;
  started: boolean;
}

export interface RestartVerdict {
  /** Said at once. */
  ack?: { stage: AckStage; reason: AckReason | null; detail: string | null };
  /** Queued again: it plays when the start's wait is over, unless a stop came meanwhile. */
  playAgain: boolean;
  /** Past its window: queued, and failed so once the start's wait is over, unless a stop came meanwhile. */
  late?: { reason: AckReason; detail: string | null };
  /**
   * Said with `failed` / `stopped` when a stop takes it before it plays again: the restart cut it,
   * and nothing sounded after (the controller's as-run log then ends its play at the power cut).
   */
  stopDetail?: string;
  /** Played again from its start: it had sounded before the restart (a newer emergency may cut it: queue-order.ts). */
  replay?: true;
}

export function afterRestart(item: OnAirItem, now: Date): RestartVerdict {
  const { command, file, started } = item;
  const fail = (reason: AckReason, detail: string | null): RestartVerdict => ({
    ack: { stage: 'failed', reason, detail },
    playAgain: false,
  });
  if (Date.parse(command.expires_at) <= now.getTime())
    return {
      playAgain: false,
      late: started
        ? { reason: 'player_error', detail: `${CUT_BY_RESTART}; its window has ended` }
        : { reason: 'expired_before_start', detail: null },
      ...(started ? { stopDetail: `${CUT_BY_RESTART}; its window has ended` } : {}),
    };
  if (command.media && !existsSync(file)) return fail('storage_error', 'cached audio missing after restart');
  if (!started) return { playAgain: true };
  if (!replaysAfterRestart(command)) return fail('player_error', CUT_BY_RESTART);
  return {
    ack: { stage: 'interrupted', reason: 'player_error', detail: `${CUT_BY_RESTART}: playing it again from the start` },
    playAgain: true,
    stopDetail: `${CUT_BY_RESTART}; stopped before it played again`,
    replay: true,
  };
}
