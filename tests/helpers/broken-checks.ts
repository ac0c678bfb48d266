/**
 * Test-only: the agent's real command checks, wrapped so that a receiver id registered here skips
 * one of them. It exists only for the conformance kit's own tests (a kit must be shown to fail a
 * broken receiver), never in the agent: a test file swaps it in with
 * `vi.mock('…/firmware-bridge/agent/command-checks.js', …withBrokenChecks…)`.
 */
import type * as Checks from '../../firmware-bridge/agent/command-checks.js';
import type { CommandVerifier } from '../../controller/protocol/signing.js';

export type CheckFault = 'skip_signature' | 'accept_expired';

const faults = new Map<string, CheckFault>();

export function breakChecks(receiverId: string, fault: CheckFault): void {
  faults.set(receiverId, fault);
}

/** Marks the wrapped function, so a helper can tell that the mock is in place. */
export const BROKEN_BY_TESTS = Symbol('broken by tests');

export function withBrokenChecks(real: typeof Checks): typeof Checks {
  const checkCommand: typeof real.checkCommand = (command, ctx) => {
    const fault = faults.get(ctx.receiverId);
    if (fault === 'skip_signature')
      return real.checkCommand(command, { ...ctx, verifier: { verify: () => 'ok' } as unknown as CommandVerifier });
    const verdict = real.checkCommand(command, ctx);
    // Judged as if a millisecond before its expiry: every other check still applies.
    if (fault === 'accept_expired' && verdict === 'expired')
      return real.checkCommand(command, { ...ctx, now: new Date(Date.parse(command.expires_at) - 1) });
    return verdict;
  };
  return { ...real, checkCommand: Object.assign(checkCommand, { [BROKEN_BY_TESTS]: true }) };
}
