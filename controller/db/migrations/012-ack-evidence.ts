/**
 * Migration 12 (acks that vouch only for sending): a `finished` ack may say `evidence: 'sent'`
 * (a bridge's RTP group, stream mount or FM transmitter: nobody confirms sound). The stored ack
 * keeps the field as signed: NULL when the ack had none (it then means 'played', and every ack
 * stored before this migration keeps its bytes, its hash and its signature). The rollups count
 * receivers that only sent apart from those heard.
 * Shipped: never edit it (tests/unit/db/migrations-pinned.test.ts pins its text); add a new migration instead.
 */
export default `
  ALTER TABLE acks ADD COLUMN evidence TEXT CHECK (evidence IN ('played', 'sent'));
  ALTER TABLE broadcast_rollups ADD COLUMN sent INTEGER NOT NULL DEFAULT 0;
`;
