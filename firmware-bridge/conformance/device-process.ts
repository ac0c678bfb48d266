/**
 * Starting the device under test as a child process: a vendor's simulator or bridge given as a
 * command line (`{config}` becomes the enrolment file's path), or the project's own agent. Its
 * output goes to a log file beside the report; it is stopped with the kit, by its own process id.
 * When it ends on its own (it crashed, or the command never started), `exited` says how, with the
 * last lines it wrote: the kit stops waiting for a device that is gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** How the device's process ended. */
export interface DeviceExit {
  command: string;
  log: string;
  code: number | null;
  signal: string | null;
  /** Set when the program could not be run at all (spawn's own error, e.g. ENOENT). */
  error: string | null;
  /** The last lines it wrote to its log in this run. */
  output: string[];
  /** How long it ran. */
  after_ms: number;
}

export interface DeviceProcess {
  command: string;
  /** Its process id (and process group's); undefined when it could not be started. */
  pid: number | undefined;
  /** Resolves when it ends, whoever ended it. */
  exited: Promise<DeviceExit>;
  stop(): Promise<void>;
}

/** Lines kept from the device's log for the report: enough to show why, short enough to print. */
const TAIL_LINES = 15;
const LINE_CHARS = 300;

/** The project's own receiver agent, as a receiver runs it (`npm run agent -- --config …`). */
export function ownAgentCommand(): string[] {
  const main = fileURLToPath(new URL('../agent/main.ts', import.meta.url));
  return [process.execPath, '--import', import.meta.resolve('tsx'), main, '--config', '{config}'];
}

/** The last lines of `file` from byte `from` on: what this run of the device wrote, not an earlier one's. */
export function logTail(file: string, from: number, lines = TAIL_LINES): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file)
    .subarray(from)
    .toString('utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(-lines)
    .map((l) => (l.length > LINE_CHARS ? `${l.slice(0, LINE_CHARS)}…` : l));
}

/** `command` is a shell command line, or an argument vector run without a shell. */
export function spawnDevice(command: string | string[], configFile: string, logFile: string): DeviceProcess {
  const from = existsSync(logFile) ? statSync(logFile).size : 0;
  const log = openSync(logFile, 'a');
  const stdio = ['ignore', log, log] as const;
  let child: ChildProcess;
  let shown: string;
  if (Array.isArray(command)) {
    const argv = command.map((a) => a.replaceAll('{config}', configFile));
    shown = argv.join(' ');
    child = spawn(argv[0], argv.slice(1), { stdio: [...stdio], detached: true });
  } else {
    const quoted = `'${configFile.replaceAll("'", "'\\''")}'`;
    shown = command.includes('{config}') ? command.replaceAll('{config}', quoted) : `${command} ${quoted}`;
    // Its own process group: a shell's children are stopped with it.
    child = spawn(shown, { shell: true, stdio: [...stdio], detached: true });
  }
  // The child has its own copy of the descriptor.
  closeSync(log);
  const started = performance.now();
  const exited = new Promise<DeviceExit>((resolve) => {
    const done = (code: number | null, signal: string | null, error: string | null) =>
      resolve({
        command: shown,
        log: logFile,
        code,
        signal,
        error,
        output: logTail(logFile, from),
        after_ms: Math.round(performance.now() - started),
      });
    // A program that cannot be run at all gives 'error' and, on some platforms, no 'exit'.
    child.once('error', (err) => done(null, null, err.message));
    child.once('exit', (code, signal) => done(code, signal, null));
  });
  return {
    command: shown,
    pid: child.pid,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      const group = -child.pid;
      try {
        process.kill(group, 'SIGTERM');
      } catch {
        return; // it ended between the check and the signal
      }
      const gone = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 5000)),
      ]);
      if (!gone) {
        try {
          process.kill(group, 'SIGKILL');
        } catch {
          /* already gone */
        }
        await exited;
      }
    },
  };
}
