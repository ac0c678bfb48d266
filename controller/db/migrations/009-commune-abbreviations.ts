/**
 * Migration 9: the commune's own abbreviations, added from the console with a preview (issue 24),
 * beside the ones an installer writes in the config (`tts.abbreviations`). Kept in the database so
 * that staff change them without a technician and every change is audited.
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  CREATE TABLE tts_abbreviations (
    written     TEXT PRIMARY KEY,   -- as staff write it: "HTX", "P.VHXH"
    reading     TEXT NOT NULL,      -- what the voice says: "hợp tác xã"
    updated_by  TEXT NOT NULL,      -- username
    updated_at  TEXT NOT NULL
  ) STRICT;
`;
