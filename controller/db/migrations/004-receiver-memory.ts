/**
 * Migration 4: when each receiver's replay memory began (its status says, from protocol 1 agents
 * that send `memory_since`). A newer memory is a new epoch: its session count starts again, and
 * the controller issues it fresh copies of what it still has to play.
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  ALTER TABLE receivers ADD COLUMN memory_since TEXT;
`;
