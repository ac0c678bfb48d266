/**
 * Migration 8: public bulletins posted directly on the commune's Facebook Page and Zalo Official
 * Account (issue 24, "Channels"), with the same delivery log and retries as webhooks.
 *
 * A table beside webhook_deliveries rather than inside it: those rows belong to a webhook
 * (webhook_id NOT NULL, a foreign key) and carry a signed payload, while a post needs the id the
 * platform gave it, to take it down again. SQLite cannot relax a NOT NULL or a foreign key without
 * rebuilding a shipped table, so the columns are the same and the table is new.
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  CREATE TABLE social_deliveries (
    id              TEXT PRIMARY KEY,
    channel         TEXT NOT NULL,         -- facebook | zalo
    event           TEXT NOT NULL,         -- bulletin.published | bulletin.withdrawn
    publication_id  TEXT NOT NULL REFERENCES publications(id),
    payload         TEXT NOT NULL,         -- the publication's public view, as posted; never a token
    status          TEXT NOT NULL,         -- pending | delivered | failed | cancelled (nothing to do any more)
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_status     INTEGER,               -- the platform's HTTP status
    last_error_code TEXT,                  -- a message key: the error in Vietnamese and English
    last_error      TEXT,                  -- the platform's own words, any token taken out
    remote_id       TEXT,                  -- the post's id there (Facebook post id, Zalo article id)
    pending_ref     TEXT,                  -- Zalo: the token article/create gave, until article/verify gives the id
    created_at      TEXT NOT NULL,
    delivered_at    TEXT
  ) STRICT;
  CREATE INDEX social_deliveries_due ON social_deliveries(status, next_attempt_at);
  CREATE INDEX social_deliveries_of_publication ON social_deliveries(publication_id, channel);
  CREATE INDEX social_deliveries_by_channel ON social_deliveries(channel, created_at);
  `;
