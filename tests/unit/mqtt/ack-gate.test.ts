import { afterEach, describe, expect, it, vi } from 'vitest';
import { AckGate, HOLD_ABOVE, RELEASE_BELOW } from '../../../controller/mqtt/ack-gate.js';

afterEach(() => vi.useRealTimers());

describe("the broker's ack gate", () => {
  it('lets acks through while the routing backlog is short', () => {
    const gate = new AckGate(() => HOLD_ABOVE - 1);
    const go = vi.fn();
    gate.pass(go);
    expect(go).toHaveBeenCalledOnce();
  });

  it('holds acks while the backlog is long, and lets them go in order, only as much as the room below the release mark', () => {
    vi.useFakeTimers();
    let backlog = HOLD_ABOVE;
    const gate = new AckGate(() => backlog);
    const order: number[] = [];
    for (let i = 0; i < 5; i++) gate.pass(() => order.push(i));
    expect(order).toEqual([]);
    backlog = RELEASE_BELOW + 10; // shorter, but not short enough
    vi.advanceTimersByTime(50);
    expect(order).toEqual([]);
    backlog = RELEASE_BELOW - 2; // room for two
    vi.advanceTimersByTime(10);
    expect(order).toEqual([0, 1]);
    // Once acks are held, a new one waits behind them even if the backlog is short.
    backlog = 0;
    gate.pass(() => order.push(5));
    expect(order).toEqual([0, 1]);
    vi.advanceTimersByTime(10);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(gate.heldCount).toBe(0);
  });

  it('lets every held ack go when the broker stops', () => {
    const gate = new AckGate(() => HOLD_ABOVE);
    const go = vi.fn();
    gate.pass(go);
    gate.pass(go);
    gate.releaseAll();
    expect(go).toHaveBeenCalledTimes(2);
  });

  it('lets an urgent ack through while it holds others, up to a ceiling; above it holds it, and lets it go first', () => {
    vi.useFakeTimers();
    let backlog = HOLD_ABOVE * 5; // long: normal acks are held
    const gate = new AckGate(() => backlog);
    const order: string[] = [];
    gate.pass(() => order.push('normal-1'));
    gate.pass(() => order.push('urgent-1'), true);
    expect(order).toEqual(['urgent-1']);
    backlog = HOLD_ABOVE * 10; // at the ceiling: urgent ones are held too
    gate.pass(() => order.push('urgent-2'), true);
    gate.pass(() => order.push('normal-2'));
    expect(order).toEqual(['urgent-1']);
    expect(gate.heldCount).toBe(3);
    backlog = RELEASE_BELOW - 1; // room for one
    vi.advanceTimersByTime(10);
    expect(order).toEqual(['urgent-1', 'urgent-2']);
    backlog = 0;
    vi.advanceTimersByTime(10);
    expect(order).toEqual(['urgent-1', 'urgent-2', 'normal-1', 'normal-2']);
    expect(gate.heldCount).toBe(0);
  });

  it('lets held urgent acks go before the others when the broker stops', () => {
    const gate = new AckGate(() => HOLD_ABOVE * 10);
    const order: string[] = [];
    gate.pass(() => order.push('normal'));
    gate.pass(() => order.push('urgent'), true);
    gate.releaseAll();
    expect(order).toEqual(['urgent', 'normal']);
  });
});
