/**
 * Permissions, written once: the README's role table says, role by role, exactly the permissions
 * `controller/accounts/permissions.ts` grants; a change to one without the other fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '../../controller/accounts/permissions.js';

const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** The README table's rows: role (first word of the first cell) -> the permissions of the last cell. */
function readmeTable(): Map<string, Set<string>> {
  const start = README.indexOf('## Accounts, roles and tokens');
  const section = README.slice(start, README.indexOf('\n## ', start + 1));
  const rows = section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| role') && !l.startsWith('|---'));
  const table = new Map<string, Set<string>>();
  for (const row of rows) {
    const cells = row
      .split('|')
      .map((c) => c.trim())
      .filter(Boolean);
    if (cells.length < 3) break;
    const role = cells[0].split(' ')[0];
    const last = cells.at(-1)!;
    table.set(role, new Set(last === 'all' ? PERMISSIONS : [...last.matchAll(/`([a-z:]+)`/g)].map((m) => m[1])));
  }
  return table;
}

describe("the README's role table", () => {
  it('names every role, and for each exactly the permissions permissions.ts grants', () => {
    const table = readmeTable();
    expect([...table.keys()].sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) expect([...table.get(role)!].sort(), role).toEqual([...ROLE_PERMISSIONS[role]].sort());
  });
});
