/**
 * Administration from the machine itself (whoever can read data/ is already all-powerful):
 *   npm run admin -- token --name simulator --role technician [--scopes receivers:write,receivers:read] [--expires-days 30] [--owner lan]
 *   npm run admin -- user add --username lan --role operator --display-name "Nguyễn Thị Lan" --password-file pw.txt
 *   npm run admin -- user password --username lan --password-file pw.txt
 *   npm run admin -- user unlock --username lan
 *   npm run admin -- verify          (the whole proof on this box: both logs, signatures, heads, key histories, triggers)
 *   npm run admin -- verify --file report.pdf --signature <X-Report-Signature>   (an exported report, as received)
 *   npm run admin -- export-proof --out proof.sqlite   (a bundle for the province: npm run verify-proof checks it alone)
 *   npm run admin -- backup --out /backup/2026-12-03   (the whole data directory, safe while the controller runs)
 *   npm run admin -- mosquitto --out /etc/mosquitto/truyen-thanh --controller-password-file F [--port 1883] [--host 0.0.0.0] [--user mosquitto]
 *     writes passwd, acl and mosquitto.conf for an external Mosquitto (the password file is made when missing)
 * Add --config FILE when not using config/commune.yaml or the example.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AccountsRepository } from '../accounts/accounts-repository.js';
import { AccountsService } from '../accounts/accounts-service.js';
import { isRole, PERMISSIONS, type Permission } from '../accounts/permissions.js';
import { AuditRepository } from '../audit/audit-repository.js';
import { systemClock } from '../clock.js';
import { openDatabase } from '../db/database.js';
import { createLogger } from '../logger.js';
import { loadSettings } from '../settings.js';
import { configFilePath } from '../config-file.js';
import { mosquittoConf, mosquittoHash, writeMosquittoFiles } from '../mqtt/mosquitto-files.js';
import { ReceiversRepository } from '../receivers/receivers-repository.js';
import { verifyProof, type VerifyOptions } from '../proof/verify-proof.js';
import { ProofInputError, readAnchorFiles, readKeysFile } from '../proof/proof-inputs.js';
import { exitStatusOf, summarise } from '../proof/proof-summary.js';
import { exportBundle } from '../proof/proof-bundle.js';
import { KeyHistory } from '../proof/key-history.js';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { randomSecret, writeSecretFile } from '../system/secrets.js';
import { backupDataDir, BackupTargetNotEmpty } from '../system/backup.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    help: { type: 'boolean', short: 'h' },
    owner: { type: 'string' },
    config: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    scopes: { type: 'string' },
    'expires-days': { type: 'string' },
    out: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    user: { type: 'string' },
    'controller-password-file': { type: 'string' },
    file: { type: 'string' },
    signature: { type: 'string' },
    username: { type: 'string' },
    'display-name': { type: 'string' },
    'password-file': { type: 'string' },
    json: { type: 'boolean' },
    keys: { type: 'string' },
    anchors: { type: 'string', multiple: true },
  },
});

const USAGE = `Cách dùng / Usage:
  npm run admin -- token --name <tên/name> --role <admin|operator|approver|technician|viewer> [--scopes a,b] [--expires-days 30] [--owner <username>]
      --owner: the person the token speaks for (their TOTP code in X-TOTP-Code; one person with their sessions for the second-person rule)
  npm run admin -- user add --username lan --role operator --display-name "Nguyễn Thị Lan" --password-file pw.txt
  npm run admin -- user password --username lan --password-file pw.txt
  npm run admin -- user unlock --username lan
  npm run admin -- verify [--json] [--keys keys.json] [--anchors FILE]... [--file report.pdf --signature <X-Report-Signature>]
      (checks the data directory of --config / TT_DATA_DIR: e.g. TT_DATA_DIR=/backup/data npm run admin -- verify)
  npm run admin -- export-proof --out proof.sqlite
  npm run admin -- backup --out DIR     (the data directory, safe while the controller runs; restore: TT_DATA_DIR=DIR npm start)
  npm run admin -- mosquitto --out DIR --controller-password-file F [--port 1883] [--host 0.0.0.0] [--user mosquitto]
  Add --config FILE when not using config/commune.yaml or the example.`;
if (values.help || positionals.length === 0) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

function fail(vi: string, en: string): never {
  console.error(`${vi}\n${en}`);
  process.exit(2);
}

const configPath = configFilePath(values.config);
const settings = loadSettings(configPath);
const dbFile = join(resolve(settings.data_dir), 'controller.sqlite');
if (!existsSync(dbFile)) {
  fail(
    `Chưa có cơ sở dữ liệu ${dbFile}: hãy chạy "npm start" một lần trước (hoặc chỉ đúng --config / TT_DATA_DIR).`,
    `There is no database at ${dbFile}: run "npm start" once first (or point --config / TT_DATA_DIR at the right place).`,
  );
}
const db = openDatabase(dbFile);
const audit = new AuditRepository(db, systemClock);
const accounts = new AccountsService(
  new AccountsRepository(db),
  audit,
  systemClock,
  settings.security,
  createLogger('warn'),
);
const actor = { id: `cli:${process.env.USER ?? 'root'}` };
const role = () =>
  values.role && isRole(values.role)
    ? values.role
    : fail(
        'Thiếu hoặc sai --role (admin, operator, approver, technician, viewer).',
        'Missing or wrong --role (admin, operator, approver, technician, viewer).',
      );
const user = () =>
  accounts.listUsers().find((u) => u.username === values.username) ??
  fail(`Không có tài khoản "${values.username}".`, `No account "${values.username}".`);
const passwordFromFile = () =>
  values['password-file']
    ? readFileSync(values['password-file'], 'utf8').trim()
    : fail('Cần --password-file.', '--password-file is required.');

const [command, sub] = positionals;
if (command === 'token') {
  if (!values.name) fail('Cần --name.', '--name is required.');
  const scopes = values.scopes?.split(',').map((s) => s.trim()) as Permission[] | undefined;
  const unknown = scopes?.filter((s) => !(PERMISSIONS as readonly string[]).includes(s));
  if (unknown?.length) fail(`Quyền không tồn tại: ${unknown.join(', ')}`, `Unknown permissions: ${unknown.join(', ')}`);
  const { token } = accounts.createToken(
    {
      name: values.name!,
      role: role(),
      scopes,
      expires_in_days: values['expires-days'] ? Number(values['expires-days']) : undefined,
    },
    // --owner: the person it speaks for (their TOTP, and one person with their sessions for the second-person rule).
    {
      id: actor.id,
      owner: values.owner
        ? (accounts.listUsers().find((u) => u.username === values.owner)?.id ??
          fail(`Không có tài khoản "${values.owner}".`, `No account "${values.owner}".`))
        : undefined,
      permissions: new Set(PERMISSIONS),
    },
  );
  console.log(token);
} else if (command === 'user' && sub === 'add') {
  await accounts.createUser(
    {
      username: values.username ?? fail('Cần --username.', '--username is required.'),
      display_name: values['display-name'] ?? values.username!,
      role: role(),
      password: passwordFromFile(),
    },
    actor,
  );
  console.log(`Đã tạo / created: ${values.username}`);
} else if (command === 'user' && sub === 'password') {
  await accounts.setPassword(user().id, passwordFromFile(), actor);
  console.log('Đã đặt mật khẩu / password set');
} else if (command === 'user' && sub === 'unlock') {
  accounts.unlock(user().id, actor);
  console.log('Đã mở khóa / unlocked');
} else if (command === 'verify' && values.file) {
  // An exported report: its bytes must hash to what the controller signed (with its key then: the history has them all).
  const sha256 = createHash('sha256').update(readFileSync(values.file)).digest('hex');
  const signature = Buffer.from(values.signature ?? fail('Cần --signature.', '--signature is required.'), 'base64');
  const ok = new KeyHistory(db)
    .signingKeys()
    .some((k) => verify(null, Buffer.from(sha256, 'utf8'), createPublicKey(k.public_key), signature));
  console.log(JSON.stringify({ file: values.file, sha256, signature_valid: ok }, null, 2));
  if (!ok) {
    console.error(
      "Tệp đã bị sửa, hoặc chữ ký không phải của bộ điều khiển này. / The file was altered, or the signature is not this controller's.",
    );
    process.exitCode = 1;
  }
} else if ((command === 'audit' && sub === 'verify') || command === 'verify') {
  // The box alone (its own keys and heads) unless --keys and --anchors are given; what needs the anchors is said in the summary.
  let options: VerifyOptions;
  try {
    options = {
      checkTriggers: true,
      trustedKeys: values.keys ? readKeysFile(values.keys) : undefined,
      anchors: readAnchorFiles(values.anchors ?? []),
      upToNewestHead: true,
    };
  } catch (err) {
    if (err instanceof ProofInputError) fail(err.vi, err.en);
    throw err;
  }
  // One read transaction: the controller may be writing meanwhile (see verify-in-slices.ts).
  const report = db.transaction(() => verifyProof(db, options))();
  console.log(values.json ? JSON.stringify(report, null, 2) : summarise(report, settings.commune.timezone).join('\n'));
  process.exitCode = exitStatusOf(report);
} else if (command === 'export-proof') {
  const out = values.out ?? fail('Cần --out TỆP (ví dụ proof.sqlite).', '--out FILE is required (e.g. proof.sqlite).');
  const counts = exportBundle(db, out, {
    commune_id: settings.commune.id,
    commune_name: settings.commune.name,
    timezone: settings.commune.timezone,
    exported_at: new Date().toISOString(),
  });
  console.log(
    `Đã ghi / wrote ${out}. Xác nhận phát / acks: ${counts.acks}; dòng nhật ký / audit entries: ${counts.audit}`,
  );
  console.log(
    'Kiểm tra / check: npm run verify-proof -- --bundle ' +
      out +
      ' --keys keys.json   (keys.json: GET /api/proof/keys)',
  );
} else if (command === 'backup') {
  const out = values.out ?? fail('Cần --out THƯ_MỤC.', '--out DIR is required.');
  try {
    await backupDataDir(db, settings.data_dir, out);
  } catch (err) {
    if (err instanceof BackupTargetNotEmpty)
      fail(
        `Thư mục ${out} đã có dữ liệu: chọn một thư mục mới hoặc trống.`,
        `${out} is not empty: choose a new or empty directory.`,
      );
    throw err;
  }
  console.log(`Đã sao lưu thư mục dữ liệu vào / backed up the data directory to ${resolve(out)}`);
  console.log(`Kiểm tra / check: TT_DATA_DIR=${resolve(out)} npm run admin -- verify`);
  console.log(
    `Khôi phục / restore: dừng bộ điều khiển, rồi / stop the controller, then: TT_DATA_DIR=${resolve(out)} npm start`,
  );
} else if (command === 'mosquitto') {
  const out = values.out ?? fail('Cần --out DIR.', '--out DIR is required.');
  const pwFile =
    values['controller-password-file'] ??
    fail('Cần --controller-password-file.', '--controller-password-file is required.');
  if (!existsSync(pwFile)) writeSecretFile(pwFile, randomSecret());
  mkdirSync(out, { recursive: true });
  const receivers = new ReceiversRepository(db)
    .list()
    .filter((r) => r.broker_hash)
    .map((r) => ({ username: r.id, mosquitto_hash: r.broker_hash!, hamlet_id: r.hamlet_id }));
  writeMosquittoFiles(out, mosquittoHash(readFileSync(pwFile, 'utf8').trim()), receivers);
  writeFileSync(
    join(out, 'mosquitto.conf'),
    // Every interface by default: receivers reach it over the commune's network. --host 127.0.0.1
    // for a broker behind a TLS proxy on the same box, or for a trial.
    mosquittoConf(resolve(out), Number(values.port ?? 1883), values.host ?? '0.0.0.0', values.user ?? 'mosquitto'),
  );
  console.log(
    `Đã ghi / wrote ${join(out, 'passwd')}, ${join(out, 'acl')}, ${join(out, 'mosquitto.conf')} (${receivers.length} receivers)`,
  );
  console.log(
    `Controller: TT_MQTT_URL=mqtt://<host>:${values.port ?? 1883} TT_MQTT_USERNAME=_controller TT_MQTT_PASSWORD_FILE=${pwFile}, mqtt.mosquitto_dir: ${out}`,
  );
} else {
  fail(
    'Lệnh: token | user add | user password | user unlock | verify | export-proof | backup | mosquitto (xem đầu tệp controller/cli/admin.ts)',
    'Commands: token | user add | user password | user unlock | verify | export-proof | backup | mosquitto (see the top of controller/cli/admin.ts)',
  );
}
db.close();
