/**
 * The device's MQTT link as the kit sees it from its own broker. A device the technician started
 * by hand (`--wait`) has no process the kit can watch: its link is what tells the kit it is gone.
 * Dropping off the broker while no case cut the link ends the run as a device process that exits
 * does (device-process.ts): the case it was in and those after it are not run, never judged on
 * the silence of a device that is not there. A drop the kit made itself (link_loss, last_will) is
 * given the kit's reconnect time, and a little more so the case that cut it judges first.
 */
import { inBoth } from '../../controller/i18n/messages.js';
import type { KitBroker, RefusedConnection } from './kit-broker.js';

export interface DeviceLinkLoss {
  /** The case running when the kit gave the device up (null: between cases). */
  during: string | null;
  /** The kit had cut the link itself, and the device did not come back in time. */
  after_cut: boolean;
  /** How long the kit waited for it after the drop. */
  waited_ms: number;
}

/** An unplanned drop is given this long before the run ends: a device process that died is told as such first. */
export const DROP_SETTLE_MS = 1500;
/**
 * Past the reconnect time after a cut, so the case that cut the link records that the device did
 * not come back (last_will first waits up to 5 s for the will itself).
 */
export const AFTER_CUT_SLACK_MS = 10_000;

export class DeviceLinkWatch {
  /** Resolves once, when the device is given up. */
  readonly lost: Promise<DeviceLinkLoss>;
  private resolveLost!: (loss: DeviceLinkLoss) => void;
  private downSince?: number;
  /** The current drop is one the kit made (a cut), not the device's doing. */
  private planned = false;
  private timer?: NodeJS.Timeout;
  private done = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly broker: KitBroker,
    private readonly o: { reconnectMs: number; current: () => string | null; settleMs?: number; slackMs?: number },
  ) {
    this.lost = new Promise((resolve) => (this.resolveLost = resolve));
    this.unsubscribe = broker.onDevice((connected) => (connected ? this.up() : this.down()));
    // It may have dropped between announcing itself and this watch.
    if (!broker.deviceSession().connected) this.down();
  }

  /** The device dropped off unasked: what the current case saw is the silence of a device that is gone. */
  get dropped(): boolean {
    return this.downSince !== undefined && !this.planned && !this.done;
  }

  stop(): void {
    this.done = true;
    clearTimeout(this.timer);
    this.unsubscribe();
  }

  private up(): void {
    // Back from a cut the kit made: that is what the case asked for. An unplanned drop stays fatal.
    if (this.planned) {
      clearTimeout(this.timer);
      this.downSince = undefined;
      this.planned = false;
    }
  }

  private down(): void {
    if (this.done || this.downSince !== undefined) return;
    const now = performance.now();
    this.downSince = now;
    const cutEnds = this.broker.cutEndsAt;
    // Dropped while the kit holds the link down: the device has the reconnect time after the blackout.
    this.planned = now <= cutEnds;
    const wait = this.planned
      ? cutEnds - now + this.o.reconnectMs + (this.o.slackMs ?? AFTER_CUT_SLACK_MS)
      : (this.o.settleMs ?? DROP_SETTLE_MS);
    this.timer = setTimeout(() => this.giveUp(), wait);
  }

  private giveUp(): void {
    if (this.done || this.downSince === undefined) return;
    const loss = {
      during: this.o.current(),
      after_cut: this.planned,
      waited_ms: Math.round(performance.now() - this.downSince),
    };
    this.stop();
    this.resolveLost(loss);
  }
}

/** What the report says of a device that dropped off and was given up. */
export function describeLoss(loss: DeviceLinkLoss): { vi: string; en: string } {
  const params = { case: loss.during ?? '—', seconds: (loss.waited_ms / 1000).toFixed(1) };
  return inBoth(loss.after_cut ? 'conf_device_not_back_after_cut' : 'conf_device_link_lost', params);
}

/** The line said every few seconds while the kit waits for the device's first connection. */
export function waitingNotice(o: {
  seconds: number;
  mqttUrl: string;
  receiverId: string;
  refused: readonly RefusedConnection[];
}): string {
  const lines = [inBoth('conf_waiting_for_device', { seconds: o.seconds, mqtt: o.mqttUrl })];
  if (o.refused.length) {
    // Each distinct mistake once, the latest first: what the technician must fix now.
    const seen = new Map<string, RefusedConnection>();
    for (const r of [...o.refused].reverse()) seen.set(`${r.reason} ${r.clientId} ${r.username ?? ''}`, r);
    lines.push(
      inBoth('conf_waiting_refused', { count: o.refused.length }),
      ...[...seen.values()].slice(0, 3).map((r) => inBoth(REFUSAL_WORDS[r.reason], refusalParams(r, o.receiverId))),
    );
  }
  return [...lines.map((l) => l.vi), ...lines.map((l) => l.en)].join('\n');
}

export const REFUSAL_WORDS = {
  wrong_password: 'conf_connection_refused_password',
  no_password: 'conf_connection_no_password',
  wrong_identity: 'conf_connection_refused',
} as const;

export function refusalParams(r: RefusedConnection, receiverId: string): { who: string; expected: string } {
  return { who: `client id "${r.clientId}", username "${r.username ?? ''}"`, expected: `"${receiverId}"` };
}
