/**
 * Remote operations on a receiver, request and reply: a signed "op" command to the receiver
 * alone, answered on its reply topic with the same command id, or a clear timeout.
 */
import type { AuditLog } from '../audit/audit-log.js';
import type { CommandPublisher } from '../outbox/command-publisher.js';
import type { Clock } from '../clock.js';
import { DomainError, notFound } from '../shared/domain-error.js';
import type { Logger } from '../logger.js';
import { parseFromReceiver, replySchema, type Reply, REMOTE_OPS, TEST_TONE_VOLUME_PCT } from '../protocol/messages.js';
import type { ReceiversReadModel } from '../receivers/receivers-read-model.js';
import type { Actor } from '../audit/actor.js';
import type { SafetyGate } from '../safety/safety-gate.js';

export type RemoteOp = (typeof REMOTE_OPS)[number];

export interface RemoteOpsOptions {
  receivers: ReceiversReadModel;
  publisher: CommandPublisher;
  audit: AuditLog;
  clock: Clock;
  log: Logger;
  /** The safety gate: a test tone is a sound (refused in quiet hours). */
  gate?: Pick<SafetyGate, 'admitTestTone'>;
}
const COMMAND_TTL_MS = 60_000;

export class RemoteOps {
  private readonly waiting = new Map<
    string,
    { receiverId: string; op: RemoteOp; resolve: (r: Reply) => void; timer: NodeJS.Timeout }
  >();
  malformed = 0;

  private readonly receivers: ReceiversReadModel;
  private readonly publisher: CommandPublisher;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly gate?: Pick<SafetyGate, 'admitTestTone'>;

  constructor(o: RemoteOpsOptions) {
    ({
      receivers: this.receivers,
      publisher: this.publisher,
      audit: this.audit,
      clock: this.clock,
      log: this.log,
      gate: this.gate,
    } = o);
  }

  async run(
    receiverId: string,
    op: RemoteOp,
    args: Record<string, string | number | boolean>,
    actor: Actor,
    timeoutMs = 10_000,
  ): Promise<Reply & { quiet_volume_pct: number | null }> {
    const receiver = this.receivers.get(receiverId);
    if (!receiver) throw notFound('what_receiver', receiverId);
    if (!receiver.secret_hash) throw new DomainError('invalid', 'receiver_has_no_credentials', { id: receiver.name });
    // Refused here, in words, rather than sent to be refused by the receiver in its own (English) words.
    const volume = Number(args.volume_pct);
    if (op === 'set_volume' && !(Number.isInteger(volume) && volume >= 0 && volume <= 100))
      throw new DomainError('invalid', 'op_volume_out_of_range', { value: String(args.volume_pct ?? '') });
    // Known to be offline: said at once, not after ten seconds of waiting for an answer that cannot come.
    if (receiver.status === 'offline' && op !== 'resend_acks') {
      // Asked and not sent: in the audit log too, as what a person asked of the receiver.
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'receiver.op_not_sent',
        subject: receiverId,
        detail: { op, args, reason: 'offline' },
      });
      throw new DomainError('upstream_timeout', 'op_receiver_offline', { id: receiver.name });
    }
    // A test tone is a sound like any other: the gate's quiet hours hold for it (turned down, or refused).
    const quietCap = op === 'test_tone' ? (this.gate?.admitTestTone(actor, receiver.hamlet_id) ?? null) : null;
    const full =
      op === 'sync_clock'
        ? { ...args, controller_time: this.clock.now().toISOString() }
        : quietCap !== null
          ? { ...args, volume_pct: Math.min(Number(args.volume_pct ?? TEST_TONE_VOLUME_PCT), quietCap) }
          : args;
    const command = this.publisher.build(
      { type: 'op', op, args: full },
      { kind: 'receiver', id: receiverId },
      new Date(this.clock.now().getTime() + COMMAND_TTL_MS),
    );
    this.audit.append({
      actor: actor.id,
      source_ip: actor.ip,
      action: 'receiver.op',
      subject: receiverId,
      detail: { op, args: op === 'sync_clock' ? args : full, command_id: command.command_id },
    });
    const reply = new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(command.command_id);
        // One that has never connected is said so (its status is still unknown when the wait ends).
        const never = this.receivers.get(receiverId)?.status === 'unknown';
        this.recordOutcome(receiverId, op, command.command_id, null);
        reject(
          new DomainError('upstream_timeout', never ? 'op_receiver_never_connected' : 'op_timeout', {
            id: receiver.name,
            seconds: Math.round(timeoutMs / 1000),
          }),
        );
      }, timeoutMs);
      this.waiting.set(command.command_id, { receiverId, op, resolve, timer });
    });
    await this.publisher.publishEphemeral(command);
    return { ...(await reply), quiet_volume_pct: quietCap };
  }

  /** Called for every message on tt/v1/rx/{id}/reply. Never throws. */
  handle(topicReceiverId: string, payload: Buffer): void {
    const parsed = parseFromReceiver(replySchema, topicReceiverId, payload);
    if (!parsed.ok) {
      this.malformed++;
      this.log.warn({ receiver_id: topicReceiverId }, 'malformed reply dropped');
      return;
    }
    const waiting = this.waiting.get(parsed.value.command_id);
    // Only the receiver that was asked may answer.
    if (!waiting || waiting.receiverId !== topicReceiverId) return;
    clearTimeout(waiting.timer);
    this.waiting.delete(parsed.value.command_id);
    this.recordOutcome(topicReceiverId, waiting.op, parsed.value.command_id, parsed.value);
    waiting.resolve(parsed.value);
  }

  /**
   * The audit log says how an operation ended, beside the entry that asked for it: done, refused
   * or failed by the receiver (in its words), or never answered (`reply` null).
   */
  private recordOutcome(receiverId: string, op: RemoteOp, commandId: string, reply: Reply | null): void {
    const ok = reply?.status === 'ok';
    this.audit.append({
      actor: reply ? `receiver:${receiverId}` : 'system',
      action: ok ? 'receiver.op_done' : reply ? 'receiver.op_failed' : 'receiver.op_unanswered',
      subject: receiverId,
      detail: { op, command_id: commandId, ...(reply && !ok ? { error: reply.error } : {}) },
    });
  }
}
