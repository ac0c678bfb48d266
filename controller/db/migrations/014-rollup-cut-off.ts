/**
 * Migration 14: the rollups count the receivers cut off (a failed ack with reason 'stopped' or
 * 'preempted', never finished) apart, so the period report says a hamlet a person stopped, or an
 * emergency cut off, was stopped rather than that its receivers failed; and the receivers whose
 * play has ended either way (`ended`: finished, failed or refused), so an item every receiver has
 * ended is not "under way". The share played no longer counts a failure's time as played unless a
 * person or an emergency cut it off. The stored rollups lack these figures: they are cleared, and
 * recomputed from the acks when next read.
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  ALTER TABLE broadcast_rollups ADD COLUMN cut_off INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE broadcast_rollups ADD COLUMN ended INTEGER NOT NULL DEFAULT 0;
  DELETE FROM broadcast_rollups;
`;
