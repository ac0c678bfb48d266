/** Every audit action the controller writes has words (the audit page shows words, not codes). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditMessages } from '../../../controller/i18n/audit-messages.js';
import { AGENT_UPDATE_OPS, REMOTE_OPS } from '../../../controller/protocol/messages.js';

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

/** Actions built at run time, with the values they take. */
const TEMPLATES: Record<string, readonly string[]> = {
  'receiver.${op}': AGENT_UPDATE_OPS,
  'rollout.${status}': ['completed', 'stopped'],
};

describe('audit words', () => {
  it('has Vietnamese and English words for every action written anywhere in the controller', () => {
    const actions = new Set<string>();
    for (const file of files('controller')) {
      const src = readFileSync(file, 'utf8');
      // `action: 'x.y'` and `action: cond ? 'x.y' : 'x.z'`
      for (const m of src.matchAll(/action: (?:\w+ \? )?'([a-z_.]+)'(?: : '([a-z_.]+)')?/g))
        [m[1], m[2]].filter(Boolean).forEach((a) => actions.add(a));
      for (const m of src.matchAll(/action: `([a-z_.]+\$\{\w+\})`/g)) {
        expect(TEMPLATES[m[1]], `${file}: list the values of ${m[1]} here`).toBeDefined();
        TEMPLATES[m[1]].forEach((v) => actions.add(m[1].replace(/\$\{\w+\}/, v)));
      }
    }
    expect(actions.size).toBeGreaterThan(60);
    const missing = [...actions].filter((a) => !(`audit_${a.replace(/\./g, '_')}` in auditMessages));
    expect(missing).toEqual([]);
  });

  it('names each remote operation, in both languages (the log said only "remote operation")', () => {
    for (const op of [...REMOTE_OPS, ...AGENT_UPDATE_OPS]) {
      const words = (auditMessages as Record<string, { vi: string; en: string }>)[`audit_op_${op}`];
      expect(words, op).toBeDefined();
      expect(words.vi).not.toBe(words.en);
    }
  });
});
