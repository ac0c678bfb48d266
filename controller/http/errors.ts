/**
 * One error style for HTTP: services throw DomainErrors (a kind, a catalogue key), the HTTP
 * layer may throw AppErrors (an HTTP status, a catalogue key); STATUS_OF_KIND is the one place a
 * kind becomes a status. The error handler renders `{ error: { code, message, message_en, details } }` with the message in the
 * client's language (Vietnamese by default) and hides the details of 5xx errors.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { inBoth, t, pickLang, type MessageKey, type MessageParams } from '../i18n/messages.js';
import { isDiskFull } from '../db/deferred-writes.js';
import { validationWords } from './validation-words.js';
import { DomainError, notFound as domainNotFound, type ErrorKind } from '../shared/domain-error.js';

/** The HTTP status of each kind of domain error. */
export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  malformed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media: 415,
  invalid: 422,
  locked: 423,
  upstream_failed: 502,
  upstream_timeout: 504,
  storage_full: 507,
};

/** An error the HTTP layer throws with its status; a DomainError of the matching kind. */
export class AppError extends DomainError {
  constructor(
    readonly statusCode: number,
    code: MessageKey,
    params: MessageParams = {},
  ) {
    super(kindOfStatus(statusCode), code, params);
    this.name = 'AppError';
  }
}

function kindOfStatus(status: number): ErrorKind {
  const found = (Object.entries(STATUS_OF_KIND) as [ErrorKind, number][]).find(([, s]) => s === status);
  return found ? found[0] : status >= 500 ? 'upstream_failed' : 'malformed';
}

export const notFound = domainNotFound;

/** The status an error thrown by a service or route answers with. */
export const statusOf = (err: AppError | DomainError): number =>
  err instanceof AppError ? err.statusCode : STATUS_OF_KIND[err.kind];

/** A wait in words in both languages: seconds under a minute, whole minutes (rounded up) above. */
export function waitWords(ms: number): { vi: string; en: string } {
  const s = Math.max(1, Math.ceil(ms / 1000));
  // "1 second" and "2 seconds": the catalogue's plural forms pick the singular.
  if (s < 60) return inBoth('wait_seconds', { n: s });
  return inBoth('wait_minutes', { n: Math.ceil(s / 60) });
}

/** @fastify/rate-limit's errorResponseBuilder: a 429 that says, in the reader's language, how long to wait. */
export const rateLimitedError = (_req: unknown, context: { ttl: number }) =>
  new AppError(429, 'rate_limited', { after: waitWords(context.ttl) });

/** A multipart upload that broke off or was malformed: a 400 that says so (a 413 stays a 413). */
export function uploadError(err: unknown): unknown {
  const status = (err as { statusCode?: number }).statusCode;
  if (status === 413 || err instanceof DomainError) return err;
  return new AppError(400, 'upload_malformed', { detail: String((err as Error).message ?? err).slice(0, 120) });
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | DomainError, request, reply) => {
    const lang = pickLang(request.headers['accept-language']);
    const render = (status: number, code: MessageKey, params: MessageParams) => {
      // "what" placeholders are themselves catalogue keys, translated per language.
      const withWhat = (l: 'vi' | 'en') =>
        typeof params.what === 'string' && params.what.startsWith('what_')
          ? { ...params, what: t(params.what as MessageKey, l) }
          : params;
      return reply.status(status).send({
        error: {
          code,
          message: t(code, lang, withWhat(lang)),
          message_en: t(code, 'en', withWhat('en')),
          ...(params.details !== undefined ? { details: params.details } : {}),
          // The form field to show the message next to, when one is to blame.
          ...(typeof params.field === 'string' ? { field: params.field } : {}),
        },
      });
    };
    if (err instanceof DomainError) return render(statusOf(err), err.code, err.params);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => `${v.instancePath || '/'} ${v.message ?? ''}`.trim()).join('; ');
      const first = err.validation[0]?.instancePath.split('/').filter(Boolean)[0];
      return render(400, 'validation_failed', {
        problem: validationWords(err.validation),
        details,
        ...(first ? { field: first } : {}),
      });
    }
    if (isDiskFull(err)) {
      request.log.error({ err }, 'request failed: disk full');
      return render(507, 'disk_full', {});
    }
    const status = err.statusCode ?? 500;
    if (status === 413 || err.code === 'FST_REQ_FILE_TOO_LARGE' || err.code === 'FST_FILES_LIMIT') {
      return render(413, 'upload_too_large', { max_mb: (request.server as any).settings?.media.max_upload_mb ?? '?' });
    }
    if (status === 429) {
      // Not from our rate limits (they throw AppErrors): a minute is their window.
      return render(429, 'rate_limited', { after: waitWords(60_000) });
    }
    if (status >= 400 && status < 500) {
      // Fastify's own words (an unreadable body, a wrong content type) are English: a technician
      // finds them in details; the message says what happened in the reader's language.
      return render(status, 'validation_failed', {
        problem: inBoth('request_unreadable', { details: err.code ?? status }),
        details: err.message,
      });
    }
    request.log.error({ err }, 'request failed');
    return render(500, 'internal_error', { request_id: request.id });
  });

  app.setNotFoundHandler((request, reply) => {
    const lang = pickLang(request.headers['accept-language']);
    const params = { method: request.method, url: request.url.split('?')[0] };
    return reply.status(404).send({
      error: {
        code: 'route_not_found',
        message: t('route_not_found', lang, params),
        message_en: t('route_not_found', 'en', params),
      },
    });
  });
}
