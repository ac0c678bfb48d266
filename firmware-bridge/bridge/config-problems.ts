/**
 * What is wrong in the bridge's configuration, said to the technician who edits it: each problem
 * with its place in the file (the YAML path and line), what is wrong (the request checks' words,
 * invalid_* in the catalogue) and how to fix it, in Vietnamese then English. Never a stack trace:
 * `npm run bridge` prints this and exits with code 2.
 */
import type { z } from 'zod';
import { LineCounter, parseDocument } from 'yaml';
import { inBoth, messages, type MessageKey, type MessageParams } from '../../controller/i18n/messages.js';
import type { StreamServerListenError } from './stream-server.js';

type Both = { vi: string; en: string };

export interface ConfigProblem {
  /** Where in the file, e.g. `groups[0].driver.destinations[1]`; empty for the file as a whole. */
  path: string;
  line: number | null;
  what: Both;
}

export class BridgeConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(problems.map((p) => `${p.path}: ${p.what.en}`).join('; '));
    this.name = 'BridgeConfigError';
  }
}

/** The file's text as data, and the line of any path in it (YAML; a JSON file has no lines to give). */
export interface ParsedFile {
  data: unknown;
  lineOf(path: readonly PropertyKey[]): number | null;
}

export function parseConfigText(file: string, text: string): ParsedFile {
  if (file.endsWith('.json')) {
    try {
      return { data: JSON.parse(text), lineOf: () => null };
    } catch (err) {
      throw new BridgeConfigError(file, [
        { path: '', line: null, what: inBoth('bridge_config_syntax', { error: (err as Error).message }) },
      ]);
    }
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  if (doc.errors.length)
    throw new BridgeConfigError(
      file,
      doc.errors.slice(0, 5).map((e) => ({
        path: '',
        line: e.linePos?.[0].line ?? null,
        what: inBoth('bridge_config_syntax', { error: e.message.split('\n')[0] }),
      })),
    );
  return {
    data: doc.toJS() ?? {},
    lineOf(path) {
      // A missing field is shown at the line of the nearest part of its path that is there.
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n) as (string | number)[], true) as { range?: [number, number, number] };
        if (node?.range) return counter.linePos(node.range[0]).line;
      }
      return null;
    },
  };
}

/** `groups[0].driver.kind`: the path as the technician finds it in the YAML. */
export function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

const TYPE_WORDS: Record<string, MessageKey> = {
  string: 'bridge_type_string',
  number: 'bridge_type_number',
  int: 'bridge_type_int',
  boolean: 'bridge_type_boolean',
  array: 'bridge_type_array',
  object: 'bridge_type_object',
};

const SIZE_WORDS: Record<'too_small' | 'too_big', Record<'string' | 'array' | 'number', MessageKey>> = {
  too_small: {
    string: 'invalid_too_small_string',
    array: 'invalid_too_small_array',
    number: 'invalid_too_small_number',
  },
  too_big: { string: 'invalid_too_big_string', array: 'invalid_too_big_array', number: 'invalid_too_big_number' },
};

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/** What is wrong (the key of invalid_*) and how to fix it, for one zod issue. */
export function describeIssue(
  issue: z.core.$ZodIssue,
  data: unknown,
): { what: MessageKey; params: MessageParams; fix?: Both } {
  const i = issue as z.core.$ZodIssue & Record<string, unknown>;
  // The schemas name their own fix as a catalogue key (bridge_expect_…).
  const own = issue.message in messages ? inBoth(issue.message as MessageKey) : undefined;
  const key = String(issue.path.at(-1) ?? '');
  switch (issue.code) {
    case 'invalid_type': {
      const expected = inBoth(TYPE_WORDS[String(i.expected)] ?? 'bridge_type_string');
      if (valueAt(data, issue.path) === undefined)
        return { what: 'invalid_missing', params: {}, fix: inBoth('bridge_fix_missing', { key, expected }) };
      return { what: 'invalid_type', params: {}, fix: inBoth('bridge_fix_type', { expected }) };
    }
    case 'invalid_value':
      return { what: 'invalid_value', params: { values: (i.values as unknown[]).map(String).join(', ') } };
    case 'invalid_union': {
      const options = i.options as unknown[] | undefined;
      // A discriminated union names its kinds: an unknown `kind` is a value to choose.
      if (options?.length) return { what: 'invalid_value', params: { values: options.map(String).join(', ') } };
      return { what: 'invalid_union', params: {} };
    }
    case 'too_small':
    case 'too_big': {
      const origin = i.origin === 'string' || i.origin === 'array' ? i.origin : 'number';
      return {
        what: SIZE_WORDS[issue.code][origin],
        params: { minimum: String(i.minimum ?? ''), maximum: String(i.maximum ?? '') },
        fix: own,
      };
    }
    case 'invalid_format':
      return { what: 'invalid_format', params: {}, fix: own };
    case 'custom':
      // The bridge's own checks (a port, a packet time): the fix says what is accepted.
      return { what: 'bridge_value_not_accepted', params: {}, fix: own };
    case 'unrecognized_keys':
      return { what: 'invalid_unrecognized_keys', params: { keys: (i.keys as string[]).join(', ') } };
    default:
      return { what: 'invalid_other', params: {}, fix: own };
  }
}

/** The problems of one schema check, each at its path and line. */
export function problemsOf(
  issues: readonly z.core.$ZodIssue[],
  parsed: ParsedFile,
  prefix: readonly PropertyKey[] = [],
): ConfigProblem[] {
  return issues.map((issue) => {
    const d = describeIssue(issue, parsed.data);
    const what = inBoth(d.what, d.params);
    return {
      path: pathText([...prefix, ...issue.path]),
      line: parsed.lineOf(issue.path),
      what: d.fix ? inBoth('bridge_problem_fix', { what, fix: d.fix }) : inBoth('bridge_problem', { what }),
    };
  });
}

/** The whole message: a heading, then each problem where it is, in Vietnamese then English. */
export function formatConfigError(e: BridgeConfigError): string {
  const [only] = e.problems;
  // A file that cannot be read has no places to list.
  if (e.problems.length === 1 && !only.path && only.line === null) return `${only.what.vi}\n${only.what.en}`;
  const heading = inBoth('bridge_config_invalid', { file: e.file, count: e.problems.length });
  const lines = [heading.vi, heading.en, ''];
  for (const p of e.problems) {
    const line = p.line === null ? null : inBoth('bridge_line', { line: p.line });
    const where = [p.path, line ? `${line.vi} / ${line.en}` : ''].filter(Boolean).join(', ');
    lines.push(`✖ ${where || e.file}`, `  ${p.what.vi}`, `  ${p.what.en}`);
  }
  return lines.join('\n');
}

/** Why the stream server could not listen, and what to change in the bridge file: words, never a stack trace. */
export function formatListenError(e: StreamServerListenError, file: string): string {
  const key: MessageKey =
    e.code === 'EADDRINUSE'
      ? 'bridge_stream_port_in_use'
      : e.code === 'EACCES'
        ? 'bridge_stream_port_denied'
        : e.code === 'EADDRNOTAVAIL'
          ? 'bridge_stream_host_unavailable'
          : 'bridge_stream_listen_failed';
  const { vi, en } = inBoth(key, {
    host: e.host,
    port: e.port,
    file,
    error: (e.cause as Error | undefined)?.message ?? e.code,
  });
  return `${vi}\n${en}`;
}
