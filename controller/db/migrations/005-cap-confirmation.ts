/**
 * Migration 5: a CAP alert from a sender not trusted waits for a person: its row names the
 * pending confirmation (outcome awaiting_confirmation). Outcomes now also include stale,
 * no_receiver, held_no_vietnamese and the refusals (refused_invalid, refused_namespace, …).
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  ALTER TABLE cap_alerts ADD COLUMN confirmation_id TEXT;
  `;
