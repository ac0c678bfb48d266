/**
 * The urgent desk's warning before a priority item goes (controller/console/lib/receiver-health.js):
 * a priority item has no confirmation step, so the form itself names the chosen hamlets that will
 * not hear it and those with no receiver connected now.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the console's plain JavaScript module has no type declarations.
import { reachOf } from '../../../controller/console/lib/receiver-health.js';

const rx = (id: string, hamlet_id: string, status: string, more: object = {}) => ({
  id,
  hamlet_id,
  status,
  enrolled: true,
  revoked_at: null,
  ...more,
});

describe('reachOf', () => {
  const hamlets = [
    { id: 'a', name: 'Thôn A' },
    { id: 'b', name: 'Thôn B' },
    { id: 'c', name: 'Thôn C' },
    { id: 'd', name: 'Thôn D' },
  ];
  const receivers = [
    rx('a1', 'a', 'online'),
    rx('a2', 'a', 'offline'),
    rx('b1', 'b', 'offline'),
    rx('b2', 'b', 'unknown'),
    rx('c1', 'c', 'online', { enrolled: false }),
    rx('d1', 'd', 'online', { revoked_at: '2026-12-01T00:00:00Z' }),
  ];

  it('a hamlet with one receiver connected is reachable; all disconnected is said; none enrolled or revoked will not hear', () => {
    expect(reachOf(hamlets, receivers)).toEqual({ none: ['Thôn C', 'Thôn D'], unreachable: ['Thôn B'] });
  });

  it('only the chosen hamlets are judged', () => {
    expect(reachOf([hamlets[0]], receivers)).toEqual({ none: [], unreachable: [] });
  });
});
