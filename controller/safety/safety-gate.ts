/**
 * The safety gate: the one place that decides whether a request may make loudspeakers sound,
 * who must confirm it first, and why not. Every sound path asks it (SOUND_PATHS lists them, and a
 * test walks each against each rule): API broadcasts and their confirmation, bulletins,
 * cancel-and-correct, schedules (saved, changed, enabled) and their occurrences, relays and live
 * sessions (they sound as broadcasts), CAP alerts posted or polled, and remote operations that
 * sound (test_tone).
 *
 * The rules, asked in this order:
 *  1. level: the caller holds `broadcast:<priority>`;
 *  2. TOTP for an emergency (security.require_totp_for_emergency): a session that passed TOTP, or a
 *     token with its owner's current code in the X-TOTP-Code header (a token is its owner);
 *  3. horizon: a start (play_at) at most broadcasts.max_ahead_hours ahead and not in the past;
 *  4. quiet hours: only an emergency sounds in a hamlet's quiet hours;
 *  5. confirmation: an emergency, the whole commune (emergency.confirm_whole_commune: every hamlet
 *     with receivers counts as the whole commune, however it is named), an alert from a sender
 *     not trusted, or one a person typed in as CAP, waits for a person's confirmation; from a
 *     second *person* when emergency.second_person (two tokens of one person are one person);
 *  6. volume: normal and priority items at most broadcasts.max_volume_pct (and the time-of-day
 *     caps), an emergency at most emergency.max_volume_pct.
 * A refusal is a DomainError naming the rule (answered 4xx in Vietnamese and English) and an audit
 * entry saying why; nothing is stored or sent before the gate has said yes.
 */
import type { Actor } from '../audit/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Principal } from '../accounts/principal.js';
import type { Permission } from '../accounts/permissions.js';
import type { Clock } from '../clock.js';
import type { Priority } from '../protocol/messages.js';
import type { Settings } from '../settings.js';
import { DomainError } from '../shared/domain-error.js';
import type { QuietHours } from '../broadcasts/quiet-hours.js';

/** The ways into a loudspeaker, each named as the gate records it. */
export const SOUND_PATHS = [
  'broadcast',
  'confirmation',
  'bulletin',
  'correction',
  'schedule',
  'cap',
  'test_tone',
] as const;
export type SoundPath = (typeof SOUND_PATHS)[number];

/**
 * Every HTTP route that can make a receiver sound, with the path it takes through the gate.
 * Routes that silence (stop, cancel's stop half) or only prepare (uploads, live session setup) are
 * not here: a test lists every route that changes something and fails on one that is in neither.
 */
export const SOUND_ROUTES: Record<string, SoundPath> = {
  'POST /api/broadcasts': 'broadcast',
  'POST /api/broadcasts/confirmations/:id/confirm': 'confirmation',
  'POST /api/broadcasts/:id/cancel': 'correction',
  'POST /api/bulletins/:id/broadcast': 'bulletin',
  'POST /api/schedules': 'schedule',
  'PUT /api/schedules/:id': 'schedule',
  'POST /api/schedules/:id/enable': 'schedule',
  'POST /api/cap/alerts': 'cap',
  'POST /api/receivers/:id/ops': 'test_tone',
};

export type Target = { all?: boolean; hamlet_ids?: string[]; receiver_ids?: string[] };

/** Who asks: a person (session), a token (speaks for its owner), or the controller itself (CAP poller, scheduler). */
export interface Caller {
  principal?: Principal;
  /** One person, however they call: `person:<id>` (sessions and tokens alike), or the automation's name. */
  key: string;
  actor: Actor;
  /** A token's proof of TOTP: its owner's current code (X-TOTP-Code). */
  totp_code?: string;
}

export interface SoundAsk {
  path: SoundPath;
  priority: Priority;
  /** The hamlets it sounds in (receivers named alone count for their hamlet). */
  hamlet_ids: string[];
  /** Named as the whole commune. */
  all?: boolean;
  play_at?: string | null;
  /** How long it sounds, for quiet hours over its whole length (0: the instant it starts). */
  duration_ms?: number;
  /**
   * Who it comes from, for rule 5: a person (the default); a trusted automated source (a CAP
   * sender in cap.trusted_senders, polled or posted by a token): it goes at once; a source not
   * trusted (any other CAP sender, or a CAP document a person posted by hand): a person confirms
   * it; the prepared correction (emergency.correction_text, approved in the configuration).
   */
  origin?: 'person' | 'trusted_source' | 'untrusted_source' | 'prepared';
  /**
   * A schedule: its starts are later and many. Rules 3 and 4 are asked of each occurrence instead
   * (when it is saved, over programme.check_days, and again when each is sent).
   */
  starts_later?: boolean;
}

export interface Verdict {
  /** null: it may go now. */
  confirm: null | { second_person: boolean };
}

export interface SafetyGateOptions {
  accounts: { requireForEmergency(principal: Principal, totpCode?: string): void };
  quiet: Pick<QuietHours, 'quietHamlets' | 'firstQuietInstant' | 'namesOf' | 'refusalWords'>;
  /** Every hamlet that has an enrolled receiver: naming all of them is naming the whole commune. */
  hamletsWithReceivers: () => string[];
  settings: Pick<Settings, 'broadcasts' | 'emergency'>;
  audit: AuditLog;
  clock: Clock;
}

/** A play_at this far in the past is a mistake, not a receiver's clock being a little ahead. */
const PLAY_AT_PAST_TOLERANCE_MS = 60_000;

export class SafetyGate {
  constructor(private readonly o: SafetyGateOptions) {}

  /**
   * Every rule for one ask: the verdict (go, or who must confirm), or a refusal naming the rule.
   * The refusal is audited; the caller has stored and sent nothing yet.
   */
  admit(caller: Caller, ask: SoundAsk): Verdict {
    return this.refusing(caller, ask, () => {
      this.levelRules(caller, ask.priority);
      if (!ask.starts_later) {
        this.checkStart(ask.play_at);
        this.checkQuiet(
          ask.priority,
          ask.hamlet_ids,
          ask.play_at ? new Date(ask.play_at) : this.o.clock.now(),
          ask.duration_ms ?? 0,
        );
      }
      return { confirm: this.confirmation(ask) };
    });
  }

  /** Rules 1 and 2 alone, audited when refused: the caller may handle something of this level (change or delete a schedule). */
  mayAsk(caller: Caller, priority: Priority, path: SoundPath = 'schedule'): void {
    this.refusing(caller, { path, priority, hamlet_ids: [] }, () => this.levelRules(caller, priority));
  }

  private levelRules(caller: Caller, priority: Priority): void {
    const p = caller.principal;
    if (!p) return; // an automated source (CAP): judged by rule 5, and its confirmer by these rules
    if (p.kind === 'receiver') throw new DomainError('forbidden', 'forbidden');
    const permission = `broadcast:${priority}` as Permission;
    if (!p.permissions.has(permission)) throw new DomainError('forbidden', 'level_not_allowed', { level: priority });
    if (priority === 'emergency') this.o.accounts.requireForEmergency(p, caller.totp_code);
  }

  /** Rule 1 and 2 for a confirmation, audited when refused. */
  mayConfirm(caller: Caller, ask: Pick<SoundAsk, 'priority' | 'hamlet_ids'>): void {
    this.refusing(caller, { path: 'confirmation', ...ask }, () => this.levelRules(caller, ask.priority));
  }

  /**
   * A technician's test tone (its right is receivers:ops, checked by its route): rule 4 alone,
   * since a test tone is never an emergency. In quiet hours it is not refused but turned down to
   * `broadcasts.quiet_test_tone_pct` (0: a silent run of the whole chain), so a receiver can be
   * checked at night without waking the hamlet; refused (and audited) only where the commune set
   * that to null. Returns the volume ceiling for the tone, or null when none applies.
   */
  admitTestTone(actor: Actor, hamletId: string): number | null {
    const ask: SoundAsk = { path: 'test_tone', priority: 'normal', hamlet_ids: [hamletId] };
    const now = this.o.clock.now();
    if (this.o.quiet.quietHamlets([hamletId], now, now).length === 0) return null;
    const cap = this.o.settings.broadcasts.quiet_test_tone_pct;
    if (cap === null)
      this.refusing({ key: actor.id, actor }, ask, () => this.checkQuiet('normal', ask.hamlet_ids, now));
    return cap;
  }

  /** Rule 3: a bounded start. */
  checkStart(playAt: string | null | undefined): void {
    if (!playAt) return;
    const start = Date.parse(playAt);
    const now = this.o.clock.now().getTime();
    const maxHours = this.o.settings.broadcasts.max_ahead_hours;
    if (start > now + maxHours * 3_600_000)
      throw new DomainError('invalid', 'play_at_too_far', { play_at: playAt, max_hours: maxHours });
    if (start < now - PLAY_AT_PAST_TOLERANCE_MS) throw new DomainError('invalid', 'play_at_past', { play_at: playAt });
  }

  /** Rule 4: only an emergency sounds in quiet hours (each hamlet's own, over the whole sound). */
  checkQuiet(priority: Priority, hamletIds: string[], start: Date, durationMs = 0): void {
    if (priority === 'emergency') return;
    const quiet = this.o.quiet.quietHamlets([...new Set(hamletIds)], start, new Date(start.getTime() + durationMs));
    if (quiet.length > 0) throw new DomainError('invalid', 'quiet_hours', this.o.quiet.refusalWords(quiet, start));
  }

  /**
   * Rule 4 over a window: the latest a non-emergency item may still start so that it is over
   * before any of its hamlets' quiet hours begin (a receiver that gets it late, or comes back
   * late, never starts it into them). `latest` when no quiet hours come first.
   */
  latestStart(priority: Priority, hamletIds: string[], start: Date, latest: Date, soundMs: number): Date {
    if (priority === 'emergency') return latest;
    const quiet = this.o.quiet.firstQuietInstant(hamletIds, start, new Date(latest.getTime() + soundMs));
    if (!quiet) return latest;
    return new Date(Math.max(start.getTime(), Math.min(latest.getTime(), quiet.getTime() - soundMs)));
  }

  /** Rule 5: who must confirm it first (null: nobody). */
  confirmation(ask: Pick<SoundAsk, 'priority' | 'hamlet_ids' | 'all' | 'origin'>): Verdict['confirm'] {
    const e = this.o.settings.emergency;
    const origin = ask.origin ?? 'person';
    if (origin === 'trusted_source' || origin === 'prepared') return null;
    const needed =
      origin === 'untrusted_source' ||
      ask.priority === 'emergency' ||
      (e.confirm_whole_commune && this.isWholeCommune(ask));
    if (!needed) return null;
    return { second_person: ask.priority === 'emergency' && e.second_person };
  }

  /** Rule 5's second half: the confirmer is not the person who asked, when a second person is required. */
  checkSecondPerson(
    caller: Caller,
    requesterKey: string,
    required: boolean,
    ask: Pick<SoundAsk, 'priority' | 'hamlet_ids'>,
  ): void {
    if (!required || caller.key !== requesterKey) return;
    this.refusing(caller, { path: 'confirmation', ...ask }, () => {
      throw new DomainError('forbidden', 'second_person_required');
    });
  }

  /** Rule 6: the volume it plays at (the time-of-day caps are applied when the time is known). */
  volume(priority: Priority, requested?: number): number {
    if (priority === 'emergency') {
      const max = this.o.settings.emergency.max_volume_pct;
      return Math.min(requested ?? max, max);
    }
    const max = this.o.settings.broadcasts.max_volume_pct;
    return Math.min(requested ?? Math.min(80, max), max);
  }

  /** Every hamlet with receivers, named one by one, is the whole commune too. */
  isWholeCommune(ask: Pick<SoundAsk, 'hamlet_ids' | 'all'>): boolean {
    if (ask.all) return true;
    const everyHamlet = this.o.hamletsWithReceivers();
    if (everyHamlet.length < 2) return false; // one hamlet is a hamlet, not "the whole commune" to confirm
    const named = new Set(ask.hamlet_ids);
    return everyHamlet.every((h) => named.has(h));
  }

  private refusing<T>(caller: Caller, ask: SoundAsk, rules: () => T): T {
    try {
      return rules();
    } catch (err) {
      if (err instanceof DomainError) {
        this.o.audit.append({
          actor: caller.actor.id,
          source_ip: caller.actor.ip,
          action: 'sound.refused',
          subject: ask.path,
          detail: {
            rule: err.code,
            priority: ask.priority,
            hamlets: ask.hamlet_ids.slice(0, 50),
            play_at: ask.play_at ?? null,
          },
        });
      }
      throw err;
    }
  }
}
