// A receiver's health as the console shows it (list, map, dashboard), from its record and its open alerts.

/**
 * A receiver that has never connected is not "offline": it was never installed or never reached
 * the controller; one only listed in the configuration, with no credentials yet, is not enrolled.
 */
export const health = (r, alerts) =>
  !r.enrolled
    ? 'unenrolled'
    : r.status === 'online'
      ? hasAlert(r, alerts)
        ? 'warn'
        : 'ok'
      : r.status_at === null
        ? 'never'
        : 'offline';
export const hasAlert = (r, alerts) => alerts.some((a) => a.receiver_id === r.id);
/** Since when an alert's condition holds: an offline receiver's since its link went (the alert opens minutes later). */
export const alertSince = (a, r) =>
  a.rule === 'offline' && r && r.status !== 'online' && r.status_at ? r.status_at : a.opened_at;

/**
 * Of the chosen hamlets, before anything is sent: those with no enrolled receiver (they will not
 * hear it) and those whose enrolled receivers are all disconnected now (they hear it only if one
 * comes back in time). A priority item has no confirmation step, so the form itself must say it.
 */
export function reachOf(hamlets, receivers) {
  const none = [];
  const unreachable = [];
  for (const h of hamlets) {
    const enrolled = receivers.filter((r) => r.hamlet_id === h.id && r.enrolled && !r.revoked_at);
    if (enrolled.length === 0) none.push(h.name);
    else if (!enrolled.some((r) => r.status === 'online')) unreachable.push(h.name);
  }
  return { none, unreachable };
}
