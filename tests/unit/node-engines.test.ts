/**
 * The README asks for Node.js 20 and `package.json` says which 20 (`engines.node`). Every package
 * `npm ci` installs must run on every Node that range admits, or a newcomer's install opens
 * with EBADENGINE warnings (issue 21: cookie@2, content-disposition@3 and nanoid@6 asked for
 * Node 22). When this fails, pin the parent that pulled the package in to a version whose
 * dependencies still support Node 20 (or an `overrides` entry in package.json).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('the Node version the project asks for', () => {
  it('is the Node major the README names', () => {
    const major = /Requirements: Node\.js (\d+)/.exec(README)?.[1];
    expect(major).toBeDefined();
    expect(semver.minVersion(pkg.engines.node)?.major).toBe(Number(major));
    expect(semver.subset(pkg.engines.node, `^${major}`)).toBe(true);
  });

  it('is supported by every locked package', () => {
    const refusing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      // Very old packages wrote engines as an array; none of ours do, and npm ignores that form.
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (!path || !range) continue;
      if (!semver.subset(pkg.engines.node, range)) refusing.push(`${path}@${entry.version}: node ${range}`);
    }
    expect(refusing).toEqual([]);
  });
});
