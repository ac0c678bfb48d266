/**
 * What the sender of a CAP alert is told: the alert's record as an answer, with why it was not
 * broadcast (when it was not) in Vietnamese and English.
 */
import { t, type MessageKey, type MessageParams } from '../i18n/messages.js';
import type { CapAlertRow } from './cap-repository.js';

export interface CapResult {
  key: string;
  identifier: string;
  msg_type: string;
  status: string;
  outcome: string;
  priority: string | null;
  hamlets: string[];
  broadcast_id: string | null;
  duplicate: boolean;
  warnings: string[];
  /** An alert from a sender not trusted waits for this confirmation (POST confirm_url). */
  confirmation_id: string | null;
  confirm_url: string | null;
  /** Why it was not broadcast, when it was not: Vietnamese, then English. */
  message: string | null;
  message_en: string | null;
}

/** Why an alert was not broadcast, as a catalogue key and its values. */
export interface CapMessage {
  key: MessageKey;
  params?: MessageParams;
}

export function toCapResult(row: CapAlertRow, duplicate: boolean, warnings: string[], message?: CapMessage): CapResult {
  return {
    key: row.key,
    identifier: row.identifier,
    msg_type: row.msg_type,
    status: row.status,
    outcome: row.outcome,
    priority: row.priority,
    hamlets: row.hamlets ? JSON.parse(row.hamlets) : [],
    broadcast_id: row.broadcast_id,
    duplicate,
    warnings,
    confirmation_id: row.confirmation_id,
    confirm_url:
      row.confirmation_id && row.outcome === 'awaiting_confirmation'
        ? `/api/broadcasts/confirmations/${row.confirmation_id}/confirm`
        : null,
    message: message ? t(message.key, 'vi', message.params) : null,
    message_en: message ? t(message.key, 'en', message.params) : null,
  };
}
