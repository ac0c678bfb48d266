/** HTTP shapes shared by several route files. */
import { z } from 'zod';

export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string().describe("In the client's language (Accept-Language), Vietnamese by default"),
    message_en: z.string(),
    details: z.unknown().optional(),
    field: z.string().optional().describe('The request field the error is about, when there is one'),
  }),
});

/** The error answers every protected route can give. */
export const protectedErrors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

export const idParams = z.object({ id: z.string().min(1).max(64) });
export const uuidParams = z.object({ id: z.uuid() });

/**
 * A JSON object with at least these fields: the serializer checks them and keeps every other
 * field (a loose object). Typed as the plain object so that a service's interface, which has no
 * index signature, fits it.
 */
export const rowOf = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape) as unknown as z.ZodObject<T>;
/** A JSON object known by its id, its other fields as its route's summary tells. */
export const rowSchema = rowOf({ id: z.string() });
/** A JSON object whose fields its route's summary tells. */
export const objectSchema = z.looseObject({}) as unknown as z.ZodType<object>;

/** A success answer that is text, not JSON (a feed, a page, a CSV file): fastify sends the string as it is. */
export function textAnswer(description: string, mediaTypes: string[], example?: string) {
  // `example`, not `examples`: fastify-swagger copies a per-media-type schema as it is, and OpenAPI 3.0 knows only the first.
  const schema = example === undefined ? z.string() : z.string().meta({ example });
  return { description, content: Object.fromEntries(mediaTypes.map((type) => [type, { schema }])) };
}

/** A success answer that is a file's bytes (audio, a spreadsheet, a package), sent as a stream. */
export function fileAnswer(description: string, mediaTypes: string[]) {
  // Typed as what routes send (bytes, a stream): fastify passes those through without a serializer.
  const schema = z.string().meta({ format: 'binary' }) as unknown as z.ZodType<string | Buffer | NodeJS.ReadableStream>;
  return { description, content: Object.fromEntries(mediaTypes.map((type) => [type, { schema }])) };
}

/**
 * The headers @fastify/static sends with a file (reply.sendFile), for a route's documentedHeaders:
 * what lets a receiver resume a download and a cache check it has the file already.
 */
export function sentFileHeaders(range: boolean): Record<string, string> {
  return {
    ETag: "The file's entity tag: send it back as If-None-Match (304 when unchanged) or If-Range",
    'Last-Modified': 'When the file was written',
    'Accept-Ranges': '`bytes`: ask for part of the file with Range',
    ...(range ? { 'Content-Range': 'Which bytes of the file this is, and its whole length' } : {}),
  };
}
