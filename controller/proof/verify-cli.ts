/**
 * The standalone verifier, for the province (or anyone) holding a proof bundle and the commune's
 * published keys — no controller, no configuration, no access to the commune's machine:
 *
 *   npm run verify-proof -- --bundle proof.sqlite --keys keys.json [--anchors FILE]... [--json]
 *   npm run verify-proof -- --keys keys.json --report bao-cao.pdf
 *   npm run verify-proof -- --keys keys.json --report as-run.csv --signature <X-Report-Signature>
 *
 * --keys: what GET /api/proof/keys returned (kept by the province), or a PEM file.
 * --anchors: heads and key fingerprints kept off the commune's box: a witness's anchors.jsonl, a
 *   receiver's state.json, upward reports as received (any number of files).
 * --report: a PDF, XLSX, DOCX or the as-run CSV for people is checked against the signature it
 *   carries inside (reports/file-signature.ts); any other file (the JSON report, the machine CSV)
 *   needs the --signature it was sent with.
 * Exit status: 0 intact, 1 problems found (a report changed, or not signed by a published key),
 * 2 wrong use (a file missing or not what it should be, a report that carries no signature),
 * 3 intact up to the file's end but anchors newer than it were set aside (export a fresh bundle).
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { t, type MessageKey, type MessageParams } from '../i18n/messages.js';
import { verifySignedFile } from '../reports/file-signature.js';
import { ProofInputError, readAnchorFiles, readInput, readKeysFile } from './proof-inputs.js';
import { fingerprintOf } from './key-history.js';
import { readBundleInfo } from './proof-bundle.js';
import { exitStatusOf, summarise } from './proof-summary.js';
import type { ProofProblem } from './proof-problems.js';
import { verifyProof } from './verify-proof.js';

const USAGE = `Cách dùng / Usage:
  npm run verify-proof -- --bundle proof.sqlite --keys keys.json [--anchors FILE]... [--json]
  npm run verify-proof -- --keys keys.json --report FILE [--signature <X-Report-Signature>]
  --report: tệp PDF, XLSX, DOCX, CSV nhật ký phát được kiểm tra bằng chữ ký nằm trong tệp; tệp khác (JSON, CSV cho máy) cần thêm --signature / a PDF, XLSX, DOCX or the as-run CSV is checked with the signature inside it; other files (JSON, the machine CSV) need --signature
  --keys: khóa công khai đã công bố (GET /api/proof/keys, hoặc tệp PEM) / the published keys (GET /api/proof/keys, or a PEM file)
  --anchors: bản sao đầu chuỗi giữ ngoài máy của xã / heads kept off the commune's box (anchors.jsonl, a receiver's state.json, upward reports)`;

let values: {
  bundle?: string;
  keys?: string;
  anchors?: string[];
  report?: string;
  signature?: string;
  json?: boolean;
  help?: boolean;
};
try {
  ({ values } = parseArgs({
    options: {
      bundle: { type: 'string' },
      keys: { type: 'string' },
      anchors: { type: 'string', multiple: true },
      report: { type: 'string' },
      signature: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (err) {
  console.error(`Tùy chọn không đúng / Wrong option: ${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (values.help || (!values.bundle && !values.report)) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

/** A finding, in Vietnamese first, then English. */
function say(key: MessageKey, params: MessageParams): void {
  console.log(`${t(key, 'vi', params)}\n  ${t(key, 'en', params)}`);
}
function fail2(vi: string, en: string): never {
  console.error(`${vi}\n${en}`);
  process.exit(2);
}
/** Runs `read`, turning a wrong input into its message and exit status 2. */
function input<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ProofInputError) fail2(err.vi, err.en);
    throw err;
  }
}

const trustedKeys = values.keys ? input(() => readKeysFile(values.keys!)) : undefined;
let exitCode = 0;

if (values.report) {
  if (!trustedKeys)
    fail2('Cần --keys để kiểm tra chữ ký của báo cáo.', "--keys is needed to check a report's signature.");
  const bytes = input(() => readInput(values.report!));
  const file = values.report;
  if (values.signature) {
    // The signature sent in the X-Report-Signature header, over the sha256 of the file as downloaded.
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const signature = Buffer.from(values.signature, 'base64');
    const key = trustedKeys.find((pem) => {
      try {
        return verify(null, Buffer.from(sha256, 'utf8'), createPublicKey(pem), signature);
      } catch {
        return false;
      }
    });
    if (key) say('proof_report_ok', { file, key_id: fingerprintOf(key) });
    else {
      say('proof_report_bad', { file });
      exitCode = 1;
    }
  } else {
    const check = verifySignedFile(bytes, trustedKeys);
    if (check.problem === 'unsigned')
      fail2(t('proof_report_unsigned', 'vi', { file }), t('proof_report_unsigned', 'en', { file }));
    if (check.ok) say('proof_report_signed_ok', { file, key_id: check.key_id ?? '' });
    else {
      if (check.problem === 'unknown_key') say('proof_report_signed_unknown_key', { file, key_id: check.key_id ?? '' });
      else say('proof_report_bad', { file });
      exitCode = 1;
    }
  }
}

if (values.bundle) {
  const anchors = input(() => readAnchorFiles(values.anchors ?? []));
  let db: Database.Database;
  try {
    db = new Database(values.bundle, { readonly: true, fileMustExist: true });
    db.prepare('SELECT 1 FROM acks LIMIT 1').get();
  } catch (err) {
    fail2(
      `Không mở được gói bằng chứng ${values.bundle} (${(err as Error).message}).`,
      `Cannot open the proof bundle ${values.bundle} (${(err as Error).message}).`,
    );
  }
  const info = readBundleInfo(db);
  const report = verifyProof(db, { trustedKeys, anchors, upToNewestHead: true });
  // Triggers found missing when the bundle was made are findings too.
  for (const line of info?.trigger_problems ?? []) {
    const [problem, trigger] = line.split(': ');
    report.problems.push({
      log: 'triggers',
      problem: problem as ProofProblem['problem'],
      detail: `${trigger} (at export)`,
    });
  }
  report.ok = report.problems.length === 0;
  db.close();
  if (values.json) console.log(JSON.stringify({ bundle: info, ...report }, null, 2));
  else {
    if (info) {
      const at = DateTime.fromISO(info.exported_at, { zone: info.timezone ?? 'Asia/Ho_Chi_Minh' }).toFormat(
        'dd/MM/yyyy HH:mm:ss ZZZZ',
      );
      console.log(
        `${t('proof_bundle_header', 'vi', { commune: `${info.commune_name} (${info.commune_id})`, at })}\n  ${t('proof_bundle_header', 'en', { commune: `${info.commune_name} (${info.commune_id})`, at })}`,
      );
    }
    console.log(summarise(report, info?.timezone).join('\n'));
  }
  exitCode = Math.max(exitCode, exitStatusOf(report));
}
process.exit(exitCode);
