/**
 * Starting the device under test as a child process: a vendor's simulator or bridge given as a
 * command line (`{config}` becomes the enrolment file's path), or the project's own agent. Its
 * output goes to a log file beside the report; it is stopped with the kit, by its own process id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface DeviceProcess {
  command: string;
  stop(): Promise<void>;
}

/** The project's own receiver agent, as a receiver runs it (`npm run agent -- --config …`). */
export function ownAgentCommand(): string[] {
  const main = fileURLToPath(new URL('../agent/main.ts', import.meta.url));
  return [process.execPath, '--import', import.meta.resolve('tsx'), main, '--config', '{config}'];
}

/** `command` is a shell command line, or an argument vector run without a shell. */
export function spawnDevice(command: string | string[], configFile: string, logFile: string): DeviceProcess {
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
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    command: shown,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      const group = -child.pid;
      process.kill(group, 'SIGTERM');
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
