/** The audit log over HTTP: read it, export it whole with its chain, verify the chain. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { toCsv } from '../http/csv.js';
import { protectedErrors, textAnswer } from '../http/schemas.js';
import type { AuditRepository } from './audit-repository.js';
import { pickLang } from '../i18n/messages.js';
import type { ProofReport } from '../proof/verify-proof.js';
import { findings } from '../proof/proof-summary.js';

const tags = ['system'];

export const auditRoutes =
  (
    audit: AuditRepository,
    clock: Clock,
    timezone: string,
    verifyProof: () => Promise<ProofReport>,
  ): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/audit',
      {
        config: { permission: 'audit:read' },
        schema: {
          tags,
          summary:
            'The audit log, newest first; each row also in words (actor_name, action_text, subject_name) in the Accept-Language',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(1000).default(100),
            before_id: z.coerce.number().int().optional(),
          }),
          response: { 200: z.array(z.record(z.string(), z.unknown())), ...protectedErrors },
        },
      },
      async (req) => audit.listNamed(req.query.limit, req.query.before_id, pickLang(req.headers['accept-language'])),
    );

    app.get(
      '/api/audit/export',
      {
        config: { permission: 'audit:read' },
        schema: {
          tags,
          summary:
            'The whole audit log as a file (CSV or JSON lines), with its chain; X-Audit-Head carries the last hash',
          querystring: z.object({ format: z.enum(['csv', 'jsonl']).default('jsonl') }),
          documentedHeaders: {
            200: {
              'Content-Disposition': 'attachment; filename="audit-YYYY-MM-DD.jsonl" (or .csv), the commune\'s date',
              'X-Audit-Head': 'The hash of the last row: the head of the chain the file carries',
            },
          },
          response: { 200: textAnswer('The audit log, one row a line', ['application/x-ndjson', 'text/csv']) },
        },
      },
      async (req, reply) => {
        const rows = audit.all();
        const head = rows.at(-1)?.hash ?? '';
        reply.header('X-Audit-Head', head);
        // The commune's own date, not the UTC one: an export made at 06:00 in Việt Nam is of today.
        const stamp = DateTime.fromJSDate(clock.now(), { zone: timezone }).toISODate();
        if (req.query.format === 'jsonl') {
          reply
            .header('Content-Disposition', `attachment; filename="audit-${stamp}.jsonl"`)
            .type('application/x-ndjson; charset=utf-8');
          return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
        }
        const columns = ['id', 'at', 'actor', 'action', 'subject', 'detail', 'source_ip', 'prev_hash', 'hash'] as const;
        reply
          .header('Content-Disposition', `attachment; filename="audit-${stamp}.csv"`)
          .type('text/csv; charset=utf-8');
        return toCsv(columns, rows as unknown as Record<string, unknown>[]);
      },
    );

    app.get(
      '/api/audit/verify',
      {
        config: { permission: 'audit:read' },
        schema: {
          tags,
          summary:
            "Checks the whole proof on this box (the audit log, the acks, their signed heads, the key histories, the triggers); names every problem, not the first; rows: the audit log's length",
          response: { 200: z.record(z.string(), z.unknown()), ...protectedErrors },
        },
      },
      async () => {
        const report = await verifyProof();
        // The problems in words, each with where it is: "altered" alone did not say which log or row.
        return { ...report, rows: report.audit.rows, findings: findings(report, timezone).slice(0, 100) };
      },
    );
  };
