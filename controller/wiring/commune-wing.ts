import { readFileSync } from 'node:fs';
import { AccountsRepository } from '../accounts/accounts-repository.js';
import { AccountsService } from '../accounts/accounts-service.js';
import { HamletsRepository } from '../hamlets/hamlets-repository.js';
import { HamletsService } from '../hamlets/hamlets-service.js';
import { ReceiverPresence } from '../receivers/receiver-presence.js';
import { ReceiversRepository } from '../receivers/receivers-repository.js';
import { ReceiversService } from '../receivers/receivers-service.js';
import type { WiringContext } from './wiring-context.js';

/** Accounts, hamlets, receivers and their presence: the commune itself. */
export function wireCommune({ settings, clock, log, storage, urls }: WiringContext) {
  const { db, audit, signer } = storage;
  const hamletsRepo = new HamletsRepository(db);
  const receiversRepo = new ReceiversRepository(db);
  const accounts = new AccountsService(new AccountsRepository(db), audit, clock, settings.security, log);
  const hamlets = new HamletsService(db, hamletsRepo, receiversRepo, audit, clock);
  const receivers = new ReceiversService({
    db,
    repo: receiversRepo,
    hamlets: hamletsRepo,
    audit,
    clock,
    keys: storage.keys,
    endpoints: {
      mqttUrl: () => urls.mqtt(),
      controllerPublicKeyPem: signer.publicKeyPem,
      caCertPem: settings.tls_ca_file ? readFileSync(settings.tls_ca_file, 'utf8') : undefined,
    },
  });
  const presence = new ReceiverPresence(receiversRepo, log, clock);
  return { hamletsRepo, receiversRepo, accounts, hamlets, receivers, presence };
}
export type Commune = ReturnType<typeof wireCommune>;
