/**
 * One process of a kind per directory: a file holding its owner's process id, created exclusively.
 * A file whose process is gone (killed, or a machine that lost power) is taken over, so a restart
 * never needs a hand to remove it. Used for the controller's data directory
 * (controller/system/data-dir-lock.ts) and a receiver agent's or the simulator's state directory.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * This process's parents (where /proc tells): under `npm run agent` the shell and tsx above the
 * agent name its script too, and after a reboot one may have the number a lost lock holds.
 */
function ancestors(): Set<number> {
  const found = new Set<number>();
  for (let pid = process.ppid; pid > 1 && !found.has(pid);) {
    found.add(pid);
    try {
      // Field 4 of /proc/<pid>/stat, after the command name in parentheses (which may hold spaces).
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  return found;
}

/** Whether `pid` is alive and (where /proc tells) running a command line that contains `program`. */
function isRunning(pid: number, program: string): boolean {
  if (ancestors().has(pid)) return false;
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

/**
 * Takes `dir` for the rest of this process's life (released at exit), or prints `refusal` for the
 * process that holds it and exits 1. A directory where no lock can be written is left to the
 * caller's own checks: `unlockable` says so, and the process goes on.
 */
export function holdDirOrExit(
  dir: string,
  lock: { file: string; program: string },
  say: { refusal: (heldBy: number) => string; unlockable: (error: string) => string },
): void {
  let taken: ReturnType<typeof lockDir>;
  try {
    taken = lockDir(dir, lock.file, lock.program);
  } catch (err) {
    console.warn(say.unlockable((err as Error).message));
    return;
  }
  if ('heldBy' in taken) {
    console.error(say.refusal(taken.heldBy));
    process.exit(1);
  }
  process.on('exit', taken.release);
}
