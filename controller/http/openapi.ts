/**
 * The OpenAPI document served at /docs/json, shaped so that the tools people point at an API read
 * it without complaint (redocly lint's recommended rules, swagger-parser, client generators).
 * Each route declares what is its own: schemas, media types, examples, a documented body it
 * reads itself, the response headers it sends. This file adds only what follows from a route's
 * method, URL, permission and limits: a stable operationId, the security it takes, the error
 * answers every such route can give and what each status means, a 204 with no body, the
 * headers of a rate limit; and to the whole document its server, licence, tag descriptions and
 * the examples of the operations people call first (openapi-examples.ts).
 */
import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import type { RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';
import { t } from '../i18n/messages.js';
import { BROADCASTING_EXAMPLES } from './openapi-examples.js';
import { PROGRAMME_EXAMPLES } from './openapi-examples-programme.js';
import { errorSchema } from './schemas.js';

declare module 'fastify' {
  interface FastifySchema {
    /**
     * A request body the route reads itself (a multipart upload, an XML document): fastify does
     * not validate it, so it is described here, by media type, for the OpenAPI document only.
     */
    documentedBody?: Record<string, ZodType>;
    /**
     * Response headers a client relies on (a file's name, its signature, a hash to check), by
     * status code, header name and what it carries: for the OpenAPI document only.
     */
    documentedHeaders?: Record<number, Record<string, string>>;
  }
}

/** What each tag groups, in the order a reader meets them. */
export const TAGS: Record<string, string> = {
  hamlets: "The commune's hamlets (thôn): the groups of receivers a broadcast targets.",
  receivers: 'Loudspeaker receivers (cụm loa): enrolment, state, configuration and agent updates.',
  media: 'The audio library: uploads, normalised to broadcast-ready MP3.',
  tts: 'Vietnamese text to speech: text read aloud into the library.',
  bulletins: 'Bulletins (bản tin): written, approved, then broadcast and published.',
  broadcasts: 'Sending audio to hamlets now, stopping it, and following what was sent.',
  programme: "The week's programme: schedules (solar and lunar), playlists, occurrences.",
  live: 'Live announcements streamed from a microphone to the receivers.',
  coverage: "Who heard a broadcast: receivers' acknowledgements, per hamlet and receiver.",
  proof: 'Tamper-evident proof of coverage: signing keys, signed heads, bundles.',
  reports: 'Period reports for the commune and the province, as JSON or signed files.',
  alerts: 'Emergency alerts received as CAP 1.2 and what became of them.',
  publishing: "The public side: the commune's page, podcast feeds, webhooks.",
  accounts: 'People, sessions and API tokens.',
  system: "Health, metrics, the audit log and the console's own data.",
};

type Schema = Record<string, unknown> & { response?: Record<string, unknown>; tags?: readonly string[] };
interface TransformInput {
  schema: Schema;
  url: string;
  route?: RouteOptions;
  openapiObject: Record<string, unknown>;
}

/**
 * A readable id from the method and URL, stable while the route is: GET /api/media/:id/audio is
 * getMediaByIdAudio. The /api prefix carries nothing; a route may set its own.
 */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .split('/')
    .filter(Boolean)
    .filter((segment, i) => !(i === 0 && segment === 'api'))
    .flatMap((segment) =>
      segment.startsWith(':') ? ['by', ...segment.slice(1).split(/[^A-Za-z0-9]+/)] : segment.split(/[^A-Za-z0-9]+/),
    )
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/**
 * The error answers a route can give by what it is, in the API's one error shape: 400 when it
 * reads input (a validation failure), 401 and 403 when it needs an account (403 only for a
 * specific permission), 404 when its URL names something.
 */
function defaultErrors(schema: Schema, permission: string | undefined, url: string): Record<string, ZodType> {
  const codes: number[] = [];
  if (schema.params || schema.querystring || schema.body || schema.documentedBody) codes.push(400);
  if (permission !== 'public' && permission !== 'optional') codes.push(401);
  if (permission !== 'public' && permission !== 'optional' && permission !== 'authenticated') codes.push(403);
  if (url.includes('/:')) codes.push(404);
  return Object.fromEntries(codes.map((code) => [code, errorSchema]));
}

/**
 * What each status means, for every answer whose route gives no description of its own: the
 * tools show "Default Response" otherwise. The error statuses are STATUS_OF_KIND's (errors.ts),
 * plus the rate limit's.
 */
export const STATUS_DESCRIPTIONS: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted: under way, or waiting for a confirmation (the body says which)',
  204: 'Done; no content',
  206: 'Partial content: the byte range asked for (Range)',
  400: 'Malformed request (the message names the field and what is wrong)',
  401: 'Not signed in: no valid session cookie, API token or receiver credentials',
  403: 'Not allowed for this role or token',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Too large',
  415: 'Unsupported media type: send the Content-Type this operation reads',
  422: 'Not acceptable (the message says what to fix)',
  423: 'Locked: too many failed attempts; the message says until when',
  429: 'Too many requests: wait as long as Retry-After says',
  500: 'Internal error (the message carries a request id for the log)',
  502: 'An upstream service failed (a speech engine, a stream, the provincial server)',
  503: 'Unavailable for now',
  504: 'No answer in time (a receiver, an upstream service)',
  507: "The controller's disk is full",
};

/** @fastify/rate-limit's headers (its defaults), on a route that has a limit. */
const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': 'How many requests the window allows this caller',
  'X-RateLimit-Remaining': 'How many are left in this window',
  'X-RateLimit-Reset': 'Seconds until the window starts again',
};

/** Public routes take no credentials; routes receivers fetch from take their HTTP Basic too. */
function securityOf(config: { permission?: string; receivers?: boolean } | undefined) {
  if (config?.permission === 'public') return [];
  if (config?.permission === 'optional') return [{}, { bearer: [] }];
  return config?.receivers ? [{ bearer: [] }, { receiverBasic: [] }] : [{ bearer: [] }];
}

/** @fastify/swagger's per-route transform: zod to JSON Schema, then what every route gets. */
export const openapiRouteTransform = ((input: TransformInput) => routeTransform(input)) as unknown as SwaggerTransform;

function routeTransform(input: TransformInput) {
  const { schema, url, route } = input;
  if (!schema || schema.hide) return jsonSchemaTransform(input as never);
  const config = route?.config as { permission?: string; receivers?: boolean; rateLimit?: unknown } | undefined;
  const method = [route?.method ?? 'GET'].flat()[0]!;
  const { documentedBody, documentedHeaders, ...rest } = schema as Schema & {
    documentedHeaders?: Record<string, Record<string, string>>;
  };
  const withDefaults: Schema = {
    operationId: operationIdOf(method, url),
    security: securityOf(config),
    ...rest,
    response: {
      ...defaultErrors(schema, config?.permission, url),
      ...(config?.rateLimit ? { 429: errorSchema } : {}),
      ...schema.response,
    },
  };
  const out = jsonSchemaTransform({ ...input, schema: withDefaults } as never) as { schema: Schema; url: string };
  const headers: Record<string, Record<string, string>> = { ...documentedHeaders };
  if (config?.rateLimit)
    for (const code of Object.keys(out.schema.response ?? {}))
      if (code.startsWith('2') || code === '429')
        headers[code] = {
          ...(code === '429' ? { 'Retry-After': 'Seconds to wait before asking again' } : {}),
          ...RATE_LIMIT_HEADERS,
          ...headers[code],
        };
  describeResponses(out.schema.response as Record<string, Record<string, unknown>>, headers);
  if (documentedBody) {
    out.schema.body = {
      content: Object.fromEntries(
        Object.entries(documentedBody).map(([type, zod]) => [type, { schema: bodyJson(zod, input) }]),
      ),
    };
  }
  return out;
}

/**
 * Each answer's description (the route's own, else what its status means), its headers, and a
 * 204 as what it is on the wire: no body at all.
 */
function describeResponses(
  responses: Record<string, Record<string, unknown>> | undefined,
  headers: Record<string, Record<string, string>>,
): void {
  for (const [code, response] of Object.entries(responses ?? {})) {
    const own = typeof response.description === 'string' && response.description ? response.description : undefined;
    // fastify-swagger leaves out the content of a `type: 'null'` answer.
    const out: Record<string, unknown> = code === '204' ? { type: 'null' } : response;
    // Read before the schema's own description; deleted from the media's schema by fastify-swagger.
    out['x-response-description'] = own ?? STATUS_DESCRIPTIONS[code] ?? `HTTP ${code}`;
    if (headers[code])
      out.headers = Object.fromEntries(
        Object.entries(headers[code]).map(([name, description]) => [name, { type: 'string', description }]),
      );
    responses![code] = out;
  }
}

function bodyJson(zod: ZodType, input: TransformInput): unknown {
  const converted = jsonSchemaTransform({ ...input, schema: { body: zod } } as never) as { schema: { body: unknown } };
  return converted.schema.body;
}

/** @fastify/swagger's whole-document transform: server, licence, tag descriptions, one error schema. */
export const openapiObjectTransform = ((input: { openapiObject: Record<string, any> }) =>
  documentTransform(input)) as unknown as SwaggerTransformObject;

function documentTransform({ openapiObject }: { openapiObject: Record<string, any> }) {
  const doc = openapiObject;
  // Relative: the document is right whichever name or address it was fetched by.
  doc.servers = [{ url: '/', description: 'This controller' }];
  doc.info = { ...doc.info, license: { name: 'GPL-3.0-or-later', url: 'https://www.gnu.org/licenses/gpl-3.0.html' } };
  const used = new Set<string>();
  for (const item of Object.values(doc.paths ?? {}) as Record<string, { tags?: string[] }>[]) {
    for (const op of Object.values(item)) for (const tag of op.tags ?? []) used.add(tag);
  }
  doc.tags = [...Object.keys(TAGS), ...[...used].filter((t) => !(t in TAGS))]
    .filter((name) => used.has(name))
    .map((name) => ({ name, description: TAGS[name] ?? name }));
  shareErrorSchema(doc);
  addExamples(doc);
  return doc;
}

/** The examples of the operations people call first, by operationId. */
export const OPERATION_EXAMPLES = { ...BROADCASTING_EXAMPLES, ...PROGRAMME_EXAMPLES };

/**
 * Puts those examples in place: on the request body and on the answers named there, in their
 * JSON media type (or in the only one there is). They replace what a route's schema carries.
 */
function addExamples(doc: Record<string, any>): void {
  for (const item of Object.values(doc.paths ?? {}) as Record<string, any>[]) {
    for (const op of Object.values(item)) {
      const examples = OPERATION_EXAMPLES[op.operationId as string];
      if (!examples) continue;
      const mediaOf = (content: Record<string, any> | undefined) =>
        content?.['application/json'] ??
        (content && Object.keys(content).length === 1 ? Object.values(content)[0] : undefined);
      const body = mediaOf(op.requestBody?.content);
      if (examples.request !== undefined && body) body.example = examples.request;
      for (const [code, example] of Object.entries(examples.responses ?? {})) {
        const media = mediaOf(op.responses?.[code]?.content);
        if (media) media.example = example;
      }
    }
  }
}

/**
 * Every error answer has the same body: one component, referenced, instead of a copy in each of
 * a few hundred responses.
 */
function shareErrorSchema(doc: Record<string, any>): void {
  const errorJson = (
    jsonSchemaTransform({ schema: { response: { 400: errorSchema } }, url: '/', openapiObject: doc } as never) as {
      schema: { response: Record<string, unknown> };
    }
  ).schema.response[400] as Record<string, unknown>;
  const same = JSON.stringify(strip(errorJson));
  let shared = false;
  for (const item of Object.values(doc.paths ?? {}) as Record<string, { responses?: Record<string, any> }>[]) {
    for (const op of Object.values(item)) {
      for (const response of Object.values(op.responses ?? {})) {
        const media = response.content?.['application/json'];
        if (media?.schema && JSON.stringify(strip(media.schema)) === same) {
          media.schema = { $ref: '#/components/schemas/Error' };
          shared = true;
        }
      }
    }
  }
  if (shared)
    doc.components = {
      ...doc.components,
      schemas: { ...doc.components?.schemas, Error: { ...strip(errorJson), example: ERROR_EXAMPLE } },
    };
}

const strip = (schema: Record<string, unknown>) => {
  const { $schema: _, ...rest } = schema;
  return rest;
};

/** An error as the error handler renders it, in the catalogue's own words. */
const ERROR_EXAMPLE = {
  error: {
    code: 'not_found',
    message: t('not_found', 'vi', { what: t('what_hamlet', 'vi'), id: 'thon-9' }),
    message_en: t('not_found', 'en', { what: t('what_hamlet', 'en'), id: 'thon-9' }),
  },
};
