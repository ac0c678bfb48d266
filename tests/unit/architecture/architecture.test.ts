/**
 * Keeps the controller's shape from sliding back: no source file over 400 lines, no
 * constructor with more than 5 positional parameters (pass an options object), and no service
 * importing another domain's repository (depend on its read model, e.g.
 * `hamlets/hamlets-read-model.ts`; only the wiring and the CLI may import repositories).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const MAX_LINES = 400;
const MAX_POSITIONAL = 5;

/** Files allowed past MAX_LINES. */
const LONG_FILE_EXCEPTIONS = new Set<string>([
  // None today. Only a data table may go here (say which, and why it cannot be split).
]);

/** Constructors allowed more positional parameters, by file and class. */
const CONSTRUCTOR_EXCEPTIONS = new Set<string>([
  // None today.
]);

/** Files that wire repositories into services: the composition root and the CLI. */
const isWiring = (file: string) =>
  file.startsWith('controller/wiring/') || file === 'controller/app.ts' || file.startsWith('controller/cli/');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'console') continue;
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path.split(sep).join('/'));
  }
  return out;
}

const files = [...sources('controller'), ...sources('firmware-bridge')];
const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('architecture', () => {
  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it(`keeps every source file under ${MAX_LINES} lines (split it by job instead)`, () => {
    const long = files
      .filter((f) => !LONG_FILE_EXCEPTIONS.has(f))
      .map((f) => ({ file: f, lines: text(f).split('\n').length }))
      .filter((f) => f.lines > MAX_LINES);
    expect(long, 'files over the limit: split them by job').toEqual([]);
  });

  it(`has no constructor with more than ${MAX_POSITIONAL} positional parameters (use an options object)`, () => {
    const offenders: string[] = [];
    for (const file of files) {
      const source = ts.createSourceFile(file, text(file), ts.ScriptTarget.ES2022, true);
      const visit = (node: ts.Node) => {
        if (ts.isConstructorDeclaration(node) && node.parameters.length > MAX_POSITIONAL) {
          const cls = ts.isClassLike(node.parent) && node.parent.name ? node.parent.name.text : '?';
          if (!CONSTRUCTOR_EXCEPTIONS.has(`${file}: ${cls}`))
            offenders.push(`${file}: ${cls} (${node.parameters.length})`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(offenders).toEqual([]);
  });

  it("imports no other domain's repository outside the wiring (depend on its read model)", () => {
    const offenders: string[] = [];
    for (const file of files.filter((f) => f.startsWith('controller/') && !isWiring(f))) {
      const domain = file.split('/')[1];
      for (const m of text(file).matchAll(/from '((?:\.\.?\/)+[^']*-repository\.js)'/g)) {
        const target = relative(ROOT, join(ROOT, file, '..', m[1]))
          .split(sep)
          .join('/');
        const targetDomain = target.split('/')[1];
        if (targetDomain !== domain) offenders.push(`${file} imports ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
