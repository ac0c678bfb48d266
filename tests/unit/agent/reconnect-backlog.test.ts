/** The wait after a reconnection (reconnect-backlog.ts), on a clock the test moves. */
import { describe, expect, it } from 'vitest';
import { ReconnectBacklog } from '../../../firmware-bridge/agent/reconnect-backlog.js';

function backlog() {
  let now = 1_000;
  let n = 0;
  const b = new ReconnectBacklog(() => now);
  /** A play or stop the controller signed, read and checked (`id`: the same command again). */
  const arrive = (id = `c${++n}`) => (b.read(), b.checked(id));
  return { b, pass: (ms: number) => (now += ms), arrive };
}

describe('the wait for a reconnection burst', () => {
  it('does not hold anything before the first connection', () => {
    expect(backlog().b.waitMs()).toBe(0);
  });

  it('holds until the SUBACK, however late it comes, and then quiet after the last play or stop', () => {
    const { b, pass, arrive } = backlog();
    b.linkUp();
    pass(1_400); // a slow link: the first kept play comes long after the CONNACK
    arrive();
    pass(250);
    expect(b.waitMs()).toBeGreaterThan(0); // no SUBACK yet: the stop may still be on its way
    arrive(); // the stop
    pass(100);
    b.subscribed();
    expect(b.waitMs()).toBe(400); // twice the 250 ms between play and stop, after the stop
    pass(400);
    expect(b.waitMs()).toBe(0);
  });

  it('goes on while plays and stops keep coming after the SUBACK', () => {
    const { b, pass, arrive } = backlog();
    b.linkUp();
    b.subscribed();
    for (let i = 0; i < 5; i++) {
      pass(200);
      arrive();
      expect(b.waitMs()).toBe(i === 0 ? 300 : 400); // twice their pace
    }
  });

  it('waits for a long backlog on a very slow link, however long it takes, and ends at its SUBACK', () => {
    const { b, pass, arrive } = backlog();
    b.linkUp();
    for (let i = 0; i < 12; i++) {
      pass(2_000); // a command of 1 KB every 2 s at 0.5 KB/s: 24 s in all
      expect(b.waitMs()).toBeGreaterThan(0);
      arrive();
    }
    b.subscribed();
    expect(b.waitMs()).toBe(4_000); // twice the link's pace
  });

  it('gives up 10 s after the last play or stop when no SUBACK comes', () => {
    const { b, pass } = backlog();
    b.linkUp();
    pass(9_900);
    expect(b.waitMs()).toBe(100);
    pass(100);
    expect(b.waitMs()).toBe(0);
  });

  it('holds nothing once the burst is over: a play long after it starts at once', () => {
    const { b, pass, arrive } = backlog();
    b.linkUp();
    b.subscribed();
    pass(60_000);
    arrive();
    expect(b.waitMs()).toBe(0);
  });

  it('holds nothing once a link with no burst drops (an item due offline plays)', () => {
    const { b, pass } = backlog();
    b.linkUp();
    pass(50);
    b.linkDown();
    expect(b.waitMs()).toBe(0);
  });

  it('keeps waiting when the link drops mid-burst: the rest comes on the next connection', () => {
    const { b, pass, arrive } = backlog();
    b.linkUp();
    pass(500);
    arrive(); // a kept play; its stop is still at the broker
    pass(100);
    b.linkDown();
    expect(b.waitMs()).toBeGreaterThan(0);
    pass(2_000);
    b.linkUp();
    arrive(); // the stop
    b.subscribed();
    expect(b.waitMs()).toBe(300);
  });

  it("after the SUBACK, waits twice a slow link's pace between kept commands", () => {
    const { b, pass, arrive } = backlog();
    b.linkUp();
    pass(100);
    arrive();
    pass(1_200); // 600 bytes at 0.5 KB/s
    arrive();
    b.subscribed(); // Mosquitto's 21st and later come after it, one by one
    expect(b.waitMs()).toBe(2_400);
  });

  it('starts again at each connection: a SUBACK of the link before does not count', () => {
    const { b, pass } = backlog();
    b.linkUp();
    b.subscribed();
    pass(5_000);
    expect(b.waitMs()).toBe(0);
    b.linkUp();
    pass(1);
    expect(b.waitMs()).toBeGreaterThan(0);
  });

  it('holds from the start for the first connection: failed attempts do not end it, its burst does', () => {
    const { b, pass, arrive } = backlog();
    b.starting(); // after a power cut: what was on air may have been stopped meanwhile
    pass(3_000);
    b.linkDown(); // the network is not up yet: an attempt fails
    expect(b.waitMs()).toBe(7_000);
    b.linkUp();
    arrive(); // the kept stop
    b.subscribed();
    // At the start, a second for the controller's answer to "online" (the stops it has not taken:
    // a broker that lost its session kept none), not only the burst's 300 ms of quiet.
    expect(b.waitMs()).toBe(1_000);
    pass(1_000);
    expect(b.waitMs()).toBe(0);
  });

  it('knows whether the broker is reached now (a wait that ends without it ended at its limit)', () => {
    const { b } = backlog();
    b.starting();
    expect(b.linked).toBe(false);
    b.linkUp();
    expect(b.linked).toBe(true);
    b.linkDown();
    expect(b.linked).toBe(false);
  });

  it("waits only the burst's quiet after a reconnection (the start's wait for the controller's answer is over)", () => {
    const { b, pass } = backlog();
    b.starting();
    b.linkUp();
    b.subscribed();
    pass(1_000);
    expect(b.waitMs()).toBe(0);
    b.linkDown();
    b.linkUp();
    b.subscribed();
    expect(b.waitMs()).toBe(300);
  });

  it('lets what was on air play again 10 s after the start when no connection comes', () => {
    const { b, pass } = backlog();
    b.starting();
    pass(9_999);
    expect(b.waitMs()).toBe(1);
    pass(1);
    expect(b.waitMs()).toBe(0);
  });

  it("keeps the start's wait when the first connection drops before its burst is in", () => {
    const { b, pass } = backlog();
    b.starting();
    pass(2_000);
    b.linkUp();
    pass(50);
    b.linkDown(); // a flaky link as the power comes back: the stop may still be kept at the broker
    expect(b.waitMs()).toBe(9_950);
  });

  it('does not hold again when a link drops after its burst was over', () => {
    const { b, pass, arrive } = backlog();
    b.linkUp();
    arrive();
    b.subscribed();
    pass(2_000);
    b.linkDown();
    expect(b.waitMs()).toBe(0);
  });

  it('counts the same command once: a genuine one replayed over and over does not draw the wait out', () => {
    const { b, pass, arrive } = backlog();
    b.linkUp();
    b.subscribed();
    arrive('emergency');
    for (let i = 0; i < 10; i++) {
      pass(100);
      arrive('emergency');
    }
    expect(b.waitMs()).toBe(0); // 300 ms after the first, not after the last copy
  });

  it('does not count a forged play or stop, but holds while one read waits its turn to be checked', () => {
    const { b, pass } = backlog();
    b.linkUp();
    b.subscribed();
    pass(300);
    b.read(); // read; the work lane has not checked it yet
    expect(b.waitMs()).toBeGreaterThan(0);
    b.checked(null); // forged
    expect(b.waitMs()).toBe(0);
  });

  it("keeps the start's wait while a first connection is open and slow to pass its CONNACK (the network answers)", () => {
    const { b, pass } = backlog();
    b.starting();
    pass(1_000);
    b.linkOpening(); // TCP is up; the CONNACK crawls over a weak link
    pass(30_000);
    expect(b.waitMs()).toBeGreaterThan(0);
    b.linkDown(); // let go for want of a CONNACK: 10 s more from here, for the next attempt
    pass(9_000);
    expect(b.waitMs()).toBe(1_000);
    b.linkOpening();
    pass(5_000);
    b.linkUp();
    b.subscribed();
    expect(b.waitMs()).toBe(1_000);
  });

  it("gives the start's wait up 2 minutes after the start on a link that opens but never passes MQTT", () => {
    const { b, pass } = backlog();
    b.starting();
    b.linkOpening();
    pass(119_000);
    expect(b.waitMs()).toBeGreaterThan(0);
    pass(1_000);
    expect(b.waitMs()).toBe(0);
  });

  it("ends the start's wait 2 minutes after the start however many attempts open and close (a refused CONNACK)", () => {
    const { b, pass } = backlog();
    b.starting();
    for (let t = 0; t < 119_000; t += 3_000) {
      b.linkOpening();
      pass(1_000);
      b.linkDown(); // refused, or a TLS handshake that fails: the board's clock is wrong after the cut
      expect(b.waitMs()).toBeGreaterThan(0);
      pass(2_000);
    }
    expect(b.waitMs()).toBe(0);
  });

  it("does not begin the start's wait again once it has ended (a late attempt opening)", () => {
    const { b, pass } = backlog();
    b.starting();
    b.linkOpening();
    pass(8_000);
    b.linkDown(); // let go for want of a CONNACK
    pass(10_000);
    expect(b.waitMs()).toBe(0); // what was on air plays again
    b.linkOpening();
    expect(b.waitMs()).toBe(0);
  });
});
