// What the urgent desk keeps for its tab (sessionStorage): its last send and its last stop, said
// again when an official leaves the desk and comes back. Kept for half a day: a desk opened the
// next morning starts clean.
import { controllerNow } from './clock.js';

const KEPT_MS = 12 * 3_600_000;

/** The value kept under `key` (an object with `at`, ms on the controller's clock), while it is recent; else null. */
export function recall(key) {
  try {
    const last = JSON.parse(sessionStorage.getItem(key) ?? 'null');
    return last && controllerNow() - last.at < KEPT_MS ? last : null;
  } catch {
    return null;
  }
}

/** Forgets all the desk kept: at logout, the next official in this tab starts clean. */
export function forgetDesk() {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith('tt.urgent.')) sessionStorage.removeItem(key);
}

/** Keeps `value` (with its `at`) under `key`; null forgets it. */
export function keep(key, value) {
  if (value) sessionStorage.setItem(key, JSON.stringify(value));
  else sessionStorage.removeItem(key);
}
