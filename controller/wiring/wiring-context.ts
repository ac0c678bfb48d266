/**
 * What every wing's wiring is given. The wings are grouped as the controller's jobs are: the
 * commune (accounts, hamlets, receivers, presence: `commune-wing.ts`), sending (media, speech,
 * broadcasts, the send and stop desks, follow-up, live: `sending-wing.ts`), receipts (acks,
 * coverage, proof: `receipts-wing.ts`), content (bulletins, the programme, CAP, publishing:
 * `content-wing.ts`) and care (reports, receiver health, remote operations, agent rollouts:
 * `care-wing.ts`). Services meet in the wiring: through constructor options and typed events,
 * never through properties set after construction.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Settings } from '../settings.js';
import type { Storage } from './infrastructure.js';

export interface WiringContext {
  settings: Settings;
  clock: Clock;
  log: Logger;
  storage: Storage;
  /** The controller's own broker password. */
  mqttSecret: string;
  /** Where staff and receivers reach the controller: the configured public URLs or, once started, the local ones. */
  urls: { http(): string; mqtt(): string };
  /** Heads signed at every receipt round and every second (false only in the benchmark that prices them). */
  signProofHeads?: boolean;
}
