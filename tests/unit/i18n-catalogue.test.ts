/**
 * The message catalogues against the code that looks keys up. The console shows a key it cannot
 * find as its raw name (controller/console/lib/i18n.js), so every key the code can ask for must be
 * in a catalogue, in Vietnamese and in English.
 *
 * Where keys are used, and which catalogue must hold them:
 * - the console (controller/console/**: .js, .html): `t('key')`, `t(`prefix_${x}`)` and any 'ui_…'
 *   string (e.g. the page titles app.js hands to t()). It loads `catalogue` from GET /api/i18n.
 * - the server (controller/**\/*.ts): t('key'), new AppError(status, 'code'), new DomainError(kind, 'code'), render(status, 'code')
 *   in the error handler, explain('code') for schedule conflicts, notFound('what_…'), what: 'what_…',
 *   code: '…', err.code === '…', and templates cast `as MessageKey`. The server's t() reads only
 *   `messages`, so they must be there. (tsc checks literal keys too, through MessageKey; this test
 *   is what checks the keys built at run time.)
 * - keys built at run time (`ui_role_${role}`) are expanded with the values in DYNAMIC, taken from
 *   the server's own lists where there is one; a new pattern fails until its values are listed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiMessages, messages, type Catalogue } from '../../controller/i18n/messages.js';
import { programmeMessages } from '../../controller/i18n/programme-messages.js';
import { ttsMessages } from '../../controller/i18n/tts-messages.js';
import { cliMessages } from '../../controller/i18n/cli-messages.js';
import { conformanceMessages } from '../../controller/i18n/conformance-messages.js';
import { conformanceRunMessages } from '../../controller/i18n/conformance-run-messages.js';
import { conformanceLinkMessages } from '../../controller/i18n/conformance-link-messages.js';
import { bridgeMessages } from '../../controller/i18n/bridge-messages.js';
import { publishingMessages } from '../../controller/i18n/publishing-messages.js';
import { reportMessages } from '../../controller/i18n/report-messages.js';
import { proofMessages } from '../../controller/i18n/proof-messages.js';
import { auditMessages } from '../../controller/i18n/audit-messages.js';
import { UNCERTAIN_WHY } from '../../controller/tts/normalize-pass.js';
import { fieldMessages } from '../../controller/i18n/field-messages.js';
import { reportDocumentMessages } from '../../controller/i18n/report-document-messages.js';
import { catalogue, consoleMessages } from '../../controller/i18n/console-messages.js';
import { consoleUrgentMessages } from '../../controller/i18n/console-urgent-messages.js';
import { consoleProgrammeMessages } from '../../controller/i18n/console-programme-messages.js';
import { consoleReceiverMessages } from '../../controller/i18n/console-receiver-messages.js';
import { capMessages } from '../../controller/i18n/cap-messages.js';
import { receiverAlertMessages } from '../../controller/i18n/receiver-alert-messages.js';
import { confirmationMessages } from '../../controller/i18n/confirmation-messages.js';
import { ROLES } from '../../controller/accounts/permissions.js';
import { ACK_EVIDENCE, FAIL_REASONS, PRIORITIES, REJECT_REASONS } from '../../controller/protocol/messages.js';
import { HEALTH_RULES } from '../../controller/health/health-service.js';
import { CATEGORIES, BULLETIN_STATUSES } from '../../controller/bulletins/bulletins-repository.js';
import { PROOF_PROBLEMS } from '../../controller/proof/proof-problems.js';
import { OUTCOMES } from '../../controller/coverage/outcome.js';
import { OCCURRENCE_STATUSES } from '../../controller/programme/schedules-repository.js';
import { NOT_REACHED_REASONS } from '../../controller/reports/period-report.js';
import { recurrenceSchema } from '../../controller/programme/schedule-spec.js';

const ROOT = join(import.meta.dirname, '../..');
const CONTROLLER = join(ROOT, 'controller');
const CONSOLE = join(CONTROLLER, 'console');
const I18N = join(CONTROLLER, 'i18n');
/** The conformance kit and the bridge run beside the controller and speak from its catalogue (npm run conformance, npm run bridge). */
const CONFORMANCE = join(ROOT, 'firmware-bridge', 'conformance');
const BRIDGE = join(ROOT, 'firmware-bridge', 'bridge');
const AGENT = join(ROOT, 'firmware-bridge', 'agent');
const SIMULATOR = join(ROOT, 'firmware-bridge', 'simulator');

/** The values each key built at run time can take; `${}` stands for the value. */
const DYNAMIC: Record<string, readonly (string | number)[]> = {
  'ui_role_${}': ROLES, // a user's role (app.js, admin.js)
  'ui_priority_${}': PRIORITIES, // priorityLabel (lib/ui.js); the reports
  'ui_alert_${}': HEALTH_RULES, // open alerts (dashboard.js); the alert e-mails
  'category_${}': CATEGORIES, // bulletins, weekly targets, reports, the public page and feeds
  // a receiver's outcome (coverage.js); stopped or pre-empted, before or while playing (coverage.js, the as-run CSV)
  'ui_outcome_${}': [
    ...OUTCOMES,
    ...['stopped', 'preempted'].flatMap((reason) => [`${reason}_started`, `${reason}_unstarted`]),
  ],
  'bulletin_status_${}': BULLETIN_STATUSES, // a bulletin's state in a refusal (bulletins-service.ts)
  'bulletin_action_${}': ['edit', 'submit', 'approve', 'reject'], // what was refused in that state
  'ui_occ_${}': OCCURRENCE_STATUSES, // the 24-hour preview (programme.js)
  'ui_kind_${}': recurrenceSchema.options.map((o) => o.shape.kind.value), // schedules (programme.js)
  'ui_weekday_${}': [1, 2, 3, 4, 5, 6, 7], // weekly schedules (programme.js)
  // A bulletin's status (media.js); a receiver's status and its history's states (receivers.js).
  'ui_status_${}': [...BULLETIN_STATUSES, 'online', 'offline', 'unknown'],
  'ui_media_${}': ['processing', 'ready', 'failed'], // media-routes.ts status (media.js)
  // broadcasts.source as urgent-service, bulletins-service, the scheduler and cap-service write it (coverage.js).
  'ui_source_${}': ['manual', 'bulletin', 'schedule', 'correction', 'cap'],
  'confirmation_already_${}': ['confirmed', 'confirming', 'withdrawn'], // a confirmation no longer waiting (confirmation-outcomes.ts)
  'ui_own_request_${}': ['confirmed', 'withdrawn', 'withdrawn_here', 'withdrawn_self', 'lapsed', 'dropped', 'unknown'], // what became of an official's own waiting request (urgent.js)
  'ui_upward_${}': ['pending', 'accepted', 'failed'], // upward-reporter.ts status (coverage.js)
  'ui_period_${}': ['week', 'month', 'quarter', 'year'], // the kinds the report page offers (coverage.js)
  'ui_op_${}': ['set_volume', 'test_tone', 'sync_clock', 'restart'], // the remote operations receivers.js sends
  'ui_health_${}': ['ok', 'warn', 'offline', 'never', 'unenrolled'], // health() in lib/receiver-health.js
  'ui_filter_${}': ['all', 'offline', 'warn', 'ok', 'unenrolled'], // FILTERS in receivers.js
  'ui_hamlet_state_${}': [
    'done',
    'partial',
    'sent',
    'playing',
    'unfinished',
    'failed',
    'waiting',
    'stopped',
    'stop_sent',
    'preempted',
    'offline',
    'no_receiver',
  ], // a hamlet tile (urgent.js)
  '${}_subject': ['alert_mail_opened', 'alert_mail_resolved'], // alert-mailer.ts
  'proof_problem_${}': PROOF_PROBLEMS,
  // audit-view.ts: every action's words; tests/unit/audit/audit-words.test.ts checks each action written has them.
  'doc_reason_${}': NOT_REACHED_REASONS, // why a hamlet did not hear (report-document.ts, report-exports.ts, coverage.js)
  'asrun_evidence_${}': ACK_EVIDENCE, // what a finished ack vouched for (report-exports.ts)
  'doc_week_${}': ['met', 'missing', 'in_progress', 'future', 'not_started'], // WeekStatus (period-report.ts)
  'tts_uncertain_${}': UNCERTAIN_WHY, // the normaliser's doubts (tts-routes.ts)
  'field_${}': Object.keys(fieldMessages)
    .filter((k) => k.startsWith('field_'))
    .map((k) => k.slice('field_'.length)), // validation-words.ts labels
  'audit_${}': Object.keys(auditMessages)
    .filter((k) => !k.startsWith('audit_actor_'))
    .map((k) => k.slice('audit_'.length)),
  'ui_reason_${}': [...REJECT_REASONS, ...FAIL_REASONS], // why a receiver did not play (coverage.js) // the verifier's findings (proof/verify-cli.ts)
};

/** Defined, used by no code, and kept on purpose. */
const KNOWN_UNUSED: Record<string, string> = {
  public_withdrawn_reason_cancelled:
    'words for the withdrawn_reason "cancelled" that feeds and webhooks carry; nothing renders it yet',
  ui_source_emergency: 'a broadcast source the broadcasts table foresees; nothing writes it yet',
};

interface Use {
  key: string;
  where: string;
}

function files(dir: string, exts: string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'vendor' || e.name === 'node_modules' ? [] : files(path, exts);
    return exts.some((x) => e.name.endsWith(x)) ? [path] : [];
  });
}

const lineOf = (src: string, index: number) => src.slice(0, index).split('\n').length;

/**
 * Reads the string or template literal at `i`: its end and its text, a template's `${…}` parts
 * written as `${}`.
 */
function readLiteral(src: string, i: number): { end: number; text: string; dynamic: boolean } {
  const quote = src[i];
  let text = '';
  let dynamic = false;
  let j = i + 1;
  while (j < src.length && src[j] !== quote) {
    if (src[j] === '\\') {
      text += src.slice(j, j + 2);
      j += 2;
      continue;
    }
    if (quote === '`' && src[j] === '$' && src[j + 1] === '{') {
      j = skipExpression(src, j + 2);
      text += '${}';
      dynamic = true;
      continue;
    }
    text += src[j++];
  }
  return { end: j + 1, text, dynamic };
}

/** Skips an expression up to its closing brace or parenthesis at depth 0; returns the index after it. */
function skipExpression(src: string, i: number): number {
  let depth = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '"' || c === "'" || c === '`') {
      i = readLiteral(src, i).end;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return i + 1;
      depth--;
    }
    i++;
  }
  return i;
}

interface Arg {
  literals: { text: string; dynamic: boolean }[];
}

/**
 * The arguments of the call whose parenthesis opens at `open`, each with its string literals at
 * its own level (not those inside nested calls, and not those compared, as in `a === 'x' ? …`).
 */
function callArgs(src: string, open: number): Arg[] {
  const args: Arg[] = [{ literals: [] }];
  let depth = 0;
  let i = open + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '"' || c === "'" || c === '`') {
      const lit = readLiteral(src, i);
      const before = src.slice(Math.max(0, i - 4), i).trimEnd();
      const after = src.slice(lit.end, lit.end + 4).trimStart();
      const compared = /[=!]=$/.test(before) || /^[=!]=/.test(after);
      if (depth === 0 && !compared) args[args.length - 1].literals.push({ text: lit.text, dynamic: lit.dynamic });
      i = lit.end;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) break;
      depth--;
    } else if (c === ',' && depth === 0) args.push({ literals: [] });
    i++;
  }
  return args;
}

interface Found {
  keys: Use[];
  patterns: Use[];
}

/** Key uses in calls: `name(`, with the key in argument `arg`. */
function callUses(src: string, where: string, calls: Record<string, number>, found: Found): void {
  const names = Object.keys(calls).join('|');
  for (const m of src.matchAll(new RegExp(`(?<![\\w$.])(?:new\\s+)?(${names})\\s*\\(`, 'g'))) {
    const arg = callArgs(src, m.index + m[0].length - 1)[calls[m[1]]];
    for (const lit of arg?.literals ?? []) {
      const use = { key: lit.text, where: `${where}:${lineOf(src, m.index)}` };
      (lit.dynamic ? found.patterns : found.keys).push(use);
    }
  }
}

function regexUses(src: string, where: string, re: RegExp, found: Found): void {
  for (const m of src.matchAll(re)) found.keys.push({ key: m[1], where: `${where}:${lineOf(src, m.index)}` });
}

function consoleUses(): Found {
  const found: Found = { keys: [], patterns: [] };
  for (const file of files(CONSOLE, ['.js', '.html'])) {
    const src = readFileSync(file, 'utf8');
    const where = relative(ROOT, file);
    callUses(src, where, { t: 0 }, found);
    regexUses(src, where, /['"](ui_[a-z0-9_]+)['"]/g, found);
  }
  return found;
}

function serverUses(): Found {
  const found: Found = { keys: [], patterns: [] };
  for (const file of [
    ...files(CONTROLLER, ['.ts']),
    ...files(CONFORMANCE, ['.ts']),
    ...files(BRIDGE, ['.ts']),
    ...files(AGENT, ['.ts']),
    ...files(SIMULATOR, ['.ts']),
  ].filter((f) => !f.startsWith(I18N) && !f.startsWith(CONSOLE))) {
    const src = readFileSync(file, 'utf8');
    const where = relative(ROOT, file);
    const calls: Record<string, number> = {
      t: 0,
      inBoth: 0,
      inBothLanguages: 0,
      ToolError: 0,
      AppError: 1,
      DomainError: 1,
      notFound: 0,
      explain: 0,
    };
    if (where.endsWith('http/errors.ts')) calls.render = 1;
    callUses(src, where, calls, found);
    regexUses(src, where, /\bwhat:\s*'([a-z0-9_]+)'/g, found);
    regexUses(src, where, /\bcode:\s*'([a-z0-9_]+)'/g, found);
    regexUses(src, where, /\.code\s*[!=]==?\s*'([a-z0-9_]+)'/g, found);
    for (const m of src.matchAll(/`([^`]*)`\s*as\s+MessageKey\b/g)) {
      const use = { key: m[1].replace(/\$\{[^}]*\}/g, '${}'), where: `${where}:${lineOf(src, m.index)}` };
      (use.key.includes('${}') ? found.patterns : found.keys).push(use);
    }
  }
  return found;
}

/** Every key the uses can name: the literal ones and the expansions of the patterns. */
function expand(found: Found): Use[] {
  return [
    ...found.keys,
    ...found.patterns.flatMap((p) =>
      (DYNAMIC[p.key] ?? []).map((v) => ({ key: p.key.replace('${}', String(v)), where: p.where })),
    ),
  ];
}

const missingFrom = (uses: Use[], cat: Catalogue) => [
  ...new Set(uses.filter((u) => !(u.key in cat)).map((u) => `${u.key} (${u.where})`)),
];
const unlisted = (found: Found) => [
  ...new Set(found.patterns.filter((p) => !(p.key in DYNAMIC)).map((p) => `${p.key} (${p.where})`)),
];

const parts: Record<string, Catalogue> = {
  apiMessages,
  programmeMessages,
  publishingMessages,
  reportMessages,
  proofMessages,
  auditMessages,
  fieldMessages,
  reportDocumentMessages,
  ttsMessages,
  conformanceMessages,
  conformanceRunMessages,
  conformanceLinkMessages,
  bridgeMessages,
  cliMessages,
  capMessages,
  receiverAlertMessages,
  confirmationMessages,
  consoleMessages,
  consoleUrgentMessages,
  consoleProgrammeMessages,
  consoleReceiverMessages,
};

describe('the message catalogues', () => {
  it('have Vietnamese and English for every key, with the same placeholders', () => {
    // A plural block (`{count, plural, one {# hamlet} other {# hamlets}}`, English only) is its value's placeholder.
    const names = (s: string) =>
      [
        ...new Set([...s.replace(/\{(\w+), plural,[^]*?\}\s*\}/g, '{$1}').matchAll(/\{(\w+)\}/g)].map((x) => x[1])),
      ].sort();
    for (const [key, m] of Object.entries(catalogue as Catalogue)) {
      expect(typeof m.vi === 'string' && m.vi.trim().length > 0, `${key} has no Vietnamese`).toBe(true);
      expect(typeof m.en === 'string' && m.en.trim().length > 0, `${key} has no English`).toBe(true);
      expect(names(m.vi), key).toEqual(names(m.en));
    }
  });

  // A key twice in one file is a tsc error; twice in two files, the later spread would win unseen.
  it('define each key once; the server reads its parts, GET /api/i18n serves them all', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [part, cat] of Object.entries(parts)) {
      for (const key of Object.keys(cat)) {
        if (seen.has(key)) twice.push(`${key} (${seen.get(key)}, ${part})`);
        seen.set(key, part);
      }
    }
    expect(twice, 'keys defined twice: the later one silently wins').toEqual([]);
    expect(Object.keys(catalogue).sort()).toEqual([...seen.keys()].sort());
    const server = Object.entries(parts)
      .filter(([p]) => !p.startsWith('console')) // the console's parts: consoleMessages and console*Messages
      .flatMap(([, c]) => Object.keys(c));
    expect(Object.keys(messages).sort()).toEqual(server.sort());
  });
});

describe('the keys the code uses', () => {
  const inConsole = consoleUses();
  const inServer = serverUses();

  it('are found (the scan itself works)', () => {
    expect(new Set(inConsole.keys.map((u) => u.key)).size).toBeGreaterThan(150);
    expect(new Set(inServer.keys.map((u) => u.key)).size).toBeGreaterThan(100);
    expect(inConsole.patterns.length).toBeGreaterThan(10);
  });

  it('built at run time, have their values listed in DYNAMIC', () => {
    expect(unlisted(inConsole), 'list the values these keys can take in DYNAMIC').toEqual([]);
    expect(unlisted(inServer), 'list the values these keys can take in DYNAMIC').toEqual([]);
  });

  it('by the console, are in the catalogue GET /api/i18n serves', () => {
    expect(missingFrom(expand(inConsole), catalogue), 'the console would show these raw').toEqual([]);
  });

  it('by the server, are in the server catalogue (messages), the only one its t() reads', () => {
    expect(missingFrom(expand(inServer), messages), 'add these to messages.ts or a file it joins').toEqual([]);
  });

  it('leave no key unused but the known ones', () => {
    const used = new Set([...expand(inConsole), ...expand(inServer)].map((u) => u.key));
    // A key named anywhere in the code counts as used (e.g. a table of keys that t() is given later).
    for (const file of [
      ...files(CONTROLLER, ['.ts', '.js', '.html']),
      ...files(CONFORMANCE, ['.ts']),
      ...files(BRIDGE, ['.ts']),
      ...files(AGENT, ['.ts']),
      ...files(SIMULATOR, ['.ts']),
    ].filter((f) => !f.startsWith(I18N))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/['"`]([a-z][a-z0-9_]*)['"`]/g)) used.add(m[1]);
    }
    const unused = Object.keys(catalogue)
      .filter((k) => !used.has(k))
      .sort();
    expect(unused, 'no code uses these keys: delete them, or say in KNOWN_UNUSED why they stay').toEqual(
      Object.keys(KNOWN_UNUSED).sort(),
    );
  });
});
