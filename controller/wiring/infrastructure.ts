/**
 * Wiring of the infrastructure every wing stands on: the data directory, the signing key, the
 * database, the audit log and the writes that wait for room on a full disk; and the MQTT side:
 * the embedded broker (or the external Mosquitto's files), the controller's own client and the
 * command outbox every sender uses.
 */
import { KeyHistory } from '../proof/key-history.js';
import { ProofHeads } from '../proof/proof-heads.js';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AuditRepository } from '../audit/audit-repository.js';
import type { Clock } from '../clock.js';
import { openDatabase, type Db } from '../db/database.js';
import { DeferredWrites } from '../db/deferred-writes.js';
import type { Logger } from '../logger.js';
import { CONTROLLER_USERNAME } from '../mqtt/broker-acl.js';
import { EmbeddedBroker } from '../mqtt/embedded-broker.js';
import {
  followCredentialChanges,
  mosquittoHash,
  reloadMosquitto,
  writeMosquittoFiles,
} from '../mqtt/mosquitto-files.js';
import { ControllerMqtt } from '../mqtt/mqtt-client.js';
import { CommandPublisher } from '../outbox/command-publisher.js';
import { OutboxRepository } from '../outbox/outbox-repository.js';
import type { CommandSigner } from '../protocol/signing.js';
import type { ReceiversService } from '../receivers/receivers-service.js';
import type { Settings } from '../settings.js';
import { loadOrCreateSigner, randomSecret } from '../system/secrets.js';

export function readTls(certFile: string | null, keyFile: string | null): { cert: string; key: string } | undefined {
  if (!certFile || !keyFile) return undefined;
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

export interface Storage {
  dataDir: string;
  secretsDir: string;
  signer: CommandSigner;
  db: Db;
  deferred: DeferredWrites;
  audit: AuditRepository;
  /** Receivers' ack keys and the controller's signing keys, as histories. */
  keys: KeyHistory;
  /** Signed heads of the ack and audit logs. */
  heads: ProofHeads;
}

export function wireStorage(settings: Settings, clock: Clock, log: Logger): Storage {
  const dataDir = resolve(settings.data_dir);
  mkdirSync(dataDir, { recursive: true });
  const secretsDir = join(dataDir, 'secrets');
  const signer = loadOrCreateSigner(secretsDir);
  const db = openDatabase(join(dataDir, 'controller.sqlite'));
  const deferred = new DeferredWrites(log.child({ component: 'storage' }), clock);
  const audit = new AuditRepository(db, clock, deferred);
  return {
    dataDir,
    secretsDir,
    signer,
    db,
    deferred,
    audit,
    keys: new KeyHistory(db),
    heads: new ProofHeads(db, signer),
  };
}

/** The controller's own broker password: made fresh at every start for the embedded broker. */
export function controllerMqttSecret(settings: Settings): string {
  return settings.mqtt.external_url
    ? readFileSync(settings.mqtt.external_password_file ?? '', 'utf8').trim()
    : randomSecret();
}

export interface Messaging {
  broker?: EmbeddedBroker;
  mqtt: ControllerMqtt;
  publisher: CommandPublisher;
  outbox: OutboxRepository;
  /**
   * Rewrites the external Mosquitto's password and ACL files from the database and asks it to
   * reload them. Mosquitto applies a revocation to new connections only, so a revoked receiver's
   * open session ends when it next reconnects; its commands are refused by signature checks meanwhile.
   */
  syncMosquittoFiles(): void;
}

export function wireMessaging({
  settings,
  clock,
  log,
  storage,
  receivers,
  mqttSecret,
}: {
  settings: Settings;
  clock: Clock;
  log: Logger;
  storage: Storage;
  receivers: ReceiversService;
  mqttSecret: string;
}): Messaging {
  const mqttTls = readTls(settings.mqtt.tls_cert_file, settings.mqtt.tls_key_file);
  const syncMosquittoFiles = () => {
    const dir = settings.mqtt.mosquitto_dir;
    if (!dir) return;
    writeMosquittoFiles(dir, mosquittoHash(mqttSecret), receivers.brokerAccounts());
    reloadMosquitto(join(dir, 'mosquitto.pid'));
  };
  let broker: EmbeddedBroker | undefined;
  if (!settings.mqtt.external_url) {
    const embedded = new EmbeddedBroker(
      {
        controllerSecret: mqttSecret,
        all: () => receivers.brokerCredentials(),
        one: (id) => receivers.brokerCredential(id),
      },
      log.child({ component: 'broker' }),
      { host: settings.mqtt.embedded_host, port: settings.mqtt.embedded_port, tls: mqttTls },
    );
    // The broker's credential table follows every change at once; a session on old credentials or an old hamlet ends.
    receivers.events.on('credentialsChanged', (id, disconnect) => embedded.credentialsChanged(id, disconnect));
    broker = embedded;
  } else if (settings.mqtt.mosquitto_dir) {
    // Coalesced: enrolling a thousand receivers in one go rewrites the files once, not a thousand
    // times; a last reload once the changes stop (see followCredentialChanges).
    const dir = settings.mqtt.mosquitto_dir;
    const follow = followCredentialChanges(
      syncMosquittoFiles,
      () => reloadMosquitto(join(dir, 'mosquitto.pid')),
      (err) => log.error({ err }, 'could not write the Mosquitto password and ACL files'),
    );
    receivers.events.on('credentialsChanged', () => follow.changed());
  }
  const mqtt = new ControllerMqtt(
    {
      username: settings.mqtt.external_username ?? CONTROLLER_USERNAME,
      password: mqttSecret,
      clientId: `tt-controller-${settings.commune.id}`,
      keepSession: Boolean(settings.mqtt.external_url),
      announce: true,
      ca:
        [mqttTls?.cert, settings.tls_ca_file ? readFileSync(settings.tls_ca_file, 'utf8') : undefined]
          .filter(Boolean)
          .join('\n') || undefined,
    },
    log,
    clock,
  );
  const outbox = new OutboxRepository(storage.db);
  const publisher = new CommandPublisher(storage.signer, mqtt, outbox, clock, log);
  // After a restart, the acks of the day's emergencies and stops still go first (resent acks come late).
  const aDayAgo = new Date(clock.now().getTime() - 24 * 3_600_000).toISOString();
  for (const id of outbox.urgentCommandIds(aDayAgo)) publisher.urgent.add(id);
  broker?.followUrgent(publisher.urgent);
  return { broker, mqtt, publisher, outbox, syncMosquittoFiles };
}
