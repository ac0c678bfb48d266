/**
 * What every wing writes to the audit log: an entry appended (inside the caller's transaction
 * when there is one). Implemented by the repository; services depend on this interface.
 */
export interface AuditEntry {
  actor: string;
  action: string;
  subject?: string | null;
  detail?: unknown;
  source_ip?: string | null;
}

export interface AuditLog {
  append(entry: AuditEntry): void;
}
