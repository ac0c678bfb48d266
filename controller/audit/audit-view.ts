/**
 * The audit log as people read it: who by name, what in words, about what by its name. The
 * stored rows keep their codes and ids (they are hashed into the chain); this only adds words.
 */
import { actorNameSql } from '../accounts/actor-names.js';
import type { Db } from '../db/database.js';
import { messages, t, type MessageKey } from '../i18n/messages.js';
import type { AuditRow } from './audit-repository.js';

type Lang = 'vi' | 'en';
interface Names {
  actor_user: string | null;
  actor_receiver: string | null;
  subject_name: string | null;
  subject_broadcast: string | null;
  subject_live: string | null;
}

const ACTORS: Record<string, MessageKey> = {
  system: 'audit_actor_system',
  rollout: 'audit_actor_rollout',
  publisher: 'audit_actor_publisher',
  scheduler: 'audit_actor_scheduler',
  anonymous: 'audit_actor_anonymous',
};

/** Newest first, each row with `actor_name`, `action_text` and `subject_name` in the reader's language. */
export function namedAuditRows(db: Db, limit: number, beforeId: number | undefined, lang: Lang) {
  const rows = db
    .prepare<[number, number], AuditRow & Names>(
      `SELECT a.*, ${actorNameSql('a.actor')} AS actor_user, rr.name AS actor_receiver,
              COALESCE(r.name, h.name, m.title, b.title, s.name, p.name, su.display_name, sn.display_name, tk.name, pb.title, bb.title, bm.title, ar.name) AS subject_name,
              bc.id AS subject_broadcast, bc.live_id AS subject_live
         FROM audit_log a
         LEFT JOIN receivers rr ON a.actor LIKE 'receiver:%' AND rr.id = substr(a.actor, 10)
         LEFT JOIN receivers r ON r.id = a.subject
         LEFT JOIN hamlets h ON h.id = a.subject
         LEFT JOIN media m ON m.id = a.subject
         LEFT JOIN bulletins b ON b.id = a.subject
         LEFT JOIN schedules s ON s.id = a.subject
         LEFT JOIN playlists p ON p.id = a.subject
         LEFT JOIN users su ON su.id = a.subject
         LEFT JOIN users sn ON sn.username = a.subject
         LEFT JOIN api_tokens tk ON tk.id = a.subject
         LEFT JOIN broadcasts bc ON bc.id = a.subject
         LEFT JOIN bulletins bb ON bb.media_id = bc.media_id AND bc.media_id IS NOT NULL
         LEFT JOIN media bm ON bm.id = bc.media_id
         LEFT JOIN publications pb ON pb.id = a.subject
         LEFT JOIN health_alerts ha ON ha.id = a.subject
         LEFT JOIN receivers ar ON ar.id = ha.receiver_id
        WHERE a.id < ? ORDER BY a.id DESC LIMIT ?`,
    )
    .all(beforeId ?? Number.MAX_SAFE_INTEGER, limit);
  const hamletNames = new Map(
    db
      .prepare<[], { id: string; name: string }>('SELECT id, name FROM hamlets')
      .all()
      .map((h) => [h.id, h.name]),
  );
  /** An entry about hamlets (a stop, a confirmation asked or withdrawn) is about them, by name. */
  const hamletsOf = (detail: string | null): string | null => {
    const ids = detailField(detail, 'hamlets');
    return Array.isArray(ids) && ids.length
      ? ids.map((id) => hamletNames.get(String(id)) ?? String(id)).join(', ')
      : null;
  };
  return rows.map(({ actor_user, actor_receiver, subject_broadcast, subject_live, ...row }) => ({
    ...row,
    // A live broadcast (a voice, a relay) has no audio to be named by: it is named as what it is.
    subject_name:
      row.subject_name ??
      (subject_broadcast ? t(subject_live ? 'audit_subject_live' : 'audit_subject_broadcast', lang) : null) ??
      hamletsOf(row.detail),
    actor_name: actorName(row.actor, actor_user, actor_receiver, lang),
    action_text: actionText(row.action, row.detail, lang),
  }));
}

/** A remote operation's request and its outcome, each with the operation named. */
const OP_ACTIONS: Record<string, MessageKey> = {
  'receiver.op': 'audit_receiver_op_named',
  'receiver.op_done': 'audit_receiver_op_done_named',
  'receiver.op_failed': 'audit_receiver_op_failed_named',
  'receiver.op_unanswered': 'audit_receiver_op_unanswered_named',
  'receiver.op_not_sent': 'audit_receiver_op_not_sent_named',
};

/** The words for an entry's action; a remote operation says which one (its detail names it in code). */
function actionText(action: string, detail: string | null, lang: Lang): string {
  const key = `audit_op_${String(detailField(detail, 'op'))}`;
  if (OP_ACTIONS[action] && key in messages) {
    const error = detailField(detail, 'error');
    return t(OP_ACTIONS[action], lang, {
      op: t(key as MessageKey, lang),
      error: typeof error === 'string' ? error : '',
    });
  }
  return t(actionKey(action), lang);
}

/** One field of an entry's JSON detail; undefined when the detail is absent or not JSON. */
function detailField(detail: string | null, field: string): unknown {
  try {
    return (JSON.parse(detail ?? 'null') as Record<string, unknown> | null)?.[field];
  } catch {
    return undefined;
  }
}

/** The words for an audit action (audit-messages.ts); a new action without words still reads as something. */
function actionKey(action: string): MessageKey {
  const key = `audit_${action.replace(/\./g, '_')}` as MessageKey;
  return key in messages ? key : 'audit_unknown_action';
}

/** Who did something, as people know them: a person by name, the system's own parts in words. */
export function actorName(actor: string, user: string | null, receiver: string | null, lang: Lang): string {
  if (user) return user;
  if (ACTORS[actor]) return t(ACTORS[actor], lang);
  const [kind, ...rest] = actor.split(':');
  const name = rest.join(':');
  if (kind === 'token') return t('audit_actor_token', lang, { name });
  // A name that already says "loa" (a loudspeaker) is not prefixed again ("Cụm loa Cụm loa cánh đồng").
  if (kind === 'receiver')
    return receiver && /loa/i.test(receiver) ? receiver : t('audit_actor_receiver', lang, { name: receiver ?? name });
  if (kind === 'cli') return t('audit_actor_cli', lang, { name });
  return actor;
}
