/**
 * The kit hears from its own broker that a device it did not start is gone (outsider: in `--wait`
 * mode a dead device had every remaining case run against nothing, and passed `replayed` on
 * silence). A drop the device made unasked ends the run; a cut the kit made is given the
 * reconnect time, and coming back from it is no loss. While it waits for the first connection,
 * the kit says so, where, and what it refused.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceLinkWatch, waitingNotice } from '../../../firmware-bridge/conformance/device-link.js';
import { KitBroker } from '../../../firmware-bridge/conformance/kit-broker.js';
import { waitFor } from '../../helpers/wait.js';

const SECRET = 's'.repeat(43);
const broker = new KitBroker({
  receiverId: 'rx-kiem-tra',
  hamletId: 'thon-1',
  secret: SECRET,
  controllerPassword: 'c'.repeat(43),
  host: '127.0.0.1',
  port: 0,
});
let url: string;
beforeAll(async () => {
  url = `mqtt://127.0.0.1:${await broker.start()}`;
});
afterAll(() => broker.stop());

/** The device's MQTT client, as a receiver connects (persistent session). */
async function device(reconnectPeriod: number): Promise<mqtt.MqttClient> {
  const client = await mqtt.connectAsync(url, {
    clientId: 'rx-kiem-tra',
    username: 'rx-kiem-tra',
    password: SECRET,
    clean: false,
    reconnectPeriod,
  });
  await waitFor(() => broker.deviceSession().connected, 'the device connected');
  return client;
}

describe('watching the device link', () => {
  it('gives the device up when it leaves the broker unasked, naming the case it was in', async () => {
    const client = await device(0);
    const watch = new DeviceLinkWatch(broker, { reconnectMs: 5000, current: () => 'replayed', settleMs: 1000 });
    expect(watch.dropped).toBe(false);
    await client.endAsync();
    await waitFor(() => watch.dropped, 'the drop seen');
    expect(await watch.lost).toMatchObject({ during: 'replayed', after_cut: false });
  });

  it('waits through a cut the kit made, and after the device is back a drop of its own is a loss again', async () => {
    const client = await device(100);
    let lost = false;
    const watch = new DeviceLinkWatch(broker, { reconnectMs: 5000, current: () => 'link_loss', settleMs: 100 });
    void watch.lost.then(() => (lost = true));
    broker.cut(400);
    await waitFor(() => !broker.deviceSession().connected, 'the link cut');
    expect(watch.dropped).toBe(false);
    await waitFor(() => broker.deviceSession().connected, 'the device back', 5000);
    await new Promise((r) => setTimeout(r, 300));
    expect(lost).toBe(false);
    await client.endAsync();
    expect(await watch.lost).toMatchObject({ during: 'link_loss', after_cut: false });
  });

  it('gives up a device that does not come back after a cut, once the reconnect time is over', async () => {
    const client = await device(0);
    let during = 'last_will';
    const watch = new DeviceLinkWatch(broker, { reconnectMs: 200, current: () => during, slackMs: 500 });
    broker.cut(200);
    during = 'ack_signatures';
    const loss = await watch.lost;
    expect(loss).toMatchObject({ during: 'ack_signatures', after_cut: true });
    expect(loss.waited_ms).toBeGreaterThanOrEqual(400);
    client.end(true);
  });
});

describe('the notice while the kit waits for the device', () => {
  it('says how long, on which broker address, and which connections it refused and why', () => {
    const text = waitingNotice({
      seconds: 20,
      mqttUrl: 'mqtt://192.168.1.5:1883',
      receiverId: 'rx-kiem-tra',
      refused: [
        { clientId: 'rx-kiem-tra', username: 'rx-kiem-tra', reason: 'wrong_password' },
        { clientId: 'rx-kiem-tra', username: 'rx-kiem-tra', reason: 'wrong_password' },
        { clientId: 'loa-1', username: 'admin', reason: 'wrong_identity' },
      ],
    });
    expect(text).toContain('Đang chờ thiết bị kết nối… (20 giây; máy chủ tin nhắn mqtt://192.168.1.5:1883)');
    expect(text).toContain('Waiting for the device to connect… (20 s; broker mqtt://192.168.1.5:1883)');
    expect(text).toContain('The broker refused 3 connection attempts:');
    expect(text).toContain('SAI MẬT KHẨU');
    // Each mistake once, the latest first.
    expect(text.match(/WRONG PASSWORD/g)).toHaveLength(1);
    expect(text.indexOf('client id "loa-1"')).toBeLessThan(text.indexOf('client id "rx-kiem-tra"'));
    // Vietnamese first.
    expect(text.indexOf('Đang chờ')).toBeLessThan(text.indexOf('Waiting'));
  });

  it('names no refusal when there was none', () => {
    const text = waitingNotice({ seconds: 10, mqttUrl: 'mqtt://h:1', receiverId: 'rx', refused: [] });
    expect(text).toBe(
      'Đang chờ thiết bị kết nối… (10 giây; máy chủ tin nhắn mqtt://h:1)\nWaiting for the device to connect… (10 s; broker mqtt://h:1)',
    );
  });
});
