/**
 * Migration 14: the rollups count the receivers cut off (a failed ack with reason 'stopped' or
 * 'preempted', never finished) apart, so the period report says a hamlet a person stopped, or an
 * emergency cut off, was stopped rather than that its receivers failed. The stored rollups lack
 * the figure: they are cleared, and recomputed from the acks when next read.
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  ALTER TABLE broadcast_rollups ADD COLUMN cut_off INTEGER NOT NULL DEFAULT 0;
  DELETE FROM broadcast_rollups;
`;
