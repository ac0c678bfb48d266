/**
 * The verifier's findings as people read them: Vietnamese first, English second, times in the
 * commune's zone. The English-only details stay in the JSON report (--json).
 */
import { DateTime } from 'luxon';
import { t, type MessageKey } from '../i18n/messages.js';
import type { ProofReport } from './verify-proof.js';

export function summarise(report: ProofReport, timezone = 'Asia/Ho_Chi_Minh'): string[] {
  const lines: string[] = [];
  const local = (iso: string) => DateTime.fromISO(iso, { zone: timezone }).toFormat('dd/MM/yyyy HH:mm:ss');
  const both = (key: MessageKey, params: Record<string, string | number> = {}) =>
    lines.push(t(key, 'vi', params), `  ${t(key, 'en', params)}`);
  if (report.ok) {
    both('proof_intact', {
      acks: report.acks.rows,
      audit: report.audit.rows,
      heads: report.acks.heads + report.audit.heads,
      anchors: report.anchors.heads + report.anchors.keys,
    });
  } else {
    both('proof_broken', { count: report.problems.length });
    for (const p of report.problems) {
      const key = `proof_problem_${p.problem}` as MessageKey;
      lines.push(`- ${t(key, 'vi')} / ${t(key, 'en')} [${p.problem}] (${whereOf(p, timezone)})`);
    }
    both('proof_details_json');
  }
  if (report.anchors.newer_than_file > 0) {
    both('proof_newer_anchors', {
      count: report.anchors.newer_than_file,
      file_at: report.newest_head_at ? local(report.newest_head_at) : '—',
      anchor_at: report.anchors.newest_anchor_at ? local(report.anchors.newest_anchor_at) : '—',
    });
  }
  if (report.anchors.not_signed_by_commune.length > 0) {
    both('proof_rejected_anchors', {
      count: report.anchors.not_signed_by_commune.length,
      sources: [...new Set(report.anchors.not_signed_by_commune.map((p) => p.detail ?? p.log))].join('; '),
    });
  }
  if (report.keys.keys_trusted_from_file) both('proof_keys_from_file');
  if (
    report.anchors.heads +
      report.anchors.keys +
      report.anchors.newer_than_file +
      report.anchors.not_signed_by_commune.length ===
    0
  )
    both('proof_no_anchors');
  return lines;
}

/** Exit status: 0 intact and complete, 1 problems named, 3 intact up to its end but anchors newer than the file were set aside. */
export const exitStatusOf = (report: ProofReport): number => (!report.ok ? 1 : report.complete ? 0 : 3);

/** Where a problem is: its log and row, receiver, command, stage, key and time (the commune's). */
export function whereOf(p: ProofReport['problems'][number], timezone = 'Asia/Ho_Chi_Minh'): string {
  return [
    p.chain_seq !== undefined ? `${p.log} #${p.chain_seq}` : p.log,
    p.head_seq !== undefined ? `head ${p.head_seq}` : null,
    p.receiver_id,
    p.command_id,
    p.stage,
    p.key_id ? `key ${p.key_id}` : null,
    p.at ? DateTime.fromISO(p.at, { zone: timezone }).toFormat('dd/MM/yyyy HH:mm:ss') : null,
  ]
    .filter(Boolean)
    .join(', ');
}

/** Each problem in words, both languages, with where it is (the console lists them). */
export function findings(report: ProofReport, timezone?: string): { vi: string; en: string; where: string }[] {
  return report.problems.map((p) => {
    const key = `proof_problem_${p.problem}` as MessageKey;
    return { vi: t(key, 'vi'), en: t(key, 'en'), where: whereOf(p, timezone) };
  });
}
