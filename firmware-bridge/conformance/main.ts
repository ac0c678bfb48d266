/**
 * `npm run conformance`: checks a receiver against protocol v1 and prints the report in Vietnamese
 * and English (exit code 0: pass, 1: fail or incomplete, 2: wrong usage). `--verify-report FILE`
 * checks a JSON report's signature instead (0: valid, 1: not). See firmware-bridge/README.md,
 * "Checking a vendor's receiver".
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { inBoth } from '../../controller/i18n/messages.js';
import { CASES, ConformanceKit } from './conformance-kit.js';
import { ownAgentCommand, spawnDevice, type DeviceProcess } from './device-process.js';
import { renderReport } from './report.js';
import { verifyReport } from './report-signature.js';

const say = (key: Parameters<typeof inBoth>[0], params: Parameters<typeof inBoth>[1] = {}) => {
  const { vi, en } = inBoth(key, params);
  return `${vi}\n${en}`;
};

let args;
try {
  args = parseArgs({
    options: {
      'spawn-agent': { type: 'boolean' },
      spawn: { type: 'string' },
      wait: { type: 'boolean' },
      json: { type: 'string' },
      dir: { type: 'string' },
      host: { type: 'string' },
      advertise: { type: 'string' },
      'mqtt-port': { type: 'string' },
      'media-port': { type: 'string' },
      'receiver-id': { type: 'string' },
      'hamlet-id': { type: 'string' },
      'play-at-tolerance-ms': { type: 'string' },
      'connect-timeout-s': { type: 'string' },
      only: { type: 'string' },
      operator: { type: 'string' },
      'device-make': { type: 'string' },
      'device-model': { type: 'string' },
      'device-firmware': { type: 'string' },
      'verify-report': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch {
  console.error(say('conf_usage'));
  process.exit(2);
}
if (args.help) {
  console.log(say('conf_usage'));
  process.exit(0);
}
if (args['verify-report'] !== undefined) process.exit(verify(args['verify-report']));
const modes = [args['spawn-agent'], args.spawn !== undefined, args.wait].filter(Boolean).length;
if (modes !== 1) {
  console.error(say('conf_usage'));
  process.exit(2);
}
// A mistyped case would leave a run that tested nothing it was asked to.
const unknownCases = (args.only?.split(',').map((s) => s.trim()) ?? []).filter((id) => !CASES.some((c) => c.id === id));
if (unknownCases.length) {
  console.error(
    say('conf_unknown_cases', { cases: unknownCases.join(', '), known: CASES.map((c) => c.id).join(', ') }),
  );
  process.exit(2);
}

const dir = resolve(args.dir ?? mkdtempSync(join(tmpdir(), 'tt-conformance-')));
const number = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const mode = args.wait ? 'wait' : args.spawn !== undefined ? 'spawn' : 'spawn-agent';
const kit = new ConformanceKit({
  dir,
  receiverId: args['receiver-id'],
  hamletId: args['hamlet-id'],
  host: args.host,
  advertise: args.advertise,
  mqttPort: number(args['mqtt-port']),
  mediaPort: number(args['media-port']),
  timings: args['play-at-tolerance-ms'] ? { play_at_tolerance_ms: Number(args['play-at-tolerance-ms']) } : {},
  only: args.only?.split(',').map((s) => s.trim()),
  // An external device is set up by hand: give the technician time.
  connectTimeoutMs: (number(args['connect-timeout-s']) ?? (args.wait ? 900 : 60)) * 1000,
  progress: (line) => console.error(line),
  mode,
  command: args.spawn, // the record takes the command line as run from the device (kit.run)
  operator: args.operator,
  device: { make: args['device-make'], model: args['device-model'], firmware: args['device-firmware'] },
});

let device: DeviceProcess | undefined;
let code: number;
try {
  const at = await kit.start();
  if (args.wait)
    console.error(
      say('conf_wait_instructions', {
        file: at.enrolmentFile,
        receiver: at.receiverId,
        mqtt: at.mqttUrl,
        media: at.mediaUrl,
      }),
    );
  else {
    device = spawnDevice(
      args['spawn-agent'] ? ownAgentCommand() : args.spawn!,
      at.enrolmentFile,
      join(dir, 'device.log'),
    );
    console.error(say('conf_spawned', { command: device.command, log: join(dir, 'device.log') }));
  }
  const report = await kit.run(device);
  console.log(renderReport(report));
  if (args.json) {
    writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    console.error(say('conf_json_written', { file: resolve(args.json) }));
  }
  code = report.verdict === 'pass' ? 0 : 1;
} finally {
  await device?.stop();
  await kit.stop();
}
process.exit(code);

/** `--verify-report FILE`: whether the JSON report is the one the kit signed, and by which key. */
function verify(file: string): number {
  let report: unknown;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    // Not a verdict on the report: nothing was checked (exit 2, as for wrong usage).
    console.error(say('conf_verify_unreadable', { file, error: (err as Error).message }));
    return 2;
  }
  const v = verifyReport(report);
  if (v.ok) {
    const word = {
      pass: 'conf_result_pass',
      fail: 'conf_result_fail',
      incomplete: 'conf_verdict_word_incomplete',
    } as const;
    const verdict = word[v.verdict as keyof typeof word] ? inBoth(word[v.verdict as keyof typeof word]) : v.verdict;
    console.log(say('conf_verify_ok', { file, key_id: v.key_id, public_key: v.public_key, verdict }));
    return 0;
  }
  const reason = inBoth(v.reason === 'no_signature' ? 'conf_verify_no_signature' : 'conf_verify_mismatch');
  console.error(say('conf_verify_bad', { file, reason }));
  return 1;
}
