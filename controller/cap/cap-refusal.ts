/**
 * A refused CAP document (unreadable, wrong namespace, unknown reference, refused by the send
 * desk): recorded under a key of its own, so a corrected version sent again is not taken for a
 * duplicate, with an audit entry saying why.
 */
import { createHash } from 'node:crypto';
import { t } from '../i18n/messages.js';
import type { Actor } from '../audit/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { DomainError } from '../shared/domain-error.js';
import { peekCap, type CapAlert } from './cap-parser.js';
import type { CapRepository } from './cap-repository.js';

export interface CapRefusalDeps {
  repo: CapRepository;
  audit: AuditLog;
  clock: Clock;
}

export interface CapRefusal {
  xml: string;
  via: string;
  actor: Actor;
  err: DomainError;
  outcome: string;
  /** The alert, when it could be read; else what can be seen of it is peeked from the XML. */
  alert?: CapAlert;
}

/** Records the refusal and returns the error to throw. */
export function recordRefusal(deps: CapRefusalDeps, { xml, via, actor, err, outcome, alert }: CapRefusal): DomainError {
  const seen = alert ?? peekCap(xml);
  const now = deps.clock.now().toISOString();
  const key = `refused|${createHash('sha256').update(xml).digest('hex').slice(0, 32)}`;
  deps.repo.insert(
    {
      key,
      identifier: seen.identifier || '?',
      sender: seen.sender || '?',
      sent: seen.sent || now,
      status: alert?.status ?? '?',
      msg_type: alert?.msgType ?? '?',
      event: null,
      headline: null,
      xml,
      received_at: now,
      via,
      outcome,
      priority: null,
      hamlets: null,
      broadcast_id: null,
      expires_at: null,
      confirmation_id: null,
    },
    true,
  );
  deps.audit.append({
    actor: actor.id,
    source_ip: actor.ip,
    action: 'cap.refused',
    subject: key,
    detail: {
      outcome,
      code: err.code,
      why: t(err.code, 'en', err.params),
      sender: seen.sender,
      identifier: seen.identifier,
    },
  });
  return err;
}
