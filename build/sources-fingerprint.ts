/**
 * What `npm run build -- --if-stale` compares: every file the build comes from, by path, size and
 * modification time. A change of any of them — an edit, a deleted or added file, an update
 * unpacked with its old modification times — changes the fingerprint, and the build runs.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function listing(root: string, path: string): string[] {
  const stat = statSync(join(root, path));
  if (!stat.isDirectory()) return [`${path}\t${stat.size}\t${stat.mtimeMs}`];
  return readdirSync(join(root, path))
    .sort()
    .flatMap((name) => listing(root, join(path, name)));
}

/** The fingerprint of `paths` (files or folders) under `root`. */
export function sourcesFingerprint(root: string, paths: readonly string[]): string {
  const lines = paths.flatMap((p) => listing(root, relative(root, join(root, p))));
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}
