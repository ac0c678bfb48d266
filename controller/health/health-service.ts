/**
 * Receiver health for technicians: telemetry kept at a bounded rate and pruned by age, and
 * alerts by rule (offline too long, never connected since its enrolment, amplifier fault, too
 * hot, storage low, clock drift) with open, acknowledged and resolved states. At most one alert
 * is open per receiver and rule, and a webhook hears only changes of state, so a flapping link
 * cannot make a storm.
 */
import type { AlertMailer } from './alert-mailer.js';
import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/domain-error.js';
import type { Logger } from '../logger.js';
import { CUT_BY_RESTART, type Ack, type Telemetry } from '../protocol/messages.js';
import type { ReceiversReadModel } from '../receivers/receivers-read-model.js';
import type { Actor } from '../audit/actor.js';
import type { Settings } from '../settings.js';
import { fanOutEvents } from '../shared/typed-events.js';
import { postWebhook, webhookMessage } from '../shared/webhook-signature.js';
import { clockOffset } from './clock-offset.js';

export const HEALTH_RULES = [
  'offline',
  'never_connected',
  'amplifier_fault',
  'temperature',
  'storage_low',
  'clock_drift',
  'playback_failing',
] as const;
export type HealthRule = (typeof HEALTH_RULES)[number];

export interface HealthAlert {
  id: string;
  receiver_id: string;
  rule: HealthRule;
  state: 'open' | 'acknowledged' | 'resolved';
  detail: string | null;
  opened_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolved_at: string | null;
}

export interface HealthEvents {
  alert: [{ event: 'opened' | 'resolved'; alert: HealthAlert }];
}

export interface HealthServiceOptions {
  db: Db;
  receivers: ReceiversReadModel;
  audit: AuditLog;
  clock: Clock;
  settings: Settings['health'];
  log: Logger;
  /** Mails alerts, when SMTP is configured. */
  mailer?: AlertMailer;
  /** Signs what is POSTed to `settings.webhook_url` (data_dir/secrets/health-webhook-secret); required with it. */
  webhookSecret?: string;
}

export class HealthService {
  private readonly mailer?: AlertMailer;
  private readonly webhookSecret?: string;
  /** "alert" ({ event, alert }) when an alert opens or resolves: the console's live view. */
  readonly events = fanOutEvents<HealthEvents>();
  private timer?: NodeJS.Timeout;
  private readonly lastSample = new Map<string, number>();

  private readonly db: Db;
  private readonly receivers: ReceiversReadModel;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly settings: Settings['health'];
  private readonly log: Logger;

  constructor({ db, receivers, audit, clock, settings, log, mailer, webhookSecret }: HealthServiceOptions) {
    // Every webhook the controller sends is signed: a receiver must be able to refuse forgeries.
    if (settings.webhook_url && !webhookSecret)
      throw new Error('health.webhook_url is set but no secret signs its deliveries');
    this.mailer = mailer;
    this.webhookSecret = webhookSecret;
    this.db = db;
    this.receivers = receivers;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
    this.log = log;
  }

  start(): void {
    this.prune();
    this.timer = setInterval(() => {
      this.checkOffline();
      this.prune();
    }, this.settings.check_interval_s * 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * When this receiver's newest stored sample was taken: read once per receiver after a start, so
   * that a restarted controller keeps the sampling period instead of storing a sample at once.
   */
  private lastStoredSample(receiverId: string): number {
    const row = this.db
      .prepare<[string], { at: string }>('SELECT max(at) AS at FROM telemetry_samples WHERE receiver_id = ?')
      .get(receiverId);
    const at = row?.at ? Date.parse(row.at) : 0;
    this.lastSample.set(receiverId, at);
    return at;
  }

  /**
   * What receivers report of their playback: an item that failed in the player or in storage
   * opens `playback_failing` (a dead sound card shows nowhere else: its telemetry can say all is
   * well); an item played to the end resolves it. A cut by the receiver's own restart is no fault.
   */
  onPlayback(acks: readonly Pick<Ack, 'receiver_id' | 'stage' | 'reason' | 'detail'>[]): void {
    const latest = new Map<string, string | null>(); // receiver -> the failure in its words, or null: played
    for (const a of acks) {
      if (a.stage === 'finished') latest.set(a.receiver_id, null);
      else if (
        a.stage === 'failed' &&
        (a.reason === 'player_error' || a.reason === 'storage_error') &&
        !a.detail?.startsWith(CUT_BY_RESTART)
      )
        latest.set(a.receiver_id, (a.detail ?? a.reason).slice(0, 500));
    }
    if (latest.size === 0) return;
    // Called for every batch of acks stored (thousands at once for a whole commune): one read of
    // the open alerts of this rule for the batch, not one per receiver that played to the end.
    const open = new Map(
      this.db
        .prepare<[], HealthAlert>("SELECT * FROM health_alerts WHERE rule = 'playback_failing' AND state != 'resolved'")
        .all()
        .map((a) => [a.receiver_id, a]),
    );
    for (const [id, failure] of latest) {
      const alert = open.get(id);
      if (failure === null && !alert) continue;
      this.judge(id, 'playback_failing', failure !== null, failure ?? '', new Map(alert ? [[alert.rule, alert]] : []));
    }
  }

  /** A telemetry sample: kept when the sampling period allows, and checked against the rules. */
  onTelemetry(receiverId: string, t: Telemetry): void {
    const now = this.clock.now();
    // Judged here, from the receiver's estimate and this message's own time (see clock-offset.ts).
    const drift = clockOffset(t, now);
    const last = this.lastSample.get(receiverId) ?? this.lastStoredSample(receiverId);
    // A sample "from the future" (the clock was set back) does not stop sampling.
    if (now.getTime() - last >= this.settings.telemetry_sample_s * 1000 || now.getTime() < last) {
      this.lastSample.set(receiverId, now.getTime());
      this.db
        .prepare('INSERT INTO telemetry_samples (receiver_id, at, data) VALUES (?, ?, ?)')
        .run(receiverId, now.toISOString(), JSON.stringify({ ...t, clock_drift_ms: drift }));
    }
    // One read of this receiver's open alerts per sample, not one per rule: telemetry arrives from every receiver every minute.
    const open = this.openAlerts(receiverId);
    this.judge(
      receiverId,
      'amplifier_fault',
      t.amplifier === undefined ? undefined : t.amplifier === 'fault',
      'amplifier reports a fault',
      open,
    );
    this.judge(
      receiverId,
      'temperature',
      t.temperature_c === undefined ? undefined : t.temperature_c > this.settings.temperature_max_c,
      `${t.temperature_c} °C`,
      open,
    );
    this.judge(
      receiverId,
      'storage_low',
      t.free_storage_bytes === undefined ? undefined : t.free_storage_bytes < this.settings.storage_min_bytes,
      `${t.free_storage_bytes} bytes free`,
      open,
    );
    this.judge(receiverId, 'clock_drift', Math.abs(drift) > this.settings.clock_drift_max_ms, `${drift} ms`, open);
  }

  /**
   * Opens an offline alert for every enrolled receiver that was connected and has been away
   * longer than the threshold; resolves the others. A receiver enrolled but never heard from is
   * not "offline": it was never online, and an alert ten minutes after its enrolment, while the
   * installer is still on the way to the hamlet, is noise a technician learns to ignore. Once
   * `never_connected_hours` have passed since its enrolment, something is wrong on the ground
   * (not installed, no power, no network, the wrong config file) and someone has to go there: it
   * is reported once, as `never_connected`, which resolves when it first connects. Before that
   * the receivers list shows it as never connected (status "unknown", no status_at).
   */
  checkOffline(): void {
    const now = this.clock.now().getTime();
    for (const r of this.receivers.list()) {
      if (!r.secret_hash) continue;
      const open = this.openAlerts(r.id);
      if (r.status_at === null) {
        const enrolled = Date.parse(r.enrolled_at ?? r.created_at);
        const overdue = now - enrolled > this.settings.never_connected_hours * 3_600_000;
        // An "offline" alert opened by an earlier version for a receiver never connected was wrong: resolved.
        this.judge(r.id, 'offline', false, '', open);
        this.judge(
          r.id,
          'never_connected',
          overdue ? true : undefined,
          `enrolled ${new Date(enrolled).toISOString()}, never connected`,
          open,
        );
        continue;
      }
      this.judge(r.id, 'never_connected', false, '', open);
      const since = Date.parse(r.status_at);
      const offline = r.status !== 'online' && now - since > this.settings.offline_minutes * 60_000;
      this.judge(
        r.id,
        'offline',
        r.status === 'online' ? false : offline ? true : undefined,
        `offline since ${new Date(since).toISOString()}`,
        open,
      );
    }
  }

  list(state?: HealthAlert['state'], limit = 200): HealthAlert[] {
    return state
      ? this.db
          .prepare<[string, number], HealthAlert>(
            'SELECT * FROM health_alerts WHERE state = ? ORDER BY opened_at DESC LIMIT ?',
          )
          .all(state, limit)
      : this.db
          .prepare<[number], HealthAlert>('SELECT * FROM health_alerts ORDER BY opened_at DESC LIMIT ?')
          .all(limit);
  }

  acknowledge(id: string, actor: Actor): HealthAlert {
    const now = this.clock.now().toISOString();
    const changed = this.db
      .prepare(
        "UPDATE health_alerts SET state = 'acknowledged', acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND state = 'open'",
      )
      .run(now, actor.id, id).changes;
    const alert = this.db.prepare<[string], HealthAlert>('SELECT * FROM health_alerts WHERE id = ?').get(id);
    if (!alert) throw new DomainError('not_found', 'not_found', { what: 'what_alert', id });
    if (changed)
      this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'health.alert_acknowledged', subject: id });
    return alert;
  }

  samples(receiverId: string, limit = 500): { at: string; data: unknown }[] {
    return this.db
      .prepare<[string, number], { at: string; data: string }>(
        'SELECT at, data FROM telemetry_samples WHERE receiver_id = ? ORDER BY at DESC LIMIT ?',
      )
      .all(receiverId, limit)
      .map((r) => ({ at: r.at, data: JSON.parse(r.data) }));
  }

  /** Drops samples older than the retention: the database does not grow without bound. */
  prune(): number {
    const cutoff = new Date(
      this.clock.now().getTime() - this.settings.telemetry_retention_days * 86_400_000,
    ).toISOString();
    return this.db.prepare('DELETE FROM telemetry_samples WHERE at < ?').run(cutoff).changes;
  }

  private openAlerts(receiverId: string): Map<string, HealthAlert> {
    const rows = this.db
      .prepare<[string], HealthAlert>("SELECT * FROM health_alerts WHERE receiver_id = ? AND state != 'resolved'")
      .all(receiverId);
    return new Map(rows.map((a) => [a.rule, a]));
  }

  /** `bad`: true opens (once), false resolves, undefined says nothing. */
  private judge(
    receiverId: string,
    rule: HealthRule,
    bad: boolean | undefined,
    detail: string,
    openAlerts: Map<string, HealthAlert>,
  ): void {
    if (bad === undefined) return;
    const open = openAlerts.get(rule);
    const now = this.clock.now().toISOString();
    if (bad && !open) {
      const alert: HealthAlert = {
        id: randomUUID(),
        receiver_id: receiverId,
        rule,
        state: 'open',
        detail,
        opened_at: now,
        acknowledged_at: null,
        acknowledged_by: null,
        resolved_at: null,
      };
      this.db
        .prepare(
          `INSERT INTO health_alerts (id, receiver_id, rule, state, detail, opened_at) VALUES (@id, @receiver_id, @rule, @state, @detail, @opened_at)`,
        )
        .run(alert);
      this.log.warn({ receiver_id: receiverId, rule, detail }, 'health alert opened');
      void this.notify('opened', alert);
    } else if (!bad && open) {
      this.db.prepare("UPDATE health_alerts SET state = 'resolved', resolved_at = ? WHERE id = ?").run(now, open.id);
      void this.notify('resolved', { ...open, state: 'resolved', resolved_at: now });
    }
  }

  private async notify(event: 'opened' | 'resolved', alert: HealthAlert): Promise<void> {
    this.events.emit('alert', { event, alert });
    if (this.mailer) void this.mailer.send(event, alert);
    const url = this.settings.webhook_url;
    const secret = this.webhookSecret;
    if (!url || !secret) return;
    // Shaped as the publication webhooks are (`{id, event, occurred_at, alert}`): the body's event
    // is the X-TT-Event header and its id the X-TT-Delivery header, the same across the retries
    // so the receiver can drop a repeat it already took.
    const occurredAt = (event === 'opened' ? alert.opened_at : alert.resolved_at) ?? this.clock.now();
    const message = webhookMessage(`health_alert.${event}`, occurredAt, { alert });
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const status = await postWebhook(url, secret, message, { now: this.clock.now(), timeoutMs: 10_000 });
        if (status >= 200 && status < 300) return;
      } catch {
        // tried again below
      }
      await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)));
    }
    this.log.warn({ alert_id: alert.id, event }, 'health webhook not delivered');
  }
}
