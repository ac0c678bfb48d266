/**
 * Migration 2: programmes and schedules (playlists, schedules, occurrences), per-hamlet quiet hours.
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  ALTER TABLE hamlets ADD COLUMN quiet_start TEXT;   -- local "HH:MM"; both null: the commune's quiet hours
  ALTER TABLE hamlets ADD COLUMN quiet_end   TEXT;
  ALTER TABLE broadcasts ADD COLUMN occurrence_id TEXT;
  CREATE INDEX broadcasts_by_occurrence ON broadcasts(occurrence_id);

  CREATE TABLE playlists (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    opening_media_id  TEXT REFERENCES media(id),   -- nhạc hiệu mở đầu
    closing_media_id  TEXT REFERENCES media(id),   -- nhạc hiệu kết thúc
    -- the items joined into one file, and what they were when joined (sha256 list): receivers download one file
    rendered_media_id TEXT REFERENCES media(id),
    rendered_key      TEXT,
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
  ) STRICT;

  CREATE TABLE playlist_items (
    playlist_id TEXT NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    media_id    TEXT NOT NULL REFERENCES media(id),
    title       TEXT,
    PRIMARY KEY (playlist_id, position)
  ) STRICT;

  CREATE TABLE schedules (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    spec        TEXT NOT NULL,          -- JSON: content, recurrence, start time, zone, target, policies
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
  ) STRICT;

  -- Computed ahead and kept: commands and acks refer to an occurrence through its broadcast.
  CREATE TABLE occurrences (
    id            TEXT PRIMARY KEY,
    schedule_id   TEXT NOT NULL REFERENCES schedules(id),
    starts_at     TEXT NOT NULL,        -- UTC instant
    ends_at       TEXT NOT NULL,
    local_date    TEXT NOT NULL,        -- the wall-clock date it belongs to, in the schedule's zone
    priority      TEXT NOT NULL,
    status        TEXT NOT NULL,        -- planned | dispatched | missed | cancelled
    reason        TEXT,                 -- why missed or cancelled
    late          INTEGER NOT NULL DEFAULT 0,  -- dispatched after its start (played late, within grace)
    broadcast_id  TEXT REFERENCES broadcasts(id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
  ) STRICT;
  -- One live occurrence per schedule and instant; a cancelled one leaves room for its replacement.
  CREATE UNIQUE INDEX occurrences_unique ON occurrences(schedule_id, starts_at) WHERE status != 'cancelled';
  CREATE INDEX occurrences_by_time ON occurrences(starts_at);
  CREATE INDEX occurrences_by_status ON occurrences(status, starts_at);
  `;
