/**
 * Installing an agent update. The agent has already checked the package against the sha256 in
 * the controller's signed command; the installer keeps the package and records which version is
 * installed and which came before, so that a rollback can return to it. On a real receiver the
 * service manager starts the installed version after the agent exits (see firmware-bridge/README.md);
 * here the version is what the agent reports in its status.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentState, AgentStore } from './agent-store.js';

export interface Installer {
  install(packageFile: string, version: string, state: AgentState): void;
  rollback(state: AgentState): string;
}

export class PackageInstaller implements Installer {
  constructor(
    private readonly dir: string,
    private readonly store: AgentStore,
  ) {}

  install(packageFile: string, version: string, state: AgentState): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    copyFileSync(packageFile, join(this.dir, `agent-${version}.pkg`));
    state.previous_version = state.installed_version ?? null;
    state.installed_version = version;
    this.store.saveState(state);
  }

  rollback(state: AgentState): string {
    const back = state.previous_version ?? null;
    state.installed_version = back ?? undefined;
    state.previous_version = null;
    this.store.saveState(state);
    return back ?? 'built-in';
  }
}
