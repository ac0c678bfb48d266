/**
 * The hamlets and receivers of the config file, created at start when they do not exist yet
 * (existing ones are never changed). It writes two wings' tables in one transaction, so it
 * lives with the wiring, which may use every repository.
 */
import type { AuditRepository } from '../audit/audit-repository.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { HamletsRepository } from '../hamlets/hamlets-repository.js';
import type { ReceiversRepository } from '../receivers/receivers-repository.js';
import type { Settings } from '../settings.js';

export function seedFromConfig(
  {
    db,
    hamlets: hamletsRepo,
    receivers: receiversRepo,
    audit,
    clock,
  }: { db: Db; hamlets: HamletsRepository; receivers: ReceiversRepository; audit: AuditRepository; clock: Clock },
  settings: Settings,
): { hamlets: number; receivers: number } {
  let hamlets = 0;
  let receivers = 0;
  const now = clock.now().toISOString();
  db.transaction(() => {
    for (const h of settings.hamlets) {
      if (!hamletsRepo.get(h.id)) {
        hamletsRepo.insert({
          id: h.id,
          name: h.name,
          households: h.households,
          population: h.population,
          lat: h.lat ?? null,
          lon: h.lon ?? null,
          created_at: now,
        });
        hamlets++;
      } else if (h.lat !== undefined && h.lat !== null && h.lon !== undefined && h.lon !== null) {
        // Coordinates added to the config later place a hamlet that had none (never move one placed since).
        const placed = db
          .prepare('UPDATE hamlets SET lat = ?, lon = ? WHERE id = ? AND lat IS NULL AND lon IS NULL')
          .run(h.lat, h.lon, h.id).changes;
        if (placed > 0)
          audit.append({
            actor: 'system',
            action: 'hamlet.placed_from_config',
            subject: h.id,
            detail: { lat: h.lat, lon: h.lon },
          });
      }
      for (const r of h.receivers) {
        if (!receiversRepo.get(r.id)) {
          receiversRepo.insert({ id: r.id, hamlet_id: h.id, name: r.name, created_at: now });
          receivers++;
        }
      }
    }
    if (hamlets + receivers > 0) {
      audit.append({ actor: 'system', action: 'config.seeded', detail: { hamlets, receivers } });
    }
  })();
  return { hamlets, receivers };
}
