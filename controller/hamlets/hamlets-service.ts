import type { Clock } from '../clock.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../shared/domain-error.js';
import type { ReceiversReadModel } from '../receivers/receivers-read-model.js';
import type { Actor } from '../audit/actor.js';
import type { Hamlet, HamletsRepository } from './hamlets-repository.js';

export class HamletsService {
  constructor(
    private readonly db: Db,
    private readonly repo: HamletsRepository,
    private readonly receivers: ReceiversReadModel,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  list(): Hamlet[] {
    return this.repo.list();
  }

  get(id: string): Hamlet {
    const hamlet = this.repo.get(id);
    if (!hamlet) throw notFound('what_hamlet', id);
    return hamlet;
  }

  create(input: Omit<Hamlet, 'created_at'>, actor: Actor): Hamlet {
    if (this.repo.get(input.id))
      throw new DomainError('conflict', 'already_exists', { what: 'what_hamlet', id: input.id });
    this.db.transaction(() => {
      this.repo.insert({ ...input, created_at: this.clock.now().toISOString() });
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'hamlet.created',
        subject: input.id,
        detail: input,
      });
    })();
    return this.get(input.id);
  }

  update(
    id: string,
    fields: Partial<Pick<Hamlet, 'name' | 'households' | 'population' | 'lat' | 'lon' | 'quiet_start' | 'quiet_end'>>,
    actor: Actor,
  ): Hamlet {
    this.get(id);
    this.db.transaction(() => {
      this.repo.update(id, fields);
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'hamlet.updated',
        subject: id,
        detail: fields,
      });
    })();
    return this.get(id);
  }

  remove(id: string, actor: Actor): void {
    this.get(id);
    const count = this.receivers.countInHamlet(id);
    if (count > 0) throw new DomainError('conflict', 'hamlet_not_empty', { id, count });
    this.db.transaction(() => {
      this.repo.delete(id);
      this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'hamlet.deleted', subject: id });
    })();
  }
}
