/**
 * The controller's part, played by the kit: one MQTT connection to the kit's broker that hears
 * everything the device publishes (status, acks, replies, telemetry), checks each ack's signature
 * against the device's enrolled key on arrival, answers acks with signed receipts (or withholds
 * them, to test the outbox), and publishes signed commands. Nothing here judges: the cases do.
 */
import { createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { pino } from 'pino';
import { ControllerMqtt } from '../../controller/mqtt/mqtt-client.js';
import { CONTROLLER_USERNAME } from '../../controller/mqtt/broker-acl.js';
import {
  ackSchema,
  CONTROLLER_STATUS_TOPIC,
  controllerSubscriptions,
  PROTOCOL_VERSION,
  parseFromReceiver,
  parseReceiverTopic,
  replySchema,
  statusSchema,
  topics,
  verifyAckWith,
  type Ack,
  type CommandSigner,
  type ControllerStatus,
  type ReceiverStatus,
  type Reply,
  type SignedCommand,
  type UnsignedCommand,
} from '../../controller/protocol/index.js';
import { KIT_CLIENT_PREFIX } from './kit-broker.js';

export interface SeenAck {
  ack: Ack;
  /** The kit's clock (ms) when it arrived. */
  arrived_ms: number;
  /** Verified against the device's enrolled ack key. */
  signature_ok: boolean;
}

export interface SeenStatus {
  status: ReceiverStatus;
  arrived_ms: number;
}

export interface KitControllerOptions {
  url: string;
  password: string;
  receiverId: string;
  signer: CommandSigner;
  ackPublicKeyPem: string;
  now: () => number;
}

/** Receipts go out this long after the first ack they name (the controller: about 250 ms). */
const RECEIPT_DELAY_MS = 100;
let probes = 0;

export class KitController {
  readonly acks: SeenAck[] = [];
  readonly statuses: SeenStatus[] = [];
  readonly replies: Reply[] = [];
  /** Every command the kit published, genuine or not, in order. */
  readonly sent: SignedCommand[] = [];
  /** Payloads on the device's topics that failed the protocol's schema, with why. */
  readonly malformed: { topic: string; error: string }[] = [];
  firmwareVersion?: string;
  private readonly mqtt: ControllerMqtt;
  private readonly ackKey: KeyObject;
  private readonly toReceipt = new Set<number>();
  private readonly toRefuse = new Map<number, 'bad_signature'>();
  private receiptTimer?: NodeJS.Timeout;
  private receiptsHeld = false;

  constructor(private readonly o: KitControllerOptions) {
    this.mqtt = new ControllerMqtt(
      {
        username: CONTROLLER_USERNAME,
        password: o.password,
        clientId: `${KIT_CLIENT_PREFIX}-controller`,
        announce: true,
      },
      pino({ level: 'silent' }),
    );
    this.ackKey = createPublicKey(o.ackPublicKeyPem);
  }

  async start(): Promise<void> {
    await this.mqtt.start(this.o.url, controllerSubscriptions, (topic, payload) => this.onMessage(topic, payload));
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseReceiverTopic(topic);
    if (!parsed || parsed.receiverId !== this.o.receiverId) return;
    const now = this.o.now();
    if (parsed.kind === 'status') {
      if (payload.length === 0) return; // a cleared retained status
      const s = parseFromReceiver(statusSchema, parsed.receiverId, payload);
      if (s.ok) this.statuses.push({ status: s.value, arrived_ms: now });
      else this.malformed.push({ topic, error: s.error });
    } else if (parsed.kind === 'ack') {
      const a = parseFromReceiver(ackSchema, parsed.receiverId, payload);
      if (!a.ok) return void this.malformed.push({ topic, error: a.error });
      const signature_ok = verifyAckWith(a.value, this.ackKey);
      this.acks.push({ ack: a.value, arrived_ms: now, signature_ok });
      if (signature_ok) this.toReceipt.add(a.value.seq);
      else this.toRefuse.set(a.value.seq, 'bad_signature');
      this.scheduleReceipt();
    } else if (parsed.kind === 'reply') {
      const r = parseFromReceiver(replySchema, parsed.receiverId, payload);
      if (r.ok) this.replies.push(r.value);
      else this.malformed.push({ topic, error: r.error });
    } else {
      try {
        const version = JSON.parse(payload.toString()).firmware_version;
        if (typeof version === 'string') this.firmwareVersion = version.slice(0, 40);
      } catch {
        /* telemetry is informative only */
      }
    }
  }

  onlineCount(): number {
    return this.statuses.filter((s) => s.status.state === 'online').length;
  }

  lastStatus(): SeenStatus | undefined {
    return this.statuses.at(-1);
  }

  /** Acks of one command, one per seq (a resend counts once), in seq order. */
  acksOf(commandId: string): SeenAck[] {
    const bySeq = new Map<number, SeenAck>();
    for (const a of this.acks) if (a.ack.command_id === commandId && !bySeq.has(a.ack.seq)) bySeq.set(a.ack.seq, a);
    return [...bySeq.values()].sort((x, y) => x.ack.seq - y.ack.seq);
  }

  /**
   * Says the controller started again, as a killed one does when it is back: an `online` naming a
   * new boot on the controller's status topic, while the device's link stays up.
   */
  async announceNewBoot(): Promise<void> {
    await this.announce(randomUUID());
  }

  /**
   * An `online` on the controller's status topic naming `boot` and, when given, a broker
   * `session` (new when a broker restarted without persistence lost the controller's session),
   * published live while the device's link stays up.
   */
  async announce(boot: string, session?: string): Promise<void> {
    const status: ControllerStatus = {
      v: PROTOCOL_VERSION,
      state: 'online',
      boot,
      ...(session ? { session } : {}),
      at: new Date().toISOString(),
    };
    await this.mqtt.publish(CONTROLLER_STATUS_TOPIC, JSON.stringify(status));
  }

  /** The numbers of the acks taken and not receipted yet (while receipts are held: the device's outbox). */
  unreceipted(): number[] {
    return [...this.toReceipt];
  }

  /** Withholds receipts (the device must keep its acks); `release` sends what was held. */
  holdReceipts(held: boolean): void {
    this.receiptsHeld = held;
    if (!held) this.scheduleReceipt();
  }

  private scheduleReceipt(): void {
    if (this.receiptsHeld || this.receiptTimer) return;
    this.receiptTimer = setTimeout(() => {
      this.receiptTimer = undefined;
      void this.sendReceipt();
    }, RECEIPT_DELAY_MS);
  }

  private async sendReceipt(): Promise<void> {
    if (this.receiptsHeld || (this.toReceipt.size === 0 && this.toRefuse.size === 0)) return;
    const seqs = [...this.toReceipt];
    const refused = [...this.toRefuse].map(([seq, reason]) => ({ seq, reason }));
    this.toReceipt.clear();
    this.toRefuse.clear();
    const now = this.o.now();
    await this.send({
      v: 1,
      type: 'ack_receipt',
      command_id: crypto.randomUUID(),
      issued_at: new Date(now).toISOString(),
      expires_at: new Date(now + 3_600_000).toISOString(),
      target: { kind: 'receiver', id: this.o.receiverId },
      seqs,
      ...(refused.length ? { refused } : {}),
    }).catch(() => {});
  }

  get keyId(): string {
    return this.o.signer.keyId;
  }

  /** Signs without sending (a case may alter or resend it). */
  sign<T extends UnsignedCommand>(command: T): T & { sig: SignedCommand['sig'] } {
    return this.o.signer.sign(command);
  }

  /** Signs and publishes on the device's own topic (or the given one); returns what was sent. */
  async send<T extends UnsignedCommand>(
    command: T,
    topic = topics.receiverCommands(this.o.receiverId),
  ): Promise<T & { sig: SignedCommand['sig'] }> {
    const signed = this.o.signer.sign(command);
    if (command.type !== 'ack_receipt') this.sent.push(signed as SignedCommand);
    await this.mqtt.publish(topic, JSON.stringify(signed));
    return signed;
  }

  /** Publishes a payload exactly as given (forged, tampered or replayed). */
  async sendRaw(payload: SignedCommand, topic = topics.receiverCommands(this.o.receiverId)): Promise<void> {
    this.sent.push(payload);
    await this.mqtt.publish(topic, JSON.stringify(payload));
  }

  /** What a controller connecting now is told at once for this device: its retained status, if any. */
  async retainedStatus(waitMs = 500): Promise<ReceiverStatus | undefined> {
    const probe = new ControllerMqtt(
      { username: CONTROLLER_USERNAME, password: this.o.password, clientId: `${KIT_CLIENT_PREFIX}-probe-${++probes}` },
      pino({ level: 'silent' }),
    );
    let found: ReceiverStatus | undefined;
    await probe.start(this.o.url, controllerSubscriptions, (topic, payload) => {
      if (topic !== topics.status(this.o.receiverId) || payload.length === 0) return;
      const s = parseFromReceiver(statusSchema, this.o.receiverId, payload);
      if (s.ok) found = s.value;
    });
    await new Promise((r) => setTimeout(r, waitMs));
    await probe.stop();
    return found;
  }

  async stop(): Promise<void> {
    clearTimeout(this.receiptTimer);
    await this.mqtt.stop();
  }
}
