/**
 * Migration 16: the last instant the controller knew itself alive, written every half minute. A
 * controller that was killed (power cut, OOM, SIGKILL) finds it at its next start: the receivers
 * it still recorded online were cut off then, not at the restart, and their history says so.
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  CREATE TABLE controller_alive (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at TEXT NOT NULL
  );
`;
