/**
 * Whether a receiver may act on a command: a pure function of the command, who the receiver is,
 * what it has seen and `now`. Order matters: the signature is checked before anything in the
 * payload is trusted.
 */
import type { RejectReasonOrDuplicate } from './types.js';
import type { SignedCommand } from '../../controller/protocol/messages.js';
import type { CommandVerifier } from '../../controller/protocol/signing.js';

export interface CheckContext {
  receiverId: string;
  hamletId: string;
  verifier: CommandVerifier;
  now: Date;
  maxClockSkewMs: number;
  seen: (commandId: string) => boolean;
  /** Commands issued before this instant are refused: the replay memory (seen ids) starts here. */
  memorySince: Date | null;
}

export function checkCommand(command: SignedCommand, ctx: CheckContext): 'ok' | RejectReasonOrDuplicate {
  const signature = ctx.verifier.verify(command);
  if (signature !== 'ok') return signature; // 'unknown_key' | 'bad_signature'
  const t = command.target;
  if (!(t.kind === 'receiver' ? t.id === ctx.receiverId : t.id === ctx.hamletId)) return 'wrong_target';
  const now = ctx.now.getTime();
  if (Date.parse(command.expires_at) <= now) return 'expired';
  // A command issued "in the future" beyond the allowed skew is either a clock fault or a pre-made replay.
  if (Date.parse(command.issued_at) > now + ctx.maxClockSkewMs) return 'not_yet_valid';
  // A stop is exempt: it makes no sound, and silences only what was stopped when it was issued (its
  // broadcast, or what was due before a stop-all), so a captured one can silence nothing newer. A
  // re-enrolled receiver refused the stop of an emergency it took up again after a power cut, and
  // played the withdrawn alarm in full (outsider, session 38).
  if (command.type !== 'stop' && ctx.memorySince && Date.parse(command.issued_at) < ctx.memorySince.getTime())
    return 'predates_memory';
  if (ctx.seen(command.command_id)) return 'duplicate';
  return 'ok';
}
