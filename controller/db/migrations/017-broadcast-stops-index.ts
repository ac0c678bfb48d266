/**
 * Migration 17: the stops of broadcasts (stops with a broadcast). A stop is acked with its
 * broadcast's id, like the play; coverage, rollups and reports read a receiver's stages from the
 * play's acks only (coverage/stage-columns.ts PLAY_ACK), and must not scan every command (ack
 * receipts and operations are commands too) for the few stops at each read.
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  CREATE INDEX commands_broadcast_stops ON commands(id) WHERE type = 'stop' AND broadcast_id IS NOT NULL;
`;
