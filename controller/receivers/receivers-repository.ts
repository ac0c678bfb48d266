import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.js';
import { naturalCompare } from '../shared/natural-order.js';
import type { EnrolledReceiver, Receiver, ReceiversReadModel } from './receivers-read-model.js';

export type { Receiver } from './receivers-read-model.js';
import type { ReceiverStatus } from '../protocol/messages.js';

/** A receiver's availability message (the wire schema) as stored. */
export type StatusRecord = Omit<ReceiverStatus, 'v'>;

export class ReceiversRepository implements ReceiversReadModel {
  private readonly getStmt;
  /** Compiled once: a fleet reconnecting at once records thousands of statuses in a row. */
  private statusStmt?: Statement;
  private eventStmt?: Statement;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare<[string], Receiver>('SELECT * FROM receivers WHERE id = ?');
  }

  /** In the order a person reads ids (loa-2 before loa-10). */
  list(hamletId?: string): Receiver[] {
    const rows = hamletId
      ? this.db.prepare<[string], Receiver>('SELECT * FROM receivers WHERE hamlet_id = ?').all(hamletId)
      : this.db.prepare<[], Receiver>('SELECT * FROM receivers').all();
    return rows.sort((a, b) => naturalCompare(a.id, b.id));
  }

  get(id: string): Receiver | undefined {
    return this.getStmt.get(id);
  }

  insert(r: Pick<Receiver, 'id' | 'hamlet_id' | 'name' | 'created_at'>): void {
    this.db
      .prepare('INSERT INTO receivers (id, hamlet_id, name, created_at) VALUES (@id, @hamlet_id, @name, @created_at)')
      .run(r);
  }

  update(id: string, fields: { name?: string; hamlet_id?: string; lat?: number | null; lon?: number | null }): void {
    const current = this.get(id);
    if (!current) return;
    this.db
      .prepare('UPDATE receivers SET name = ?, hamlet_id = ?, lat = ?, lon = ? WHERE id = ?')
      .run(
        fields.name ?? current.name,
        fields.hamlet_id ?? current.hamlet_id,
        fields.lat !== undefined ? fields.lat : current.lat,
        fields.lon !== undefined ? fields.lon : current.lon,
        id,
      );
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM receivers WHERE id = ?').run(id);
  }

  setSecret(id: string, secretHash: string, brokerHash: string, ackPublicKey: string, at: string): void {
    // The key it had is kept: acks signed before the rotation are still its own.
    this.db
      .prepare(
        `UPDATE receivers SET secret_hash = ?, broker_hash = ?, enrolled_at = ?, revoked_at = NULL,
         previous_ack_keys = CASE WHEN ack_public_key IS NULL THEN previous_ack_keys
           ELSE json_insert(COALESCE(previous_ack_keys, '[]'), '$[#]', ack_public_key) END,
         ack_public_key = ?
       WHERE id = ?`,
      )
      .run(secretHash, brokerHash, at, ackPublicKey, id);
  }

  revoke(id: string, at: string): void {
    this.db
      .prepare('UPDATE receivers SET secret_hash = NULL, broker_hash = NULL, revoked_at = ? WHERE id = ?')
      .run(at, id);
  }

  /**
   * Records availability unless it is older than what we know: an old session's last will
   * (lower session number) never overwrites a newer session's "online".
   */
  recordStatus(
    id: string,
    status: 'online' | 'offline',
    session: number,
    at: string,
    agentVersion: string | undefined,
    memorySince: string | null = null,
  ): boolean {
    // Ordered by (memory epoch, session): a receiver whose state was wiped counts sessions from 1
    // again, and its old epoch's late will must not overwrite the new epoch's "online". An older
    // epoch's "online" is taken, though: a receiver restored from an older backup is there.
    const result = (this.statusStmt ??= this.db.prepare(
      `UPDATE receivers SET status = @status, status_session = @session, status_inferred = 0,
           status_at = CASE WHEN status = @status AND status_session = @session AND status_at IS NOT NULL THEN status_at ELSE @at END,
           agent_version = COALESCE(@agentVersion, agent_version), memory_since = COALESCE(@memory, memory_since)
         WHERE id = @id AND ((@memory IS NOT NULL AND @memory > COALESCE(memory_since, '')) OR
           (@status = 'online' AND @memory IS NOT NULL AND @memory < memory_since) OR
           -- the same epoch (a status without memory_since is taken to be of the epoch we know)
           ((@memory IS NULL OR @memory = memory_since) AND
             (status_session < @session OR (status_session = @session AND
               -- a will ends its session; an offline the controller inferred (markOffline) does not
               (NOT (status = 'offline' AND @status = 'online') OR status_inferred = 1)))))`,
    )).run({ status, session, at, agentVersion: agentVersion ?? null, memory: memorySince, id });
    return result.changes > 0;
  }

  /**
   * Records a batch of statuses in order, in one transaction; returns those taken (whether its
   * memory began anew; `repeated`: the state it already had, in the same session: no new history
   * row, e.g. a retained status sent again when the controller reconnects).
   */
  recordStatuses(
    batch: StatusRecord[],
    eventAt: string,
    /** When the controller lost its broker, oldest first (ReceiverPresence.linkLost). */
    linkLosses: readonly string[] = [],
  ): (StatusRecord & { memory_renewed: boolean; repeated: boolean })[] {
    return this.db.transaction(() =>
      batch.flatMap((s) => {
        const before = this.getStmt.get(s.receiver_id);
        // Back in a new session (of the same memory) while recorded online: its old connection
        // ended unheard. If the controller had lost the broker meanwhile (the broker restarted and
        // took every connection with it), it ended then: said so, so that the outage is not
        // counted as time online.
        const sameMemory = !s.memory_since || new Date(s.memory_since).toISOString() === before?.memory_since;
        const lostAt = before && linkLosses.find((at) => at > (before.status_at ?? ''));
        if (
          lostAt &&
          s.state === 'online' &&
          before?.status === 'online' &&
          sameMemory &&
          s.session > before.status_session
        )
          this.recordEvent(s.receiver_id, 'offline', before.status_session, lostAt);
        // One form of instant (milliseconds, Z), so that epochs compare as text.
        const memory = s.memory_since ? new Date(s.memory_since).toISOString() : null;
        // Since when, by the controller's clock when it heard it: a last will carries the instant it
        // was written (the connection's start), not the instant the link dropped.
        if (!this.recordStatus(s.receiver_id, s.state, s.session, eventAt, s.agent_version, memory)) return [];
        const renewed = Boolean(memory && memory !== (before?.memory_since ?? ''));
        const repeated =
          !renewed && before?.status === s.state && before.status_session === s.session && before.status_at !== null;
        if (!repeated) this.recordEvent(s.receiver_id, s.state, s.session, eventAt);
        // A memory other than the one known (newer: its state was wiped; older: restored from a
        // backup), or the first one known (a receiver's first start: commands issued between its
        // enrolment and then are refused as older than its memory): fresh copies.
        return [{ ...s, memory_renewed: renewed, repeated }];
      }),
    )();
  }

  /**
   * Every receiver recorded online, except those in `except`, becomes offline at `at`, in its
   * current session, as the controller's inference (no last will said so): its new session's
   * "online", or the same session's heard again (it was there after all), puts it back online.
   */
  /**
   * Every receiver recorded online (but those in `except`) becomes offline at `at`, or at the
   * instant it came online if that is later: never offline before its own "online".
   */
  markOffline(
    at: string,
    except: ReadonlySet<string>,
    /** When the controller lost its broker, oldest first: a receiver is offline from the first loss after its status. */
    linkLosses: readonly string[] = [],
  ): { receiver_id: string; session: number; at: string }[] {
    return this.db.transaction(() => {
      const online = this.db
        .prepare<[], { receiver_id: string; session: number; status_at: string | null }>(
          "SELECT id AS receiver_id, status_session AS session, status_at FROM receivers WHERE status = 'online'",
        )
        .all()
        .filter((r) => !except.has(r.receiver_id));
      const update = this.db.prepare(
        "UPDATE receivers SET status = 'offline', status_at = ?, status_inferred = 1 WHERE id = ?",
      );
      return online.map((r) => {
        const lost = linkLosses.find((l) => l > (r.status_at ?? ''));
        const since = lost && lost < at ? lost : r.status_at && r.status_at > at ? r.status_at : at;
        update.run(since, r.receiver_id);
        this.recordEvent(r.receiver_id, 'offline', r.session, since);
        return { receiver_id: r.receiver_id, session: r.session, at: since };
      });
    })();
  }

  recordEvent(id: string, state: 'online' | 'offline', session: number, at: string): void {
    (this.eventStmt ??= this.db.prepare(
      'INSERT INTO receiver_events (receiver_id, at, state, session) VALUES (?, ?, ?, ?)',
    )).run(id, at, state, session);
  }

  events(id: string, fromIso: string, toIso: string): { at: string; state: 'online' | 'offline'; session: number }[] {
    return this.db
      .prepare<[string, string, string], { at: string; state: 'online' | 'offline'; session: number }>(
        'SELECT at, state, session FROM receiver_events WHERE receiver_id = ? AND at >= ? AND at < ? ORDER BY at',
      )
      .all(id, fromIso, toIso);
  }

  /**
   * When the receiver was first enrolled (its first ack key in the history; a re-enrolment does not
   * move it), else its current enrolment; null if never enrolled. Uptime is counted from here.
   */
  firstEnrolledAt(id: string): string | null {
    const row = this.db
      .prepare<[string, string], { at: string | null }>(
        "SELECT COALESCE((SELECT min(valid_from) FROM receiver_keys WHERE receiver_id = ? AND valid_from > '1970-01-01T00:00:00.000Z'), (SELECT enrolled_at FROM receivers WHERE id = ?)) AS at",
      )
      .get(id, id);
    return row?.at ?? null;
  }

  /** The last known state before an instant, to start an uptime count. */
  stateBefore(id: string, iso: string): 'online' | 'offline' | undefined {
    return this.db
      .prepare<[string, string], { state: 'online' | 'offline' }>(
        'SELECT state FROM receiver_events WHERE receiver_id = ? AND at < ? ORDER BY at DESC LIMIT 1',
      )
      .get(id, iso)?.state;
  }

  countByStatus(): Record<string, number> {
    const rows = this.db
      .prepare<[], { status: string; n: number }>(
        'SELECT status, count(*) AS n FROM receivers WHERE secret_hash IS NOT NULL GROUP BY status',
      )
      .all();
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  countNotEnrolled(): number {
    return (
      this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM receivers WHERE secret_hash IS NULL').get()?.n ?? 0
    );
  }

  countInHamlet(hamletId: string): number {
    return (
      this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM receivers WHERE hamlet_id = ?').get(hamletId)
        ?.n ?? 0
    );
  }

  /** Enrolled, not revoked receivers of these hamlets (all hamlets when ids is undefined). */
  enrolledIn(hamletIds?: string[]): EnrolledReceiver[] {
    // Two columns, not the whole row: a whole-commune emergency asks this for 10,000 receivers
    // on its way out, and their keys and hashes are not needed to name them.
    const all = this.db
      .prepare<[], EnrolledReceiver>('SELECT id, hamlet_id FROM receivers WHERE secret_hash IS NOT NULL ORDER BY id')
      .all();
    if (!hamletIds) return all;
    const wanted = new Set(hamletIds);
    return all.filter((r) => wanted.has(r.hamlet_id));
  }
}
