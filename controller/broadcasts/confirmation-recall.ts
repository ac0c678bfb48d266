/**
 * What became of a confirmation the controller's memory no longer holds (it restarted since), read
 * back from the audit log, which records each request, confirmation and withdrawal in the same
 * transaction as what it did: an official whose emergency was confirmed just before a restart is
 * told it was sent, not left to send it again (an outsider did, session 33).
 */
import type { Db } from '../db/database.js';
import type { ConfirmationOutcome } from './confirmation-outcomes.js';

/** How far back the log is read, in rows: a confirmation lives minutes; a commune writes hundreds of rows a day. */
const RECENT_ROWS = 50_000;

interface Row {
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  detail: string | null;
}

export type RecallOutcome = (id: string) => ConfirmationOutcome | undefined;

/** `startedAt`: when this controller started: a request still waiting then was dropped by the restart. */
export function recallFromAudit(db: Db, startedAt: string): RecallOutcome {
  const rows = db.prepare<[number, string, string], Row>(
    `SELECT at, actor, action, subject, detail FROM audit_log
      WHERE id > (SELECT coalesce(max(id), 0) FROM audit_log) - ?
        AND (subject = ? AND action IN ('broadcast.confirmation_requested', 'broadcast.confirmation_cancelled')
          OR action IN ('broadcast.confirmed', 'schedule.confirmed') AND json_extract(detail, '$.confirmation_id') = ?)
      ORDER BY id`,
  );
  const detailOf = (r: Row) => (r.detail ? (JSON.parse(r.detail) as { by_person?: string; expires_at?: string }) : {});
  return (id) => {
    const found = rows.all(RECENT_ROWS, id, id);
    const asked = found.find((r) => r.action === 'broadcast.confirmation_requested');
    if (!asked) return undefined;
    const confirmed = found.find((r) => r.action.endsWith('.confirmed'));
    if (confirmed) {
      const broadcast = confirmed.action === 'broadcast.confirmed';
      return {
        outcome: 'confirmed',
        at: confirmed.at,
        by: confirmed.actor,
        by_key: detailOf(confirmed).by_person,
        broadcast_id: broadcast ? confirmed.subject : null,
        schedule_id: broadcast ? null : confirmed.subject,
      };
    }
    const withdrawn = found.find((r) => r.action === 'broadcast.confirmation_cancelled');
    if (withdrawn)
      return { outcome: 'withdrawn', at: withdrawn.at, by: withdrawn.actor, by_key: detailOf(withdrawn).by_person };
    // Never confirmed nor withdrawn: nothing was sent. It lapsed before the restart, or the restart
    // dropped it while it waited (requests recorded before 2026-12-06 carry no expiry: dropped).
    // Asked in this run and no longer in memory: old enough to have lapsed (memory keeps an hour).
    const expires = detailOf(asked).expires_at;
    if (expires && (expires < startedAt || asked.at >= startedAt)) return { outcome: 'lapsed', at: expires };
    return asked.at < startedAt ? { outcome: 'dropped', at: startedAt } : undefined;
  };
}
