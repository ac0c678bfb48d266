/** HTTP shapes shared by several route files. */
import { z } from 'zod';

export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string().describe('In the client\'s language (Accept-Language), Vietnamese by default'),
    message_en: z.string(),
    details: z.unknown().optional(),
    field: z.string().optional().describe('The request field the error is about, when there is one'),
  }),
});

/** The error answers every protected route can give. */
export const protectedErrors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

export const idParams = z.object({ id: z.string().min(1).max(64) });
export const uuidParams = z.object({ id: z.uuid() });
