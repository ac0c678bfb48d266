/**
 * Agent updates for technicians: a package is uploaded once (its sha256 is what receivers will
 * check), then rolled out in stages — by hamlet or a share of the fleet, a batch at a time. Each
 * receiver gets a signed "update" command with the package's hash; the next batch goes only when
 * the current one came back online running the new version. A receiver that does not come back
 * healthy within the wait is sent "rollback" (kept in the outbox until it reconnects) and the
 * rollout stops, with the reason recorded.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Actor } from '../audit/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { CommandPublisher } from '../outbox/command-publisher.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../shared/domain-error.js';
import { singlePass } from '../shared/single-pass.js';
import type { Logger } from '../logger.js';
import type { ReceiversReadModel } from '../receivers/receivers-read-model.js';

export interface AgentUpdate {
  id: string;
  version: string;
  sha256: string;
  size_bytes: number;
  notes: string | null;
  created_by: string;
  created_at: string;
}
export interface Rollout {
  id: string;
  update_id: string;
  status: 'running' | 'completed' | 'stopped';
  reason: string | null;
  batch_size: number;
  health_wait_s: number;
  created_by: string;
  created_at: string;
  finished_at: string | null;
}
export interface RolloutReceiver {
  rollout_id: string;
  receiver_id: string;
  batch: number;
  status: string;
  previous_version: string | null;
  sent_at: string | null;
  detail: string | null;
  updated_at: string;
}

/** Update commands stay valid this long: a receiver offline for a day still gets its rollback. */
const COMMAND_TTL_MS = 7 * 86_400_000;

export interface RolloutsServiceOptions {
  dataDir: string;
  db: Db;
  receivers: ReceiversReadModel;
  publisher: CommandPublisher;
  audit: AuditLog;
  clock: Clock;
  log: Logger;
  packageUrl: (updateId: string) => string;
}

export class RolloutsService {
  readonly dir: string;
  private timer?: NodeJS.Timeout;

  private readonly db: Db;
  private readonly receivers: ReceiversReadModel;
  private readonly publisher: CommandPublisher;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly packageUrl: (updateId: string) => string;
  /** Runs a pass over the running rollouts: one at a time, a failure logged (never thrown into a timer). */
  readonly tick: () => Promise<void>;

  constructor({ dataDir, db, receivers, publisher, audit, clock, log, packageUrl }: RolloutsServiceOptions) {
    this.db = db;
    this.receivers = receivers;
    this.publisher = publisher;
    this.audit = audit;
    this.clock = clock;
    this.log = log;
    this.packageUrl = packageUrl;
    this.tick = singlePass(() => this.pass(), log, 'rollout pass', undefined);
    this.dir = join(dataDir, 'updates');
    mkdirSync(this.dir, { recursive: true });
  }

  fileOf(id: string): string {
    return join(this.dir, `${id}.pkg`);
  }

  /** Keeps an uploaded package (already streamed to `path`) as a new version. */
  async addPackage(path: string, version: string, notes: string | null, actor: Actor): Promise<AgentUpdate> {
    if (this.db.prepare('SELECT 1 FROM agent_updates WHERE version = ?').get(version)) {
      await rm(path, { force: true });
      throw new DomainError('conflict', 'already_exists', { what: 'what_update', id: version });
    }
    const bytes = await readFile(path);
    const update: AgentUpdate = {
      id: randomUUID(),
      version,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size_bytes: (await stat(path)).size,
      notes,
      created_by: actor.id,
      created_at: this.clock.now().toISOString(),
    };
    await rename(path, this.fileOf(update.id));
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO agent_updates (id, version, sha256, size_bytes, notes, created_by, created_at) VALUES (@id, @version, @sha256, @size_bytes, @notes, @created_by, @created_at)',
        )
        .run(update);
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'agent_update.uploaded',
        subject: update.id,
        detail: { version, sha256: update.sha256, size_bytes: update.size_bytes },
      });
    })();
    return update;
  }

  updates(): AgentUpdate[] {
    return this.db.prepare<[], AgentUpdate>('SELECT * FROM agent_updates ORDER BY created_at DESC').all();
  }

  update(id: string): AgentUpdate {
    const u = this.db.prepare<[string], AgentUpdate>('SELECT * FROM agent_updates WHERE id = ?').get(id);
    if (!u) throw notFound('what_update', id);
    return u;
  }

  /** Plans a rollout: the chosen receivers (by hamlet, or a share of all), in batches. */
  start(
    updateId: string,
    input: { hamlet_ids?: string[]; percent?: number; batch_size: number; health_wait_s: number },
    actor: Actor,
  ): Rollout {
    const update = this.update(updateId);
    if (this.db.prepare("SELECT 1 FROM rollouts WHERE status = 'running'").get())
      throw new DomainError('conflict', 'rollout_running');
    let targets = this.receivers
      .list()
      .filter((r) => r.secret_hash && !r.revoked_at && (!input.hamlet_ids || input.hamlet_ids.includes(r.hamlet_id)));
    if (input.percent !== undefined)
      targets = targets.slice(0, Math.max(1, Math.round((targets.length * input.percent) / 100)));
    if (targets.length === 0) throw new DomainError('invalid', 'no_receivers_targeted');
    const now = this.clock.now().toISOString();
    const rollout: Rollout = {
      id: randomUUID(),
      update_id: update.id,
      status: 'running',
      reason: null,
      batch_size: input.batch_size,
      health_wait_s: input.health_wait_s,
      created_by: actor.id,
      created_at: now,
      finished_at: null,
    };
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO rollouts (id, update_id, status, reason, batch_size, health_wait_s, created_by, created_at, finished_at)
        VALUES (@id, @update_id, @status, @reason, @batch_size, @health_wait_s, @created_by, @created_at, @finished_at)`,
        )
        .run(rollout);
      const insert = this.db.prepare(
        `INSERT INTO rollout_receivers (rollout_id, receiver_id, batch, status, previous_version, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
      );
      targets.forEach((r, i) => {
        // Receivers already on this version have nothing to do.
        const done = r.agent_version === update.version;
        insert.run(
          rollout.id,
          r.id,
          Math.floor(i / input.batch_size),
          done ? 'skipped' : 'waiting',
          r.agent_version,
          now,
        );
      });
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'rollout.started',
        subject: rollout.id,
        detail: { version: update.version, receivers: targets.length, batch_size: input.batch_size },
      });
    })();
    void this.tick();
    return this.rollout(rollout.id);
  }

  rollout(id: string): Rollout & { version: string; receivers: RolloutReceiver[] } {
    const r = this.db
      .prepare<[string], Rollout & { version: string }>(
        'SELECT r.*, u.version FROM rollouts r JOIN agent_updates u ON u.id = r.update_id WHERE r.id = ?',
      )
      .get(id);
    if (!r) throw notFound('what_rollout', id);
    return {
      ...r,
      receivers: this.db
        .prepare<[string], RolloutReceiver>(
          'SELECT * FROM rollout_receivers WHERE rollout_id = ? ORDER BY batch, receiver_id',
        )
        .all(id),
    };
  }

  stop(id: string, reason: string, actor: Actor): void {
    this.finish(this.rollout(id), 'stopped', reason, actor);
  }

  startTimer(intervalS = 5): void {
    this.timer = setInterval(() => void this.tick(), intervalS * 1000);
  }

  stopTimer(): void {
    clearInterval(this.timer);
  }

  /** Moves running rollouts on: judges the batch in flight, then sends the next. */
  private async pass(): Promise<void> {
    for (const { id } of this.db.prepare<[], { id: string }>("SELECT id FROM rollouts WHERE status = 'running'").all())
      await this.advance(id);
    this.noteRollbacks();
  }

  private async advance(id: string): Promise<void> {
    const rollout = this.rollout(id);
    const update = this.update(rollout.update_id);
    const now = this.clock.now();
    const set = (receiverId: string, status: string, detail: string | null = null) =>
      this.db
        .prepare(
          'UPDATE rollout_receivers SET status = ?, detail = COALESCE(?, detail), updated_at = ? WHERE rollout_id = ? AND receiver_id = ?',
        )
        .run(status, detail, now.toISOString(), id, receiverId);

    for (const rr of rollout.receivers.filter((x) => x.status === 'sent')) {
      const r = this.receivers.get(rr.receiver_id);
      if (r?.status === 'online' && r.agent_version === update.version) {
        set(rr.receiver_id, 'healthy');
      } else if (Date.parse(rr.sent_at!) + rollout.health_wait_s * 1000 < now.getTime()) {
        set(rr.receiver_id, 'failed', `not back online with ${update.version} within ${rollout.health_wait_s} s`);
        await this.send(rr.receiver_id, 'rollback', { version: rr.previous_version ?? 'built-in' });
        this.finish(
          rollout,
          'stopped',
          `receiver ${rr.receiver_id} did not come back healthy; it is being rolled back`,
          { id: 'rollout' },
        );
        return;
      }
    }
    const fresh = this.rollout(id).receivers;
    if (fresh.some((x) => x.status === 'sent')) return; // the batch is still coming back
    const waiting = fresh.filter((x) => x.status === 'waiting');
    if (waiting.length === 0) {
      this.finish(rollout, 'completed', null, { id: 'rollout' });
      return;
    }
    const batch = Math.min(...waiting.map((x) => x.batch));
    for (const rr of waiting.filter((x) => x.batch === batch)) {
      await this.send(rr.receiver_id, 'update', {
        version: update.version,
        url: this.packageUrl(update.id),
        sha256: update.sha256,
        size_bytes: update.size_bytes,
      });
      this.db
        .prepare(
          "UPDATE rollout_receivers SET status = 'sent', sent_at = ?, updated_at = ? WHERE rollout_id = ? AND receiver_id = ?",
        )
        .run(now.toISOString(), now.toISOString(), id, rr.receiver_id);
    }
  }

  /** A receiver told to roll back shows its previous version again: recorded. */
  private noteRollbacks(): void {
    const failed = this.db
      .prepare<[], RolloutReceiver>("SELECT * FROM rollout_receivers WHERE status = 'failed'")
      .all();
    for (const rr of failed) {
      const r = this.receivers.get(rr.receiver_id);
      if (r?.status === 'online' && r.agent_version === rr.previous_version) {
        this.db
          .prepare(
            "UPDATE rollout_receivers SET status = 'rolled_back', updated_at = ? WHERE rollout_id = ? AND receiver_id = ?",
          )
          .run(this.clock.now().toISOString(), rr.rollout_id, rr.receiver_id);
        this.log.info({ receiver_id: rr.receiver_id, version: r.agent_version }, 'receiver rolled back');
      }
    }
  }

  /** A signed command in the outbox: delivered when the receiver is (or comes back) online. */
  private async send(
    receiverId: string,
    op: 'update' | 'rollback',
    args: Record<string, string | number>,
  ): Promise<void> {
    const command = this.publisher.build(
      { type: 'op', op, args },
      { kind: 'receiver', id: receiverId },
      new Date(this.clock.now().getTime() + COMMAND_TTL_MS),
    );
    const stored = this.db.transaction(() => {
      const row = this.publisher.store(command);
      this.audit.append({ actor: 'rollout', action: `receiver.${op}`, subject: receiverId, detail: args });
      return row;
    })();
    await this.publisher.publishStored(stored);
  }

  private finish(rollout: Rollout, status: 'completed' | 'stopped', reason: string | null, actor: Actor): void {
    if (rollout.status !== 'running') return;
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE rollouts SET status = ?, reason = ?, finished_at = ? WHERE id = ?')
        .run(status, reason, this.clock.now().toISOString(), rollout.id);
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: `rollout.${status}`,
        subject: rollout.id,
        detail: { reason },
      });
    })();
    if (status === 'stopped') this.log.warn({ rollout_id: rollout.id, reason }, 'rollout stopped');
  }
}
