/**
 * Receivers (cụm loa): registration, enrolment (identity and credentials), revocation, and the
 * broker's view of who a client is. A secret is shown once, in the enrolment answer, and only
 * its sha256 is stored.
 */
import type { KeyHistory } from '../proof/key-history.js';
import { fanOutEvents } from '../shared/typed-events.js';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Db } from '../db/database.js';
import type { HamletsReadModel } from '../hamlets/hamlets-read-model.js';
import { DomainError, notFound } from '../shared/domain-error.js';
import { hashSecret, secretMatches, type ReceiverCredential } from '../mqtt/broker-credentials.js';
import { mosquittoHash, type BrokerAccount } from '../mqtt/mosquitto-files.js';
import type { AgentConfig } from '../protocol/agent-config.js';
import type { ReceiversRepository, Receiver } from './receivers-repository.js';

export type { Actor } from '../audit/actor.js';
import type { Actor } from '../audit/actor.js';

export interface EnrolmentEndpoints {
  mqttUrl(): string;
  controllerPublicKeyPem: string;
  /** The certificate receivers must trust when the controller serves TLS with its own. */
  caCertPem?: string;
}

export { hashSecret };

export interface ReceiversServiceOptions {
  db: Db;
  repo: ReceiversRepository;
  hamlets: HamletsReadModel;
  audit: AuditLog;
  clock: Clock;
  endpoints: EnrolmentEndpoints;
  /** The ack keys' history: an enrolment adds its new key there. */
  keys: KeyHistory;
}

export interface ReceiversEvents {
  /**
   * A receiver's broker account changed (enrolled, rotated, moved hamlet, revoked): the embedded
   * broker's credential table and the external broker's files follow it; `disconnect` when an
   * existing session must end (old secret, old hamlet subscription).
   */
  credentialsChanged: [receiverId: string, disconnect: boolean];
}

export class ReceiversService {
  readonly events = fanOutEvents<ReceiversEvents>();

  private readonly db: Db;
  private readonly repo: ReceiversRepository;
  private readonly hamlets: HamletsReadModel;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly endpoints: EnrolmentEndpoints;

  private readonly keys: KeyHistory;

  constructor({ db, repo, hamlets, audit, clock, endpoints, keys }: ReceiversServiceOptions) {
    this.keys = keys;
    this.db = db;
    this.repo = repo;
    this.hamlets = hamlets;
    this.audit = audit;
    this.clock = clock;
    this.endpoints = endpoints;
  }

  list(hamletId?: string): Receiver[] {
    return this.repo.list(hamletId);
  }

  get(id: string): Receiver {
    const receiver = this.repo.get(id);
    if (!receiver) throw notFound('what_receiver', id);
    return receiver;
  }

  create(input: { id: string; hamlet_id: string; name: string }, actor: Actor): Receiver {
    if (!this.hamlets.get(input.hamlet_id)) throw notFound('what_hamlet', input.hamlet_id);
    const taken = this.repo.get(input.id);
    if (taken) {
      // Named by what the technician sees: the receiver that already has this id, and where it is.
      throw new DomainError('conflict', 'receiver_id_taken', {
        name: taken.name,
        hamlet: this.hamlets.get(taken.hamlet_id)?.name ?? '',
        field: 'id',
      });
    }
    this.db.transaction(() => {
      this.repo.insert({ ...input, created_at: this.clock.now().toISOString() });
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'receiver.created',
        subject: input.id,
        detail: input,
      });
    })();
    return this.get(input.id);
  }

  update(
    id: string,
    fields: { name?: string; hamlet_id?: string; lat?: number | null; lon?: number | null },
    actor: Actor,
  ): Receiver {
    const before = this.get(id);
    if (fields.hamlet_id && !this.hamlets.get(fields.hamlet_id)) throw notFound('what_hamlet', fields.hamlet_id);
    this.db.transaction(() => {
      this.repo.update(id, fields);
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'receiver.updated',
        subject: id,
        detail: fields,
      });
    })();
    // A receiver that moved hamlet must subscribe again to its new hamlet's topic.
    if (fields.hamlet_id && fields.hamlet_id !== before.hamlet_id) this.events.emit('credentialsChanged', id, true);
    return this.get(id);
  }

  remove(id: string, actor: Actor): void {
    this.get(id);
    this.db.transaction(() => {
      this.repo.revoke(id, this.clock.now().toISOString());
      this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'receiver.revoked', subject: id });
    })();
    this.events.emit('credentialsChanged', id, true);
  }

  /**
   * Issues new credentials (first enrolment or rotation) and returns the ready-to-use agent
   * config. Any earlier secret stops working at once.
   */
  enrol(id: string, actor: Actor): { receiver: Receiver; agent_config: AgentConfig } {
    const receiver = this.get(id);
    const secret = randomBytes(32).toString('base64url');
    const ackKeys = generateKeyPairSync('ed25519');
    const rotated = receiver.secret_hash !== null;
    const enrolledAt = this.clock.now().toISOString();
    const ackPem = ackKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.db.transaction(() => {
      this.repo.setSecret(id, hashSecret(secret), mosquittoHash(secret), ackPem, enrolledAt);
      // A new key is added to the history, never put in place of the one before: acks signed with it stay verifiable.
      const ackKeyId = this.keys.addReceiverKey(id, ackPem, enrolledAt);
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: rotated ? 'receiver.credentials_rotated' : 'receiver.enrolled',
        subject: id,
        detail: { ack_key_id: ackKeyId },
      });
    })();
    this.keys.forget(id);
    this.events.emit('credentialsChanged', id, rotated);
    const agent_config: AgentConfig = {
      receiver_id: id,
      hamlet_id: receiver.hamlet_id,
      mqtt_url: this.endpoints.mqttUrl(),
      secret,
      controller_public_keys: [this.endpoints.controllerPublicKeyPem],
      ack_signing_key: ackKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      state_dir: '/var/lib/truyen-thanh-agent',
      player: { kind: 'ffmpeg', output_format: 'alsa', output_device: 'default' },
      max_clock_skew_s: 120,
      telemetry_interval_s: 60,
      // The receiver refuses commands issued before this: one captured earlier never plays on it.
      enrolled_at: enrolledAt,
      ...(this.endpoints.caCertPem ? { ca_cert: this.endpoints.caCertPem } : {}),
    };
    return { receiver: this.get(id), agent_config };
  }

  /** For HTTP Basic: the receiver whose id and secret match, enrolled and not revoked. */
  verifySecret(id: string, secret: string): Receiver | undefined {
    const receiver = this.repo.get(id);
    return receiver?.secret_hash && secretMatches(secret, receiver.secret_hash) ? receiver : undefined;
  }

  /** Enrolled receivers as accounts of an external broker. */
  brokerAccounts(): BrokerAccount[] {
    return this.repo
      .list()
      .filter((r) => r.broker_hash)
      .map((r) => ({ username: r.id, mosquitto_hash: r.broker_hash!, hamlet_id: r.hamlet_id }));
  }

  /** Every enrolled receiver as the embedded broker's credential table holds it. */
  brokerCredentials(): ReceiverCredential[] {
    return this.repo
      .list()
      .filter((r) => r.secret_hash)
      .map((r) => ({ id: r.id, secret_hash: r.secret_hash!, hamlet_id: r.hamlet_id }));
  }

  /** One receiver's current entry in that table; undefined when it has no credentials (revoked). */
  brokerCredential(id: string): ReceiverCredential | undefined {
    const r = this.repo.get(id);
    return r?.secret_hash ? { id: r.id, secret_hash: r.secret_hash, hamlet_id: r.hamlet_id } : undefined;
  }
}
