/**
 * Saving, changing and switching on schedules through the safety gate. A schedule sounds many
 * times, so the gate is asked when it is saved: the caller's level and TOTP (rules 1 and 2), and
 * whether a person must confirm it (rule 5: an emergency, or the whole commune). One that must be
 * confirmed is saved switched off and switched on by the confirmation (on the urgent desk, like a
 * broadcast's); an unconfirmed one never sounds. Quiet hours and dates are checked for each
 * occurrence by SchedulesService (at save) and again when each is sent.
 */
import type { PendingConfirmation, SendDesk } from '../broadcasts/send-desk.js';
import { DomainError } from '../shared/domain-error.js';
import type { Caller, SafetyGate } from '../safety/safety-gate.js';
import type { ScheduleSpec } from './schedule-spec.js';
import type { Scheduler } from './scheduler.js';
import type { Explanation, Schedule, SchedulesService } from './schedules-service.js';

export interface Saved {
  schedule: Schedule;
  warnings: Explanation[];
  /** Set when a person must confirm it before it is switched on. */
  pending?: PendingConfirmation;
}

export class ScheduleDesk {
  constructor(
    private readonly o: { schedules: SchedulesService; scheduler: Scheduler; gate: SafetyGate; sendDesk: SendDesk },
  ) {
    // A confirmation switches the schedule on and plans its occurrences.
    o.sendDesk.onScheduleConfirmed(async (id, confirmer) => {
      o.schedules.setEnabled(id, true, confirmer);
      await o.scheduler.replan(id, confirmer);
    });
  }

  async create(spec: ScheduleSpec, caller: Caller): Promise<Saved> {
    const verdict = this.admit(spec, caller);
    const { schedule, warnings } = this.o.schedules.create(spec, caller.actor, { enabled: !verdict.confirm });
    if (verdict.confirm)
      return { schedule, warnings, pending: this.ask(schedule, verdict.confirm.second_person, caller) };
    await this.o.scheduler.tick();
    return { schedule, warnings };
  }

  /** A change is asked of the gate as a new schedule; one that must be confirmed is switched off until it is. */
  async update(id: string, spec: ScheduleSpec, caller: Caller): Promise<Saved> {
    this.o.gate.mayAsk(caller, this.o.schedules.get(id).spec.priority);
    const verdict = this.admit(spec, caller);
    let { schedule, warnings } = this.o.schedules.update(id, spec, caller.actor);
    if (verdict.confirm && schedule.row.enabled === 1) schedule = this.o.schedules.setEnabled(id, false, caller.actor);
    await this.o.scheduler.replan(id, caller.actor);
    return {
      schedule,
      warnings,
      ...(verdict.confirm ? { pending: this.ask(schedule, verdict.confirm.second_person, caller) } : {}),
    };
  }

  async setEnabled(id: string, enabled: boolean, caller: Caller): Promise<Saved> {
    const current = this.o.schedules.get(id);
    this.o.gate.mayAsk(caller, current.spec.priority);
    if (enabled) {
      const verdict = this.admit(current.spec, caller);
      if (verdict.confirm)
        return { schedule: current, warnings: [], pending: this.ask(current, verdict.confirm.second_person, caller) };
    }
    const schedule = this.o.schedules.setEnabled(id, enabled, caller.actor);
    await this.o.scheduler.replan(id, caller.actor);
    return { schedule, warnings: [] };
  }

  /**
   * A playlist's items change what its schedules play: the caller needs each schedule's level, and
   * a schedule that needed a confirmation (an emergency, the whole commune) is switched off until
   * its new content is confirmed. Asked before the playlist is saved: a refusal changes nothing.
   */
  checkPlaylistChange(playlistId: string, caller: Caller): Schedule[] {
    const using = this.o.schedules.list().filter((s) => s.spec.playlist_id === playlistId);
    for (const s of using) this.o.gate.mayAsk(caller, s.spec.priority);
    return using.filter((s) => s.row.enabled === 1 && this.admit(s.spec, caller).confirm);
  }

  /** A playlist a schedule still plays is not deleted from under it: the schedule names it (delete or change the schedule first). */
  checkPlaylistRemoval(playlistId: string): void {
    const using = this.o.schedules.list().filter((s) => s.spec.playlist_id === playlistId);
    if (using.length > 0)
      throw new DomainError('conflict', 'playlist_in_use', { schedules: using.map((s) => s.row.name).join(', ') });
  }

  /** After the change: the schedules that need their new content confirmed are switched off, each with its confirmation. */
  async reconfirm(schedules: Schedule[], caller: Caller): Promise<PendingConfirmation[]> {
    const pending: PendingConfirmation[] = [];
    for (const s of schedules) {
      const off = this.o.schedules.setEnabled(s.row.id, false, caller.actor);
      await this.o.scheduler.replan(s.row.id, caller.actor);
      pending.push(this.ask(off, this.admit(s.spec, caller).confirm!.second_person, caller));
    }
    return pending;
  }

  /** Deleting silences: the caller needs the schedule's level, nothing more. */
  async remove(id: string, caller: Caller): Promise<void> {
    this.o.gate.mayAsk(caller, this.o.schedules.get(id).spec.priority);
    this.o.schedules.remove(id, caller.actor);
    await this.o.scheduler.replan(id, caller.actor);
  }

  private admit(spec: ScheduleSpec, caller: Caller) {
    const hamlet_ids = this.o.schedules.hamletsOf(spec);
    return this.o.gate.admit(caller, {
      path: 'schedule',
      priority: spec.priority,
      hamlet_ids,
      all: spec.target.all,
      starts_later: true,
    });
  }

  private ask(schedule: Schedule, secondPerson: boolean, caller: Caller): PendingConfirmation {
    const { spec } = schedule;
    const hamlets = this.o.schedules.hamletsOf(spec);
    return this.o.sendDesk.requestSchedule(
      schedule.row.id,
      { priority: spec.priority, target: spec.target, volume_pct: spec.volume_pct },
      hamlets,
      this.o.sendDesk.receiversIn(hamlets),
      secondPerson,
      caller,
    );
  }
}
