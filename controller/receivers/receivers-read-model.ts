/**
 * What other wings read of the receivers: the repository implements it; services outside
 * receivers/ depend on this interface, never on the repository.
 */
export interface Receiver {
  id: string;
  hamlet_id: string;
  name: string;
  secret_hash: string | null;
  broker_hash: string | null;
  ack_public_key: string | null;
  /** When its replay memory began (its status says): a newer one means it lost what it held. */
  memory_since: string | null;
  /** JSON array of the ack keys it had before (re-enrolments), oldest first. */
  previous_ack_keys: string | null;
  lat: number | null;
  lon: number | null;
  enrolled_at: string | null;
  revoked_at: string | null;
  status: 'online' | 'offline' | 'unknown';
  status_session: number;
  status_at: string | null;
  agent_version: string | null;
  created_at: string;
}

/** A receiver named for a broadcast: which one, and where. */
export type EnrolledReceiver = Pick<Receiver, 'id' | 'hamlet_id'>;

export interface ReceiversReadModel {
  get(id: string): Receiver | undefined;
  /** Every receiver, or those of one hamlet. */
  list(hamletId?: string): Receiver[];
  /** Receivers with credentials, of these hamlets (all when omitted). */
  enrolledIn(hamletIds?: string[]): EnrolledReceiver[];
  countByStatus(): Record<string, number>;
  /** Receivers registered (listed in the config, say) with no credentials yet. */
  countNotEnrolled(): number;
  countInHamlet(hamletId: string): number;
}
