/**
 * Where a broadcast goes: the receivers and hamlets a target names (refused with a 4xx error when
 * it names unknown ones or nothing that can play), and the same target described for the person
 * who confirms it. Kept apart from the sending so both the sender and the confirming desk ask it.
 */
import { DomainError } from '../shared/domain-error.js';
import type { HamletsReadModel } from '../hamlets/hamlets-read-model.js';
import type { ReceiversReadModel } from '../receivers/receivers-read-model.js';

/** The whole commune, some hamlets, or some receivers (hamlets and receivers may be mixed). */
export interface TargetRequest {
  all?: boolean;
  hamlet_ids?: string[];
  receiver_ids?: string[];
}

export interface TargetsDescription {
  hamlets: {
    hamlet_id: string;
    name: string;
    receivers: number;
    offline: string[];
    never_connected: string[];
    not_enrolled: string[];
  }[];
  without_receivers: string[];
  /** The controller has no broker now (since then): nothing reaches a receiver until it is back. */
  broker_down_since?: string | null;
}

export class BroadcastTargets {
  constructor(
    private readonly hamlets: HamletsReadModel,
    private readonly receivers: ReceiversReadModel,
  ) {}

  /** The receivers and hamlets a target names, with 4xx errors for unknown ones. */
  resolve(target: TargetRequest) {
    const requestedHamlets = target.all ? this.hamlets.list().map((h) => h.id) : [...new Set(target.hamlet_ids ?? [])];
    const requestedReceivers = [...new Set(target.receiver_ids ?? [])];
    if (requestedHamlets.length === 0 && requestedReceivers.length === 0)
      throw new DomainError('invalid', 'target_required');

    const unknownHamlets = this.hamlets.missing(requestedHamlets);
    if (unknownHamlets.length > 0)
      throw new DomainError('not_found', 'unknown_hamlets', { ids: unknownHamlets.join(', ') });
    const named = requestedReceivers.map((id) => ({ id, receiver: this.receivers.get(id) }));
    const unknownReceivers = named.filter((n) => !n.receiver).map((n) => n.id);
    if (unknownReceivers.length > 0)
      throw new DomainError('not_found', 'unknown_receivers', { ids: unknownReceivers.join(', ') });
    const notEnrolled = named.find((n) => !n.receiver!.secret_hash);
    if (notEnrolled)
      throw new DomainError('invalid', 'receiver_has_no_credentials', { id: notEnrolled.receiver!.name });

    const inHamlets = this.receivers.enrolledIn(requestedHamlets);
    const hamletSet = new Set(requestedHamlets);
    const extra = named.map((n) => n.receiver!).filter((r) => !hamletSet.has(r.hamlet_id));
    const targets = [...inHamlets, ...extra].map((r) => ({ receiver_id: r.id, hamlet_id: r.hamlet_id }));
    if (targets.length === 0) throw new DomainError('invalid', 'no_receivers_targeted');
    // Only hamlets that have enrolled receivers get a command.
    const hamletIds = [...new Set(inHamlets.map((r) => r.hamlet_id))];
    return { hamletIds, extraReceivers: extra.map((r) => r.id), targets };
  }

  /**
   * Where a target would sound, for the person who confirms it: each hamlet by name with its
   * receivers and those not connected now, and the hamlets asked for that have no receiver.
   */
  describe(target: TargetRequest): TargetsDescription {
    const requested = target.all ? this.hamlets.list().map((h) => h.id) : [...new Set(target.hamlet_ids ?? [])];
    let targets: { receiver_id: string; hamlet_id: string }[] = [];
    try {
      targets = this.resolve(target).targets;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
    }
    const byHamlet = new Map<string, { receivers: number; offline: string[]; never_connected: string[] }>();
    for (const t of targets) {
      const entry = byHamlet.get(t.hamlet_id) ?? { receivers: 0, offline: [], never_connected: [] };
      entry.receivers++;
      const r = this.receivers.get(t.receiver_id);
      // Offline (it was connected and lost its link) is not "never connected" (installed, never heard from).
      if (r && r.status === 'offline') entry.offline.push(r.name || r.id);
      else if (r && r.status !== 'online') entry.never_connected.push(r.name || r.id);
      byHamlet.set(t.hamlet_id, entry);
    }
    // Registered but not enrolled: they cannot receive anything yet, and the person confirming should know.
    const notEnrolled = (hamletId: string) =>
      this.receivers
        .list(hamletId)
        .filter((r) => !r.secret_hash)
        .map((r) => r.name || r.id);
    const name = (id: string) => this.hamlets.get(id)?.name ?? id;
    return {
      // In the order asked (the commune's list), then hamlets reached only through a named receiver.
      // A hamlet whose receivers are all registered but not enrolled is listed with them (it has
      // receivers; they cannot play yet), not as a hamlet without any.
      hamlets: [
        ...new Set([...requested.filter((id) => byHamlet.has(id) || notEnrolled(id).length > 0), ...byHamlet.keys()]),
      ].map((id) => ({
        hamlet_id: id,
        name: name(id),
        ...(byHamlet.get(id) ?? { receivers: 0, offline: [], never_connected: [] }),
        not_enrolled: notEnrolled(id),
      })),
      without_receivers: requested.filter((id) => !byHamlet.has(id) && notEnrolled(id).length === 0).map(name),
    };
  }
}
