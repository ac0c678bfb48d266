/**
 * The kit's broker tells why it refused a device (outsider): the right client id and username
 * with a wrong or missing password is a password problem, not a wrong identity.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KitBroker, type RefusedConnection } from '../../../firmware-bridge/conformance/kit-broker.js';

const refused: RefusedConnection[] = [];
const broker = new KitBroker({
  receiverId: 'rx-kiem-tra',
  hamletId: 'thon-1',
  secret: 's'.repeat(43),
  controllerPassword: 'c'.repeat(43),
  host: '127.0.0.1',
  port: 0,
  onRefused: (r) => refused.push(r),
});
let url: string;
beforeAll(async () => {
  url = `mqtt://127.0.0.1:${await broker.start()}`;
});
afterAll(() => broker.stop());

async function knock(clientId: string, username: string | undefined, password: string | undefined) {
  await expect(
    mqtt.connectAsync(url, { clientId, username, password, reconnectPeriod: 0, connectTimeout: 3000 }),
  ).rejects.toThrow();
  return refused.at(-1);
}

describe('the kit broker', () => {
  it('calls a wrong password with the right identity a wrong password', async () => {
    expect(await knock('rx-kiem-tra', 'rx-kiem-tra', 'wrong')).toMatchObject({ reason: 'wrong_password' });
  });

  it('calls a missing password a missing password', async () => {
    expect(await knock('rx-kiem-tra', 'rx-kiem-tra', undefined)).toMatchObject({ reason: 'no_password' });
  });

  it('keeps "wrong identity" for a wrong client id or username', async () => {
    expect(await knock('rx-other', 'rx-kiem-tra', 's'.repeat(43))).toMatchObject({
      reason: 'wrong_identity',
      clientId: 'rx-other',
    });
    expect(await knock('rx-kiem-tra', 'admin', 's'.repeat(43))).toMatchObject({
      reason: 'wrong_identity',
      username: 'admin',
    });
  });
});
