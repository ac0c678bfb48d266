/**
 * How busy an event loop was over a window of time: sampled every 50 ms, so that a window known
 * only afterwards (from an emergency's click to its last arrival) can be read back. It says where
 * a delay was spent: a loop near 100 % busy queued the work behind it.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { nowMs } from './stats.js';

interface Sample {
  at: number;
  active: number;
  idle: number;
}

export class LoopBusy {
  private readonly samples: Sample[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly read: () => EventLoopUtilization | undefined = () => performance.eventLoopUtilization(),
  ) {}

  start(everyMs = 50): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The share of [from, to] (nowMs clock) the loop was running code, 0-1; NaN without samples around it. */
  between(from: number, to: number): number {
    this.sample();
    const before = this.samples.filter((s) => s.at <= from).at(-1) ?? this.samples.find((s) => s.at >= from);
    const after = this.samples.find((s) => s.at >= to) ?? this.samples.at(-1);
    if (!before || !after || after.at <= before.at) return NaN;
    const active = after.active - before.active;
    const total = active + (after.idle - before.idle);
    return total > 0 ? active / total : NaN;
  }

  private sample(): void {
    const u = this.read();
    if (!u) return;
    this.samples.push({ at: nowMs(), active: u.active, idle: u.idle });
    if (this.samples.length > 20_000) this.samples.splice(0, 10_000); // about 8 minutes at 50 ms
  }
}
