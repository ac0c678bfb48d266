/**
 * Migration 3: bulletins published beyond the loudspeakers (podcast feed, public page, webhooks).
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  ALTER TABLE bulletins ADD COLUMN public INTEGER;   -- 1 or 0 as chosen; null: public unless broadcast as a drill

  -- What the public sees: a broadcast bulletin's text and audio, never its authors.
  CREATE TABLE publications (
    id               TEXT PRIMARY KEY,
    bulletin_id      TEXT NOT NULL REFERENCES bulletins(id),
    broadcast_id     TEXT NOT NULL UNIQUE REFERENCES broadcasts(id),
    title            TEXT NOT NULL,
    category         TEXT NOT NULL,
    text             TEXT,
    media_id         TEXT NOT NULL REFERENCES media(id),
    priority         TEXT NOT NULL,
    published_at     TEXT NOT NULL,
    urgent_until     TEXT,                 -- urgent and emergency items lead the feed and page until then
    withdrawn_at     TEXT,                 -- cancelled or withdrawn: gone from feed and page
    withdrawn_reason TEXT
  ) STRICT;
  CREATE INDEX publications_by_time ON publications(published_at);

  CREATE TABLE webhooks (
    id          TEXT PRIMARY KEY,
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,             -- the HMAC key: kept to sign, shown once at creation
    description TEXT,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    disabled_at TEXT
  ) STRICT;

  CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    webhook_id      TEXT NOT NULL REFERENCES webhooks(id),
    event           TEXT NOT NULL,         -- bulletin.published | bulletin.withdrawn
    publication_id  TEXT NOT NULL REFERENCES publications(id),
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL,         -- pending | delivered | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    delivered_at    TEXT
  ) STRICT;
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);

  -- Reports: what a broadcast was about, and what was sent up to the province.
  ALTER TABLE broadcasts ADD COLUMN category TEXT;   -- a bulletin's or schedule's category, when known
  -- Per broadcast and hamlet, what its receivers did: computed once a broadcast has settled, so a
  -- year's report reads thousands of rows, not millions of acks. A late ack deletes its rows.
  CREATE TABLE broadcast_rollups (
    broadcast_id TEXT NOT NULL REFERENCES broadcasts(id),
    hamlet_id    TEXT NOT NULL,
    targeted     INTEGER NOT NULL,
    reached      INTEGER NOT NULL,             -- receivers that started or finished
    finished     INTEGER NOT NULL,
    played       REAL NOT NULL,                -- sum over receivers of the share of the broadcast played
    computed_at  TEXT NOT NULL,
    PRIMARY KEY (broadcast_id, hamlet_id)
  ) STRICT, WITHOUT ROWID;
  -- Agent updates: packages, and their staged rollouts receiver by receiver.
  CREATE TABLE agent_updates (
    id          TEXT PRIMARY KEY,
    version     TEXT NOT NULL UNIQUE,
    sha256      TEXT NOT NULL,
    size_bytes  INTEGER NOT NULL,
    notes       TEXT,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
  ) STRICT;
  CREATE TABLE rollouts (
    id            TEXT PRIMARY KEY,
    update_id     TEXT NOT NULL REFERENCES agent_updates(id),
    status        TEXT NOT NULL,             -- running | completed | stopped
    reason        TEXT,                      -- why it stopped
    batch_size    INTEGER NOT NULL,
    health_wait_s INTEGER NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    finished_at   TEXT
  ) STRICT;
  CREATE TABLE rollout_receivers (
    rollout_id       TEXT NOT NULL REFERENCES rollouts(id),
    receiver_id      TEXT NOT NULL REFERENCES receivers(id),
    batch            INTEGER NOT NULL,
    status           TEXT NOT NULL,          -- waiting | sent | healthy | failed | rolled_back | skipped
    previous_version TEXT,
    sent_at          TEXT,
    detail           TEXT,
    updated_at       TEXT NOT NULL,
    PRIMARY KEY (rollout_id, receiver_id)
  ) STRICT;

  CREATE TABLE upward_reports (
    id              TEXT PRIMARY KEY,
    period_from     TEXT NOT NULL,
    period_to       TEXT NOT NULL,
    payload         TEXT NOT NULL,         -- the signed JSON sent, kept as sent
    sha256          TEXT NOT NULL,
    status          TEXT NOT NULL,         -- pending | accepted | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_status     INTEGER,
    last_error      TEXT,
    remote_ref      TEXT,                  -- the receipt the provincial system gave, if any
    created_at      TEXT NOT NULL,
    accepted_at     TEXT,
    UNIQUE (period_from, period_to)
  ) STRICT;
  `;
