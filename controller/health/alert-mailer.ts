/**
 * Alert e-mails (SMTP, via nodemailer): one message when an alert opens and one when it
 * resolves — never more, since alerts change state once — in Vietnamese with English below.
 */
import type { Transporter } from 'nodemailer';
import { t, type MessageKey } from '../i18n/messages.js';
import type { Logger } from '../logger.js';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  username: string | null;
  password: string | null;
  from: string;
  to: string[];
}

export interface MailedAlert {
  receiver_id: string;
  rule: string;
  detail: string | null;
  opened_at: string;
  resolved_at?: string | null;
}

export class AlertMailer {
  private transporter?: Promise<Transporter>;

  constructor(
    private readonly settings: SmtpSettings,
    private readonly commune: string,
    private readonly log: Logger,
  ) {}

  /**
   * nodemailer is loaded with the first mail, not at start: 2 MB of the controller's heap for as
   * long as it runs, on a box that must stay under 150 MB and may send a mail a month.
   */
  private transport(): Promise<Transporter> {
    const settings = this.settings;
    this.transporter ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        host: settings.host,
        port: settings.port,
        secure: settings.secure,
        ...(settings.username ? { auth: { user: settings.username, pass: settings.password ?? '' } } : {}),
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      }),
    );
    return this.transporter;
  }

  async send(event: 'opened' | 'resolved', alert: MailedAlert): Promise<void> {
    const rule = (lang: 'vi' | 'en') => t(`ui_alert_${alert.rule}` as MessageKey, lang);
    const key = event === 'opened' ? 'alert_mail_opened' : 'alert_mail_resolved';
    const params = (lang: 'vi' | 'en') => ({
      commune: this.commune,
      receiver: alert.receiver_id,
      rule: rule(lang),
      detail: alert.detail ?? '',
      at: alert.resolved_at ?? alert.opened_at,
    });
    try {
      const transport = await this.transport();
      await transport.sendMail({
        from: this.settings.from,
        to: this.settings.to,
        subject: `${t(`${key}_subject` as MessageKey, 'vi', params('vi'))} / ${t(`${key}_subject` as MessageKey, 'en', params('en'))}`,
        text: `${t(key, 'vi', params('vi'))}\n\n${t(key, 'en', params('en'))}\n`,
      });
    } catch (err) {
      this.log.warn(
        { err: (err as Error).message, receiver_id: alert.receiver_id, rule: alert.rule },
        'alert e-mail not sent',
      );
    }
  }
}
