/**
 * What the bridge checks on its host before any group connects: each group's state directory can
 * be made and written (else nothing it does would survive a restart: the bridge refuses to start,
 * saying which directory and how to fix it), and each FM group's serial key line is there (a USB
 * adapter may be plugged in later, so only a warning). Words for the technician, Vietnamese then
 * English, never a stack trace.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inBoth, type MessageKey } from '../../controller/i18n/messages.js';
import { makeDirs } from '../agent/agent-store.js';
import type { BridgeGroup } from './bridge-config.js';

export class StateDirError extends Error {
  constructor(
    readonly dir: string,
    readonly receiverId: string,
    readonly code: string,
    cause: Error,
  ) {
    super(`state directory ${dir} (${receiverId}) unusable: ${cause.message}`, { cause });
    this.name = 'StateDirError';
  }
}

/** Makes each group's state directory and writes in it once; the first that fails is thrown. */
export function prepareStateDirs(groups: readonly BridgeGroup[]): void {
  for (const { agent } of groups) {
    const dir = agent.state_dir;
    try {
      makeDirs(dir);
      // A directory that exists may still refuse writes (its owner, a read-only disk).
      const probe = join(dir, '.write-test');
      writeFileSync(probe, '', { mode: 0o600 });
      rmSync(probe, { force: true });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new StateDirError(dir, agent.receiver_id, e.code ?? 'unknown', e);
    }
  }
}

const REASONS: Record<string, MessageKey> = {
  ENOTDIR: 'bridge_state_reason_not_dir',
  EEXIST: 'bridge_state_reason_not_dir',
  EACCES: 'bridge_state_reason_denied',
  EPERM: 'bridge_state_reason_denied',
  EROFS: 'bridge_state_reason_denied',
  ENOENT: 'bridge_state_reason_cannot_create',
};

export function formatStateDirError(e: StateDirError, file: string): string {
  const reason = inBoth(REASONS[e.code] ?? 'bridge_state_reason_other', {
    error: (e.cause as Error | undefined)?.message ?? e.code,
  });
  const { vi, en } = inBoth('bridge_state_dir_unusable', { dir: e.dir, receiver: e.receiverId, reason, file });
  return `${vi}\n${en}`;
}

/** A warning for each FM group whose serial key line is not on this host (yet). */
export function keyLineWarnings(groups: readonly BridgeGroup[], file: string): string[] {
  return groups.flatMap(({ agent, driver }) => {
    if (driver.kind !== 'fm' || driver.ptt.kind !== 'serial' || existsSync(driver.ptt.path)) return [];
    const { vi, en } = inBoth('bridge_fm_key_line_missing', {
      path: driver.ptt.path,
      receiver: agent.receiver_id,
      file,
    });
    return [`${vi}\n${en}`];
  });
}
