/**
 * Migration 4: when each receiver's replay memory began (its status says, from protocol 1 agents
 * that send `memory_since`). A newer memory is a new epoch: its session count starts again, and
 * the controller issues it fresh copies of what it still has to play. And the ack keys a receiver
 * had before its last re-enrolment: acks it signed then (still in its outbox) are still its own.
 * And when a broadcast was cancelled and corrected, so that it is never corrected twice.
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  ALTER TABLE receivers ADD COLUMN memory_since TEXT;
  ALTER TABLE receivers ADD COLUMN previous_ack_keys TEXT;   -- JSON array of PEMs, oldest first
  ALTER TABLE broadcasts ADD COLUMN cancelled_at TEXT;        -- cancelled and corrected: never twice
`;
