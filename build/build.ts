/**
 * `npm run build [-- --out-dir DIR] [--if-stale]`: compiles the controller into DIR (default dist/) with
 * tsconfig.build.json, then copies beside the compiled files what the controller reads at run
 * time that is not TypeScript: the console (controller/console/), the podcast cover
 * (controller/publishing/assets/), and any such file added later. `npm start` and the service run
 * the result with plain node: no TypeScript loader in memory (README, "Deployment").
 *
 * `--if-stale` (what `npm start` uses): nothing is done when DIR holds a build of exactly these
 * sources (build/sources-fingerprint.ts), so a restart of the controller does not wait for tsc (half a minute on a
 * small box) while the commune's loudspeakers have no controller.
 *
 * DIR must lie inside the project: the compiled files find node_modules and package.json (the
 * module type, the version) by looking upwards, as the sources do.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sourcesFingerprint } from './sources-fingerprint.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { 'out-dir': { type: 'string', default: 'dist' }, 'if-stale': { type: 'boolean', default: false } },
});
const outDir = resolve(ROOT, values['out-dir']!);
if (!outDir.startsWith(ROOT + sep)) {
  console.error(
    `--out-dir phải nằm trong thư mục dự án ${ROOT}.\n--out-dir must lie inside the project folder ${ROOT}.`,
  );
  process.exit(2);
}

/** Written last, after a whole build: the fingerprint of the sources it was built from. */
const stamp = join(outDir, 'controller', '.built');
const SOURCES = ['controller', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'build'];
const fingerprint = sourcesFingerprint(ROOT, SOURCES);
if (values['if-stale'] && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === fingerprint) {
  console.log(
    `Bản dựng ${relative(ROOT, outDir)}/ khớp mã nguồn: không dựng lại / ${relative(ROOT, outDir)}/ matches the sources: not rebuilt`,
  );
  process.exit(0);
}

// A file deleted from the sources must not live on in the build.
rmSync(join(outDir, 'controller'), { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', outDir], {
  cwd: ROOT,
  stdio: 'inherit',
});
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

/** Run-time files of the controller that tsc does not emit: all but TypeScript and documentation. */
function assets(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return assets(path);
    return ['.ts', '.md'].includes(extname(e.name)) ? [] : [path];
  });
}
const copied = assets('controller');
for (const file of copied) cpSync(join(ROOT, file), join(outDir, file));
writeFileSync(stamp, `${fingerprint}\n`);
console.log(
  `Đã dựng bộ điều khiển vào / built the controller into ${relative(ROOT, outDir)}/ (${copied.length} tệp không phải TypeScript / non-TypeScript files copied)`,
);
