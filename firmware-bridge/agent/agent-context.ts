/**
 * What every part of the receiver agent shares: who it is, its configuration, its store, the one
 * clock, the logger, the state kept across restarts, the events it reports and a short memory of
 * what it did (for fetch_logs).
 */
import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Clock } from '../../controller/clock.js';
import type { AgentConfig } from '../../controller/protocol/agent-config.js';
import type { AgentState, AgentStore } from './agent-store.js';

export const AGENT_VERSION = '0.1.0';

/** Lines kept for fetch_logs. */
const RECENT_LINES = 500;

export interface AgentContextOptions {
  config: AgentConfig;
  store: AgentStore;
  clock: Clock;
  log: Logger;
  /** Where the parts report events: the ReceiverAgent facade. */
  events: EventEmitter;
}

export class AgentContext {
  readonly id: string;
  readonly config: AgentConfig;
  readonly store: AgentStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly events: EventEmitter;
  /** Loaded when the agent starts; each part saves it after changing its share of it. */
  state!: AgentState;
  private readonly recent: string[] = [];

  constructor(options: AgentContextOptions) {
    this.config = options.config;
    this.id = options.config.receiver_id;
    this.store = options.store;
    this.clock = options.clock;
    this.log = options.log;
    this.events = options.events;
  }

  /** The version this receiver runs: the last update installed, or the one built in. */
  version(): string {
    return this.state?.installed_version ?? AGENT_VERSION;
  }

  /** The receiver's own volume setting scales every play (set remotely by technicians). */
  masterVolume(pct: number): number {
    return Math.round((pct * (this.state.master_volume_pct ?? 100)) / 100);
  }

  /** A short memory of what the agent did, for fetch_logs. */
  note(line: string): void {
    this.recent.push(`${this.clock.now().toISOString()} ${line}`);
    if (this.recent.length > RECENT_LINES) this.recent.splice(0, this.recent.length - RECENT_LINES);
  }

  /** The last `count` lines noted (at most 500). */
  recentLines(count: number): string[] {
    return this.recent.slice(-Math.min(RECENT_LINES, count));
  }

  /** Runs work from a timer: a failing disk is logged, never thrown into the event loop. */
  safely(fn: () => void, what: string): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err: (err as Error).message }, `could not ${what}`);
    }
  }
}
