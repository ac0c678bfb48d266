/**
 * Migration 1: the initial schema (hamlets, receivers, media, broadcasts, the command outbox, acks, accounts, the audit log, …).
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
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
  `;
