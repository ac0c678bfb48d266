/**
 * Schema migrations, applied in order; PRAGMA user_version records how many ran.
 * Never edit a migration that has shipped: add a new one.
 * Instants are ISO 8601 UTC text; wall times (schedules) will carry their zone beside them.
 */
export const migrations: string[] = [
  `
  CREATE TABLE hamlets (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    households  INTEGER NOT NULL DEFAULT 0,
    population  INTEGER NOT NULL DEFAULT 0,
    lat         REAL,                            -- WGS 84, for CAP areas and the map
    lon         REAL,
    created_at  TEXT NOT NULL
  ) STRICT;

  CREATE TABLE receivers (
    id             TEXT PRIMARY KEY,
    hamlet_id      TEXT NOT NULL REFERENCES hamlets(id),
    name           TEXT NOT NULL,
    -- sha256 of a 256-bit random secret: a fast hash is right for high-entropy machine secrets
    secret_hash    TEXT,
    -- the same secret hashed for an external Mosquitto's password file (PBKDF2-SHA512)
    broker_hash    TEXT,
    -- the receiver's own Ed25519 key (made at enrolment): it signs its acks
    ack_public_key TEXT,
    enrolled_at    TEXT,
    revoked_at     TEXT,
    lat            REAL,                          -- WGS 84, for the technicians' map
    lon            REAL,
    status         TEXT NOT NULL DEFAULT 'unknown',  -- online | offline | unknown
    status_session INTEGER NOT NULL DEFAULT -1,
    status_at      TEXT,
    agent_version  TEXT,
    created_at     TEXT NOT NULL
  ) STRICT;
  CREATE INDEX receivers_by_hamlet ON receivers(hamlet_id);

  CREATE TABLE media (
    id             TEXT PRIMARY KEY,
    title          TEXT NOT NULL,              -- display only; never used as a path
    status         TEXT NOT NULL,              -- processing | ready | failed
    progress_pct   INTEGER NOT NULL DEFAULT 0,
    error_code     TEXT,
    sha256         TEXT,
    size_bytes     INTEGER,
    duration_ms    INTEGER,
    source_format  TEXT,
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL
  ) STRICT;

  CREATE TABLE broadcasts (
    id           TEXT PRIMARY KEY,
    media_id     TEXT REFERENCES media(id),      -- a file, or
    live_id      TEXT,                           -- a live session (voice or relay)
    priority     TEXT NOT NULL,
    volume_pct   INTEGER NOT NULL,
    target_json  TEXT NOT NULL,
    source       TEXT NOT NULL,                -- manual (schedule, emergency, cap later)
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    play_at      TEXT,
    expires_at   TEXT NOT NULL,
    drill        INTEGER NOT NULL DEFAULT 0,
    repeat_count INTEGER NOT NULL DEFAULT 1,
    stopped_at   TEXT,                         -- when a stop or cancel was sent for it
    confirmed_by TEXT                          -- the second confirmation, when one was needed
  ) STRICT;
  CREATE INDEX broadcasts_by_time ON broadcasts(created_at);

  -- Which receivers a broadcast was meant for, fixed when it was issued: coverage counts against it.
  CREATE TABLE broadcast_targets (
    broadcast_id TEXT NOT NULL REFERENCES broadcasts(id),
    receiver_id  TEXT NOT NULL REFERENCES receivers(id),
    hamlet_id    TEXT NOT NULL,
    PRIMARY KEY (broadcast_id, receiver_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX broadcast_targets_by_receiver ON broadcast_targets(receiver_id);

  -- The outbox: every command is written here before it is published.
  CREATE TABLE commands (
    id           TEXT PRIMARY KEY,
    broadcast_id TEXT,
    type         TEXT NOT NULL,
    topic        TEXT NOT NULL,
    payload      TEXT NOT NULL,                -- the signed JSON exactly as published
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    published_at TEXT
  ) STRICT;
  CREATE INDEX commands_by_broadcast ON commands(broadcast_id);
  CREATE INDEX commands_unpublished ON commands(published_at) WHERE published_at IS NULL;

  CREATE TABLE acks (
    receiver_id  TEXT NOT NULL,
    command_id   TEXT NOT NULL,
    stage        TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    broadcast_id TEXT,
    at           TEXT NOT NULL,                -- the receiver's clock
    received_at  TEXT NOT NULL,                -- the controller's clock
    reason       TEXT,
    detail       TEXT,
    sig          TEXT,                         -- the receiver's signature over the ack as sent
    chain_seq    INTEGER NOT NULL,             -- order of storing: the hash chain runs along it
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    PRIMARY KEY (receiver_id, command_id, stage)   -- a redelivered ack makes no second row
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX acks_by_broadcast ON acks(broadcast_id, receiver_id, stage, at);
  CREATE UNIQUE INDEX acks_by_chain ON acks(chain_seq);

  -- The head of the ack chain, signed by the controller from time to time: a deleted tail shows.
  CREATE TABLE ack_chain_heads (
    chain_seq  INTEGER PRIMARY KEY,
    hash       TEXT NOT NULL,
    signed_at  TEXT NOT NULL,
    key_id     TEXT NOT NULL,
    sig        TEXT NOT NULL
  ) STRICT;
  CREATE TRIGGER ack_heads_no_update BEFORE UPDATE ON ack_chain_heads
    BEGIN SELECT RAISE(ABORT, 'ack_chain_heads are append-only'); END;

  CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    username         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name     TEXT NOT NULL,
    role             TEXT NOT NULL,
    password_hash    TEXT NOT NULL,              -- argon2id
    totp_secret      TEXT,                       -- base32; set when TOTP is enabled
    totp_pending     TEXT,                       -- base32; awaiting the first code
    failed_logins    INTEGER NOT NULL DEFAULT 0,
    locked_until     TEXT,
    created_at       TEXT NOT NULL,
    disabled_at      TEXT
  ) STRICT;

  CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,               -- sha256 of the cookie value
    user_id      TEXT NOT NULL REFERENCES users(id),
    csrf_token   TEXT NOT NULL,
    mfa          INTEGER NOT NULL,               -- 1 when the login used a TOTP code
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ip           TEXT
  ) STRICT;
  CREATE INDEX sessions_by_user ON sessions(user_id);

  CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL,
    scopes      TEXT,                            -- JSON array narrowing the role; NULL = the whole role
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT,
    last_used_at TEXT,
    revoked_at  TEXT
  ) STRICT;

  -- Availability history: every change of a receiver's state, for uptime and the technicians' view.
  CREATE TABLE receiver_events (
    receiver_id TEXT NOT NULL,
    at          TEXT NOT NULL,
    state       TEXT NOT NULL,                   -- online | offline
    session     INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX receiver_events_by_receiver ON receiver_events(receiver_id, at);

  -- Telemetry, at most one sample per receiver per sampling period, pruned after the retention.
  CREATE TABLE telemetry_samples (
    receiver_id TEXT NOT NULL,
    at          TEXT NOT NULL,
    data        TEXT NOT NULL
  ) STRICT;
  CREATE INDEX telemetry_by_receiver ON telemetry_samples(receiver_id, at);

  -- Health alerts: at most one open per receiver and rule.
  CREATE TABLE health_alerts (
    id              TEXT PRIMARY KEY,
    receiver_id     TEXT NOT NULL,
    rule            TEXT NOT NULL,
    state           TEXT NOT NULL,               -- open | acknowledged | resolved
    detail          TEXT,
    opened_at       TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT,
    resolved_at     TEXT
  ) STRICT;
  CREATE UNIQUE INDEX health_alerts_one_open ON health_alerts(receiver_id, rule) WHERE state != 'resolved';

  -- Synthesised audio, by everything that shapes it: the same announcement is made once.
  CREATE TABLE tts_cache (
    cache_key  TEXT PRIMARY KEY,
    media_id   TEXT NOT NULL REFERENCES media(id),
    engine     TEXT NOT NULL,                    -- the engine that actually spoke (after any fallback)
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE bulletins (
    id                TEXT PRIMARY KEY,
    title             TEXT NOT NULL,
    category          TEXT NOT NULL,
    text              TEXT,
    recorded_media_id TEXT REFERENCES media(id),  -- a recording (e.g. in an ethnic-minority language) in place of synthesis
    voice             TEXT,
    engine            TEXT,
    speed             REAL NOT NULL DEFAULT 1,
    chime             INTEGER NOT NULL DEFAULT 1,
    repeat            INTEGER NOT NULL DEFAULT 0,
    status            TEXT NOT NULL,              -- draft | submitted | approved | rejected | broadcast
    reject_reason     TEXT,
    media_id          TEXT REFERENCES media(id),  -- the audio that was approved
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    submitted_at      TEXT,
    decided_by        TEXT,
    decided_at        TEXT,
    last_broadcast_id TEXT
  ) STRICT;
  CREATE INDEX bulletins_by_status ON bulletins(status, updated_at);

  -- CAP alerts received, whatever became of them.
  CREATE TABLE cap_alerts (
    key          TEXT PRIMARY KEY,               -- sender + identifier: the de-duplication key
    identifier   TEXT NOT NULL,
    sender       TEXT NOT NULL,
    sent         TEXT NOT NULL,
    status       TEXT NOT NULL,
    msg_type     TEXT NOT NULL,
    event        TEXT,
    headline     TEXT,
    xml          TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    via          TEXT NOT NULL,                  -- post | feed
    outcome      TEXT NOT NULL,                  -- broadcast | drill | outside_area | expired | not_public | cancelled | superseded | no_audio
    priority     TEXT,
    hamlets      TEXT,                           -- JSON array of matched hamlet ids
    broadcast_id TEXT,
    expires_at   TEXT
  ) STRICT;

  -- Append-only, hash-chained: each row's hash covers its content and the previous hash.
  CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT,
    detail     TEXT,
    source_ip  TEXT,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
  ) STRICT;
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER acks_no_update BEFORE UPDATE ON acks
    BEGIN SELECT RAISE(ABORT, 'acks are append-only'); END;
  CREATE TRIGGER acks_no_delete BEFORE DELETE ON acks
    BEGIN SELECT RAISE(ABORT, 'acks are append-only'); END;
  `,
  // 2: programmes and schedules (playlists, schedules, occurrences), per-hamlet quiet hours.
  `
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
  `,
  // 3: bulletins published beyond the loudspeakers (podcast feed, public page, webhooks).
  `
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
  `,
];
