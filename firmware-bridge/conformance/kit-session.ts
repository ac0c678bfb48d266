/**
 * What every case works with: the device's identity, the kit's controller, media and broker, and
 * small helpers to build signed commands and wait for what the device answers. A case returns
 * findings, each a message key with its evidence; it passes when every finding is ok.
 */
import type { AgentConfig } from '../../controller/protocol/agent-config.js';
import type { MessageKey, MessageParams } from '../../controller/i18n/messages.js';
import type { AckStage, PlayCommand, Priority, UnsignedCommand } from '../../controller/protocol/messages.js';
import type { KitBroker } from './kit-broker.js';
import type { KitController, SeenAck } from './kit-controller.js';
import type { KitMedia, ToneName } from './kit-media.js';

export interface Finding {
  ok: boolean;
  key: MessageKey;
  params: MessageParams;
}

export interface ConformanceCase {
  id: string;
  /** The case's name in the report (a catalogue key). */
  title: MessageKey;
  run(session: KitSession): Promise<Finding[]>;
}

export const pass = (key: MessageKey, params: MessageParams = {}): Finding => ({ ok: true, key, params });
export const fail = (key: MessageKey, params: MessageParams = {}): Finding => ({ ok: false, key, params });

export interface KitTimings {
  /** How long to watch for an ack or a play that must not come, after the refusal (or instead of it). */
  quiet_ms: number;
  /** How long a device may take to answer a command with its first ack. */
  answer_ms: number;
  /** play_at: the started ack's time must be within this of the scheduled instant. */
  play_at_tolerance_ms: number;
  /** How long a device may take to come back after the kit restores its link. */
  reconnect_ms: number;
}

export const DEFAULT_TIMINGS: KitTimings = {
  quiet_ms: 1000,
  answer_ms: 5000,
  play_at_tolerance_ms: 500,
  reconnect_ms: 30_000,
};

/** Stages that end a play command. */
const FINAL: AckStage[] = ['finished', 'failed', 'rejected'];

export class KitSession {
  constructor(
    readonly config: AgentConfig,
    readonly controller: KitController,
    readonly media: KitMedia,
    readonly broker: KitBroker,
    readonly timings: KitTimings,
  ) {}

  /** The kit's clock: the wall clock, as the device under test reads its own. */
  readonly now = (): number => Date.now();

  get receiverId(): string {
    return this.config.receiver_id;
  }

  /** A valid play command for this device (hamlet target unless told otherwise). */
  play(
    tone: ToneName,
    o: {
      priority?: Priority;
      play_at_ms?: number;
      target?: 'hamlet' | 'receiver';
      expires_in_ms?: number;
      issued_at_ms?: number;
    } = {},
  ): PlayCommand {
    const issued = o.issued_at_ms ?? this.now();
    return {
      v: 1,
      type: 'play',
      command_id: crypto.randomUUID(),
      broadcast_id: crypto.randomUUID(),
      issued_at: new Date(issued).toISOString(),
      expires_at: new Date(issued + (o.expires_in_ms ?? 120_000)).toISOString(),
      target:
        o.target === 'receiver'
          ? { kind: 'receiver', id: this.receiverId }
          : { kind: 'hamlet', id: this.config.hamlet_id },
      priority: o.priority ?? 'normal',
      volume_pct: 80,
      media: this.media.ref(tone),
      stream: null,
      play_at: o.play_at_ms === undefined ? null : new Date(o.play_at_ms).toISOString(),
      repeat_count: 1,
      repeat_interval_s: 0,
      drill: false,
    };
  }

  stop(broadcastId: string | null): UnsignedCommand {
    const now = this.now();
    return {
      v: 1,
      type: 'stop',
      command_id: crypto.randomUUID(),
      broadcast_id: broadcastId,
      issued_at: new Date(now).toISOString(),
      expires_at: new Date(now + 120_000).toISOString(),
      target: { kind: 'hamlet', id: this.config.hamlet_id },
    };
  }

  op(op: 'resend_acks', args: Record<string, string | number | boolean> = {}): UnsignedCommand {
    const now = this.now();
    return {
      v: 1,
      type: 'op',
      command_id: crypto.randomUUID(),
      op,
      args,
      issued_at: new Date(now).toISOString(),
      expires_at: new Date(now + 60_000).toISOString(),
      target: { kind: 'receiver', id: this.receiverId },
    };
  }

  hamletTopic(): string {
    return `tt/v1/cmd/hamlet/${this.config.hamlet_id}`;
  }

  /** Set when the device is gone (its process ended): every wait ends at once, so a run ends in seconds, not minutes. */
  private aborted = false;

  abort(): void {
    this.aborted = true;
  }

  /** Resolves with the first value `check` gives within `ms`, or undefined (at once once aborted). */
  async waitFor<T>(check: () => T | undefined | false, ms: number): Promise<T | undefined> {
    const deadline = performance.now() + ms;
    for (;;) {
      const value = check();
      if (value) return value;
      if (this.aborted || performance.now() >= deadline) return undefined;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The command's first ack at one of `stages`, waiting up to `ms`. */
  waitForStage(commandId: string, stages: AckStage[], ms = this.timings.answer_ms): Promise<SeenAck | undefined> {
    return this.waitFor(() => this.controller.acksOf(commandId).find((a) => stages.includes(a.ack.stage)), ms);
  }

  /** The command's stages so far, e.g. "received#3 downloaded#4": the evidence of most cases. */
  stages(commandId: string): string {
    const acks = this.controller.acksOf(commandId);
    return acks.length
      ? acks.map((a) => `${a.ack.stage}${a.ack.reason ? `/${a.ack.reason}` : ''}#${a.ack.seq}`).join(' ')
      : '—';
  }

  async sleep(ms: number): Promise<void> {
    await this.waitFor(() => false, ms);
  }

  /** Where the current case's commands begin in the controller's list of what it sent. */
  private caseStart = 0;

  beginCase(): void {
    this.caseStart = this.controller.sent.length;
  }

  /**
   * After a case: whatever it left playing (a device that ignored a refusal or a stop) is stopped,
   * so that one fault does not spill into the next case's evidence.
   */
  async settle(): Promise<void> {
    const acksOf = (id: string) => this.controller.acksOf(id).map((a) => a.ack.stage);
    const playing = () =>
      this.controller.sent
        .slice(this.caseStart)
        .filter(
          (c) =>
            c.type === 'play' &&
            acksOf(c.command_id).includes('started') &&
            !acksOf(c.command_id).some((st) => FINAL.includes(st)),
        );
    if (playing().length === 0) return;
    await this.controller.send(this.stop(null));
    await this.waitFor(() => playing().length === 0, 8000);
  }
}
