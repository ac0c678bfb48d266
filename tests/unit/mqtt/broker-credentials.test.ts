/** The embedded broker's credential table: who a client is, and what changes take effect at once. */
import { describe, expect, it } from 'vitest';
import { CredentialTable, hashSecret } from '../../../controller/mqtt/broker-credentials.js';

const secret = 'a'.repeat(43);
const table = () =>
  new CredentialTable('c'.repeat(43), [{ id: 'rx-a', secret_hash: hashSecret(secret), hamlet_id: 'thon-1' }]);

describe('the broker credential table', () => {
  it('knows the controller and an enrolled receiver by their secrets only', () => {
    const t = table();
    expect(t.authenticate('any', '_controller', Buffer.from('c'.repeat(43)))).toEqual({ kind: 'controller' });
    expect(t.authenticate('any', '_controller', Buffer.from('c'.repeat(42)))).toBeUndefined();
    expect(t.authenticate('rx-a', 'rx-a', Buffer.from(secret))).toEqual({
      kind: 'receiver',
      receiverId: 'rx-a',
      hamletId: 'thon-1',
    });
    expect(t.authenticate('rx-a', 'rx-a', Buffer.from('wrong'))).toBeUndefined();
    expect(t.authenticate('rx-b', 'rx-a', Buffer.from(secret))).toBeUndefined(); // a borrowed client id
    expect(t.authenticate('rx-z', 'rx-z', Buffer.from(secret))).toBeUndefined();
    expect(t.authenticate('rx-a', 'rx-a', undefined)).toBeUndefined();
  });

  it('applies a hamlet move, a rotation and a revocation to the next check', () => {
    const t = table();
    const principal = t.authenticate('rx-a', 'rx-a', Buffer.from(secret))!;
    t.set('rx-a', { id: 'rx-a', secret_hash: hashSecret(secret), hamlet_id: 'thon-2' });
    expect(t.refresh(principal)).toEqual({ kind: 'receiver', receiverId: 'rx-a', hamletId: 'thon-2' });
    t.set('rx-a', { id: 'rx-a', secret_hash: hashSecret('b'.repeat(43)), hamlet_id: 'thon-2' });
    expect(t.authenticate('rx-a', 'rx-a', Buffer.from(secret))).toBeUndefined();
    t.set('rx-a', null);
    expect(t.refresh(principal)).toBeUndefined();
    expect(t.authenticate('rx-a', 'rx-a', Buffer.from('b'.repeat(43)))).toBeUndefined();
  });
});
