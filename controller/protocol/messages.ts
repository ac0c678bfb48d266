/**
 * Payloads of protocol v1 as zod schemas. Both the controller and the receiver agent validate
 * every message with these, on send and on receive. aedes speaks MQTT 3.1.1 only, so ids,
 * expiry and correlation travel here, in the JSON payload, not in MQTT 5 properties.
 * Wire fields are snake_case end to end.
 */
import { z } from 'zod';
import { ID_PATTERN, PROTOCOL_VERSION } from './topics.js';

export const idSchema = z.string().regex(ID_PATTERN, 'lower-case letters, digits and dashes, 1-64 characters');
const uuid = z.uuid();
const instant = z.iso.datetime({ offset: false }); // UTC, e.g. 2026-11-25T21:00:00.000Z
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** Circular 39/2020/TT-BTTTT, three bulletin priority levels. */
export const PRIORITIES = ['normal', 'priority', 'emergency'] as const;
export const prioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof prioritySchema>;

export const signatureSchema = z.object({
  alg: z.literal('ed25519'),
  key_id: z.string().min(1).max(64),
  value: z.string().min(1).max(200), // base64 of the 64-byte signature
});

export const targetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hamlet'), id: idSchema }),
  z.object({ kind: z.literal('receiver'), id: idSchema }),
]);
export type CommandTarget = z.infer<typeof targetSchema>;

export const mediaRefSchema = z.object({
  url: z.url(),
  sha256: sha256Hex,
  size_bytes: z.number().int().positive(),
  duration_ms: z.number().int().nonnegative(),
  mime: z.literal('audio/mpeg'),
});

const commandBase = {
  v: z.literal(PROTOCOL_VERSION),
  command_id: uuid,
  issued_at: instant,
  expires_at: instant,
  target: targetSchema,
};

export const playCommandSchema = z.object({
  ...commandBase,
  type: z.literal('play'),
  broadcast_id: uuid,
  priority: prioritySchema,
  volume_pct: z.number().int().min(0).max(100),
  /** A file to download, verify and play; null for a live stream. */
  media: mediaRefSchema.nullable(),
  /** A live stream (live voice, or the provincial station relayed): played as it comes, never cached. */
  stream: z.object({ url: z.url(), mime: z.literal('audio/mpeg') }).nullable(),
  /** Start at this instant (synchronised start); null plays as soon as the audio is verified. */
  play_at: instant.nullable(),
  /** Play this many times (an emergency is repeated), with this pause between. */
  repeat_count: z.number().int().min(1).max(10),
  repeat_interval_s: z.number().int().min(0).max(3600),
  /** A drill (diễn tập): the audio already carries its drill preamble; receivers log it apart. */
  drill: z.boolean(),
  /**
   * When an emergency interrupts this item: play it again from the start once the emergency is
   * over (while still valid), or record it as failed/preempted. Absent means drop.
   */
  on_preempt: z.enum(['resume', 'drop']).optional(),
});

export const stopCommandSchema = z.object({
  ...commandBase,
  type: z.literal('stop'),
  /** Stop only this broadcast; null stops whatever plays. */
  broadcast_id: uuid.nullable(),
});

/**
 * Why the controller will never store an ack (a negative receipt): `no_signature` and
 * `bad_signature` (not signed, or not by the key enrolled for this receiver), `wrong_receiver`
 * (its receiver_id is not the topic's), `malformed` (not an ack of this protocol version).
 */
export const ACK_REFUSALS = ['no_signature', 'bad_signature', 'wrong_receiver', 'malformed'] as const;
export type AckRefusal = (typeof ACK_REFUSALS)[number];

/**
 * A signed head of one of the controller's two append-only logs ('acks', 'audit'): the log's
 * length (`chain_seq`) and its last hash, numbered (`head_seq`) and linked to the head before
 * (`prev_head`, the digest of that head) so heads form a chain of their own. Copies kept away from
 * the controller's database (receivers, the province, a witness) are what a rewrite of the whole
 * database cannot change. `sig`: Ed25519 by the controller over the canonical head without `sig`.
 */
export const proofHeadSchema = z.object({
  log: z.enum(['acks', 'audit']),
  head_seq: z.number().int().positive(),
  chain_seq: z.number().int().nonnegative(),
  hash: sha256Hex,
  prev_head: sha256Hex,
  signed_at: instant,
  key_id: z.string().min(1).max(64),
  sig: z.string().min(1).max(200),
});
export type ProofHead = z.infer<typeof proofHeadSchema>;

/**
 * The controller's end-to-end receipt. `seqs`: stored durably, the agent may forget them.
 * `refused`: will never be stored (the reason says why): the agent drops them too and reports the
 * fault locally; resending them would be refused again.
 */
export const ackReceiptSchema = z.object({
  ...commandBase,
  type: z.literal('ack_receipt'),
  seqs: z.array(z.number().int().nonnegative()).max(10_000),
  refused: z
    .array(z.object({ seq: z.number().int().nonnegative(), reason: z.enum(ACK_REFUSALS) }))
    .max(10_000)
    .optional(),
  /** The signed head of the ack log that covers the acks in `seqs`: the receiver keeps the newest. */
  head: proofHeadSchema.optional(),
});

/** A test tone's volume unless its `volume_pct` argument says otherwise (quiet hours turn it down). */
export const TEST_TONE_VOLUME_PCT = 50;
export const REMOTE_OPS = ['set_volume', 'test_tone', 'restart', 'sync_clock', 'fetch_logs', 'resend_acks'] as const;
/**
 * Agent updates, sent only by a rollout (never through the generic remote-operation route):
 * update {url, sha256, size_bytes, version} downloads the package, checks it against the signed
 * hash, installs it and restarts; rollback {version} returns to the version before.
 */
export const AGENT_UPDATE_OPS = ['update', 'rollback'] as const;
/** A remote operation for one receiver; it answers on its reply topic, echoing command_id. */
export const opCommandSchema = z.object({
  ...commandBase,
  type: z.literal('op'),
  op: z.enum([...REMOTE_OPS, ...AGENT_UPDATE_OPS]),
  args: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});

export const unsignedCommandSchema = z.discriminatedUnion('type', [
  playCommandSchema,
  stopCommandSchema,
  ackReceiptSchema,
  opCommandSchema,
]);
export type UnsignedCommand = z.infer<typeof unsignedCommandSchema>;
export type PlayCommand = z.infer<typeof playCommandSchema>;
export type OpCommand = z.infer<typeof opCommandSchema>;

export const signedCommandSchema = z.discriminatedUnion('type', [
  playCommandSchema.extend({ sig: signatureSchema }),
  stopCommandSchema.extend({ sig: signatureSchema }),
  ackReceiptSchema.extend({ sig: signatureSchema }),
  opCommandSchema.extend({ sig: signatureSchema }),
]);
export type SignedCommand = z.infer<typeof signedCommandSchema>;

/**
 * Stages a receiver reports for a command, in the order they happen.
 * received: signature, expiry, target and replay checks passed.
 * rejected: the command failed one of those checks (reason says which); it will not play.
 * failed: accepted but could not be played (download, hash, player, expired before start).
 * interrupted: an emergency cut it off (reason preempted); it plays again from the start afterwards
 *   (on_preempt "resume"), so it is not final: finished or failed follows.
 * downloaded doubles as "ready": for a command with a future play_at, the audio is cached and verified.
 */
export const ACK_STAGES = [
  'received',
  'downloaded',
  'started',
  'finished',
  'failed',
  'rejected',
  'interrupted',
] as const;
export const ackStageSchema = z.enum(ACK_STAGES);
export type AckStage = z.infer<typeof ackStageSchema>;

/**
 * `predates_memory`: issued before this receiver's replay memory began (its enrolment, or the day
 * its state directory was created anew): a receiver that forgot which ids it saw must not play a
 * command captured before; the controller issues a fresh copy instead.
 */
export const REJECT_REASONS = [
  'bad_signature',
  'unknown_key',
  'expired',
  'not_yet_valid',
  'wrong_target',
  'malformed',
  'predates_memory',
] as const;
/**
 * Refusals that are no answer to the controller's command, so delivery goes on (PROTOCOL.md,
 * "Re-sends"): a copy it never signed (`bad_signature`, `unknown_key`: a forged copy arrived
 * first), a receiver clock behind (`not_yet_valid`): the same command is sent again; and a
 * receiver whose memory began after the command (`predates_memory`): a fresh copy is issued.
 */
export const RETRIED_REJECTIONS = [
  'bad_signature',
  'unknown_key',
  'not_yet_valid',
  'predates_memory',
] as const satisfies readonly (typeof REJECT_REASONS)[number][];
export const FAIL_REASONS = [
  'download_failed',
  'hash_mismatch',
  'size_mismatch',
  'player_error',
  'expired_before_start',
  'stopped',
  'preempted',
  'storage_error',
  'stream_dropped',
] as const;
export const ackReasonSchema = z.enum([...REJECT_REASONS, ...FAIL_REASONS]);
export type AckReason = z.infer<typeof ackReasonSchema>;

/**
 * What a `finished` ack can vouch for. `played`: the receiver's own loudspeaker sounded it (what
 * an ack without the field means: every receiver before this field existed). `sent`: the audio
 * only left the receiver (a bridge's RTP group, stream mount or FM transmitter: nobody there
 * confirms sound), so nobody can be counted as having heard it.
 */
export const ACK_EVIDENCE = ['played', 'sent'] as const;
export const ackEvidenceSchema = z.enum(ACK_EVIDENCE);
export type AckEvidence = z.infer<typeof ackEvidenceSchema>;

export const ackSchema = z.object({
  v: z.literal(PROTOCOL_VERSION),
  receiver_id: idSchema,
  /** Per-receiver sequence number, increasing by one per ack, kept across restarts. */
  seq: z.number().int().nonnegative(),
  command_id: uuid,
  broadcast_id: uuid.nullable(),
  stage: ackStageSchema,
  /** The receiver's own clock, UTC. */
  at: instant,
  reason: ackReasonSchema.nullable(),
  detail: z.string().max(500).nullable(),
  /**
   * On `finished`: what the receiver can vouch for (ACK_EVIDENCE). Absent means `played`, so acks
   * signed before it existed keep their bytes; a receiver sends it only when it is `sent`.
   */
  evidence: ackEvidenceSchema.optional(),
  /**
   * The receiver's own chain: `ackDigest` of its previous ack (absent on its first, and from older
   * firmware). Its signature over this ack then vouches for the one before, so a verifier checks
   * one signature per unbroken run of a receiver's acks instead of one per ack.
   */
  prev: sha256Hex.optional(),
  /** Ed25519 by the receiver's own key over the canonical ack without this field (base64). */
  sig: z.string().max(200).nullable().optional(),
});
export type Ack = z.infer<typeof ackSchema>;

export const replySchema = z.object({
  v: z.literal(PROTOCOL_VERSION),
  receiver_id: idSchema,
  command_id: uuid,
  status: z.enum(['ok', 'error']),
  data: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().max(500).nullable(),
  at: instant,
});
export type Reply = z.infer<typeof replySchema>;

export const statusSchema = z.object({
  v: z.literal(PROTOCOL_VERSION),
  receiver_id: idSchema,
  state: z.enum(['online', 'offline']),
  /** Increases at every connection, so an old session's last will cannot overwrite a newer "online". */
  session: z.number().int().nonnegative(),
  at: instant,
  /** Optional: a last will written without it must still mark the receiver offline. */
  agent_version: z.string().max(40).optional(),
  /**
   * When this receiver's replay memory (the ids it has seen) began: its state's creation. Optional
   * for older receivers. A newer value starts a new epoch (sessions count from 1 again) and tells
   * the controller the receiver lost what it held: it is sent fresh copies.
   */
  memory_since: instant.optional(),
});
export type ReceiverStatus = z.infer<typeof statusSchema>;

/**
 * The controller's availability, retained on CONTROLLER_STATUS_TOPIC. `boot` is new at every
 * start of the controller's process: acks it had taken in but not yet stored died with the old
 * one. `session` is new whenever the broker kept nothing of the controller's session (a broker
 * restarted without its sessions): acks sent to the broker before the controller subscribed again
 * went to no one. Not signed: only the controller may publish it (broker permissions), and all it
 * can make a receiver do is send its own unreceipted acks again, which the controller takes
 * idempotently.
 */
export const controllerStatusSchema = z.object({
  v: z.literal(PROTOCOL_VERSION),
  state: z.enum(['online', 'offline']),
  boot: z.string().min(1).max(64),
  /** Absent from a controller before 2026-12-06: such a receiver then goes by the boot alone. */
  session: z.string().min(1).max(64).optional(),
  at: instant,
});
export type ControllerStatus = z.infer<typeof controllerStatusSchema>;

export const telemetrySchema = z
  .object({
    v: z.literal(PROTOCOL_VERSION),
    receiver_id: idSchema,
    at: instant,
    uptime_s: z.number().nonnegative().optional(),
    playing_broadcast_id: uuid.nullable().optional(),
    free_storage_bytes: z.number().nonnegative().optional(),
    pending_acks: z.number().int().nonnegative().optional(),
    // What the hardware reports, where it can; bounds refuse absurd values.
    rssi_dbm: z.number().min(-150).max(0).optional(),
    network: z.string().max(20).optional(),
    supply_v: z.number().min(0).max(60).optional(),
    temperature_c: z.number().min(-40).max(150).optional(),
    volume_pct: z.number().min(0).max(100).optional(),
    amplifier: z.enum(['ok', 'fault', 'off']).optional(),
    line_current_ma: z.number().min(0).max(100_000).optional(),
    firmware_version: z.string().max(40).optional(),
    clock_offset_ms: z.number().min(-86_400_000).max(86_400_000).optional(),
    /** The newest ack-log head this receiver was given in a receipt: an anchor the controller compares with its own. */
    proof_head: proofHeadSchema.optional(),
  })
  .loose(); // newer firmware may add fields: keep them, never reject them
export type Telemetry = z.infer<typeof telemetrySchema>;

/**
 * Parses what a receiver published on its own topic: the payload must also name the receiver the
 * topic belongs to (the broker lets a receiver publish only on its own topics; this keeps a
 * payload from speaking for another).
 */
export function parseFromReceiver<T extends { receiver_id: string }>(
  schema: z.ZodType<T>,
  topicReceiverId: string,
  payload: Buffer | string,
): { ok: true; value: T } | { ok: false; error: string } {
  const parsed = parsePayload(schema, payload);
  if (parsed.ok && parsed.value.receiver_id !== topicReceiverId)
    return { ok: false, error: 'receiver_id differs from topic' };
  return parsed;
}

/** Parses a JSON buffer against a schema without throwing: every MQTT edge uses this. */
export function parsePayload<T>(
  schema: z.ZodType<T>,
  payload: Buffer | string,
): { ok: true; value: T } | { ok: false; error: string } {
  if (payload.length > 64 * 1024) return { ok: false, error: 'payload larger than 64 KiB' };
  let json: unknown;
  try {
    json = JSON.parse(payload.toString());
  } catch {
    return { ok: false, error: 'not valid JSON' };
  }
  const result = schema.safeParse(json);
  if (!result.success) return { ok: false, error: z.prettifyError(result.error).slice(0, 500) };
  return { ok: true, value: result.data };
}

/**
 * How an agent words an item cut by its own restart (a `player_error` that is no fault of the
 * speaker: the controller does not count it against the receiver's health).
 */
export const CUT_BY_RESTART = 'the receiver restarted while this played';

/**
 * Whether a receiver cut off mid-play by its own restart (a power cut) plays the item again from
 * the start when it comes back, while the item is still valid: an emergency (its warning must be
 * heard whole) or an item that asks to resume. The agent's on-air recovery and the controller's
 * "now playing" (a dark receiver that will sound again) read the same rule.
 */
export function replaysAfterRestart(command: Pick<PlayCommand, 'priority' | 'on_preempt'>): boolean {
  return command.priority === 'emergency' || command.on_preempt === 'resume';
}
