/**
 * The commune's own abbreviations: the ones an installer wrote in the config (`tts.abbreviations`)
 * and the ones staff add from the console, which win when both name the same one. A change is
 * tried first (`POST /api/tts/normalize` with `abbreviations`), then saved and audited; from then
 * on every reading uses it. Readings are words: a reading with digits or symbols would be read
 * again by the rules and surprise whoever added it.
 */
import type { Actor } from '../audit/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../shared/domain-error.js';
import type { AbbreviationsRepository } from './abbreviations-repository.js';

export interface AbbreviationView {
  written: string;
  reading: string;
  /** `config`: from the config file (changed there); `commune`: added from the console. */
  source: 'config' | 'commune';
  updated_by: string | null;
  updated_by_name: string | null;
  updated_at: string | null;
  /** A console entry that replaces the config's reading of the same abbreviation. */
  overrides_config: boolean;
}

/**
 * As written: letters (with diacritics), digits and the marks used inside abbreviations, with at
 * least one capital: an abbreviation is written so, and a plain word ("thôn") saved here would
 * change every notice that uses it.
 */
const WRITTEN = /^(?=.*\p{Lu})[\p{L}\p{N}.&/+-]{1,30}$/u;
/** A reading: Vietnamese words, spaces and commas; no digits, no symbols. */
const READING = /^[\p{L}\p{M} ,'-]{1,200}$/u;

export const normalizeWritten = (written: string) => written.normalize('NFC').trim();

export class AbbreviationsService {
  constructor(
    private readonly db: Db,
    private readonly repo: AbbreviationsRepository,
    private readonly fromConfig: Readonly<Record<string, string>>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** What the normaliser uses: the config's, then the console's over them. */
  effective(): Record<string, string> {
    return { ...this.fromConfig, ...Object.fromEntries(this.repo.list().map((a) => [a.written, a.reading])) };
  }

  list(): AbbreviationView[] {
    // Who saved it, as people know them: a person by name; an API token (actor "token:<name>") by
    // its name and the person it speaks for (its maker, a user id or, on older tokens, a username).
    const names = new Map<string, string | null>(
      this.db
        .prepare<[], { actor: string; name: string | null }>(
          `SELECT username AS actor, display_name AS name FROM users
       UNION ALL
       SELECT 'token:' || t.name, COALESCE(u.display_name, u.username, t.name) || CASE WHEN u.username IS NULL THEN '' ELSE ' (' || t.name || ')' END
       FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by OR u.username = t.created_by`,
        )
        .all()
        .map((r) => [r.actor, r.name]),
    );
    const commune = this.repo.list();
    const added = new Set(commune.map((a) => a.written));
    const config: AbbreviationView[] = Object.entries(this.fromConfig)
      .filter(([written]) => !added.has(normalizeWritten(written)))
      .map(([written, reading]) => ({
        written,
        reading,
        source: 'config',
        updated_by: null,
        updated_by_name: null,
        updated_at: null,
        overrides_config: false,
      }));
    const own: AbbreviationView[] = commune.map((a) => ({
      ...a,
      source: 'commune',
      updated_by_name: names.get(a.updated_by) ?? a.updated_by,
      overrides_config: Object.keys(this.fromConfig).some((k) => normalizeWritten(k) === a.written),
    }));
    return [...own, ...config].sort((a, b) => a.written.localeCompare(b.written, 'vi'));
  }

  /** Checks an abbreviation and its reading; throws what is wrong, in words. */
  static check(written: string, reading: string): { written: string; reading: string } {
    const w = normalizeWritten(written);
    const r = reading.normalize('NFC').replace(/\s+/g, ' ').trim();
    if (!WRITTEN.test(w)) throw new DomainError('invalid', 'tts_abbreviation_written_invalid', { written: w });
    if (!READING.test(r))
      throw new DomainError('invalid', 'tts_abbreviation_reading_invalid', { written: w, reading: r });
    return { written: w, reading: r.toLocaleLowerCase('vi') };
  }

  set(written: string, reading: string, actor: Actor): AbbreviationView {
    const a = AbbreviationsService.check(written, reading);
    this.db.transaction(() => {
      const before = this.repo.get(a.written);
      this.repo.put({ ...a, updated_by: actor.id, updated_at: this.clock.now().toISOString() });
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'tts.abbreviation_set',
        subject: a.written,
        detail: { reading: a.reading, before: before?.reading ?? this.fromConfig[a.written] ?? null },
      });
    })();
    return this.list().find((v) => v.written === a.written && v.source === 'commune')!;
  }

  delete(written: string, actor: Actor): void {
    const w = normalizeWritten(written);
    const before = this.repo.get(w);
    if (!before && Object.keys(this.fromConfig).some((k) => normalizeWritten(k) === w))
      throw new DomainError('conflict', 'tts_abbreviation_in_config', { written: w });
    if (!before) throw notFound('what_abbreviation', w);
    this.db.transaction(() => {
      this.repo.delete(w);
      this.audit.append({
        actor: actor.id,
        source_ip: actor.ip,
        action: 'tts.abbreviation_deleted',
        subject: w,
        detail: { reading: before.reading },
      });
    })();
  }
}
