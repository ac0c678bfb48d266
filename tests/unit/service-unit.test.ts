/**
 * The README's systemd unit runs node itself on the compiled build, not `npm start`: it must use
 * the same node options as `npm start` (the heap ceiling and the young generation's size, issue 22),
 * and `npm run bench -- --only service-memory` measures the controller with those options.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const flagsOf = (command: string) => command.split(/\s+/).filter((w) => w.startsWith('--'));

describe("the README's service unit", () => {
  it('runs the compiled controller with the node options of npm start', () => {
    // The controller's unit (the README has the receiver agent's too).
    const execStart = [...README.matchAll(/^\s*ExecStart=(\S+) (.*)$/gm)].find((m) => m[2].includes('controller/'));
    expect(execStart?.[2]).toContain('dist/controller/main.js');
    expect(flagsOf(execStart![2])).toEqual(flagsOf(pkg.scripts.start));
  });

  it('caps the heap and the young generation, as measured in the README', () => {
    expect(flagsOf(pkg.scripts.start)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^--max-old-space-size=\d+$/), '--max-semi-space-size=2']),
    );
    // `npm run dev` adds only the TypeScript loader.
    expect(flagsOf(pkg.scripts.dev).filter((f) => f !== '--import')).toEqual(flagsOf(pkg.scripts.start));
  });
});
