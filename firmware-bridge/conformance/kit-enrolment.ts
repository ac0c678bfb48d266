/**
 * The enrolment the kit gives the device under test: the same agent config (agent.json) a
 * commune's controller hands out (controller/protocol/agent-config.ts), made with the kit's own
 * controller key, a fresh secret and a fresh ack key, written readable by its owner only.
 */
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentConfigSchema, type AgentConfig } from '../../controller/protocol/agent-config.js';
import { CommandSigner } from '../../controller/protocol/signing.js';

export interface Enrolment {
  config: AgentConfig;
  /** Where the agent.json was written. */
  file: string;
  /** The kit's controller key: it signs every command of the run. */
  signer: CommandSigner;
  /** The device's ack public key (PEM): every ack must verify against it. */
  ackPublicKeyPem: string;
  /** The kit's own broker password (controller account). */
  controllerPassword: string;
}

export interface EnrolOptions {
  dir: string;
  receiverId: string;
  hamletId: string;
  mqttUrl: string;
  /** The device's MQTT and HTTP password, and the kit's own broker password: the broker knows them before the enrolment names its port. */
  secret: string;
  controllerPassword: string;
  /** Where the reference agent keeps its state when the kit starts it; a vendor's device keeps its own. */
  stateDir: string;
  /** Allowed lead of issued_at over the device's clock (the controller's default). */
  maxClockSkewS?: number;
  at: Date;
}

/** A new random password: 256 bits, base64url (43 characters), as the controller makes them. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

export function enrol(o: EnrolOptions): Enrolment {
  const { signer } = CommandSigner.generate();
  const ack = generateKeyPairSync('ed25519');
  const config = agentConfigSchema.parse({
    receiver_id: o.receiverId,
    hamlet_id: o.hamletId,
    mqtt_url: o.mqttUrl,
    secret: o.secret,
    controller_public_keys: [signer.publicKeyPem],
    ack_signing_key: ack.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    state_dir: o.stateDir,
    // Silent: the kit judges by acks, and a test bench may have no sound card. speed 1 keeps real durations.
    player: { kind: 'silent', speed: 1 },
    max_clock_skew_s: o.maxClockSkewS ?? 120,
    telemetry_interval_s: 5,
    enrolled_at: o.at.toISOString(),
  });
  const file = join(o.dir, 'agent.json');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return {
    config,
    file,
    signer,
    ackPublicKeyPem: createPublicKey(ack.privateKey).export({ type: 'spki', format: 'pem' }).toString(),
    controllerPassword: o.controllerPassword,
  };
}
