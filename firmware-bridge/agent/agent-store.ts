/**
 * What a receiver keeps across restarts and power cuts: its ack sequence counter, its session
 * counter, the ids of commands it has seen (the replay cache) and the acks the controller has
 * not yet confirmed storing (the outbox). Proof of play is store-and-forward, never live-only.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join, parse, resolve } from 'node:path';
import type { Ack, PlayCommand, ProofHead } from '../../controller/protocol/messages.js';

export interface AgentState {
  next_seq: number;
  /** ackDigest of the last ack made: the next one carries it as `prev` (the receiver's own ack chain). */
  last_ack_digest?: string;
  /** The newest signed head of the controller's ack log received in a receipt (an anchor; see PROTOCOL.md). */
  proof_head?: ProofHead;
  session: number;
  /** command_id -> expires_at; entries past expiry are pruned (an expired command is refused anyway). */
  seen: Record<string, string>;
  /**
   * broadcast_id -> expires_at of play commands accepted: a fresh copy of a broadcast (a new
   * command id for the same broadcast) is never played a second time.
   */
  broadcasts?: Record<string, string>;
  /**
   * When this state (and so the replay memory) began, by the receiver's clock. A wiped state
   * directory starts a new memory: commands issued before it are refused (`predates_memory`).
   */
  memory_since?: string;
  /** The receiver's own volume, set remotely; scales every play. */
  master_volume_pct?: number;
  /**
   * Scheduled items waiting for their start (the next 48 hours of the programme), with their
   * verified audio in the cache: they play on time after a restart with the controller unreachable.
   */
  held?: { command: PlayCommand; file: string }[];
  /**
   * What was playing (`started`) or queued to play now, rewritten at each change: after a crash or
   * a power cut the agent settles each (interrupted and played again, or failed) instead of
   * leaving the controller with a "started" that never ends.
   */
  on_air?: { command: PlayCommand; file: string; started: boolean }[];
  /**
   * Stops taken (stop-memory.ts): broadcast_id -> the stop's expires_at, and the last stop-all's
   * issue time. What is taken up again after a restart must not play when it was stopped.
   */
  stops?: { broadcasts: Record<string, string>; all_issued_at: string };
  /** Sequence numbers of pending acks that go before the others (an emergency's, a stop's: ack-outbox.ts). */
  urgent_acks?: number[];
  /** Play commands taken ("received") whose audio was still being fetched: fetched again after a restart. */
  preparing?: PlayCommand[];
  /** The agent version installed by the last update (absent: the version built in), and the one before. */
  installed_version?: string;
  previous_version?: string | null;
}

export interface AgentStore {
  loadState(): AgentState;
  saveState(state: AgentState): void;
  addAck(ack: Ack): void;
  removeAcks(seqs: number[]): void;
  pendingAcks(): Ack[];
}

const emptyState = (): AgentState => ({ next_seq: 0, session: 0, seen: {} });

/** Writes a file so that a power cut leaves either the old or the new content, never half. */
function writeDurably(file: string, content: string): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/**
 * `mkdir -p`, one level at a time. Node's own recursive mkdir never returns for a path that cannot
 * be made under a directory that exists (mkdir in /proc answers ENOENT, and Node retries the parent
 * and the path for ever): an unusable state directory must fail with its reason, not hang.
 */
export function makeDirs(dir: string, mode = 0o700): void {
  const full = resolve(dir);
  let at = parse(full).root;
  for (const part of full.slice(at.length).split(/[\\/]/).filter(Boolean)) {
    at = join(at, part);
    try {
      mkdirSync(at, { mode });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!statSync(at).isDirectory())
        throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${at}'`), { code: 'ENOTDIR', path: at });
    }
  }
}

export class FileAgentStore implements AgentStore {
  private readonly outboxDir: string;
  private readonly stateFile: string;

  constructor(dir: string) {
    this.outboxDir = join(dir, 'outbox');
    this.stateFile = join(dir, 'state.json');
    makeDirs(this.outboxDir);
  }

  loadState(): AgentState {
    try {
      const state = { ...emptyState(), ...JSON.parse(readFileSync(this.stateFile, 'utf8')) } as AgentState;
      // Never reuse a sequence number still waiting in the outbox, even if state.json is older.
      const maxPending = Math.max(-1, ...this.pendingAcks().map((a) => a.seq));
      state.next_seq = Math.max(state.next_seq, maxPending + 1);
      return state;
    } catch {
      return emptyState();
    }
  }

  saveState(state: AgentState): void {
    writeDurably(this.stateFile, JSON.stringify(state));
  }

  addAck(ack: Ack): void {
    writeDurably(join(this.outboxDir, `${String(ack.seq).padStart(12, '0')}.json`), JSON.stringify(ack));
  }

  removeAcks(seqs: number[]): void {
    for (const seq of seqs) rmSync(join(this.outboxDir, `${String(seq).padStart(12, '0')}.json`), { force: true });
  }

  pendingAcks(): Ack[] {
    const acks: Ack[] = [];
    for (const name of readdirSync(this.outboxDir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      try {
        acks.push(JSON.parse(readFileSync(join(this.outboxDir, name), 'utf8')) as Ack);
      } catch {
        // a file cut short by a crash between open and rename cannot exist (tmp + rename); skip anything odd
      }
    }
    return acks;
  }
}

/**
 * Keeps everything in memory: for simulated fleets in benchmarks, where thousands of agents share
 * one disk. It lives no longer than its agent, so a save keeps the agent's own state object and
 * only a load copies it: copying the whole state at each of the eight or so saves per command was
 * a seventh of a 5,000-receiver fleet's processor, and a quarter with the garbage it made, work
 * that a real receiver's disk write does on the receiver's own processor.
 */
export class MemoryAgentStore implements AgentStore {
  private state = emptyState();
  private readonly outbox = new Map<number, Ack>();

  loadState(): AgentState {
    return structuredClone(this.state);
  }
  saveState(state: AgentState): void {
    this.state = state;
  }
  addAck(ack: Ack): void {
    this.outbox.set(ack.seq, ack);
  }
  removeAcks(seqs: number[]): void {
    for (const seq of seqs) this.outbox.delete(seq);
  }
  pendingAcks(): Ack[] {
    return [...this.outbox.values()].sort((a, b) => a.seq - b.seq);
  }
}
