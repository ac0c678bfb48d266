import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, principalKey } from '../http/auth.js';
import { AppError } from '../http/errors.js';
import { errorSchema, protectedErrors } from '../http/schemas.js';
import type { CapService } from './cap-service.js';

const tags = ['alerts'];
// Markdown code spans: Swagger UI would take a bare <alert> for an HTML tag and hide it.
const capXml = z.string().describe('A CAP 1.2 `<alert>` document (OASIS), with an `<info>` in Vietnamese (vi-VN)');
const resultSchema = z.object({
  key: z.string(),
  identifier: z.string(),
  msg_type: z.string(),
  status: z.string(),
  outcome: z.string(),
  priority: z.string().nullable(),
  hamlets: z.array(z.string()),
  broadcast_id: z.string().nullable(),
  duplicate: z.boolean(),
  warnings: z.array(z.string()),
  confirmation_id: z
    .string()
    .nullable()
    .describe('awaiting_confirmation: the pending confirmation an official confirms at confirm_url'),
  confirm_url: z.string().nullable(),
  message: z.string().nullable().describe('Vietnamese: why it was not broadcast, when it was not'),
  message_en: z.string().nullable(),
});

/** Recorded but waiting for a person (a sender not trusted, no Vietnamese block): 202. */
const HELD = new Set(['awaiting_confirmation', 'held_no_vietnamese']);

export const capRoutes =
  (cap: CapService): FastifyPluginAsyncZod =>
  async (app) => {
    // CAP arrives as XML; keep it as text for the parser, which treats it as hostile.
    app.addContentTypeParser(
      ['application/cap+xml', 'application/xml', 'text/xml'],
      { parseAs: 'string', bodyLimit: 2 * 1024 * 1024 },
      (_req, body, done) => done(null, body),
    );

    app.post(
      '/api/cap/alerts',
      {
        config: { permission: 'alerts:ingest' },
        schema: {
          tags,
          summary:
            "Receive a CAP 1.2 alert (Content-Type: application/cap+xml): validated, de-duplicated, matched to hamlets, broadcast (trusted senders) or held for a person's confirmation (any other sender)",
          documentedBody: Object.fromEntries(
            ['application/cap+xml', 'application/xml', 'text/xml'].map((type) => [type, capXml]),
          ),
          response: { 200: resultSchema, 201: resultSchema, 202: resultSchema, 422: errorSchema, ...protectedErrors },
        },
      },
      async (req, reply) => {
        if (typeof req.body !== 'string')
          throw new AppError(400, 'cap_invalid', {
            detail: 'send the alert as XML (Content-Type: application/cap+xml)',
          });
        // Only an integration token (scoped to alerts only: the province's system) speaks for a trusted
        // sender. A session, or a person's broader token, is a person typing an alert in: whatever
        // <sender> the XML names, it waits for a confirmation like that person's own emergency.
        const p = req.principal;
        const integration = p?.kind === 'token' && [...p.permissions].every((x) => x.startsWith('alerts:'));
        const typedBy = integration ? undefined : principalKey(req);
        const result = await cap.ingest(req.body, 'post', actorOf(req), typedBy);
        return reply.status(result.duplicate ? 200 : HELD.has(result.outcome) ? 202 : 201).send(result);
      },
    );

    app.get(
      '/api/cap/alerts',
      {
        config: { permission: 'alerts:read' },
        schema: {
          tags,
          summary: 'CAP alerts received and what became of each',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
          response: { 200: z.array(z.record(z.string(), z.unknown())), ...protectedErrors },
        },
      },
      async (req) => cap.list(req.query.limit),
    );
  };
