/** The wait after a reconnection (reconnect-backlog.ts), on a clock the test moves. */
import { describe, expect, it } from 'vitest';
import { ReconnectBacklog } from '../../../firmware-bridge/agent/reconnect-backlog.js';

function backlog() {
  let now = 1_000;
  const b = new ReconnectBacklog(() => now);
  return { b, pass: (ms: number) => (now += ms) };
}

describe('the wait for a reconnection burst', () => {
  it('does not hold anything before the first connection', () => {
    expect(backlog().b.waitMs()).toBe(0);
  });

  it('holds until the SUBACK, however late it comes, and then 300 ms after the last play or stop', () => {
    const { b, pass } = backlog();
    b.linkUp();
    pass(1_400); // a slow link: the first kept play comes long after the CONNACK
    b.arrived();
    pass(250);
    expect(b.waitMs()).toBeGreaterThan(0); // no SUBACK yet: the stop may still be on its way
    b.arrived(); // the stop
    pass(100);
    b.subscribed();
    expect(b.waitMs()).toBe(200); // 300 ms after the stop
    pass(200);
    expect(b.waitMs()).toBe(0);
  });

  it('goes on while plays and stops keep coming after the SUBACK', () => {
    const { b, pass } = backlog();
    b.linkUp();
    b.subscribed();
    for (let i = 0; i < 5; i++) {
      pass(200);
      b.arrived();
      expect(b.waitMs()).toBe(300);
    }
  });

  it('waits for a long backlog on a very slow link, however long it takes, and ends at its SUBACK', () => {
    const { b, pass } = backlog();
    b.linkUp();
    for (let i = 0; i < 12; i++) {
      pass(2_000); // a command of 1 KB every 2 s at 0.5 KB/s: 24 s in all
      expect(b.waitMs()).toBeGreaterThan(0);
      b.arrived();
    }
    b.subscribed();
    expect(b.waitMs()).toBe(300);
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
    const { b, pass } = backlog();
    b.linkUp();
    b.subscribed();
    pass(60_000);
    b.arrived();
    expect(b.waitMs()).toBe(0);
  });

  it('holds nothing once the link drops before the burst is in (an item due offline plays)', () => {
    const { b, pass } = backlog();
    b.linkUp();
    pass(50);
    b.linkDown();
    expect(b.waitMs()).toBe(0);
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
});
