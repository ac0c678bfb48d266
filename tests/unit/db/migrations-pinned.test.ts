/**
 * Shipped migrations are never edited: a database that already ran one would never see the
 * change. Each shipped migration's SQL text is pinned here by its sha256.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../controller/db/migrations.js';

/** sha256 of each shipped migration's SQL text, in order. Append a line when a new migration ships; never change one. */
const SHIPPED = [
  '030a75915a31ecd91fd86329544d3d074d582f3ef557e9713accb78511cee60a',
  '4b82d66352eba24427a58577ba46cc53d44fe80f1e7c7ed4309677bc2a61298a',
  '89a22f043aeba0ee9e1e163b62b2adbf901af3365e00c075d85f9a0bbed68d14',
  'e8636cff8aed5dcaef9d4a361169b74b638d47ac24a5ffcb8ad9a96ed63e486e',
  'f5d912f91b131d110d60c29e230b58db5dc1a9c8518a9ccb0d9378c49edbf417',
  'eff0a200f91f29929f578b646de5ceb42117149cb47436e08e15073c3af2ea92',
  '5d271019f82afb9e2cd29103ad89fc9deaef1877edfddab6a5f61bc486ebf657',
  '187f9a2bb7db26ef97e982b21092e7783c6080d178f07ee1f675695ffa609a45',
  'c1c28b4b7fe17b3ec35c19b4e0286f3a70194a7d5a10ba29a29f898140512206',
  'e9c08cfd4f0000d32ea7da87a07c1455a230314e8494a3c60a8db16d4534bb45',
  '27cbe66cef74ca78b5fdac63dbc3bc614a0318b03e79bdc5bad165af95552d75',
  'bfdb5d9ba81fca7d2b3cbcda3fddbf6c5a34acbb9ddfc497bce0519ecdb30483',
  'a9b29861784bef607b68e7cf5b2421617111dfed620d97d9c94289071a5e6db8',
  '4155e8e83b8d95719811ecd1de955085b0a05617b170e786c30c75fc55eef5a9',
  'c7af5ad01e89e00fdeba46b0c1f6d2df32c0d54522b52476b1fa299e3aab5ec5',
  '1a00aa1cc4fbc3ea281db68d87b40625a865dfccc8ec9f9fbcec727aff79cdac',
  '788cc303530dea9fd8099a13b77f24dc0758acc6f82a95dcb797d5ab4f25e08f',
];

describe('migrations', () => {
  it('keeps every shipped migration exactly as it shipped', () => {
    expect(migrations.length, 'a shipped migration was removed').toBeGreaterThanOrEqual(SHIPPED.length);
    SHIPPED.forEach((hash, i) => {
      const actual = createHash('sha256').update(migrations[i]).digest('hex');
      expect(actual, `migration ${i + 1} has shipped and was edited: add a new migration instead`).toBe(hash);
    });
  });
});
