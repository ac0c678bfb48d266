/**
 * Migration 15: a receiver's "offline" may be the controller's own inference (its broker is gone,
 * or the broker said nothing of it after a reconnection) rather than the receiver's last will. An
 * inferred offline does not end the receiver's session: the same session's "online", heard again,
 * puts it back online (a will does end it, and a late "online" of that session is refused).
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  ALTER TABLE receivers ADD COLUMN status_inferred INTEGER NOT NULL DEFAULT 0;
`;
