/**
 * The verifier's check of anchors (heads and key fingerprints kept off the box): what was copied
 * off must still be what the file says. An anchor not signed by a trusted key is not the
 * commune's (a copy tampered or mistaken): it is set aside and said, not held against the file.
 */
import type { KeyObject } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { ProofHead } from '../protocol/messages.js';
import { keysAnchorValid, type HeadAnchor, type KeysAnchor } from './anchor-records.js';
import { headSignatureValid } from './proof-heads.js';
import type { ProofProblem } from './proof-problems.js';
import { headColumns } from './verify-heads.js';

/** How far a log reaches in the file, and the hashes of the rows anchors name. */
export type LogReach = { last: number; hashes: Map<number, string> };

export function checkHeadAnchors(
  db: Db,
  headAnchors: HeadAnchor[],
  trusted: Map<string, KeyObject>,
  logs: { acks: LogReach; audit: LogReach },
  problems: ProofProblem[],
  rejected: ProofProblem[],
): void {
  for (const anchor of headAnchors) {
    const where = { log: anchor.log, head_seq: anchor.head_seq, chain_seq: anchor.chain_seq, detail: anchor.source };
    const rejectedWhere = { ...where, detail: anchor.source ?? `head ${anchor.head_seq}` };
    const key = trusted.get(anchor.key_id);
    if (!key || !headSignatureValid(anchor, key)) {
      rejected.push({ ...rejectedWhere, problem: 'anchor_not_signed_by_a_trusted_key' });
      continue;
    }
    const stored = db
      .prepare<[string, number], ProofHead>(`SELECT ${headColumns} FROM proof_heads WHERE log = ? AND head_seq = ?`)
      .get(anchor.log, anchor.head_seq);
    if (!stored) problems.push({ ...where, problem: 'anchored_head_missing' });
    else if (stored.hash !== anchor.hash || stored.chain_seq !== anchor.chain_seq || stored.sig !== anchor.sig)
      problems.push({ ...where, problem: 'anchored_head_differs' });
    const { last: rows, hashes } = anchor.log === 'acks' ? logs.acks : logs.audit;
    if (anchor.chain_seq > rows)
      problems.push({
        ...where,
        problem: 'tail_deleted_after_anchor',
        detail: `${anchor.source ?? 'anchor'}: the log had ${anchor.chain_seq} rows, the file has ${rows}`,
      });
    else if (anchor.chain_seq > 0 && hashes.get(anchor.chain_seq) !== anchor.hash)
      problems.push({ ...where, problem: 'log_rewritten_since_anchor' });
  }
}

export function checkKeysAnchors(
  keyAnchors: KeysAnchor[],
  trusted: Map<string, KeyObject>,
  receiverKeys: Map<string, { key_id: string; valid_from: string }[]>,
  signing: { key_id: string; valid_from: string }[],
  problems: ProofProblem[],
  rejected: ProofProblem[],
): void {
  for (const anchor of keyAnchors) {
    if (!keysAnchorValid(anchor, trusted))
      rejected.push({
        log: 'keys',
        problem: 'anchor_not_signed_by_a_trusted_key',
        detail: `keys record of ${anchor.at}`,
      });
    else checkKeysAnchor(anchor, receiverKeys, signing, problems);
  }
}

/** The province's copy of the key fingerprints against the file's key history. */
function checkKeysAnchor(
  anchor: KeysAnchor,
  receiverKeys: Map<string, { key_id: string; valid_from: string }[]>,
  signing: { key_id: string; valid_from: string }[],
  problems: ProofProblem[],
): void {
  const detail = 'keys as the anchored copy recorded them';
  const at = anchor.at;
  for (const [receiverId, ids] of Object.entries(anchor.receivers)) {
    const file = receiverKeys.get(receiverId) ?? [];
    for (const id of ids)
      if (!file.some((k) => k.key_id === id))
        problems.push({
          log: 'keys',
          problem: 'anchored_key_missing',
          receiver_id: receiverId,
          key_id: id,
          at,
          detail,
        });
  }
  for (const [receiverId, keys] of receiverKeys) {
    const ids = anchor.receivers[receiverId] ?? [];
    for (const k of keys)
      if (k.valid_from <= anchor.at && !ids.includes(k.key_id))
        problems.push({
          log: 'keys',
          problem: 'key_not_anchored',
          receiver_id: receiverId,
          key_id: k.key_id,
          at,
          detail: `the anchored copy never saw this key, though the file says it is valid from ${k.valid_from}`,
        });
  }
  for (const id of anchor.signing)
    if (!signing.some((k) => k.key_id === id))
      problems.push({ log: 'keys', problem: 'anchored_key_missing', key_id: id, at, detail });
  for (const k of signing)
    if (k.valid_from <= anchor.at && !anchor.signing.includes(k.key_id))
      problems.push({ log: 'keys', problem: 'key_not_anchored', key_id: k.key_id, at, detail });
}
