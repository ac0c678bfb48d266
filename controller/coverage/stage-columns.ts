/**
 * The SQL columns of each receiver's first time at each stage of a broadcast, from the acks
 * table aliased "a": the one definition coverage, rollups and reports read acks through.
 */
/**
 * Refusals that are not the receiver's answer to the controller's command, so delivery goes on:
 * a copy the controller never signed (`bad_signature`, `unknown_key`: a forged copy arrived
 * first), a receiver clock running behind (`not_yet_valid`), and a receiver whose replay memory
 * began after the command was issued (`predates_memory`: the controller issues a fresh copy).
 */
export const RETRIED_REJECTIONS = ['bad_signature', 'unknown_key', 'not_yet_valid', 'predates_memory'] as const;
const retried = RETRIED_REJECTIONS.map((r) => `'${r}'`).join(', ');

export const STAGE_COLUMNS = `
  MIN(CASE WHEN a.stage = 'received'   THEN a.at END) AS received_at,
  MIN(CASE WHEN a.stage = 'downloaded' THEN a.at END) AS downloaded_at,
  MIN(CASE WHEN a.stage = 'started'    THEN a.at END) AS started_at,
  MIN(CASE WHEN a.stage = 'finished'   THEN a.at END) AS finished_at,
  MIN(CASE WHEN a.stage = 'failed'     THEN a.at END) AS failed_at,
  MIN(CASE WHEN a.stage = 'rejected' AND a.reason NOT IN (${retried}) THEN a.at END) AS rejected_at,
  MAX(CASE WHEN a.stage = 'failed' OR (a.stage = 'rejected' AND a.reason NOT IN (${retried})) THEN a.reason END) AS reason,
  MAX(CASE WHEN a.stage = 'rejected' AND a.reason IN (${retried}) THEN a.reason END) AS retried_reason`;
