/** An audit row's hash: its content and the hash of the row before (the repository writes it, the verifier checks it). */
import { createHash } from 'node:crypto';

export type AuditRowContent = {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  detail: string | null;
  source_ip: string | null;
  prev_hash: string;
};

export function auditRowHash(row: AuditRowContent): string {
  return createHash('sha256')
    .update(
      JSON.stringify([row.id, row.at, row.actor, row.action, row.subject, row.detail, row.source_ip, row.prev_hash]),
    )
    .digest('hex');
}
