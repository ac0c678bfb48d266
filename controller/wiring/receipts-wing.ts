import { BroadcastsRepository } from '../broadcasts/broadcasts-repository.js';
import { AckChain } from '../coverage/ack-chain.js';
import { AckIngestor } from '../coverage/ack-ingestor.js';
import { AcksRepository } from '../coverage/acks-repository.js';
import { CoverageService } from '../coverage/coverage-service.js';
import { ProofKeeper } from '../proof/proof-keeper.js';
import { Witness } from '../proof/witness.js';
import type { Commune } from './commune-wing.js';
import type { Messaging } from './infrastructure.js';
import type { WiringContext } from './wiring-context.js';

/** Acks, the ack chain and coverage: the receipts wing. Built before sending: follow-up reads coverage. */
export function wireReceipts(
  { settings, clock, log, storage, signProofHeads = true }: WiringContext,
  commune: Commune,
  messaging: Messaging,
) {
  const { db, signer, keys, heads, audit } = storage;
  const ackChain = new AckChain(db);
  const acksRepo = new AcksRepository(db, ackChain, keys);
  const coverage = new CoverageService({
    broadcasts: new BroadcastsRepository(db),
    acks: acksRepo,
    hamlets: commune.hamletsRepo,
    clock,
    db,
  });
  const proof = new ProofKeeper({
    db,
    heads,
    keys,
    audit,
    ackTip: () => ackChain.head,
    auditTip: () => audit.tip(),
    signer,
    witness: new Witness(settings.proof, log.child({ component: 'witness' })),
    clock,
    log: log.child({ component: 'proof' }),
    every_ms: signProofHeads ? 1000 : 2 ** 30,
  });
  const acks = new AckIngestor({
    acks: acksRepo,
    publisher: messaging.publisher,
    keys,
    clock,
    log,
    gap_wait_ms: settings.delivery.ack_gap_wait_s * 1000,
    signHead: signProofHeads ? () => proof.signAcks() : undefined,
  });
  // The head a receiver kept from its receipts comes back with its telemetry: compared with the database's.
  commune.presence.events.on('telemetry', (id, t) => {
    if (t.proof_head) proof.checkAnchor(id, t.proof_head);
  });
  return { ackChain, acksRepo, coverage, acks, proof };
}
export type Receipts = ReturnType<typeof wireReceipts>;
