/**
 * Migration 11 (issue 21, loudness as ebur128 reads it): each media item keeps what its stored
 * MP3 measures (integrated loudness and true peak) and, when it could not be brought to the
 * broadcast loudness (too quiet, silent), a warning: a catalogue key and the numbers for its words.
 * All four are null for rows made before this migration and until the item is ready.
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  ALTER TABLE media ADD COLUMN loudness_lufs REAL;
  ALTER TABLE media ADD COLUMN true_peak_dbtp REAL;
  ALTER TABLE media ADD COLUMN warning_code TEXT;
  ALTER TABLE media ADD COLUMN warning_params TEXT;
`;
