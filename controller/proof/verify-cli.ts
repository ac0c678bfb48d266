/**
 * The standalone verifier, for the province (or anyone) holding a proof bundle and the commune's
 * published keys — no controller, no configuration, no access to the commune's machine:
 *
 *   npm run verify-proof -- --bundle proof.sqlite --keys keys.json [--anchors FILE]... [--json]
 *   npm run verify-proof -- --keys keys.json --report bao-cao.pdf --signature <X-Report-Signature>
 *
 * --keys: what GET /api/proof/keys returned (kept by the province), or a PEM file.
 * --anchors: heads and key fingerprints kept off the commune's box: a witness's anchors.jsonl, a
 *   receiver's state.json, upward reports as received (any number of files).
 * Exit status: 0 intact, 1 problems found, 2 wrong use.
 */
import { readFileSync } from 'node:fs';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { t } from '../i18n/messages.js';
import { readAnchors } from './anchors.js';
import { fingerprintOf } from './key-history.js';
import { readBundleInfo } from './proof-bundle.js';
import { summarise } from './proof-summary.js';
import { verifyProof, type ProofProblem } from './verify-proof.js';

const USAGE = `Cách dùng / Usage:
  npm run verify-proof -- --bundle proof.sqlite --keys keys.json [--anchors FILE]... [--json]
  npm run verify-proof -- --keys keys.json --report FILE --signature <X-Report-Signature>
  --keys: khóa công khai đã công bố (GET /api/proof/keys, hoặc tệp PEM) / the published keys (GET /api/proof/keys, or a PEM file)
  --anchors: bản sao đầu chuỗi giữ ngoài máy của xã / heads kept off the commune's box (anchors.jsonl, a receiver's state.json, upward reports)`;

const { values } = parseArgs({
  options: {
    bundle: { type: 'string' }, keys: { type: 'string' }, anchors: { type: 'string', multiple: true },
    report: { type: 'string' }, signature: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  },
});
if (values.help || (!values.bundle && !values.report)) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

function fail(vi: string, en: string): never {
  console.error(`${vi}\n${en}`);
  process.exit(2);
}

/** PEMs from a keys.json (GET /api/proof/keys) or a PEM file. */
function readKeys(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  if (text.includes('-----BEGIN PUBLIC KEY-----') && !text.trim().startsWith('{')) return [text];
  try {
    const parsed = JSON.parse(text) as { keys?: { public_key: string }[] };
    if (parsed.keys?.length) return parsed.keys.map((k) => k.public_key);
  } catch { /* said below */ }
  return fail(`Không đọc được khóa trong ${file}: cần nội dung của GET /api/proof/keys hoặc một tệp PEM.`, `No keys read from ${file}: give what GET /api/proof/keys returned, or a PEM file.`);
}

const trustedKeys = values.keys ? readKeys(values.keys) : undefined;
let exitCode = 0;

if (values.report) {
  if (!trustedKeys) fail('Cần --keys để kiểm tra chữ ký của báo cáo.', '--keys is needed to check a report\'s signature.');
  if (!values.signature) fail('Cần --signature (giá trị X-Report-Signature khi tải báo cáo).', '--signature is required (the X-Report-Signature the report came with).');
  const sha256 = createHash('sha256').update(readFileSync(values.report)).digest('hex');
  const signature = Buffer.from(values.signature, 'base64');
  const key = trustedKeys.find((pem) => {
    try { return verify(null, Buffer.from(sha256, 'utf8'), createPublicKey(pem), signature); } catch { return false; }
  });
  if (key) console.log(`${t('proof_report_ok', 'vi', { file: values.report, key_id: fingerprintOf(key) })}\n  ${t('proof_report_ok', 'en', { file: values.report, key_id: fingerprintOf(key) })}`);
  else {
    console.log(`${t('proof_report_bad', 'vi', { file: values.report })}\n  ${t('proof_report_bad', 'en', { file: values.report })}`);
    exitCode = 1;
  }
}

if (values.bundle) {
  let db: Database.Database;
  try {
    db = new Database(values.bundle, { readonly: true, fileMustExist: true });
    db.prepare('SELECT 1 FROM acks LIMIT 1').get();
  } catch (err) {
    fail(`Không mở được gói bằng chứng ${values.bundle} (${(err as Error).message}).`, `Cannot open the proof bundle ${values.bundle} (${(err as Error).message}).`);
  }
  const anchors = (values.anchors ?? []).flatMap((file) => readAnchors(readFileSync(file, 'utf8'), file));
  const report = verifyProof(db, { trustedKeys, anchors });
  const info = readBundleInfo(db);
  // Triggers found missing when the bundle was made are findings too.
  for (const line of info?.trigger_problems ?? []) {
    const [problem, trigger] = line.split(': ');
    report.problems.push({ log: 'triggers', problem: problem as ProofProblem['problem'], detail: `${trigger} (at export)` });
  }
  report.ok = report.problems.length === 0;
  db.close();
  if (values.json) console.log(JSON.stringify({ bundle: info, ...report }, null, 2));
  else {
    if (info) console.log(`${info.commune_name} (${info.commune_id}), ${info.exported_at}`);
    console.log(summarise(report).join('\n'));
  }
  if (!report.ok) exitCode = 1;
}
process.exit(exitCode);
