import { createHash, createPublicKey, verify } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/auth.js';
import { AppError } from '../http/errors.js';
import {
  errorSchema,
  fileAnswer,
  objectSchema,
  protectedErrors,
  rowOf,
  rowSchema,
  textAnswer,
} from '../http/schemas.js';
import type { CommandSigner } from '../protocol/signing.js';
import { asRunCsv, asRunCsvRaw, reportXlsx } from './report-exports.js';
import { reportDocument, type DocumentSettings } from './report-document.js';
import { reportDocx } from './report-docx.js';
import { reportPdf } from './report-pdf.js';
import { PDF_SIGNATURE_KEY, PDF_SIGNATURE_PLACEHOLDER, signCsv, signPdf, signZip } from './file-signature.js';
import { t, type Lang } from '../i18n/messages.js';
import { PERIOD_KINDS, type Period, type PeriodKind } from './report-period.js';
import { periodReportSchema } from './period-report-schema.js';
import type { ReportsService } from './reports-service.js';
import type { UpwardReporter } from './upward-reporter.js';

const tags = ['reports'];
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Without `kind`, a request naming from or to means a range; otherwise the route's own default. */
const kindOf = (fallback: PeriodKind) =>
  z
    .enum(PERIOD_KINDS)
    .optional()
    .describe(
      `week, month, quarter, year (containing date), or range (from, to); default ${fallback}, or range when from or to is given`,
    );
const periodQuery = z.object({
  kind: kindOf('month'),
  date: z.iso.date().optional().describe('A local date inside the period; default today'),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});

export const reportsRoutes =
  (
    reports: ReportsService,
    upward: UpwardReporter,
    signer: CommandSigner,
    commune: { name: string },
    document: DocumentSettings,
  ): FastifyPluginAsyncZod =>
  async (app) => {
    const periodOf = (query: z.infer<typeof periodQuery>, fallback: PeriodKind) => {
      const dated = Boolean(query.from || query.to);
      // from and to belong to a range: a week report given them would silently ignore them.
      if (query.kind && query.kind !== 'range' && dated)
        throw new AppError(422, 'report_dates_need_range', { field: 'kind', kind: query.kind });
      const q = { ...query, kind: query.kind ?? (dated ? 'range' : fallback) };
      if (q.kind === 'range' && (!q.from || !q.to))
        throw new AppError(422, 'report_range_incomplete', { field: q.from ? 'to' : 'from' });
      if (q.kind === 'range' && q.to! < q.from!)
        throw new AppError(422, 'report_bad_range', { field: 'to', from: q.from!, to: q.to! });
      // A range is at most a year and a day: a report of centuries would exhaust the box's memory.
      if (q.kind === 'range' && Date.parse(q.to!) - Date.parse(q.from!) > 366 * 86_400_000)
        throw new AppError(422, 'report_range_too_long', { field: 'to', days: 366 });
      const period = reports.period(q.kind, q.date, q.from, q.to);
      if (Date.parse(period.from) > reports.now().getTime())
        throw new AppError(422, 'report_future', {
          field: q.kind === 'range' ? 'from' : 'date',
          label: { vi: period.label, en: period.label_en },
        });
      return period;
    };
    /** Every exported file carries the controller's signature over its sha256, so a copy can be checked later. */
    const signed = (reply: FastifyReply, body: Buffer | string, type: string, name: string) => {
      const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      return reply
        .type(type)
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('x-report-sha256', sha256)
        .header('x-report-signature', signer.signBytes(Buffer.from(sha256, 'utf8')))
        .header('x-report-key-id', signer.keyId)
        .send(bytes);
    };
    /** The as-run log as a CSV file: for people (words, local times, signed in its last row) or for programs (csv_raw). */
    const asRunFile = (reply: FastifyReply, period: Period, format: 'csv' | 'csv_raw', lang: Lang) =>
      format === 'csv'
        ? signed(
            reply,
            signCsv(asRunCsv(reports.asRun(period), lang, commune.name), t('report_csv_signature', lang), signer),
            'text/csv; charset=utf-8',
            `nhat-ky-phat-${period.slug}${lang === 'en' ? '-en' : ''}.csv`,
          )
        : signed(
            reply,
            asRunCsvRaw(reports.asRun(period).rows),
            'text/csv; charset=utf-8',
            `as-run-${period.slug}.csv`,
          );

    app.get(
      '/api/reports/period',
      {
        config: { permission: 'coverage:read' },
        schema: {
          tags,
          summary:
            'A period report: JSON; XLSX, PDF and DOCX (an administrative document as Decree 30/2020 lays out a báo cáo), each signed inside the file and in X-Report-Sha256 / X-Report-Signature; CSV gives its as-run log in words (csv_raw: stable field names, UTC)',
          querystring: periodQuery.extend({
            format: z.enum(['json', 'xlsx', 'pdf', 'docx', 'csv', 'csv_raw']).default('json'),
            lang: z.enum(['vi', 'en']).default('vi').describe('The language of the files people read'),
          }),
          documentedHeaders: {
            200: {
              'Content-Disposition':
                'The files only (not JSON): attachment; filename="bao-cao-thang-3-2026.pdf" (the period\'s own name)',
              'X-Report-Sha256': 'The SHA-256 of the body (hex)',
              'X-Report-Signature': "The controller's Ed25519 signature over that hex text (base64)",
              'X-Report-Key-Id': 'Which signing key made it (GET /api/proof/keys)',
            },
          },
          response: {
            200: {
              description: 'The report, in the format asked for',
              content: {
                'application/json': { schema: periodReportSchema as unknown as typeof objectSchema },
                ...textAnswer('', ['text/csv']).content,
                ...fileAnswer('', ['application/pdf', DOCX, XLSX]).content,
              },
            },
            422: errorSchema,
            ...protectedErrors,
          },
        },
      },
      async (req, reply) => {
        const period = periodOf(req.query, 'month');
        const { format, lang } = req.query;
        // Named by the commune's own period ("thang-12-2026"), not by the UTC date it starts on.
        const name = (prefix: string, ext: string) => `${prefix}-${period.slug}${lang === 'en' ? '-en' : ''}.${ext}`;
        await reports.freshIntegrity(); // the store's check, at most an hour old, run off the event loop
        if (format === 'json') {
          // Signed too (headers only: it is read by programs, not saved as a file).
          const body = Buffer.from(JSON.stringify(reports.report(period)), 'utf8');
          const sha256 = createHash('sha256').update(body).digest('hex');
          return reply
            .type('application/json; charset=utf-8')
            .header('x-report-sha256', sha256)
            .header('x-report-signature', signer.signBytes(Buffer.from(sha256, 'utf8')))
            .header('x-report-key-id', signer.keyId)
            .send(body);
        }
        // The CSV for people is signed in its last row: a saved copy keeps what the headers lose.
        if (format === 'csv' || format === 'csv_raw') return asRunFile(reply, period, format, lang);
        const report = reports.report(period);
        const doc = () => reportDocument(report, commune.name, document, lang);
        if (format === 'pdf')
          return signed(
            reply,
            signPdf(await reportPdf(doc(), { [PDF_SIGNATURE_KEY]: PDF_SIGNATURE_PLACEHOLDER }), signer),
            'application/pdf',
            name('bao-cao', 'pdf'),
          );
        if (format === 'docx')
          return signed(
            reply,
            signZip(await reportDocx(doc()), signer),
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
            name('bao-cao', 'docx'),
          );
        return signed(
          reply,
          signZip(await reportXlsx(report, reports.asRun(period).rows, lang, commune.name), signer),
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          name('bao-cao', 'xlsx'),
        );
      },
    );

    app.get(
      '/api/reports/as-run',
      {
        config: { permission: 'coverage:read' },
        schema: {
          tags,
          summary:
            'The as-run log: each broadcast receiver by receiver (scheduled and actual start and end, source, operator, outcome, reason) and missed occurrences',
          querystring: periodQuery.extend({
            kind: kindOf('week'),
            // The same files as the period report's CSVs (asked for here, it answered JSON: outsider F).
            format: z.enum(['json', 'csv', 'csv_raw']).default('json'),
            lang: z.enum(['vi', 'en']).default('vi').describe('The language of the CSV people read'),
          }),
          response: {
            200: rowOf({
              period: objectSchema,
              rows: z.array(objectSchema),
              missed: z.array(objectSchema),
              integrity: objectSchema.describe(
                'The last check of the store the log rests on (ok false: records were altered outside the controller)',
              ),
            }),
            422: errorSchema,
            ...protectedErrors,
          },
        },
      },
      async (req, reply) => {
        const period = periodOf(req.query, 'week');
        const { format, lang } = req.query;
        await reports.freshIntegrity(); // the store's check, at most an hour old, run off the event loop
        if (format === 'csv' || format === 'csv_raw') return asRunFile(reply, period, format, lang);
        return reports.asRun(period);
      },
    );

    app.get(
      '/api/coverage/gaps',
      {
        config: { permission: 'coverage:read' },
        schema: {
          tags: ['coverage'],
          summary:
            "Gaps in receivers' ack sequence numbers (acks made but never stored); ask a receiver to resend with the remote operation resend_acks",
          response: {
            200: z.array(
              z.object({ receiver_id: z.string(), from_seq: z.number(), to_seq: z.number(), missing: z.number() }),
            ),
          },
        },
      },
      async () => reports.gaps(),
    );

    app.post(
      '/api/reports/verify',
      {
        config: { permission: 'coverage:read' },
        schema: {
          tags,
          summary: 'Check an exported file: its sha256 and the signature it came with',
          body: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), signature: z.string().max(200) }),
          response: { 200: z.object({ ok: z.boolean(), key_id: z.string() }) },
        },
      },
      async (req) => ({
        ok: verify(
          null,
          Buffer.from(req.body.sha256, 'utf8'),
          createPublicKey(signer.publicKeyPem),
          Buffer.from(req.body.signature, 'base64'),
        ),
        key_id: signer.keyId,
      }),
    );

    app.get(
      '/api/reports/upward',
      {
        config: { permission: 'coverage:read' },
        schema: {
          tags,
          summary: "Reports sent to the provincial system: each with its status, attempts and the province's receipt",
          response: { 200: z.array(rowSchema) },
        },
      },
      async () => upward.list(),
    );

    app.post(
      '/api/reports/upward',
      {
        config: { permission: 'audit:read' },
        schema: {
          tags,
          summary: "Send a period's report to the provincial system now (queued and retried until accepted)",
          body: periodQuery.extend({ kind: kindOf('range') }),
          response: {
            202: rowSchema.describe('The queued report, without its payload'),
            422: errorSchema,
            ...protectedErrors,
          },
        },
      },
      async (req, reply) => {
        const row = await upward.queue(periodOf(req.body, 'range'), actorOf(req));
        const { payload: _, ...view } = row;
        return reply.status(202).send(view);
      },
    );
  };
