/**
 * One controller per data directory. Two controllers on the same database and keys would both
 * publish every command and both receipt every ack, each with half the picture (a second
 * `npm start` beside the service, or a service unit started twice). The lock is a file holding
 * its owner's process id, created exclusively. A file whose process is gone (a controller that
 * was killed, or a machine that lost power) is taken over, so a restart never needs a hand to
 * remove it.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'controller.pid';

/** Whether `pid` is a running controller: alive, and (where /proc tells) running the controller's entry. */
function isController(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive, but another user's: not ours to take over.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // After a reboot the same number may belong to another program: only the controller counts.
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('main.');
  } catch {
    return true; // no /proc here: alive is all we can tell
  }
}

/**
 * Takes the data directory for this process; returns its release, or the process id of the
 * controller that holds it.
 */
export function lockDataDir(dir: string): { release: () => void } | { heldBy: number } {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
      return {
        release: () => {
          try {
            if (Number(readFileSync(file, 'utf8').trim()) === process.pid) unlinkSync(file);
          } catch {
            // already gone: nothing to release
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner: number;
    try {
      owner = Number(readFileSync(file, 'utf8').trim());
    } catch {
      continue; // removed meanwhile: try again
    }
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isController(owner)) return { heldBy: owner };
    try {
      unlinkSync(file); // left by a controller that is gone
    } catch {
      // another starting controller took it over first: the next attempt sees whose it is
    }
  }
  throw new Error(`could not take ${file}`);
}
