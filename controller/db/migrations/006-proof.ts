/**
 * Migration 6: proof that holds against whoever holds the database (see controller/proof/).
 * - acks.prev: the receiver's own chain (the digest of its previous ack, as it signed it).
 * - proof_heads: signed heads of both append-only logs (acks, audit), numbered and linked, kept
 *   often and copied off the box (receipts, upward reports, a witness).
 * - receiver_keys, signing_keys: key histories; a rotation adds a row, never rewrites one.
 * - Every proof table is append-only; the ack heads of migration 1 now refuse deletes too.
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  ALTER TABLE acks ADD COLUMN prev TEXT;

  CREATE TABLE proof_heads (
    log        TEXT NOT NULL CHECK (log IN ('acks', 'audit')),
    head_seq   INTEGER NOT NULL,
    chain_seq  INTEGER NOT NULL,
    hash       TEXT NOT NULL,
    prev_head  TEXT NOT NULL,
    signed_at  TEXT NOT NULL,
    key_id     TEXT NOT NULL,
    sig        TEXT NOT NULL,
    PRIMARY KEY (log, head_seq)
  ) STRICT;

  CREATE TABLE receiver_keys (
    receiver_id TEXT NOT NULL,
    key_id      TEXT NOT NULL,             -- fingerprint: sha256 of the DER public key, 16 hex digits
    public_key  TEXT NOT NULL,
    valid_from  TEXT NOT NULL,             -- acks stored before this were not signed with it
    PRIMARY KEY (receiver_id, key_id)
  ) STRICT;

  CREATE TABLE signing_keys (
    key_id      TEXT PRIMARY KEY,
    public_key  TEXT NOT NULL,
    valid_from  TEXT NOT NULL
  ) STRICT;

  CREATE TRIGGER ack_heads_no_delete BEFORE DELETE ON ack_chain_heads
    BEGIN SELECT RAISE(ABORT, 'ack_chain_heads is append-only'); END;
  CREATE TRIGGER proof_heads_no_update BEFORE UPDATE ON proof_heads
    BEGIN SELECT RAISE(ABORT, 'proof_heads is append-only'); END;
  CREATE TRIGGER proof_heads_no_delete BEFORE DELETE ON proof_heads
    BEGIN SELECT RAISE(ABORT, 'proof_heads is append-only'); END;
  CREATE TRIGGER receiver_keys_no_update BEFORE UPDATE ON receiver_keys
    BEGIN SELECT RAISE(ABORT, 'receiver_keys is append-only'); END;
  CREATE TRIGGER receiver_keys_no_delete BEFORE DELETE ON receiver_keys
    BEGIN SELECT RAISE(ABORT, 'receiver_keys is append-only'); END;
  CREATE TRIGGER signing_keys_no_update BEFORE UPDATE ON signing_keys
    BEGIN SELECT RAISE(ABORT, 'signing_keys is append-only'); END;
  CREATE TRIGGER signing_keys_no_delete BEFORE DELETE ON signing_keys
    BEGIN SELECT RAISE(ABORT, 'signing_keys is append-only'); END;
  `;
