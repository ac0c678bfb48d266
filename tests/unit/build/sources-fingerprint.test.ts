/**
 * `npm start` builds again exactly when the sources changed: an edit, a deleted file, or an
 * update unpacked with old modification times; and not when nothing did.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sourcesFingerprint } from '../../../build/sources-fingerprint.js';

let root: string;
const print = () => sourcesFingerprint(root, ['controller', 'package.json']);
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fingerprint-'));
  mkdirSync(join(root, 'controller', 'sub'), { recursive: true });
  writeFileSync(join(root, 'controller', 'main.ts'), 'export {};\n');
  writeFileSync(join(root, 'controller', 'sub', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'package.json'), '{}\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the sources fingerprint', () => {
  it('is the same when nothing changed', () => {
    expect(print()).toBe(print());
  });

  it('changes with an edit, even one carrying an older modification time', () => {
    const before = print();
    writeFileSync(join(root, 'controller', 'sub', 'a.ts'), 'export const a = 2;\n');
    utimesSync(join(root, 'controller', 'sub', 'a.ts'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    expect(print()).not.toBe(before);
  });

  it('changes when a source file is deleted or added', () => {
    const before = print();
    rmSync(join(root, 'controller', 'sub', 'a.ts'));
    const deleted = print();
    expect(deleted).not.toBe(before);
    writeFileSync(join(root, 'controller', 'b.ts'), 'export {};\n');
    expect(print()).not.toBe(deleted);
  });
});
