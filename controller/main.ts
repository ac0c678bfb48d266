/**
 * Starts the controller: `npm start` (config/commune.yaml, or the example when it is missing),
 * or `tsx controller/main.ts --config path/to/commune.yaml`.
 */
import { parseArgs } from 'node:util';
import { buildController } from './app.js';
import { loadSettings } from './settings.js';
import { configFilePath } from './config-file.js';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { lockDataDir } from './system/data-dir-lock.js';
import { t, type MessageKey, type MessageParams } from './i18n/messages.js';

const { values } = parseArgs({ options: { config: { type: 'string' } } });
const configPath = configFilePath(values.config);

let settings;
let controller;
let admin;
try {
  settings = loadSettings(configPath);
  const dataDir = resolve(settings.data_dir);
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataDir(dataDir);
  if ('heldBy' in lock) {
    console.error(
      `Không khởi động: bộ điều khiển khác (tiến trình ${lock.heldBy}) đang dùng thư mục dữ liệu ${dataDir}. Hai bộ điều khiển trên cùng dữ liệu sẽ gửi mỗi lệnh hai lần; hãy dừng bộ kia trước (dừng dịch vụ của nó, hoặc kill ${lock.heldBy}).\n` +
        `  Not started: another controller (process ${lock.heldBy}) is using the data directory ${dataDir}. Two controllers on the same data would send every command twice; stop the other one first (stop its service, or kill ${lock.heldBy}).`,
    );
    process.exit(1);
  }
  process.on('exit', lock.release);
  controller = buildController(settings);
  ({ admin } = await controller.start());
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  const hint =
    e.code === 'EADDRINUSE'
      ? 'Cổng đã có chương trình khác dùng: đổi http.port / mqtt.embedded_port (hoặc TT_HTTP_PORT, TT_MQTT_PORT).\n  The port is in use: change http.port / mqtt.embedded_port (or TT_HTTP_PORT, TT_MQTT_PORT).'
      : e.code === 'ENOENT'
        ? `Không tìm thấy tệp: ${e.path}.\n  File not found: ${e.path}.`
        : '';
  console.error(
    `Không khởi động được bộ điều khiển / The controller could not start:\n  ${e.message}${hint ? `\n  ${hint}` : ''}`,
  );
  process.exit(1);
}

const say = (key: MessageKey, params: MessageParams = {}) =>
  console.log(`${t(key, 'vi', params)}\n${t(key, 'en', params)}`);
say('start_running', { commune: settings.commune.name, config: configPath });
say('start_data_dir', { dir: resolve(settings.data_dir) });
say('start_console', { url: controller.httpUrl });
say('start_docs', { url: controller.httpUrl });
say('start_public', { url: controller.httpUrl });
say(controller.broker ? 'start_broker_embedded' : 'start_broker', { url: controller.mqttUrl });
if (admin) {
  say('start_admin_created', { username: admin.username });
  if (admin.passwordFile) say('start_admin_password', { file: admin.passwordFile });
}
say('start_token_hint');

// A failed background task is a bug to log, not a reason to fall silent: the loudspeakers depend on this process.
process.on('unhandledRejection', (reason) => {
  console.error('Lỗi không được xử lý (đã ghi lại, vẫn chạy tiếp) / Unhandled error (logged, still running):', reason);
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // A part that does not stop in time must not keep the ports: give up and exit anyway.
    setTimeout(() => {
      console.error('Dừng quá 4 giây: thoát ngay. / Stopping took over 4 s: exiting now.');
      process.exit(1);
    }, 4_000).unref();
    controller.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
