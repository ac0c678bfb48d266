/**
 * The store check runs in a worker thread, a second V8 heap inside the controller's memory. What it
 * loads is what it costs: with zod and every protocol schema in its imports (only to check anchors'
 * signatures) the worker took 25 MB instead of 11 MB, and the controller's peak during a check rose
 * above the 150 MB target (2026-12-04). This follows the worker's imports as Node would load them.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** The packages the check needs; anything else is memory the controller pays for on every check. */
const ALLOWED_PACKAGES = ['better-sqlite3', 'canonicalize'];

function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const out: string[] = [];
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings)
          ? clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)
          : false);
      if (!typeOnly) out.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      out.push((node.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return out;
}

function packagesLoadedBy(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.includes(file)) return;
    files.push(file);
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else if (!spec.startsWith('node:')) packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

describe("the store check's worker", () => {
  it('loads no package beyond SQLite and canonical JSON', () => {
    const { files, packages } = packagesLoadedBy(
      join(import.meta.dirname, '../../../controller/proof/verify-worker.ts'),
    );
    expect(files.length).toBeGreaterThan(5); // the walk did follow the verifier's own modules
    expect([...packages].sort()).toEqual(ALLOWED_PACKAGES);
  });
});
