/**
 * What services throw when a request cannot be done: a kind (what went wrong, in the domain's
 * words), a message catalogue key and its parameters. Services know nothing of HTTP; the one
 * place that turns a kind into a status is `http/errors.ts`.
 */
import { t, type MessageKey, type MessageParams } from '../i18n/messages.js';

export type ErrorKind =
  /** The request is malformed (400). */
  | 'malformed'
  /** Who asks is not known (401). */
  | 'unauthenticated'
  /** Who asks may not do this (403). */
  | 'forbidden'
  /** What it names does not exist (404). */
  | 'not_found'
  /** It cannot be done in the current state (409). */
  | 'conflict'
  /** Too large (413). */
  | 'too_large'
  /** A kind of content we do not take (415). */
  | 'unsupported_media'
  /** Well formed but not acceptable (422). */
  | 'invalid'
  /** Locked for now (423). */
  | 'locked'
  /** An outside service or tool failed (502). */
  | 'upstream_failed'
  /** An outside service did not answer in time (504). */
  | 'upstream_timeout'
  /** No room left on the disk (507). */
  | 'storage_full';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: MessageKey,
    readonly params: MessageParams = {},
  ) {
    super(t(code, 'en', params));
    this.name = 'DomainError';
  }
}

export type WhatKey =
  | 'what_hamlet'
  | 'what_abbreviation'
  | 'what_receiver'
  | 'what_media'
  | 'what_broadcast'
  | 'what_user'
  | 'what_token'
  | 'what_bulletin'
  | 'what_live'
  | 'what_alert'
  | 'what_schedule'
  | 'what_playlist'
  | 'what_occurrence'
  | 'what_publication'
  | 'what_webhook'
  | 'what_social_delivery'
  | 'what_update'
  | 'what_rollout';

/** "No such {what} {id}". */
export const notFound = (what: WhatKey, id: string) => new DomainError('not_found', 'not_found', { what, id });
