/** The CAP alerts received (`cap_alerts`), each once per sender and identifier, with what became of it. */
import type { Db } from '../db/database.js';

export interface CapAlertRow {
  key: string;
  identifier: string;
  sender: string;
  sent: string;
  status: string;
  msg_type: string;
  event: string | null;
  headline: string | null;
  xml: string;
  received_at: string;
  via: string;
  outcome: string;
  priority: string | null;
  hamlets: string | null;
  broadcast_id: string | null;
  expires_at: string | null;
  /** The pending confirmation an alert from a sender not trusted waits for. */
  confirmation_id: string | null;
}

export class CapRepository {
  constructor(private readonly db: Db) {}

  list(limit: number): CapAlertRow[] {
    return this.db
      .prepare<[number], CapAlertRow>('SELECT * FROM cap_alerts ORDER BY received_at DESC LIMIT ?')
      .all(limit);
  }

  get(key: string): CapAlertRow | undefined {
    return this.db.prepare<[string], CapAlertRow>('SELECT * FROM cap_alerts WHERE key = ?').get(key);
  }

  /** `orIgnore`: a refused document sent again keeps its first record. */
  insert(row: CapAlertRow, orIgnore = false): void {
    this.db
      .prepare(
        `INSERT ${orIgnore ? 'OR IGNORE ' : ''}INTO cap_alerts (key, identifier, sender, sent, status, msg_type, event, headline, xml, received_at, via, outcome, priority, hamlets, broadcast_id, expires_at, confirmation_id)
        VALUES (@key, @identifier, @sender, @sent, @status, @msg_type, @event, @headline, @xml, @received_at, @via, @outcome, @priority, @hamlets, @broadcast_id, @expires_at, @confirmation_id)`,
      )
      .run(row);
  }

  setOutcome(key: string, outcome: string): void {
    this.db.prepare('UPDATE cap_alerts SET outcome = ? WHERE key = ?').run(outcome, key);
  }

  /** A confirmed alert: it went out as this broadcast. */
  setBroadcast(key: string, outcome: string, broadcastId: string): void {
    this.db.prepare('UPDATE cap_alerts SET outcome = ?, broadcast_id = ? WHERE key = ?').run(outcome, broadcastId, key);
  }
}
