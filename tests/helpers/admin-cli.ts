/** The admin tool (`npm run admin -- …`) as a technician runs it, on a data directory, with the example config. */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');

/** Exit code and output; a failing command answers with its code rather than throwing. */
export function runAdmin(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'controller/cli/admin.ts'),
      ...args,
      '--config',
      join(ROOT, 'config/commune.example.yaml'),
    ],
    { cwd: ROOT, env: { ...process.env, TT_DATA_DIR: dataDir } },
  ).then(
    (r) => ({ code: 0, ...r }),
    (err: { code: number; stdout: string; stderr: string }) => ({
      code: err.code,
      stdout: err.stdout,
      stderr: err.stderr,
    }),
  );
}
