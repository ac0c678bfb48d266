/**
 * Migration 13: the stop-alls (stops with no broadcast) by time. A receiver coming back is never
 * sent a play a later stop of its hamlet silenced (outbox-repository.ts `silencer`): that check runs
 * at every reconnect, so after a power cut for the whole fleet, and must not scan every command.
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  CREATE INDEX commands_stop_all ON commands(created_at) WHERE type = 'stop' AND broadcast_id IS NULL;
`;
