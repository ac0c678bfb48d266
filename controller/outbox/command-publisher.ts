/**
 * Signs commands, keeps them in the outbox (written before they are published, so a crash
 * cannot lose one) and publishes them at QoS 1, never retained. Every sender uses it: broadcasts,
 * stops, remote operations, rollouts, ack receipts.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { CommandSigner } from '../protocol/signing.js';
import { topics } from '../protocol/topics.js';
import { PROTOCOL_VERSION } from '../protocol/topics.js';
import {
  signedCommandSchema,
  type CommandTarget,
  type SignedCommand,
  type UnsignedCommand,
} from '../protocol/messages.js';
import type { OutboxRepository, StoredCommand } from './outbox-repository.js';
import { UrgentCommands } from '../protocol/urgency.js';

export type { StoredCommand } from './outbox-repository.js';

export interface Publisher {
  /** `now`: written to the socket before this returns (mqtt-client.ts), not at the next tick. */
  publish(topic: string, payload: string, now?: boolean): Promise<void>;
  /** The controller's own link to its broker (mqtt-client.ts); absent in tests' stand-ins. */
  readonly link?: { connected: boolean; down_since: string | null };
}

type Body<T> = T extends unknown ? Omit<T, 'v' | 'command_id' | 'issued_at' | 'expires_at' | 'target'> : never;
export type CommandBody = Body<UnsignedCommand>;

export function topicOf(target: CommandTarget): string {
  return target.kind === 'hamlet' ? topics.hamletCommands(target.id) : topics.receiverCommands(target.id);
}

export class CommandPublisher {
  /** The urgent commands sent lately: their acks go first (protocol/urgency.ts). */
  readonly urgent = new UrgentCommands();

  constructor(
    private readonly signer: CommandSigner,
    private readonly mqtt: Publisher,
    private readonly repo: OutboxRepository,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** A signed command, validated against the wire schema before it goes anywhere. */
  build(body: CommandBody, target: CommandTarget, expiresAt: Date): SignedCommand {
    const unsigned = {
      v: PROTOCOL_VERSION,
      command_id: randomUUID(),
      issued_at: this.clock.now().toISOString(),
      expires_at: expiresAt.toISOString(),
      target,
      ...body,
    } as UnsignedCommand;
    const signed = signedCommandSchema.parse(this.signer.sign(unsigned));
    this.urgent.note(signed);
    return signed;
  }
  /**
   * Since when the controller has had no broker, null while it has one: what it publishes meanwhile
   * waits in the outbox and reaches no receiver until the link is back (a confirmation says so).
   */
  brokerDownSince(): string | null {
    const link = this.mqtt.link;
    return !link || link.connected ? null : (link.down_since ?? this.clock.now().toISOString());
  }

  /** Writes the command to the outbox; call inside the transaction that creates its broadcast. */
  store(command: SignedCommand): StoredCommand {
    const stored: StoredCommand = {
      id: command.command_id,
      broadcast_id: 'broadcast_id' in command ? command.broadcast_id : null,
      type: command.type,
      topic: topicOf(command.target),
      payload: JSON.stringify(command),
      created_at: command.issued_at,
      expires_at: command.expires_at,
      published_at: null,
    };
    this.repo.insertCommand(stored);
    return stored;
  }

  /** Publishes a stored command and records when the broker took it. */
  async publishStored(command: StoredCommand): Promise<void> {
    try {
      await this.mqtt.publish(command.topic, command.payload, true);
      this.repo.markPublished(command.id, this.clock.now().toISOString());
    } catch (err) {
      // It stays in the outbox and is published again at the next start.
      this.log.error({ command_id: command.id, err: (err as Error).message }, 'command publish failed');
    }
  }

  /**
   * Publishes a command that need not survive a crash (ack receipts: the agent resends its acks;
   * an emergency on a full disk). `now` as in Publisher.
   */
  async publishEphemeral(command: SignedCommand, now = false): Promise<void> {
    await this.mqtt.publish(topicOf(command.target), JSON.stringify(command), now);
  }

  /**
   * A receiver came (back) online: its broker session may be new (broker restart, long outage),
   * so publish again what it has not acknowledged. It ignores command ids it already has.
   */
  async republishFor(receiverId: string): Promise<number> {
    const now = this.clock.now().toISOString();
    // Stops first, as they are: a receiver takes a stop older than its memory (PROTOCOL.md), and
    // what it held from before its power cut may be what one stops.
    const stops = this.repo.unconfirmedStopsFor(receiverId, now);
    await Promise.all(stops.map((c) => this.sendTo(receiverId, c)));
    const pending = this.repo.unconfirmedFor(receiverId, now);
    // Issued before its (re-)enrolment, a command would be refused as it is (predates_memory): a fresh copy at once.
    await Promise.all(
      pending.map((c) => (c.predates_enrolment ? this.reissueFor(receiverId, c) : this.sendTo(receiverId, c))),
    );
    return stops.length + pending.length;
  }

  /**
   * The same signed command again, on this one receiver's own topic: the others of its hamlet
   * never hear it twice. A receiver acts on a hamlet command from its own topic as well.
   */
  async sendTo(receiverId: string, command: StoredCommand): Promise<void> {
    try {
      await this.mqtt.publish(topics.receiverCommands(receiverId), command.payload);
    } catch (err) {
      this.log.warn(
        { command_id: command.id, receiver_id: receiverId, err: (err as Error).message },
        'command not sent again; the next follow-up tries',
      );
    }
  }

  /** Fresh copies of everything a receiver that lost its memory still has to play; returns how many. */
  async reissueUnfinishedFor(receiverId: string): Promise<number> {
    const commands = this.repo.unfinishedFor(receiverId, this.clock.now().toISOString());
    let n = 0;
    for (const c of commands) if (await this.reissueFor(receiverId, c)) n++;
    return n;
  }

  /**
   * A fresh copy of a play command for one receiver (a new id, issued now, its own topic, the same
   * audio, start and expiry), stored and published: for a receiver whose replay memory began after
   * the original was issued (re-enrolled, or its state wiped), which refuses the original.
   */
  async reissueFor(receiverId: string, original: StoredCommand): Promise<StoredCommand | undefined> {
    const parsed = JSON.parse(original.payload) as SignedCommand;
    if (parsed.type !== 'play' || Date.parse(parsed.expires_at) <= this.clock.now().getTime()) return undefined;
    const { v: _v, command_id: _id, issued_at: _at, expires_at, target: _t, sig: _sig, ...body } = parsed;
    const fresh = this.build(body, { kind: 'receiver', id: receiverId }, new Date(expires_at));
    const stored = this.store(fresh);
    await this.publishStored(stored);
    return stored;
  }

  /** Records that the broker took a command (one published before its record was stored). */
  markPublished(commandId: string, at: string): void {
    this.repo.markPublished(commandId, at);
  }

  /** A broadcast's commands, oldest first. */
  commandsOf(broadcastId: string): StoredCommand[] {
    return this.repo.commandsOf(broadcastId);
  }

  /** The broadcast a command belongs to, or undefined when the command is unknown. */
  commandBroadcast(commandId: string): { broadcast_id: string | null } | undefined {
    return this.repo.commandBroadcast(commandId);
  }

  /** After a restart: publish again what receivers may not have. */
  async republishUnconfirmed(): Promise<number> {
    const pending = this.repo.unconfirmedCommands(this.clock.now().toISOString());
    await Promise.all(pending.map((c) => this.publishStored(c)));
    return pending.length;
  }
}
