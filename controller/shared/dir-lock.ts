/**
 * One process of a kind per directory: a file holding its owner's process id, created exclusively.
 * A file whose process is gone (killed, or a machine that lost power) is taken over, so a restart
 * never needs a hand to remove it. Used for the controller's data directory
 * (controller/system/data-dir-lock.ts) and a receiver agent's or the simulator's state directory.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether `pid` is alive and (where /proc tells) running a command line that contains `program`. */
function isRunning(pid: number, program: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive, but another user's: not ours to take over.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // After a reboot the same number may belong to another program: only the same kind counts.
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(program);
  } catch {
    return true; // no /proc here: alive is all we can tell
  }
}

/**
 * Takes `dir` for this process (the lock file `file` in it); returns its release, or the process
 * id of the running `program` that holds it. Throws when the directory cannot be written.
 */
export function lockDir(dir: string, file: string, program: string): { release: () => void } | { heldBy: number } {
  const path = join(dir, file);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
      return {
        release: () => {
          try {
            if (Number(readFileSync(path, 'utf8').trim()) === process.pid) unlinkSync(path);
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
      owner = Number(readFileSync(path, 'utf8').trim());
    } catch {
      continue; // removed meanwhile: try again
    }
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner, program))
      return { heldBy: owner };
    try {
      unlinkSync(path); // left by a process that is gone
    } catch {
      // another starting process took it over first: the next attempt sees whose it is
    }
  }
  throw new Error(`could not take ${path}`);
}
