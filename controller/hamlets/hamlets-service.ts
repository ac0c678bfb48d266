import type { Clock } from '../clock.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import type { Db } from '../db/database.js';
import { AppError, notFound } from '../http/errors.js';
import type { ReceiversRepository } from '../receivers/receivers-repository.js';
import type { Actor } from '../audit/actor.js';
import type { Settings } from '../settings.js';
import type { Hamlet, HamletsRepository } from './hamlets-repository.js';

export class HamletsService {
  constructor(
    private readonly db: Db,
    private readonly repo: HamletsRepository,
    private readonly receivers: ReceiversRepository,
    private readonly audit: AuditRepository,
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
    if (this.repo.get(input.id)) throw new AppError(409, 'already_exists', { what: 'what_hamlet', id: input.id });
    this.db.transaction(() => {
      this.repo.insert({ ...input, created_at: this.clock.now().toISOString() });
      this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'hamlet.created', subject: input.id, detail: input });
    })();
    return this.get(input.id);
  }

  update(id: string, fields: Partial<Pick<Hamlet, 'name' | 'households' | 'population' | 'lat' | 'lon' | 'quiet_start' | 'quiet_end'>>, actor: Actor): Hamlet {
    this.get(id);
    this.db.transaction(() => {
      this.repo.update(id, fields);
      this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'hamlet.updated', subject: id, detail: fields });
    })();
    return this.get(id);
  }

  remove(id: string, actor: Actor): void {
    this.get(id);
    const count = this.receivers.countInHamlet(id);
    if (count > 0) throw new AppError(409, 'hamlet_not_empty', { id, count });
    this.db.transaction(() => {
      this.repo.delete(id);
      this.audit.append({ actor: actor.id, source_ip: actor.ip, action: 'hamlet.deleted', subject: id });
    })();
  }

  /** Creates the hamlets and receivers of the config file that do not exist yet; never changes existing ones. */
  seed(settings: Settings): { hamlets: number; receivers: number } {
    let hamlets = 0;
    let receivers = 0;
    const now = this.clock.now().toISOString();
    this.db.transaction(() => {
      for (const h of settings.hamlets) {
        if (!this.repo.get(h.id)) {
          this.repo.insert({ id: h.id, name: h.name, households: h.households, population: h.population, lat: h.lat ?? null, lon: h.lon ?? null, created_at: now });
          hamlets++;
        }
        for (const r of h.receivers) {
          if (!this.receivers.get(r.id)) {
            this.receivers.insert({ id: r.id, hamlet_id: h.id, name: r.name, created_at: now });
            receivers++;
          }
        }
      }
      if (hamlets + receivers > 0) {
        this.audit.append({ actor: 'system', action: 'config.seeded', detail: { hamlets, receivers } });
      }
    })();
    return { hamlets, receivers };
  }
}
