/**
 * Health reports: every telemetry interval, while the link is up, the receiver sends its uptime,
 * what it plays, its pending acks and held items, free storage, its own volume, what the board
 * measures (CPU temperature, link quality: board-readings.ts) and its clock offset estimate
 * (the smallest receipt-minus-issue time of recent commands).
 */
import { statfsSync } from 'node:fs';
import { PROTOCOL_VERSION, topics } from '../../controller/protocol/index.js';
import type { AgentContext } from './agent-context.js';
import type { AgentLink } from './agent-link.js';
import { readBoard } from './board-readings.js';

/** Clock samples kept for the offset estimate. */
const OFFSET_SAMPLES = 20;

export interface TelemetryOptions {
  ctx: AgentContext;
  link: AgentLink;
  /** What the report says about the rest of the agent, read when each report is sent. */
  snapshot: () => { playing_broadcast_id: string | null; pending_acks: number; scheduled_items: number };
  /** Where the board's /sys and /proc are (tests point at a made-up tree). */
  boardRoot?: string;
}

export class Telemetry {
  /**
   * Receipt time minus issue time of recent signed commands: the smallest is the best estimate of
   * the clock offset, and an upper bound of it (a command that waited on the way only adds). The
   * controller bounds it from below with this telemetry's `at` (controller/health/clock-offset.ts).
   */
  private readonly offsetSamples: number[] = [];
  /** performance.now() when the agent was made: only the uptime is read from it. */
  private readonly startedAt = performance.now();
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: TelemetryOptions) {}

  start(): void {
    this.timer = setInterval(() => this.send(), this.options.ctx.config.telemetry_interval_s * 1000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One sample for the clock offset estimate, from a command the controller signed. */
  sampleClock(issuedAt: string): void {
    this.offsetSamples.push(this.options.ctx.clock.now().getTime() - Date.parse(issuedAt));
    if (this.offsetSamples.length > OFFSET_SAMPLES) this.offsetSamples.shift();
  }

  /** Sends one report now (also what the timer calls). */
  send(): void {
    const { ctx, link } = this.options;
    if (!link.connected) return;
    const s = this.options.snapshot();
    link.publish(
      topics.telemetry(ctx.id),
      JSON.stringify({
        v: PROTOCOL_VERSION,
        receiver_id: ctx.id,
        at: ctx.clock.now().toISOString(),
        uptime_s: Math.round((performance.now() - this.startedAt) / 1000),
        playing_broadcast_id: s.playing_broadcast_id,
        pending_acks: s.pending_acks,
        scheduled_items: s.scheduled_items,
        ...(this.offsetSamples.length ? { clock_offset_ms: Math.min(...this.offsetSamples) } : {}),
        free_storage_bytes: freeBytes(ctx.config.state_dir),
        volume_pct: ctx.state.master_volume_pct ?? 100,
        ...readBoard(this.options.boardRoot),
        ...(ctx.state.proof_head ? { proof_head: ctx.state.proof_head } : {}),
      }),
      { qos: 0 },
    );
  }
}

function freeBytes(dir: string): number | undefined {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}
