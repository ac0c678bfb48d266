/**
 * Availability and telemetry from the receivers' MQTT topics. Status is retained with a last
 * will; the session counter keeps an old session's "offline" from overwriting a newer "online".
 */
import type { Logger } from '../logger.js';
import { parsePayload, statusSchema, telemetrySchema, type Telemetry } from '../protocol/messages.js';
import type { ReceiversRepository } from './receivers-repository.js';

export class ReceiverPresence {
  private readonly telemetry = new Map<string, Telemetry>();
  malformed = 0;
  /** Called when a receiver starts a new session ("online"). */
  onOnline: (receiverId: string) => void = () => {};

  constructor(private readonly repo: ReceiversRepository, private readonly log: Logger) {}

  handleStatus(receiverId: string, payload: Buffer): void {
    if (payload.length === 0) return; // a cleared retained message
    const parsed = parsePayload(statusSchema, payload);
    if (!parsed.ok || parsed.value.receiver_id !== receiverId) {
      this.malformed++;
      this.log.warn({ receiver_id: receiverId, error: parsed.ok ? 'receiver_id differs from topic' : parsed.error }, 'malformed status dropped');
      return;
    }
    const s = parsed.value;
    if (this.repo.recordStatus(receiverId, s.state, s.session, s.at, s.agent_version)) {
      this.log.info({ receiver_id: receiverId, state: s.state, session: s.session }, 'receiver availability');
      if (s.state === 'online') this.onOnline(receiverId);
    }
  }

  handleTelemetry(receiverId: string, payload: Buffer): void {
    const parsed = parsePayload(telemetrySchema, payload);
    if (!parsed.ok || parsed.value.receiver_id !== receiverId) {
      this.malformed++;
      this.log.debug({ receiver_id: receiverId }, 'malformed telemetry dropped');
      return;
    }
    this.telemetry.set(receiverId, parsed.value);
  }

  latestTelemetry(receiverId: string): Telemetry | undefined {
    return this.telemetry.get(receiverId);
  }
}
