/** The verifier's findings as people read them: Vietnamese first, English second. */
import { t, type MessageKey } from '../i18n/messages.js';
import type { ProofReport } from './verify-proof.js';

export function summarise(report: ProofReport): string[] {
  const lines: string[] = [];
  const both = (key: MessageKey, params: Record<string, string | number> = {}) => lines.push(t(key, 'vi', params), `  ${t(key, 'en', params)}`);
  if (report.ok) {
    both('proof_intact', { acks: report.acks.rows, audit: report.audit.rows, heads: report.acks.heads + report.audit.heads, anchors: report.anchors.heads + report.anchors.keys });
  } else {
    both('proof_broken', { count: report.problems.length });
    for (const p of report.problems) {
      const key = `proof_problem_${p.problem}` as MessageKey;
      const where = [
        p.chain_seq !== undefined ? `${p.log} #${p.chain_seq}` : p.log,
        p.head_seq !== undefined ? `head ${p.head_seq}` : null,
        p.receiver_id, p.command_id, p.stage, p.key_id ? `key ${p.key_id}` : null, p.detail,
      ].filter(Boolean).join(', ');
      lines.push(`- ${t(key, 'vi')} / ${t(key, 'en')} [${p.problem}] (${where})`);
    }
  }
  if (report.anchors.newer_than_file > 0) both('proof_newer_anchors', { count: report.anchors.newer_than_file });
  if (report.anchors.not_signed_by_commune.length > 0) both('proof_rejected_anchors', { count: report.anchors.not_signed_by_commune.length });
  if (report.keys.keys_trusted_from_file) both('proof_keys_from_file');
  if (report.anchors.heads + report.anchors.keys + report.anchors.newer_than_file + report.anchors.not_signed_by_commune.length === 0) both('proof_no_anchors');
  return lines;
}
