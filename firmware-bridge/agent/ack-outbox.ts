/**
 * Proof of play, store-and-forward: every ack gets the next sequence number, is signed with the
 * receiver's own key, written to disk and then sent if the link is up. It stays on disk until the
 * controller's receipt names its number; acks never sent on this link, or sent long enough ago
 * without a receipt, are sent again.
 *
 * At most ACKS_IN_FLIGHT acks wait for the broker's PUBACK at a time; the rest wait here, on disk
 * already, oldest first. Each receiver of 10,000 sending its whole backlog at once (after a
 * reconnection) and sending again acks whose PUBACK was still on its way is what the embedded
 * broker's heap held when it ran out (2026-12-04 heap snapshots). A broker that answers a publish
 * only once it can take more keeps the backlog on the receivers so: the embedded broker holds its
 * answer to acks while its routing backlog is long (controller/mqtt/ack-gate.ts).
 *
 * An emergency's acks, a stop's and those of what a stop ended go before every other waiting ack,
 * with a room of their own beyond ACKS_IN_FLIGHT: they prove that a warning was heard or a sound
 * stopped, and must not wait behind a whole-commune broadcast's acks on the receiver (a real
 * receiver's backlog after a reconnection, or the embedded broker holding its answers). Their
 * numbers then reach the controller out of order; its gap tracker asks for a gap only when its
 * lowest missing number stops coming in (controller/coverage/ack-sequence.ts).
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import {
  PROTOCOL_VERSION,
  topics,
  signAck,
  ackDigest,
  isUrgentAck,
  type Ack,
  type AckEvidence,
  type AckReason,
  type AckStage,
  type UnsignedCommand,
  type ProofHead,
} from '../../controller/protocol/index.js';
import type { AgentContext } from './agent-context.js';
import type { AgentLink } from './agent-link.js';

export interface AckOutboxOptions {
  ctx: AgentContext;
  link: AgentLink;
  /** Acks not confirmed after this long are sent again (default 20 s). */
  resendAfterMs?: number;
}

/** Acks published and not yet acknowledged by the broker (PUBACK) at one time, per receiver. */
export const ACKS_IN_FLIGHT = 2;
/** Resend periods after which an ack still without its PUBACK on a live link is taken for lost. */
const IN_FLIGHT_GIVE_UP = 10;

export class AckOutbox {
  /** When each ack was last sent on this link (performance.now(): only its age matters). */
  private readonly lastSent = new Map<number, number>();
  /** Acks to send, by sequence number, oldest first; sent as PUBACKs free room. */
  private waiting = new Map<number, Ack>();
  /** Acks of emergencies and stops not yet receipted: sent first (see above). Read from the state once loaded. */
  private urgentSeqs?: Set<number>;
  /** Acks published on the current link whose PUBACK has not come yet. */
  private readonly inFlight = new Set<number>();
  /** Counts links: a PUBACK (or its failure) from an earlier link frees no room on this one. */
  private linkNumber = 0;
  /** Parsed once: signing thousands of acks must not parse the PEM each time. */
  private readonly ackKey?: KeyObject;
  private readonly resendAfterMs: number;
  private resendTimer?: NodeJS.Timeout;

  constructor(private readonly options: AckOutboxOptions) {
    const key = options.ctx.config.ack_signing_key;
    this.ackKey = key ? createPrivateKey(key) : undefined;
    this.resendAfterMs = options.resendAfterMs ?? 20_000;
  }

  /** The urgent acks' numbers; the state keeps them (written wherever they change), so a restart keeps them first. */
  private get urgent(): Set<number> {
    return (this.urgentSeqs ??= new Set(this.options.ctx.state.urgent_acks ?? []));
  }

  /** Looks for acks to send again every half resend period. */
  start(): void {
    this.resendTimer = setInterval(() => this.sendPending(false), this.resendAfterMs / 2);
  }

  stop(): void {
    clearInterval(this.resendTimer);
  }

  /**
   * Records an ack durably, then sends it if the link is up; it stays on disk until receipted.
   * `evidence` (on finished): sent only when a player says so; absent means 'played'.
   */
  record(
    command: UnsignedCommand,
    stage: AckStage,
    reason: AckReason | null = null,
    detail: string | null = null,
    evidence?: AckEvidence,
  ): void {
    const { ctx } = this.options;
    const unsigned: Ack = {
      v: PROTOCOL_VERSION,
      receiver_id: ctx.id,
      seq: ctx.state.next_seq++,
      command_id: command.command_id,
      broadcast_id: 'broadcast_id' in command ? command.broadcast_id : null,
      stage,
      at: ctx.clock.now().toISOString(),
      reason,
      detail: detail?.slice(0, 500) ?? null,
      ...(evidence ? { evidence } : {}),
      // Chained to the ack before: this ack's signature then vouches for that one too.
      ...(ctx.state.last_ack_digest ? { prev: ctx.state.last_ack_digest } : {}),
    };
    const ack = this.ackKey ? signAck(unsigned, this.ackKey) : unsigned;
    ctx.state.last_ack_digest = ackDigest(unsigned);
    // Kept with the counter: after a restart the emergency's acks still go first.
    if (isUrgentAck(command, reason)) {
      this.urgent.add(ack.seq);
      ctx.state.urgent_acks = [...this.urgent];
    }
    ctx.store.saveState(ctx.state);
    ctx.store.addAck(ack);
    ctx.note(`ack ${stage}${reason ? ` ${reason}` : ''} ${command.command_id}${detail ? `: ${detail}` : ''}`);
    // The receiver's own journal of what it played, held and was stopped from (journalctl, a log file).
    ctx.log.info(
      {
        command_id: command.command_id,
        type: command.type,
        broadcast_id: 'broadcast_id' in command ? command.broadcast_id : undefined,
        priority: 'priority' in command ? command.priority : undefined,
        stage,
        reason,
        detail,
      },
      'ack',
    );
    ctx.events.emit('ack', ack);
    // While the link is down the disk holds it: linkUp sends what the disk has.
    if (!this.options.link.connected) return;
    this.waiting.set(ack.seq, ack);
    if (this.urgent.has(ack.seq)) this.waiting = this.urgentFirst(this.waiting);
    this.sendWaiting();
  }

  /**
   * The controller's signed head of its ack log, covering the acks just receipted: the newest is
   * kept (a copy of the controller's proof that its database's owner cannot reach) and reported
   * back with telemetry.
   */
  keepHead(head: ProofHead | undefined): void {
    const { ctx } = this.options;
    if (!head || head.log !== 'acks' || (ctx.state.proof_head && ctx.state.proof_head.head_seq >= head.head_seq))
      return;
    ctx.state.proof_head = head;
    ctx.store.saveState(ctx.state);
  }

  /** The controller stored these acks: they leave the disk and are never sent again. */
  receipted(seqs: number[]): void {
    const { ctx } = this.options;
    ctx.store.removeAcks(seqs);
    if (seqs.some((seq) => this.urgent.delete(seq))) {
      ctx.state.urgent_acks = [...this.urgent];
      ctx.store.saveState(ctx.state);
    }
    for (const seq of seqs) {
      this.lastSent.delete(seq);
      this.waiting.delete(seq);
      this.inFlight.delete(seq);
    }
    this.sendWaiting();
  }

  /**
   * The controller will never store these acks (a broken signing key, a malformed ack): they leave
   * the disk, since sending them again would be refused again, and the fault is logged loudly.
   */
  refused(refusals: { seq: number; reason: string }[]): void {
    const { ctx } = this.options;
    this.receipted(refusals.map((r) => r.seq));
    ctx.log.error({ refusals }, "the controller refused acks: check this receiver's ack signing key (re-enrol it)");
    ctx.note(`acks refused by the controller: ${refusals.map((r) => `${r.seq} ${r.reason}`).join(', ')}`);
    ctx.events.emit('ack_refused', refusals);
  }

  /** Acks on disk still waiting for their receipt. */
  pendingCount(): number {
    return this.options.ctx.store.pendingAcks().length;
  }

  /** A new link is up: nothing sent on the last one counts as sent, so every pending ack goes again, paced. */
  linkUp(): void {
    this.linkNumber++;
    this.inFlight.clear();
    this.waiting.clear();
    this.sendPending(true);
  }

  /**
   * Queues acks never sent on this link, or sent long enough ago without a receipt (`all`: every
   * pending ack), oldest first, and sends as many as there is room for. An ack still waiting for
   * its PUBACK is not sent again on the same link: TCP loses nothing, a busy broker
   * answers late (over 20 s at 10,000 receivers), and sending it again there only added to its
   * backlog. Only one unanswered for IN_FLIGHT_GIVE_UP resend periods frees its room.
   */
  sendPending(all: boolean): void {
    if (!this.options.link.connected) return;
    const now = performance.now();
    const cutoff = now - this.resendAfterMs;
    const giveUp = now - this.resendAfterMs * IN_FLIGHT_GIVE_UP;
    const due = new Map(this.waiting);
    for (const ack of this.options.ctx.store.pendingAcks()) {
      const sent = this.lastSent.get(ack.seq);
      if (this.inFlight.has(ack.seq)) {
        if (sent !== undefined && sent >= giveUp) continue;
        this.inFlight.delete(ack.seq);
      }
      if (all || sent === undefined || sent < cutoff) due.set(ack.seq, ack);
    }
    this.waiting = this.urgentFirst(due);
    this.sendWaiting();
  }

  /**
   * The acks of emergencies and stops first, then the others, each oldest first; but a first ack
   * (0) before all: the controller takes a 0 for a receiver that starts counting again, and a
   * number seen before it would then be waited for as a gap.
   */
  private urgentFirst(acks: Map<number, Ack>): Map<number, Ack> {
    const rank = (seq: number) => (seq === 0 ? -1 : this.urgent.has(seq) ? 0 : 1);
    return new Map([...acks].sort(([a], [b]) => rank(a) - rank(b) || a - b));
  }

  /**
   * Sends waiting acks in their order while fewer than ACKS_IN_FLIGHT wait for their PUBACK (one
   * more for an urgent ack, so that it never waits for the answer to an older one).
   */
  private sendWaiting(): void {
    const { link, ctx } = this.options;
    if (!link.connected) return; // all sent again when the link is up (linkUp)
    for (const [seq, ack] of this.waiting) {
      // Urgent acks come first (after a first ack), so once one ack has no room, none after it has.
      if (this.inFlight.size >= ACKS_IN_FLIGHT + (this.urgent.has(seq) ? 1 : 0)) return;
      this.waiting.delete(seq);
      this.inFlight.add(seq);
      this.lastSent.set(seq, performance.now());
      const sentOn = this.linkNumber;
      link.publish(topics.ack(ctx.id), JSON.stringify(ack), { qos: 1 }, (err) => {
        if (sentOn !== this.linkNumber || !this.inFlight.delete(seq)) return;
        // A failed publish (the link closing) is sent again when the link is up; a PUBACK makes room.
        if (!err) setImmediate(() => this.sendWaiting());
      });
    }
  }
}
