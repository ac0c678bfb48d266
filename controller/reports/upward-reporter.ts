/**
 * Upward reporting: the commune's activity and receiver status, pushed to the provincial
 * source-information system as signed JSON (format "tt-activity/1", documented in UPWARD.md),
 * one report per local day once it has ended, retried with backoff until the province accepts
 * it, and kept as sent with the province's answer.
 */
import { DomainError } from '../shared/domain-error.js';
import { singlePass } from '../shared/single-pass.js';
import { createHash, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import { DateTime } from 'luxon';
import type { Actor } from '../audit/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { CommandSigner } from '../protocol/signing.js';
import type { ReceiversReadModel } from '../receivers/receivers-read-model.js';
import type { Period } from './report-period.js';
import type { ReportsService } from './reports-service.js';
import type { ProofHead } from '../protocol/messages.js';
import type { KeysAnchor } from '../proof/anchor-records.js';

const BACKOFF_S = [60, 300, 900, 3600, 3 * 3600, 6 * 3600];

export interface UpwardRow {
  id: string;
  period_from: string;
  period_to: string;
  payload: string;
  sha256: string;
  status: 'pending' | 'accepted' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_status: number | null;
  last_error: string | null;
  remote_ref: string | null;
  created_at: string;
  accepted_at: string | null;
}

export interface UpwardSettings {
  provincial_url: string | null;
  token: string | null;
  max_attempts: number;
  timeout_s: number;
}

export interface UpwardReporterOptions {
  db: Db;
  reports: ReportsService;
  receivers: ReceiversReadModel;
  signer: CommandSigner;
  audit: AuditLog;
  clock: Clock;
  log: Logger;
  settings: UpwardSettings;
  commune: { id: string; name: string; timezone: string };
  /**
   * The proof's anchors for the province: the newest signed heads of both logs and every key's
   * fingerprint. The province keeps them; a database rewritten later no longer matches them.
   */
  proof?: () => { heads: { acks: ProofHead | null; audit: ProofHead | null }; keys: KeysAnchor };
}

export class UpwardReporter {
  private timer?: NodeJS.Timeout;

  private readonly db: Db;
  private readonly reports: ReportsService;
  private readonly receivers: ReceiversReadModel;
  private readonly signer: CommandSigner;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly settings: UpwardSettings;
  private readonly commune: { id: string; name: string; timezone: string };

  private readonly proof?: UpwardReporterOptions['proof'];

  constructor({ db, reports, receivers, signer, audit, clock, log, settings, commune, proof }: UpwardReporterOptions) {
    this.proof = proof;
    this.db = db;
    this.reports = reports;
    this.receivers = receivers;
    this.signer = signer;
    this.audit = audit;
    this.clock = clock;
    this.log = log;
    this.settings = settings;
    this.commune = commune;
    this.tick = singlePass(() => this.pass(), this.log, 'upward report pass', undefined);
  }

  /** The signed document for a period. */
  payload(period: Period): Record<string, unknown> {
    const r = this.reports.report(period);
    const doc = {
      format: 'tt-activity/1',
      commune: { id: this.commune.id, name: this.commune.name },
      period: { from: period.from, to: period.to, timezone: period.timezone, label: period.label },
      generated_at: r.generated_at,
      totals: r.totals,
      by_category: r.by_category,
      by_priority: r.by_priority,
      weeks: r.weeks.map(({ week, missing, status }) => ({ week, status, missing_categories: missing })),
      hamlets: r.hamlets.map(
        ({ hamlet_id, name, households, population, receivers, broadcasts, reached, not_reached, share_played }) => ({
          hamlet_id,
          name,
          households,
          population,
          receivers,
          broadcasts,
          reached,
          not_reached,
          share_played,
        }),
      ),
      receivers: this.receivers
        .list()
        .filter((x) => x.secret_hash)
        .map((x) => ({
          receiver_id: x.id,
          hamlet_id: x.hamlet_id,
          status: x.status,
          status_at: x.status_at,
          uptime_pct: r.receivers.find((u) => u.receiver_id === x.id)?.uptime_pct ?? null,
        })),
      urgent: r.urgent,
      integrity: r.integrity,
      ...(this.proof ? { proof: this.proof() } : {}),
    };
    const value = this.signer.signBytes(Buffer.from(canonicalize(doc) ?? '', 'utf8'));
    return {
      ...doc,
      signature: {
        alg: 'ed25519',
        key_id: this.signer.keyId,
        value,
        over: 'RFC 8785 canonical JSON of the document without "signature"',
      },
    };
  }

  /** Queues a period's report (once per period) and tries to send it now. */
  async queue(period: Period, actor: Actor): Promise<UpwardRow> {
    // Nowhere to send it: said at once, not queued as "pending" for ever.
    if (!this.settings.provincial_url) throw new DomainError('conflict', 'upward_not_configured');
    const existing = this.db
      .prepare<[string, string], UpwardRow>('SELECT * FROM upward_reports WHERE period_from = ? AND period_to = ?')
      .get(period.from, period.to);
    if (existing && existing.status !== 'failed') return existing;
    await this.reports.freshIntegrity(0); // the province gets the state of the store now, not of an hour ago
    const payload = JSON.stringify(this.payload(period));
    const now = this.clock.now().toISOString();
    const row: UpwardRow = {
      id: existing?.id ?? randomUUID(),
      period_from: period.from,
      period_to: period.to,
      payload,
      sha256: createHash('sha256').update(payload).digest('hex'),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      last_status: null,
      last_error: null,
      remote_ref: null,
      created_at: now,
      accepted_at: null,
    };
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM upward_reports WHERE id = ?').run(row.id);
      this.db
        .prepare(
          `INSERT INTO upward_reports (id, period_from, period_to, payload, sha256, status, attempts, next_attempt_at, last_status, last_error, remote_ref, created_at, accepted_at)
        VALUES (@id, @period_from, @period_to, @payload, @sha256, @status, @attempts, @next_attempt_at, @last_status, @last_error, @remote_ref, @created_at, @accepted_at)`,
        )
        .run(row);
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'report.upward_queued',
        subject: row.id,
        detail: { from: period.from, to: period.to, sha256: row.sha256 },
      });
    })();
    await this.tick();
    return this.get(row.id)!;
  }

  get(id: string): UpwardRow | undefined {
    return this.db.prepare<[string], UpwardRow>('SELECT * FROM upward_reports WHERE id = ?').get(id);
  }

  list(limit = 100): Omit<UpwardRow, 'payload'>[] {
    return this.db
      .prepare<[number], UpwardRow>('SELECT * FROM upward_reports ORDER BY period_from DESC LIMIT ?')
      .all(limit)
      .map(({ payload: _, ...r }) => r);
  }

  start(intervalS = 60): void {
    if (!this.settings.provincial_url) return;
    this.timer = setInterval(() => void this.daily().then(() => this.tick()), intervalS * 1000);
    void this.daily().then(() => this.tick());
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Yesterday (local) is reported once it has ended. */
  private async daily(): Promise<void> {
    try {
      await this.queueYesterday();
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'daily upward report failed');
    }
  }

  private async queueYesterday(): Promise<void> {
    const yesterday = DateTime.fromJSDate(this.clock.now(), { zone: this.commune.timezone })
      .minus({ days: 1 })
      .toISODate()!;
    const period = this.reports.period('range', undefined, yesterday, yesterday);
    const exists = this.db
      .prepare('SELECT 1 FROM upward_reports WHERE period_from = ? AND period_to = ?')
      .get(period.from, period.to);
    if (!exists) await this.queue(period, { id: 'upward-reporter' });
  }

  /** Sends what is due; overlapping calls share the pass in progress. */
  readonly tick: () => Promise<void>;

  private async pass(): Promise<void> {
    if (!this.settings.provincial_url) return;
    const due = this.db
      .prepare<[string], UpwardRow>(
        "SELECT * FROM upward_reports WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY period_from",
      )
      .all(this.clock.now().toISOString());
    for (const row of due) await this.send(row);
  }

  private async send(row: UpwardRow): Promise<void> {
    const attempts = row.attempts + 1;
    let status: number | null = null;
    let error: string | null = null;
    let ref: string | null = null;
    try {
      const res = await fetch(this.settings.provincial_url!, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-tt-report-sha256': row.sha256,
          ...(this.settings.token ? { authorization: `Bearer ${this.settings.token}` } : {}),
        },
        body: row.payload,
        signal: AbortSignal.timeout(this.settings.timeout_s * 1000),
      });
      status = res.status;
      const text = await res.text();
      if (res.ok) {
        try {
          const body = JSON.parse(text) as { id?: unknown; receipt?: unknown };
          ref = String(body.receipt ?? body.id ?? '') || null;
        } catch {
          /* accepted without a receipt */
        }
      } else error = `HTTP ${res.status}: ${text.slice(0, 200)}`;
    } catch (err) {
      error = (err as Error).message.slice(0, 300);
    }
    const now = this.clock.now();
    if (!error) {
      this.db
        .prepare(
          "UPDATE upward_reports SET status = 'accepted', attempts = ?, last_status = ?, last_error = NULL, remote_ref = ?, accepted_at = ? WHERE id = ?",
        )
        .run(attempts, status, ref, now.toISOString(), row.id);
      this.log.info({ report_id: row.id, remote_ref: ref }, 'upward report accepted');
      return;
    }
    const gaveUp = attempts >= this.settings.max_attempts;
    const next = new Date(now.getTime() + BACKOFF_S[Math.min(attempts - 1, BACKOFF_S.length - 1)] * 1000).toISOString();
    this.db
      .prepare(
        'UPDATE upward_reports SET status = ?, attempts = ?, next_attempt_at = ?, last_status = ?, last_error = ? WHERE id = ?',
      )
      .run(gaveUp ? 'failed' : 'pending', attempts, next, status, error, row.id);
    this.log.warn({ report_id: row.id, attempts, error, gave_up: gaveUp }, 'upward report not accepted');
  }
}
