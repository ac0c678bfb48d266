/**
 * The period report's receivers: each one's uptime over the period, in the commune's order of
 * hamlets, then as a person counts ids. Counted from its enrolment (never before it existed): one
 * never enrolled has no figure, and one enrolled that never once connected is said so, not given a
 * bare 0 % as if it had gone away.
 */
import type { Hamlet } from '../hamlets/hamlets-read-model.js';
import type { ReceiverPresence } from '../receivers/receiver-presence.js';
import type { Receiver } from '../receivers/receivers-read-model.js';
import { naturalCompare } from '../shared/natural-order.js';

export function receiverUptimes(
  receivers: Receiver[],
  hamlets: Hamlet[],
  presence: Pick<ReceiverPresence, 'history'>,
  enrolledBy: (r: Receiver) => boolean,
  period: { from: Date; until: Date },
) {
  const order = new Map(hamlets.map((h, i) => [h.id, i]));
  return [...receivers]
    .sort((a, b) => (order.get(a.hamlet_id) ?? 1e9) - (order.get(b.hamlet_id) ?? 1e9) || naturalCompare(a.id, b.id))
    .map((r) => ({
      receiver_id: r.id,
      hamlet_id: r.hamlet_id,
      hamlet: hamlets.find((h) => h.id === r.hamlet_id)?.name ?? r.hamlet_id,
      name: r.name,
      enrolled: enrolledBy(r),
      never_connected: enrolledBy(r) && r.status === 'unknown',
      uptime_pct: enrolledBy(r) ? presence.history(r.id, period.from, period.until).uptime_pct : null,
    }));
}
