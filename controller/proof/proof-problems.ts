/** What the verifier (verify-proof.ts) can find wrong, and how it names each finding. */
import type { LogName } from './proof-heads.js';

/** Every problem the verifier can name (each has words in controller/i18n/proof-messages.ts). */
export const PROOF_PROBLEMS = [
  // rows of either log
  'deleted',
  'altered',
  'link_broken',
  'forged',
  'unsigned',
  'unverifiable',
  // heads
  'head_missing',
  'head_signed_by_unknown_key',
  'head_forged',
  'head_out_of_order',
  'tail_deleted',
  'head_does_not_match_log',
  // anchors
  'anchor_not_signed_by_a_trusted_key',
  'anchored_head_missing',
  'anchored_head_differs',
  'tail_deleted_after_anchor',
  'log_rewritten_since_anchor',
  'receiver_anchor_mismatch',
  // keys
  'key_id_does_not_match_key',
  'signing_key_not_published',
  'key_unreadable',
  'key_without_rotation_record',
  'anchored_key_missing',
  'key_not_anchored',
  'key_put_in_receivers_table',
  'key_missing_from_history',
  // triggers
  'trigger_missing',
  'trigger_altered',
  'triggers_were_dropped',
] as const;
export type ProblemCode = (typeof PROOF_PROBLEMS)[number];

export type ProofProblem = {
  log: LogName | 'keys' | 'triggers';
  problem: ProblemCode;
  /** Row number in its log (acks: chain_seq; audit: id). */
  chain_seq?: number;
  head_seq?: number;
  receiver_id?: string;
  command_id?: string;
  stage?: string;
  key_id?: string;
  /** When it happened or was recorded (UTC); shown in the commune's time. */
  at?: string;
  /** More, in English, for the JSON report. */
  detail?: string;
};
