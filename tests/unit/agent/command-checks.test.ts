import { describe, expect, it } from 'vitest';
import { checkCommand, type CheckContext } from '../../../firmware-bridge/agent/command-checks.js';
import { CommandSigner, CommandVerifier } from '../../../controller/protocol/signing.js';
import type { UnsignedCommand } from '../../../controller/protocol/messages.js';

const { signer } = CommandSigner.generate();
const now = new Date('2026-11-25T21:05:00.000Z');
const base = {
  v: 1 as const,
  type: 'stop' as const,
  command_id: '7f0c1c9e-6a55-4c53-9d5e-3c2d8f0e4b11',
  broadcast_id: null,
  issued_at: '2026-11-25T21:00:00.000Z',
  expires_at: '2026-11-25T21:15:00.000Z',
  target: { kind: 'hamlet' as const, id: 'thon-1' },
};
const ctx = (over: Partial<CheckContext> = {}): CheckContext => ({
  receiverId: 'rx-a',
  hamletId: 'thon-1',
  verifier: new CommandVerifier([signer.publicKeyPem]),
  now,
  maxClockSkewMs: 120_000,
  seen: () => false,
  memorySince: null,
  ...over,
});
const signed = (over: Partial<UnsignedCommand> = {}) => signer.sign({ ...base, ...over } as UnsignedCommand);

describe('checkCommand', () => {
  it.each([
    ['a command for its hamlet', {}, {}, 'ok'],
    ['a command for itself', { target: { kind: 'receiver', id: 'rx-a' } }, {}, 'ok'],
    ['a command for another receiver', { target: { kind: 'receiver', id: 'rx-b' } }, {}, 'wrong_target'],
    ['a command for another hamlet', { target: { kind: 'hamlet', id: 'thon-2' } }, {}, 'wrong_target'],
    [
      'a hamlet command whose id equals its receiver id',
      { target: { kind: 'hamlet', id: 'rx-a' } },
      {},
      'wrong_target',
    ],
    ['an expired command', { expires_at: '2026-11-25T21:04:59.999Z' }, {}, 'expired'],
    ['a command expiring this very millisecond', { expires_at: now.toISOString() }, {}, 'expired'],
    ['a command issued within the clock skew', { issued_at: '2026-11-25T21:06:59.000Z' }, {}, 'ok'],
    ['a command issued beyond the clock skew', { issued_at: '2026-11-25T21:07:01.000Z' }, {}, 'not_yet_valid'],
    ['a command it has seen', {}, { seen: () => true }, 'duplicate'],
    [
      'a play issued before its replay memory began (re-enrolled, or state wiped)',
      { type: 'play', broadcast_id: 'b-1' },
      { memorySince: new Date('2026-11-25T21:00:00.001Z') },
      'predates_memory',
    ],
    [
      // It makes no sound and silences only what was stopped then: a re-enrolled receiver must take it.
      'a stop issued before its replay memory began',
      {},
      { memorySince: new Date('2026-11-25T21:00:00.001Z') },
      'ok',
    ],
    [
      'a command issued the instant its replay memory began',
      {},
      { memorySince: new Date('2026-11-25T21:00:00.000Z') },
      'ok',
    ],
  ] as const)('answers %s with %s', (_what, change, context, verdict) => {
    expect(checkCommand(signed(change as any), ctx(context as any))).toBe(verdict);
  });

  it('checks the signature before trusting the target or expiry', () => {
    const forged = CommandSigner.generate().signer.sign({
      ...base,
      expires_at: '2026-11-25T20:00:00.000Z',
      target: { kind: 'hamlet', id: 'thon-9' },
    } as UnsignedCommand);
    expect(checkCommand(forged, ctx())).toBe('unknown_key');
  });
});
